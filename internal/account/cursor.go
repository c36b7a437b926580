package account

import (
	"bytes"
	"encoding/base64"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/allypulse/allypulse/internal/kernel"
	"gorm.io/gorm"
)

// Limits on a page of users or tokens.
const (
	DefaultListLimit = 100
	MaxListLimit     = 500
)

// listLimit keeps a page size within 1 and MaxListLimit, 0 meaning the
// default.
func listLimit(limit int) int {
	if limit <= 0 {
		return DefaultListLimit
	}
	return min(limit, MaxListLimit)
}

// newestFirst orders q by the time column, then id, newest first, from
// after cursor (empty for the first page). It asks for limit+1 rows, so
// that cutPage can tell whether a next page exists.
func newestFirst(q *gorm.DB, column string, limit int, cursor string) (*gorm.DB, error) {
	q = q.Order(column + " DESC, id DESC").Limit(limit + 1)
	if cursor == "" {
		return q, nil
	}
	at, id, err := decodeCursor(cursor)
	if err != nil {
		return nil, err
	}
	return q.Where(column+" < ? OR ("+column+" = ? AND id < ?)", at, at, id), nil
}

// cutPage keeps the first limit of rows fetched with limit+1 and returns
// the cursor of the next page, made by key from the last row kept, or ""
// when there is no next page.
func cutPage[T any](rows []T, limit int, key func(T) string) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, key(rows[limit-1])
}

func errBadCursor() error { return kernel.Invalid("cursor", "is not a cursor this server gave out") }

// cursorText decodes a cursor to the text this server encoded in it: valid
// UTF-8 without NUL, which PostgreSQL refuses as a query argument.
func cursorText(c string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) == 0 || !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return "", false
	}
	return string(b), true
}

// encodeCursor is the position after a row of a list ordered by time, then
// id: the audit log and the tokens.
func encodeCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + "|" + id))
}

func decodeCursor(c string) (time.Time, string, error) {
	text, ok := cursorText(c)
	if !ok {
		return time.Time{}, "", errBadCursor()
	}
	at, id, ok := strings.Cut(text, "|")
	if !ok || id == "" {
		return time.Time{}, "", errBadCursor()
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return time.Time{}, "", errBadCursor()
	}
	return t.UTC(), id, nil
}

// encodeKeyCursor is the position after a row of a list ordered by one
// unique text key: the users, by e-mail.
func encodeKeyCursor(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key))
}

func decodeKeyCursor(c string) (string, error) {
	key, ok := cursorText(c)
	if !ok {
		return "", errBadCursor()
	}
	return key, nil
}
