// Package actionplan keeps the lead's action plans: focus areas taken from a
// released result of a closed wave (a flagged gap, a weak competency, a
// behaviour's perception gap), the actions under each, and their progress
// read from the released values of the waves that follow. It never sees a
// response: every number it shows comes from report.Engine.
package actionplan

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
)

// Kinds of focus source.
const (
	// SourceGap is a group's inclusion gap on one metric (Dimension and
	// Option name the group).
	SourceGap = "gap"
	// SourceCompetency is a competency (or development access) score.
	SourceCompetency = "competency"
	// SourceBehaviour is an ally or advocate behaviour's perception gap.
	SourceBehaviour = "behaviour"
)

// Action statuses.
const (
	StatusPlanned    = "planned"
	StatusInProgress = "in_progress"
	StatusDone       = "done"
	StatusDropped    = "dropped"
)

// Statuses lists the action statuses in their natural order.
var Statuses = []string{StatusPlanned, StatusInProgress, StatusDone, StatusDropped}

// Limits on free text.
const (
	MaxTitle = 200
	MaxNotes = 4000
)

// Source names the released result a focus area is about.
type Source struct {
	Kind      string `json:"kind"`
	Metric    string `json:"metric"`
	Dimension string `json:"dimension,omitempty"`
	Option    string `json:"option,omitempty"`
}

// Focus is a focus area with its actions.
type Focus struct {
	ID       string
	SurveyID string
	// Wave is the closed wave whose result the focus area was taken from.
	Wave   int
	Source Source
	// MetricName is the name the released view gave the metric.
	MetricName string
	Title      string
	Notes      string
	Revision   int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Actions    []Action
}

// Action is one step of a focus area.
type Action struct {
	ID      string
	FocusID string
	Title   string
	// OwnerID is a staff user's id ("" when nobody owns it yet, or the
	// owner's account was deleted).
	OwnerID string
	// Due is a calendar date, YYYY-MM-DD, or "".
	Due    string
	Status string
	Notes  string
	// Suggestion is the key of the framework suggestion it came from, if any.
	Suggestion string
	Revision   int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Owners tells whether a staff user may own an action, and their name.
type Owners interface {
	// OwnerName returns the display name of an active staff user, or an
	// error wrapping kernel.ErrNotFound.
	OwnerName(ctx context.Context, id string) (string, error)
}

// Plans reads and changes action plans.
type Plans struct {
	db      *gorm.DB
	surveys *survey.Store
	engine  *report.Engine
	clock   kernel.Clock
	owners  Owners
}

// New returns the action plans over db.
func New(db *gorm.DB, surveys *survey.Store, engine *report.Engine, clock kernel.Clock, owners Owners) *Plans {
	return &Plans{db: db, surveys: surveys, engine: engine, clock: clock, owners: owners}
}
