package testtools

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/allypulse/allypulse/internal/db"
)

// OpenDB opens a migrated test database of dialect (db.SQLite or
// db.Postgres): a SQLite file in t.TempDir(), or a fresh schema of
// ALLYPULSE_TEST_POSTGRES (see Postgres for when that skips). It is closed
// when the test ends.
func OpenDB(t testing.TB, dialect string) *db.DB {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "allypulse.db")
	if dialect == db.Postgres {
		dsn = FreshPostgresSchema(t, Postgres(t))
	}
	return OpenDSN(t, dsn)
}

// OpenDSN opens and migrates the database at dsn and closes it when the
// test ends; several calls on one DSN act as replicas sharing a database.
func OpenDSN(t testing.TB, dsn string) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return d
}
