package account

import (
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"gorm.io/gorm"
)

// Store keeps accounts in the database, on SQLite or PostgreSQL.
type Store struct {
	db    *gorm.DB
	clock kernel.Clock
}

// NewStore returns a Store on db; clock tells the time for expiries and
// audit events.
func NewStore(db *gorm.DB, clock kernel.Clock) *Store {
	if clock == nil {
		clock = kernel.SystemClock{}
	}
	return &Store{db: db, clock: clock}
}

// now is the store's time, in UTC and cut to microseconds: PostgreSQL keeps
// no more, and a cursor made from a stored time must match it exactly.
func (s *Store) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }
