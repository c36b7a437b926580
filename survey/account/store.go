package account

import (
	"time"

	"gorm.io/gorm"

	"github.com/allypulse/allypulse/survey"
)

// Store keeps accounts in the database, on SQLite or PostgreSQL.
type Store struct {
	db    *gorm.DB
	clock survey.Clock
}

// NewStore returns a Store on db; clock tells the time for expiries and
// audit events.
func NewStore(db *gorm.DB, clock survey.Clock) *Store {
	if clock == nil {
		clock = survey.SystemClock{}
	}
	return &Store{db: db, clock: clock}
}

// now is the store's time, in UTC and cut to microseconds: PostgreSQL keeps
// no more, and a cursor made from a stored time must match it exactly.
func (s *Store) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }
