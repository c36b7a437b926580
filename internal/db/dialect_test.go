package db_test

import (
	"testing"

	"github.com/allypulse/allypulse/internal/db"
)

func TestRebind(t *testing.T) {
	q := "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
	if got := db.Rebind(false, q); got != q {
		t.Errorf("sqlite: %q", got)
	}
	want := "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
	if got := db.Rebind(true, q); got != want {
		t.Errorf("postgres: %q, want %q", got, want)
	}
}
