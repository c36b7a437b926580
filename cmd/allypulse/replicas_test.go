package main

import (
	"context"
	"log/slog"
	"testing"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
)

// TestReplicasCreateTheFirstAdminOnce starts replicas with
// ALLYPULSE_ADMIN_EMAIL on one empty PostgreSQL schema at the same moment.
// Each used to find no user and create the admin; all but one then stopped
// with a conflict. Now every replica starts and there is one admin.
func TestReplicasCreateTheFirstAdminOnce(t *testing.T) {
	ctx := context.Background()
	cfg := config{AdminEmail: "ops@example.org", AdminPassword: "a long passphrase", BaseURL: "http://127.0.0.1:8080"}
	log := slog.New(slog.DiscardHandler)
	dbs := testtools.PostgresReplicas(t, 4)
	if _, err := dbs[0].Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, len(dbs))
	for _, d := range dbs {
		go func() { errs <- bootstrapAdmin(ctx, cfg, d, kernel.SystemClock{}, log) }()
	}
	for range dbs {
		if err := <-errs; err != nil {
			t.Errorf("a replica did not start: %v", err)
		}
	}
	n, err := account.NewStore(dbs[0].Gorm, kernel.SystemClock{}).CountUsers(ctx)
	if err != nil || n != 1 {
		t.Errorf("%d users, %v; want the one admin", n, err)
	}
}
