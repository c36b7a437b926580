package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"testing"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/testtools"
)

// TestDatabaseOutageIsA503 runs the server as a PostgreSQL role whose
// connections are then refused ("too many connections", as when the
// server is full), and lets them back in. While the database cannot be
// reached, /readyz says so and every route that needs it answers 503 with
// Retry-After (was a 500 "Internal error", logged as a fault of the code);
// afterwards the same requests succeed again.
func TestDatabaseOutageIsA503(t *testing.T) {
	ctx := context.Background()
	dsn := testtools.FreshPostgresSchema(t, testtools.Postgres(t))
	owner, err := db.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = owner.Close() })
	if _, err := owner.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	exec := func(stmt string) {
		t.Helper()
		if _, err := owner.SQL.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	var schema string
	if err := owner.SQL.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		t.Fatal(err)
	}
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	role, password := "ap_outage_"+hex.EncodeToString(suffix), hex.EncodeToString(suffix)+"-pw"
	exec("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'")
	t.Cleanup(func() {
		exec("DROP OWNED BY " + role)
		exec("DROP ROLE " + role)
	})
	exec("GRANT USAGE ON SCHEMA " + schema + " TO " + role)
	exec("GRANT ALL ON ALL TABLES IN SCHEMA " + schema + " TO " + role)

	u, _ := url.Parse(dsn)
	u.User = url.UserPassword(role, password)
	d, err := db.Open(ctx, u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	d.SQL.SetMaxIdleConns(0) // every request connects, as after a restart of the database
	srv := New(Config{BaseURL: "http://allypulse.test"}, Deps{DB: d, Log: slog.New(slog.DiscardHandler)})
	h := &authHarness{t: t, srv: srv, db: d}
	h.user("lead@example.org", "lead")

	requests := []struct{ method, path, body string }{
		{http.MethodGet, "/readyz", ""},
		{http.MethodPost, "/api/v1/auth/login", `{"email":"lead@example.org","password":"` + harnessPassword + `"}`},
		{http.MethodGet, "/api/v1/respond/no-such-code", ""},
		{http.MethodPost, "/api/v1/respond/no-such-code", `{"answers":{}}`},
	}
	exec("ALTER ROLE " + role + " CONNECTION LIMIT 0")
	for _, r := range requests {
		res := h.do(r.method, r.path, r.body)
		if res.Code != http.StatusServiceUnavailable {
			t.Errorf("%s %s while the database refuses connections: %d %s; want 503", r.method, r.path, res.Code, res.Body)
			continue
		}
		if r.path == "/readyz" {
			continue
		}
		var p Problem
		if err := json.Unmarshal(res.Body.Bytes(), &p); err != nil || p.Type != "/problems/unavailable" || res.Header().Get("Retry-After") == "" {
			t.Errorf("%s %s: problem %+v, Retry-After %q; want /problems/unavailable with Retry-After", r.method, r.path, p, res.Header().Get("Retry-After"))
		}
	}
	exec("ALTER ROLE " + role + " CONNECTION LIMIT -1")
	want := []int{http.StatusOK, http.StatusOK, http.StatusNotFound, http.StatusNotFound}
	for i, r := range requests {
		if res := h.do(r.method, r.path, r.body); res.Code != want[i] {
			t.Errorf("%s %s once the database is back: %d %s; want %d", r.method, r.path, res.Code, res.Body, want[i])
		}
	}
}
