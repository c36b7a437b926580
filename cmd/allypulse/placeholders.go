package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/db"
)

// Placeholders until accounts and the demo land.

func bootstrapAdmin(ctx context.Context, cfg config, d *db.DB, clock survey.Clock, log *slog.Logger) error {
	return nil
}

func userCommand(ctx context.Context, cfg config, args []string, log *slog.Logger, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "allypulse: user: not available yet")
	return 1
}
