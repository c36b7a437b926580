package survey

import "time"

// Wave statuses, derived from the clock.
const (
	WaveScheduled = "scheduled"
	WaveOpen      = "open"
	WaveClosed    = "closed"
)

// Wave is one round of a survey. A one-off survey has one wave; a pulse has
// one per period.
type Wave struct {
	ID       string
	SurveyID string
	Number   int
	OpensAt  time.Time
	ClosesAt time.Time
	// Slug is the wave's open-link code.
	Slug string
	// Items are the item keys asked in this wave (a subset under rotation).
	Items []string
}

// Status returns scheduled, open or closed at now.
func (w Wave) Status(now time.Time) string {
	switch {
	case now.Before(w.OpensAt):
		return WaveScheduled
	case now.Before(w.ClosesAt):
		return WaveOpen
	default:
		return WaveClosed
	}
}
