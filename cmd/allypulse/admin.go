package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
)

// bootstrapAdmin makes sure a fresh installation can be signed in to. While
// no user exists it creates the admin from ALLYPULSE_ADMIN_EMAIL and
// ALLYPULSE_ADMIN_PASSWORD or, when those are unset, logs a one-time setup
// link (except with --demo, which makes its own accounts). Once any user
// exists it does nothing, so the variables can stay set. Replicas started
// together take turns, so only the first creates the admin.
func bootstrapAdmin(ctx context.Context, cfg config, d *db.DB, clock kernel.Clock, log *slog.Logger) error {
	return d.Exclusive(ctx, "bootstrap admin", func(ctx context.Context) error {
		return firstAdmin(ctx, cfg, d, clock, log)
	})
}

func firstAdmin(ctx context.Context, cfg config, d *db.DB, clock kernel.Clock, log *slog.Logger) error {
	store := account.NewStore(d.Gorm, clock)
	n, err := store.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if cfg.AdminEmail != "" {
		u, err := store.CreateUser(ctx, account.NewUser{Email: cfg.AdminEmail, Name: "Administrator",
			Role: account.RoleAdmin, Password: cfg.AdminPassword})
		if err != nil {
			return fmt.Errorf("creating the first admin from ALLYPULSE_ADMIN_EMAIL: %w", err)
		}
		log.Info("first admin created", "email", u.Email)
		return store.Record(ctx, account.Event{Action: "auth.bootstrap", Target: u.Email, Detail: "first admin from the environment"})
	}
	if cfg.Demo {
		return nil // the demo makes its own accounts and prints how to sign in
	}
	secret, err := store.CreateSetupToken(ctx)
	if err != nil {
		return err
	}
	log.Warn("no staff user yet: open this one-time link to create the first admin (valid 24 h; a restart makes a new one)",
		"setup_url", cfg.BaseURL+"/app/setup?token="+secret)
	return nil
}
