package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/limits"
	"github.com/allypulse/allypulse/internal/testtools"
)

// TestReplicasShareTheSignInLimits runs two servers on one PostgreSQL
// database, as two replicas behind a load balancer: wrong passwords
// spread over both count once, so 20 from one client are limited as 20
// (not as 10 on each), and 5 for one account as 5.
func TestReplicasShareTheSignInLimits(t *testing.T) {
	ctx := context.Background()
	dbs := testtools.PostgresReplicas(t, 2)
	if _, err := dbs[0].Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var replicas []*Server
	for _, d := range dbs {
		replicas = append(replicas, New(Config{BaseURL: "http://allypulse.test"}, Deps{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	}
	if _, err := replicas[0].accounts.CreateUser(ctx, account.NewUser{Email: "ada@example.org", Name: "Ada", Role: account.RoleAdmin, Password: harnessPassword}); err != nil {
		t.Fatal(err)
	}
	login := func(i int, email, password, peer string) int {
		req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"email":"`+email+`","password":"`+password+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = peer + ":5000"
		rec := httptest.NewRecorder()
		replicas[i%2].ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range limits.ClientFailures {
		if code := login(i, "guess"+strconv.Itoa(i)+"@example.org", "wrong password!", "198.51.100.7"); code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, code)
		}
	}
	for i := range 2 {
		if code := login(i, "next@example.org", "wrong password!", "198.51.100.7"); code != http.StatusTooManyRequests {
			t.Errorf("replica %d after %d failures spread over both: %d, want 429", i+1, limits.ClientFailures, code)
		}
	}
	for i := range limits.AccountFailures {
		if code := login(i, "ada@example.org", "wrong password!", "203.0.113."+strconv.Itoa(i+1)); code != http.StatusUnauthorized {
			t.Fatalf("ada attempt %d: %d", i+1, code)
		}
	}
	for i := range 2 {
		if code := login(i, "ada@example.org", harnessPassword, "203.0.113.99"); code != http.StatusTooManyRequests {
			t.Errorf("replica %d lets ada in after %d failures spread over both: %d", i+1, limits.AccountFailures, code)
		}
	}
}
