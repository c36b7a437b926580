package db_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/testtools"
)

// column is a column normalised across dialects: its name, a type family
// and whether it may be NULL.
type column struct {
	Table, Name, Family string
	NotNull             bool
}

func (c column) String() string {
	null := "NULL"
	if c.NotNull {
		null = "NOT NULL"
	}
	return fmt.Sprintf("%s.%s %s %s", c.Table, c.Name, c.Family, null)
}

// family maps a declared SQLite type or a PostgreSQL data_type to one name.
func family(t string) string {
	switch strings.ToLower(t) {
	case "text", "character varying", "varchar":
		return "text"
	case "integer", "bigint", "int", "smallint":
		return "integer"
	case "real", "double precision", "numeric":
		return "real"
	case "boolean":
		return "boolean"
	case "datetime", "timestamp with time zone", "timestamptz":
		return "time"
	case "blob", "bytea":
		return "bytes"
	}
	return "unknown:" + t
}

func openSQLite(t *testing.T) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

func openPostgres(t *testing.T) *db.DB {
	t.Helper()
	dsn := testtools.FreshPostgresSchema(t, testtools.Postgres(t))
	d, err := db.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// schema lists every column of every table except goose's own.
func schema(t *testing.T, d *db.DB) []column {
	t.Helper()
	ctx := context.Background()
	query := `SELECT m.name, p.name, p.type, p."notnull" OR p.pk > 0
			FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'goose_db_version'`
	if d.Dialect == db.Postgres {
		query = `SELECT table_name, column_name, data_type, is_nullable = 'NO'
			FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'`
	}
	rows, err := d.SQL.QueryContext(ctx, query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		var typ string
		if err := rows.Scan(&c.Table, &c.Name, &typ, &c.NotNull); err != nil {
			t.Fatal(err)
		}
		c.Family = family(typ)
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(cols, func(a, b column) int { return strings.Compare(a.String(), b.String()) })
	return cols
}

// migrateTwice checks a fresh install and a re-run, and returns the schema.
func migrateTwice(t *testing.T, d *db.DB) []column {
	t.Helper()
	ctx := context.Background()
	if err := d.Ready(ctx); err == nil {
		t.Error("Ready before migrating")
	}
	n, err := d.Migrate(ctx)
	if err != nil {
		t.Fatalf("fresh install: %v", err)
	}
	st, err := d.MigrationStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 || n != len(st) {
		t.Errorf("fresh install applied %d of %d migrations", n, len(st))
	}
	for _, s := range st {
		if !s.Applied {
			t.Errorf("migration %d (%s) not applied", s.Version, s.Name)
		}
	}
	before := schema(t, d)
	if n, err := d.Migrate(ctx); err != nil || n != 0 {
		t.Errorf("re-run applied %d, err %v; want a no-op", n, err)
	}
	if after := schema(t, d); !slices.Equal(before, after) {
		t.Errorf("re-run changed the schema")
	}
	if err := d.Ready(ctx); err != nil {
		t.Errorf("Ready after migrating: %v", err)
	}
	return before
}

func TestMigrateSQLite(t *testing.T) {
	cols := migrateTwice(t, openSQLite(t))
	for _, c := range cols {
		if strings.HasPrefix(c.Family, "unknown") {
			t.Errorf("column %s has a type the dialect comparison does not know", c)
		}
	}
}

func TestMigratePostgres(t *testing.T) {
	migrateTwice(t, openPostgres(t))
}

// TestDialectsProduceTheSameSchema fails on any table or column that one
// dialect's migrations create and the other's do not, or create differently.
func TestDialectsProduceTheSameSchema(t *testing.T) {
	lite := migrateTwice(t, openSQLite(t))
	pg := migrateTwice(t, openPostgres(t))
	in := func(cols []column) map[string]bool {
		m := map[string]bool{}
		for _, c := range cols {
			m[c.String()] = true
		}
		return m
	}
	liteSet, pgSet := in(lite), in(pg)
	for _, c := range lite {
		if !pgSet[c.String()] {
			t.Errorf("only in SQLite: %s", c)
		}
	}
	for _, c := range pg {
		if !liteSet[c.String()] {
			t.Errorf("only in PostgreSQL: %s", c)
		}
	}
}

// TestNewerDatabaseIsRefused records a migration this binary does not have,
// as a newer Allypulse would: migrating and readiness both refuse, naming
// the versions, instead of running old code on a schema it does not know.
func TestNewerDatabaseIsRefused(t *testing.T) {
	for name, open := range map[string]func(*testing.T) *db.DB{"sqlite": openSQLite, "postgres": openPostgres} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			d := open(t)
			if _, err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := d.Gorm.Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, ?)", true).Error; err != nil {
				t.Fatal(err)
			}
			if _, err := d.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "99999") {
				t.Errorf("Migrate on a newer database: %v; want a refusal naming version 99999", err)
			}
			if err := d.Ready(ctx); err == nil {
				t.Error("Ready on a newer database")
			}
		})
	}
}
