// Package db opens the database (SQLite by default, PostgreSQL for scale-out)
// and applies the embedded migrations.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is an open database with its dialect.
type DB struct {
	Gorm    *gorm.DB
	SQL     *sql.DB
	Dialect string
}

// DialectOf returns the dialect a DSN selects: a postgres:// or postgresql://
// URL selects PostgreSQL, anything else is a SQLite file path.
func DialectOf(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// sqliteDSN adds the pragmas every pooled connection needs. They live in the
// DSN, not in a one-off PRAGMA statement, so that each new connection of the
// pool gets them. synchronous=FULL: a 201 to a respondent means the response is
// on disk even if the machine loses power; group commit in the intake recovers
// the throughput that FULL costs per transaction.
func sqliteDSN(path string) string {
	if strings.HasPrefix(path, "file:") || strings.Contains(path, "?") {
		return path
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// maxIdleConns is the number of idle connections a PostgreSQL pool keeps.
const maxIdleConns = 10

// Open connects to dsn and configures the pool. It does not migrate.
func Open(ctx context.Context, dsn string, log *slog.Logger) (*DB, error) {
	if dsn == "" {
		return nil, errors.New("empty database DSN")
	}
	cfg := &gorm.Config{
		Logger:         logger.Discard,
		TranslateError: true,
		NowFunc:        func() time.Time { return time.Now().UTC() },
	}
	dialect := DialectOf(dsn)
	var dialector gorm.Dialector
	switch dialect {
	case Postgres:
		dialector = postgres.Open(dsn)
	default:
		dialector = sqlite.Open(sqliteDSN(dsn))
	}
	g, err := gorm.Open(dialector, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	if dialect == Postgres {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(maxIdleConns)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	} else {
		// WAL allows many readers and one writer; writes are serialised by the
		// intake's group commit and by immediate transactions.
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to %s database: %w", dialect, err)
	}
	if log != nil {
		log.Info("database open", "dialect", dialect)
	}
	return &DB{Gorm: g, SQL: sqlDB, Dialect: dialect}, nil
}

// Close closes the pool.
func (d *DB) Close() error { return d.SQL.Close() }
