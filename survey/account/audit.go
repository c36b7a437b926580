package account

import (
	"context"
	"encoding/base64"
	"strings"
	"time"

	"github.com/allypulse/allypulse/survey"
)

// Event is one staff action in the audit log: who did what, to what, when.
type Event struct {
	ID         string `gorm:"primaryKey"`
	At         time.Time
	ActorID    string
	ActorEmail string
	Action     string
	Target     string
	Detail     string
}

// TableName stores events in audit_events; Event is its own row.
func (Event) TableName() string { return "audit_events" }

// Audit limits on a page of events.
const (
	DefaultAuditLimit = 50
	MaxAuditLimit     = 500
)

// Record appends an event; At and ID are filled in.
func (s *Store) Record(ctx context.Context, e Event) error {
	e.ID, e.At = survey.NewID(), s.now()
	e.Target, e.Detail = clip(e.Target, 500), clip(e.Detail, 2000)
	return s.db.WithContext(ctx).Create(&e).Error
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// Events returns up to limit events, newest first, starting after cursor
// (empty for the first page), and the cursor of the next page ("" at the end).
func (s *Store) Events(ctx context.Context, limit int, cursor string) ([]Event, string, error) {
	if limit <= 0 {
		limit = DefaultAuditLimit
	}
	if limit > MaxAuditLimit {
		limit = MaxAuditLimit
	}
	q := s.db.WithContext(ctx).Order("at DESC, id DESC").Limit(limit + 1)
	if cursor != "" {
		at, id, err := decodeCursor(cursor)
		if err != nil {
			return nil, "", err
		}
		q = q.Where("at < ? OR (at = ? AND id < ?)", at, at, id)
	}
	var rows []Event
	if err := q.Find(&rows).Error; err != nil {
		return nil, "", err
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		next = encodeCursor(last.At, last.ID)
	}
	for i := range rows {
		rows[i].At = rows[i].At.UTC()
	}
	return rows, next, nil
}

func encodeCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + "|" + id))
}

func decodeCursor(c string) (time.Time, string, error) {
	bad := survey.Invalid("cursor", "is not a cursor this server gave out")
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", bad
	}
	at, id, ok := strings.Cut(string(b), "|")
	if !ok || id == "" {
		return time.Time{}, "", bad
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return time.Time{}, "", bad
	}
	return t.UTC(), id, nil
}
