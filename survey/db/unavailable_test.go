package db_test

import (
	"context"
	"testing"

	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey/db"
)

// TestUnavailableTellsOutagesFromFaults: a connection the server ended and
// a server that cannot be reached are outages (worth retrying); a bad
// statement or a broken constraint are not.
func TestUnavailableTellsOutagesFromFaults(t *testing.T) {
	ctx := context.Background()
	d := testtools.PostgresReplicas(t, 1)[0]

	_, err := d.SQL.ExecContext(ctx, "SELECT pg_terminate_backend(pg_backend_pid())")
	if err == nil || !db.Unavailable(err) {
		t.Errorf("connection ended by the server: %v; want an outage", err)
	}
	_, err = db.Open(ctx, "postgres://nobody@127.0.0.1:1/x?sslmode=disable&connect_timeout=2", nil)
	if err == nil || !db.Unavailable(err) {
		t.Errorf("server not listening: %v; want an outage", err)
	}
	_, err = d.SQL.ExecContext(ctx, "SELEC 1")
	if err == nil || db.Unavailable(err) {
		t.Errorf("syntax error: %v; want a fault, not an outage", err)
	}
	_, err = d.SQL.ExecContext(ctx, "SELECT 1/0")
	if err == nil || db.Unavailable(err) {
		t.Errorf("division by zero: %v; want a fault, not an outage", err)
	}
}
