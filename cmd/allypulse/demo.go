package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/demo"
	"github.com/allypulse/allypulse/survey/report"
)

// seedDemo fills an empty database with the demo organisation before
// serve --demo starts serving. A database that already holds surveys or
// staff accounts is left alone, so starting twice adds nothing and a real
// installation never gains the demo accounts; the sign-in details are
// logged either way while the demo accounts exist.
func seedDemo(ctx context.Context, cfg config, d *db.DB, clock kernel.Clock, log *slog.Logger) error {
	res, err := demo.Seed(ctx, d, demo.Options{Now: clock.Now(), Log: log})
	switch {
	case errors.Is(err, demo.ErrNotEmpty):
		log.Info("demo: the database already holds surveys or staff accounts; nothing added")
	case err != nil:
		return err
	default:
		log.Info("demo organisation created", "survey", res.SurveyID, "responses", fmt.Sprint(res.Responses))
		go warmReleases(context.WithoutCancel(ctx), d, clock, log, res.SurveyID)
	}
	present, err := demoAccountsExist(ctx, d, clock)
	if err != nil || !present {
		return err
	}
	for _, c := range demo.Credentials() {
		log.Info("demo sign-in", "role", c.Role, "email", c.Email, "password", c.Password)
	}
	log.Info("demo dashboard", "url", cfg.BaseURL+"/app/results")
	return nil
}

// warmReleases computes and stores the release of each open wave of a survey
// (the release audit makes the first one take seconds), so that the first
// person to open the dashboard does not wait. Every replica reads what it
// stores.
func warmReleases(ctx context.Context, d *db.DB, clock kernel.Clock, log *slog.Logger, surveyID string) {
	store := survey.NewStore(d.Gorm)
	engine := report.New(store, clock, report.WithFramework(store.Framework))
	ws, err := store.Waves(ctx, surveyID)
	if err != nil {
		log.Warn("demo: releases not computed in advance", "err", err)
		return
	}
	for _, w := range ws {
		// The server prepares closed waves itself (report.Engine.Prepare);
		// an open wave's first snapshot is taken here, as if looked at.
		if w.Status(clock.Now()) != survey.WaveOpen {
			continue
		}
		start := time.Now()
		if _, err := engine.Release(ctx, surveyID, report.Query{Wave: w.Number}); err != nil {
			log.Warn("demo: release not computed in advance", "wave", w.Number, "err", err)
			return
		}
		log.Info("demo: release ready", "wave", w.Number, "took", time.Since(start).Round(time.Millisecond).String())
	}
}

// demoAccountsExist reports whether the demo's lead account is present.
func demoAccountsExist(ctx context.Context, d *db.DB, clock kernel.Clock) (bool, error) {
	_, err := account.NewStore(d.Gorm, clock).UserByEmail(ctx, demo.Credentials()[1].Email)
	if errors.Is(err, kernel.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// demoCommand is `allypulse demo`: it fills the database and says how to
// look at it.
func demoCommand(ctx context.Context, cfg config, log *slog.Logger, stdout, stderr io.Writer) int {
	d, err := openDB(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(stderr, "allypulse:", err)
		return 1
	}
	defer d.Close()
	res, err := demo.Seed(ctx, d, demo.Options{Now: kernel.SystemClock{}.Now(), Log: log})
	if errors.Is(err, demo.ErrNotEmpty) {
		fmt.Fprintf(stdout, "The database %s already holds surveys or staff accounts; the demo fills an empty database only. Nothing was added.\n", cfg.databaseName())
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "allypulse: demo:", err)
		return 1
	}
	fmt.Fprintf(stdout, "Demo organisation created in %s: %d employees, %d pulse waves.\n", cfg.databaseName(), demo.Headcount(), len(res.Responses))
	for i, n := range res.Responses {
		fmt.Fprintf(stdout, "  wave %d: %d responses to %d invitations and the open link\n", i+1, n, res.Invited[i])
	}
	fmt.Fprintf(stdout, "  %d comments\n\nSign in (demo accounts, for trying Allypulse out only):\n", res.Comments)
	printCredentials(stdout)
	fmt.Fprintf(stdout, "\nStart the server with `allypulse serve` and open %s/app/results\n", cfg.BaseURL)
	return 0
}

func printCredentials(w io.Writer) {
	for _, c := range demo.Credentials() {
		fmt.Fprintf(w, "  %-10s %-30s password: %s\n", c.Role, c.Email, c.Password)
	}
}
