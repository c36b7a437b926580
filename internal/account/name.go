package account

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanName folds the white space of a user or token name into single spaces,
// so a name always shows on one line in the People page and the audit log.
func cleanName(name string) string { return strings.Join(strings.Fields(name), " ") }

// nameProblem says what is wrong with a cleaned name, or "" when it is fine:
// longer than limit characters, or holding control or invisible formatting
// characters (a right-to-left override would make an audit line read
// backwards).
func nameProblem(name string, limit int) string {
	if n := utf8.RuneCountInString(name); n > limit {
		return fmt.Sprintf("must be at most %d characters", limit)
	}
	if strings.ContainsFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) {
		return "must not contain control or invisible formatting characters"
	}
	return ""
}
