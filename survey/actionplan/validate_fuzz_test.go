package actionplan

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/allypulse/allypulse/internal/kernel"
)

// FuzzValidate runs the field checks of an action on any text: an accepted
// title is one trimmed line of 1..200 characters, an accepted due date a
// real calendar date, an accepted status one of Statuses; every refusal
// names its field.
func FuzzValidate(f *testing.F) {
	for _, s := range [][3]string{
		{"Sponsor two people", "2026-09-30", "planned"},
		{"  ", "2026-02-30", "someday"},
		{"a\nb", "30/09/2026", ""},
		{strings.Repeat("é", 201), "1999-12-31", "done"},
		{"\u0000", "2026-1-1", "in_progress"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, title, due, status string) {
		var ve kernel.ValidationError
		gotTitle := checkTitle(&ve, "title", title)
		gotDue := checkDue(&ve, "due", due)
		gotStatus := checkStatus(&ve, "status", status)
		bad := map[string]bool{}
		for _, fe := range ve.Fields {
			if fe.Message == "" {
				t.Fatalf("empty message for %s", fe.Field)
			}
			bad[fe.Field] = true
		}
		if !bad["title"] && (gotTitle == "" || utf8.RuneCountInString(gotTitle) > MaxTitle || gotTitle != strings.TrimSpace(gotTitle) || strings.ContainsAny(gotTitle, "\n\r\t")) {
			t.Fatalf("title %q accepted", gotTitle)
		}
		if !bad["due"] && gotDue != "" {
			if d, err := time.Parse(time.DateOnly, gotDue); err != nil || d.Format(time.DateOnly) != gotDue {
				t.Fatalf("due %q accepted", gotDue)
			}
		}
		if !bad["status"] && gotStatus != StatusPlanned && gotStatus != StatusInProgress && gotStatus != StatusDone && gotStatus != StatusDropped {
			t.Fatalf("status %q accepted", gotStatus)
		}
	})
}
