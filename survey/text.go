package survey

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/allypulse/allypulse/internal/kernel"
)

// Text that people see in the survey (titles, labels, options, prompts,
// item texts) is cleaned the same way everywhere:
//
//   - a one-line text has every run of white space (tabs, line breaks,
//     no-break and wide spaces) folded into one ordinary space;
//   - control characters are refused, except line breaks and tabs in texts of
//     several lines;
//   - a text made only of invisible characters (zero-width spaces, direction
//     marks) is empty;
//   - two texts are the same when they differ only in case or in invisible
//     characters, so "Prefer\u00a0not to say" and "Prefer\u200b not to say"
//     are "Prefer not to say".

// oneLine trims s and folds its inner white space into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// checkText reports an empty text, one longer than limit characters, and one
// holding control characters (line breaks and tabs are allowed when
// multiline). It returns whether the text was fine.
func checkText(ve *kernel.ValidationError, field, text string, limit int, multiline bool) bool {
	switch n := utf8.RuneCountInString(text); {
	case sameKey(text) == "":
		ve.AddCode(field, kernel.CodeRequired, "is required")
	case n > limit:
		ve.Add(field, fmt.Sprintf("is %d characters long; the limit is %d", n, limit))
	case hasControl(text, multiline):
		ve.Add(field, "must not contain control characters")
	default:
		return true
	}
	return false
}

// hasControl reports a control character other than, when multiline, a line
// break or a tab.
func hasControl(s string, multiline bool) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			return false
		}
		return unicode.IsControl(r)
	})
}

// sameKey is what two texts are compared by: without invisible format
// characters, white space folded, case folded.
func sameKey(s string) string {
	visible := strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
	return strings.ToLower(oneLine(visible))
}
