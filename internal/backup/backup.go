// Package backup copies a SQLite database while the server keeps serving,
// and restores such a copy into an empty database. PostgreSQL has its own
// tools (pg_dump, pg_restore); Commands says which to use.
package backup

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	// The SQLite driver, to read a backup file without changing it.
	_ "github.com/mattn/go-sqlite3"

	"github.com/allypulse/allypulse/internal/db"
)

// Errors a caller tells the operator about.
var (
	// ErrExists: the backup would overwrite a file.
	ErrExists = errors.New("the file exists already; choose a new name, a backup never overwrites one")
	// ErrNotEmpty: the database to restore into already holds data.
	ErrNotEmpty = errors.New("the database to restore into is not empty (it has staff users or surveys); restore into a new file")
	// ErrNotBackup: the file is not an intact Allypulse SQLite database.
	ErrNotBackup = errors.New("the file is not an intact Allypulse SQLite backup")
)

// SQLite writes a consistent copy of the open SQLite database d to dest
// with VACUUM INTO. It reads one snapshot of the database in a read
// transaction, so writers go on while it runs (WAL mode), and the copy
// holds every transaction committed before it started and none after. The
// copy is written under a temporary name and renamed when complete, so
// dest never holds half a backup.
func SQLite(ctx context.Context, d *db.DB, dest string) error {
	if d.Dialect != db.SQLite {
		return errors.New("backup: not a SQLite database")
	}
	if _, err := os.Lstat(dest); err == nil {
		return ErrExists
	}
	tmp, err := partialName(dest)
	if err != nil {
		return err
	}
	if _, err := d.SQL.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := syncFile(tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if _, err := os.Lstat(dest); err == nil {
		_ = os.Remove(tmp)
		return ErrExists
	}
	return os.Rename(tmp, dest)
}

// partialName is a fresh name beside dest for the copy being written.
func partialName(dest string) (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".partial-"+hex.EncodeToString(b)), nil
}

func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Restore copies the backup src into the SQLite file dest, which must not
// exist, be an empty file, or be a database without staff users and
// surveys (such as one a server created and migrated on its first start).
// src is checked first (integrity and Allypulse's tables) and never
// changed. The caller migrates dest afterwards, as every start does.
func Restore(ctx context.Context, src, dest string) error {
	if abs(src) == abs(dest) {
		return errors.New("the backup and the database to restore into are the same file")
	}
	from, err := openReadOnly(src)
	if err != nil {
		return err
	}
	defer from.Close()
	if err := checkBackup(ctx, from); err != nil {
		return err
	}
	if err := emptyTarget(ctx, dest); err != nil {
		return err
	}
	if _, err := from.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		return err
	}
	return syncFile(dest)
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// openReadOnly opens a SQLite file without creating or changing it.
func openReadOnly(path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	return sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?mode=ro&_busy_timeout=10000")
}

// checkBackup fails unless d passes SQLite's integrity check and holds
// Allypulse's migration table.
func checkBackup(ctx context.Context, d *sql.DB) error {
	var result string
	if err := d.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil {
		return fmt.Errorf("%w: %v", ErrNotBackup, err)
	}
	if result != "ok" {
		return fmt.Errorf("%w: integrity check says %s", ErrNotBackup, result)
	}
	for _, table := range []string{"goose_db_version", "users", "surveys"} {
		ok, err := hasTable(ctx, d, table)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrNotBackup, err)
		}
		if !ok {
			return fmt.Errorf("%w: it has no %s table", ErrNotBackup, table)
		}
	}
	return nil
}

func hasTable(ctx context.Context, d *sql.DB, name string) (bool, error) {
	var n int
	err := d.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", name).Scan(&n)
	return n > 0, err
}

// emptyTarget makes sure dest can take the restored copy: it is missing or
// an empty file, or a database without users and surveys, which is then
// removed with its WAL files so that VACUUM INTO can write it anew.
func emptyTarget(ctx context.Context, dest string) error {
	st, err := os.Stat(dest)
	if errors.Is(err, os.ErrNotExist) || (err == nil && st.Size() == 0) {
		return nil
	}
	if err != nil {
		return err
	}
	d, err := openReadOnly(dest)
	if err != nil {
		return err
	}
	empty, err := holdsNothing(ctx, d)
	_ = d.Close()
	if err != nil {
		return fmt.Errorf("reading the database to restore into: %w", err)
	}
	if !empty {
		return ErrNotEmpty
	}
	for _, f := range []string{dest, dest + "-wal", dest + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

func holdsNothing(ctx context.Context, d *sql.DB) (bool, error) {
	for _, table := range []string{"users", "surveys"} {
		ok, err := hasTable(ctx, d, table)
		if err != nil {
			return false, err
		}
		if !ok {
			continue
		}
		var n int
		if err := d.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			return false, err
		}
		if n > 0 {
			return false, nil
		}
	}
	return true, nil
}

// Commands returns the PostgreSQL commands that back up to file or restore
// from it, for the database at dsn with its password left out.
func Commands(dsn, file string) (dump, restore string) {
	shown := dsn
	if u, err := url.Parse(dsn); err == nil {
		if u.User != nil {
			if _, has := u.User.Password(); has {
				u.User = url.User(u.User.Username())
			}
		}
		shown = u.String()
	}
	return fmt.Sprintf("pg_dump --format=custom --file=%s %s", shellQuote(file), shellQuote(shown)),
		fmt.Sprintf("pg_restore --no-owner --exit-on-error --dbname=%s %s", shellQuote(shown), shellQuote(file))
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '/' || r == '.' || r == '_' || r == '-') {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	out := "'"
	for _, r := range s {
		if r == '\'' {
			out += `'\''`
		} else {
			out += string(r)
		}
	}
	return out + "'"
}
