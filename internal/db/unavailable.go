package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unavailable reports whether err means that the database cannot be
// reached at the moment rather than that the request or the code is at
// fault: no connection could be made, the server ended or lost the
// connection (a restart, a failover, pg_terminate_backend), it is starting
// or shutting down, or it has no connection left. Such a request is worth
// repeating a moment later.
func Unavailable(err error) bool {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "57P01", "57P02", "57P03", // admin shutdown, crash shutdown, cannot connect now
			"53300": // too many connections
			return true
		}
		return strings.HasPrefix(pe.Code, "08") // connection exception
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone)
}

// ping asks the database for an answer. A pooled connection that the server
// ended since its last use (a restart, a failover) fails its ping and is
// dropped; that says nothing about the database, so the ping is repeated on
// the pool's next connection, up to the pool's idle connections and a new one.
func (d *DB) ping(ctx context.Context) error {
	var err error
	for range maxIdleConns + 1 {
		if err = d.SQL.PingContext(ctx); !errors.Is(err, driver.ErrBadConn) {
			return err
		}
	}
	return err
}
