package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/allypulse/allypulse/internal/backup"
	"github.com/allypulse/allypulse/internal/db"
)

const backupUsage = `Usage: allypulse backup FILE     (a consistent copy while the server runs)
       allypulse restore FILE    (into ALLYPULSE_DATABASE, which must be empty)
`

// backupCommand writes a copy of the SQLite database to file. It opens the
// database itself, next to a running server, and changes nothing in it.
// For PostgreSQL it prints the pg_dump command to use and refuses.
func backupCommand(ctx context.Context, cfg config, file string, log *slog.Logger, stdout, stderr io.Writer) int {
	if db.DialectOf(cfg.Database) == db.Postgres {
		dump, _ := backup.Commands(cfg.Database, file)
		fmt.Fprintf(stderr, "allypulse: backup: this is a PostgreSQL database; back it up with PostgreSQL's own tool (add the password through PGPASSWORD or ~/.pgpass):\n  %s\n", dump)
		return 1
	}
	d, err := openDatabase(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(stderr, "allypulse:", err)
		return 1
	}
	defer d.Close()
	start := time.Now()
	if err := backup.SQLite(ctx, d, file); err != nil {
		fmt.Fprintf(stderr, "allypulse: backup %s: %s\n", file, oneLine(err.Error()))
		return 1
	}
	fmt.Fprintf(stdout, "backed up %s to %s in %s\n", cfg.databaseName(), file, time.Since(start).Round(time.Millisecond))
	return 0
}

// restoreCommand copies the backup file into the configured SQLite
// database, which must be empty, and applies any newer migrations.
func restoreCommand(ctx context.Context, cfg config, file string, log *slog.Logger, stdout, stderr io.Writer) int {
	if db.DialectOf(cfg.Database) == db.Postgres {
		_, restore := backup.Commands(cfg.Database, file)
		fmt.Fprintf(stderr, "allypulse: restore: this is a PostgreSQL database; restore a pg_dump file with PostgreSQL's own tool into an empty database:\n  %s\n", restore)
		return 1
	}
	if err := backup.Restore(ctx, file, cfg.Database); err != nil {
		fmt.Fprintf(stderr, "allypulse: restore %s: %s\n", file, oneLine(err.Error()))
		return 1
	}
	d, err := openDB(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(stderr, "allypulse:", err)
		return 1
	}
	defer d.Close()
	fmt.Fprintf(stdout, "restored %s into %s\n", file, cfg.databaseName())
	return 0
}
