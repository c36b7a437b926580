package account

import (
	"context"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
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
	// ClientAddress is the address the request came from; empty for the
	// command line.
	ClientAddress string
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
	e.ID, e.At = kernel.NewID(), s.now()
	e.Target, e.Detail, e.ClientAddress = clip(e.Target, 500), clip(e.Detail, 2000), clip(e.ClientAddress, 100)
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
	q, err := newestFirst(s.db.WithContext(ctx), "at", limit, cursor)
	if err != nil {
		return nil, "", err
	}
	var rows []Event
	if err := q.Find(&rows).Error; err != nil {
		return nil, "", err
	}
	rows, next := cutPage(rows, limit, func(e Event) string { return encodeCursor(e.At, e.ID) })
	for i := range rows {
		rows[i].At = rows[i].At.UTC()
	}
	return rows, next, nil
}
