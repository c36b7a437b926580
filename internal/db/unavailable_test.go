package db_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/testtools"
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

// TestReadyAfterConnectionsWereEnded ends the server side of every pooled
// connection, as a database restart or failover does, while the database
// itself stays up. /readyz used to report it unavailable while the pool
// still held such connections: each ping took one, failed and gave up.
func TestReadyAfterConnectionsWereEnded(t *testing.T) {
	ctx := context.Background()
	dbs := testtools.PostgresReplicas(t, 2)
	d, other := dbs[0], dbs[1]
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var pids []int
	var conns []*sql.Conn
	for range 3 {
		c, err := d.SQL.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var pid int
		if err := c.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
			t.Fatal(err)
		}
		conns, pids = append(conns, c), append(pids, pid)
	}
	for _, pid := range pids {
		if _, err := other.SQL.ExecContext(ctx, "SELECT pg_terminate_backend($1)", pid); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range conns {
		_ = c.Close() // back to the pool, ended on the server
	}
	if err := d.Ready(ctx); err != nil {
		t.Errorf("not ready although the database answers: %v", err)
	}
}
