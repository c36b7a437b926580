package survey

import (
	"regexp"
	"strings"
)

// Placeholders that replace contact details in comments (docs/anonymity.md,
// "Collection").
const (
	EmailPlaceholder  = "[e-mail removed]"
	URLPlaceholder    = "[link removed]"
	PhonePlaceholder  = "[phone removed]"
	HandlePlaceholder = "[handle removed]"
)

// The patterns below are mirrored in frontend/static/respond.js, which warns
// the respondent before submitting; keep the two in step.
var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	// A URL with a scheme or www., or a bare domain name with a common
	// top-level domain ("linkedin.com/in/someone").
	urlPattern = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"]+|\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:com|org|net|io|co|uk|de|fr|nl|eu|info|biz|me|app|dev|ly|gl|us|ca|au|ch|se|no|dk|es|it)\b(?:/[^\s<>"]*)?`)
	// A run of at least seven digits with the usual separators.
	phonePattern = regexp.MustCompile(`\+?\(?\d[\d\s().\-/]{5,}\d`)
	// An @-handle: @ at a word boundary followed by a name.
	handlePattern = regexp.MustCompile(`(^|[^A-Za-z0-9_])@[A-Za-z0-9_][A-Za-z0-9_.\-]*`)
	// A person's name: a title and a capitalised word, or two capitalised
	// words in a row ("Jane Doe"). A heuristic for a warning, not for removal.
	namePattern = regexp.MustCompile(`\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+[A-Z][a-z]+|\b[A-Z][a-z]+\s+[A-Z][a-z]+\b`)
)

// minPhoneDigits is the fewest digits a phone number has; shorter runs are
// years, counts or amounts.
const minPhoneDigits = 7

// Scrub replaces e-mail addresses, URLs, phone numbers and @-handles in a
// comment with placeholders, before it is stored. It repeats until nothing
// changes, since a replacement can expose a match next to it ("@a@b").
func Scrub(text string) string {
	for range 8 {
		next := scrubOnce(text)
		if next == text {
			break
		}
		text = next
	}
	return text
}

func scrubOnce(text string) string {
	text = emailPattern.ReplaceAllString(text, EmailPlaceholder)
	text = urlPattern.ReplaceAllString(text, URLPlaceholder)
	text = handlePattern.ReplaceAllString(text, "${1}"+HandlePlaceholder)
	text = phonePattern.ReplaceAllStringFunc(text, func(m string) string {
		if countDigits(m) < minPhoneDigits {
			return m
		}
		return PhonePlaceholder
	})
	return text
}

// LooksIdentifying reports whether text holds contact details that Scrub
// would remove, or seems to name a person. The employee page applies the same
// rules to warn before submitting.
func LooksIdentifying(text string) bool {
	return Scrub(text) != text || namePattern.MatchString(text)
}

func countDigits(s string) int {
	return len(s) - len(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}, s))
}
