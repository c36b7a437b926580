package testtools

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/allypulse/allypulse/internal/db"
)

// PostgresEnv names the environment variable holding the URL of a PostgreSQL
// database the tests may create schemas in.
const PostgresEnv = "ALLYPULSE_TEST_POSTGRES"

// Postgres returns the URL in ALLYPULSE_TEST_POSTGRES. It skips the test
// (fails under CI) when the variable is empty.
func Postgres(t testing.TB) string {
	t.Helper()
	u := os.Getenv(PostgresEnv)
	if u == "" {
		Unavailable(t, "%s is not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", PostgresEnv)
	}
	return u
}

// pgTimeout bounds the schema setup and teardown statements.
const pgTimeout = 30 * time.Second

// FreshPostgresSchema creates an empty schema with a unique name in the
// database at dsn and returns dsn with search_path set to it, so every
// connection made from the result creates and finds its tables there. The
// schema is dropped when the test ends. Tests running at the same time, in
// this package or others, therefore never see each other's tables.
func FreshPostgresSchema(t testing.TB, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parsing the PostgreSQL URL: %v", err)
	}
	schema := schemaName(t)

	if err := execPostgres(dsn, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("creating schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if err := execPostgres(dsn, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
	})

	// pgx passes unknown URL parameters to the server as run-time settings.
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// execPostgres runs one statement on a short-lived connection.
func execPostgres(dsn, stmt string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), pgTimeout)
	defer cancel()
	_, err = db.ExecContext(ctx, stmt)
	return err
}

// schemaName makes a lower-case identifier from the test name and a random
// suffix, short enough for PostgreSQL's 63-byte limit and safe to splice into
// SQL unquoted.
func schemaName(t testing.TB) string {
	var b strings.Builder
	b.WriteString("t_")
	for _, r := range strings.ToLower(t.Name()) {
		if b.Len() >= 40 {
			break
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	suffix := make([]byte, 6)
	if _, err := rand.Read(suffix); err != nil {
		t.Fatalf("random schema name: %v", err)
	}
	b.WriteByte('_')
	b.WriteString(hex.EncodeToString(suffix))
	return b.String()
}

// PostgresReplicas opens n connection pools on one fresh schema, as n
// replicas sharing a database do, and closes them when the test ends. The
// schema is not migrated.
func PostgresReplicas(t testing.TB, n int) []*db.DB {
	t.Helper()
	dsn := FreshPostgresSchema(t, Postgres(t))
	dbs := make([]*db.DB, n)
	for i := range dbs {
		d, err := db.Open(context.Background(), dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = d.Close() })
		dbs[i] = d
	}
	return dbs
}
