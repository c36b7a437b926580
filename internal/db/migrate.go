package db

import (
	"context"
	"fmt"

	"github.com/pressly/goose/v3"

	"github.com/allypulse/allypulse/migrations"
)

// MigrationStatus is one migration version and whether it is applied.
type MigrationStatus struct {
	Version int64
	Name    string
	Applied bool
}

func (d *DB) provider() (*goose.Provider, error) {
	fsys, err := migrations.FS(d.Dialect)
	if err != nil {
		return nil, err
	}
	gd := goose.DialectSQLite3
	if d.Dialect == Postgres {
		gd = goose.DialectPostgres
	}
	return goose.NewProvider(gd, d.SQL, fsys)
}

// Migrate applies all pending migrations and returns how many it applied.
// Processes starting together on one database take turns: the first
// applies the migrations, the others then find nothing pending.
func (d *DB) Migrate(ctx context.Context) (int, error) {
	p, err := d.provider()
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	applied := 0
	err = d.Exclusive(ctx, "migrate", func(ctx context.Context) error {
		if err := notNewer(ctx, p); err != nil {
			return err
		}
		res, err := p.Up(ctx)
		applied = len(res)
		return err
	})
	if err != nil {
		return applied, fmt.Errorf("apply migrations: %w", err)
	}
	return applied, nil
}

// notNewer refuses a database migrated by a newer Allypulse: this binary
// does not know its schema, and writing to it could damage data the newer
// version relies on.
func notNewer(ctx context.Context, p *goose.Provider) error {
	at, err := p.GetDBVersion(ctx)
	if err != nil {
		return err
	}
	sources := p.ListSources()
	if latest := sources[len(sources)-1].Version; at > latest {
		return fmt.Errorf("the database is at migration %d, newer than this Allypulse knows (%d): run the version that migrated it, or a later one", at, latest)
	}
	return nil
}

// MigrationStatus lists every known migration and whether it is applied.
func (d *DB) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	p, err := d.provider()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]MigrationStatus, 0, len(st))
	for _, s := range st {
		out = append(out, MigrationStatus{
			Version: s.Source.Version,
			Name:    s.Source.Path,
			Applied: s.State == goose.StateApplied,
		})
	}
	return out, nil
}

// Ready reports whether the database answers and every migration is applied.
func (d *DB) Ready(ctx context.Context) error {
	if err := d.ping(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	p, err := d.provider()
	if err != nil {
		return err
	}
	if err := notNewer(ctx, p); err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("migration state: %w", err)
	}
	if pending {
		return fmt.Errorf("migrations pending")
	}
	return nil
}
