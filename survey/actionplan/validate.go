package actionplan

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/allypulse/allypulse/internal/kernel"
)

// FocusInput creates a focus area.
type FocusInput struct {
	Wave   int
	Source Source
	Title  string
	Notes  string
}

// FocusChange edits a focus area read at Revision; nil fields stay.
type FocusChange struct {
	Title    *string
	Notes    *string
	Revision *int
}

// ActionInput creates an action.
type ActionInput struct {
	Title      string
	OwnerID    string
	Due        string
	Status     string
	Notes      string
	Suggestion string
}

// ActionChange edits an action read at Revision; nil fields stay.
type ActionChange struct {
	Title    *string
	OwnerID  *string
	Due      *string
	Status   *string
	Notes    *string
	Revision *int
}

// checkTitle trims a title and records what is wrong with it.
func checkTitle(ve *kernel.ValidationError, field, s string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		ve.AddCode(field, kernel.CodeRequired, "is required")
	case utf8.RuneCountInString(s) > MaxTitle:
		ve.Add(field, "must be at most 200 characters")
	case strings.ContainsFunc(s, unicode.IsControl):
		ve.Add(field, "must be one line of text")
	}
	return s
}

// checkNotes trims notes and records what is wrong with them.
func checkNotes(ve *kernel.ValidationError, field, s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxNotes {
		ve.Add(field, "must be at most 4000 characters")
	}
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' }) {
		ve.Add(field, "must not hold control characters")
	}
	return s
}

// checkDue accepts "" or a calendar date YYYY-MM-DD between 2000 and 2199.
func checkDue(ve *kernel.ValidationError, field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Year() < 2000 || d.Year() > 2199 {
		ve.Add(field, "must be a date written YYYY-MM-DD")
	}
	return s
}

// checkStatus accepts one of Statuses ("" means planned).
func checkStatus(ve *kernel.ValidationError, field, s string) string {
	if s == "" {
		return StatusPlanned
	}
	if !slices.Contains(Statuses, s) {
		ve.Add(field, "must be one of planned, in_progress, done, dropped")
	}
	return s
}

// checkRevision requires the revision an edit was made from.
func checkRevision(ve *kernel.ValidationError, r *int) {
	if r == nil {
		ve.Add("revision", "is required: send the revision you read, so that a change made by someone else in between is not overwritten")
	} else if *r < 0 {
		ve.Add("revision", "must be 0 or more")
	}
}
