package db

import (
	"context"
	"database/sql/driver"
	"fmt"
)

// Exclusive runs fn while holding the lock called name, which every process
// sharing the database takes before the same work: replicas started together
// on an empty PostgreSQL database must not each migrate it, create the first
// admin or fill the demo. On PostgreSQL it is a session advisory lock keyed
// by name and the current schema, held on a connection of its own and waited
// for without polling. A SQLite file serves one process, so fn just runs.
func (d *DB) Exclusive(ctx context.Context, name string, fn func(context.Context) error) (err error) {
	if d.Dialect != Postgres {
		return fn(ctx)
	}
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("lock %s: %w", name, err)
	}
	const key = "hashtextextended($1 || '/' || current_schema(), 0)"
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock("+key+")", name); err != nil {
		_ = conn.Close()
		return fmt.Errorf("lock %s: %w", name, err)
	}
	defer func() {
		_, unlockErr := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock("+key+")", name)
		if unlockErr != nil {
			// The session may still hold the lock: close the connection
			// instead of returning it to the pool, which ends the session.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		_ = conn.Close()
	}()
	return fn(ctx)
}
