package survey

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzScrub checks that Scrub never panics, returns valid UTF-8, leaves no
// plain e-mail address, keeps the placeholders already there and is stable:
// scrubbing scrubbed text changes nothing.
func FuzzScrub(f *testing.F) {
	for _, s := range []string{
		"a@b.co", "+1 (555) 123 4567", "https://x.y/z", "@handle", "plain text", "ünïcödé 12345678",
		"jane dot doe at example dot com", "j a n e @ e x a m p l e . c o m", "jane＠example．com",
		"jean arobase exemple point fr", "zero seven seven zero zero nine zero zero", "www example com",
		"@ jane_doe", "chez nous point de vue", "\xff\xfe@x.com", "e\u0301\u200b@a.io",
	} {
		f.Add(s)
	}
	placeholders := []string{EmailPlaceholder, URLPlaceholder, PhonePlaceholder, HandlePlaceholder}
	f.Fuzz(func(t *testing.T, s string) {
		out := Scrub(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Scrub(%q) = %q, not valid UTF-8", s, out)
		}
		if again := Scrub(out); again != out {
			t.Fatalf("not stable: %q gave %q, then %q", s, out, again)
		}
		if plainEmailPattern.MatchString(newView(out).text) {
			t.Errorf("e-mail left in %q", out)
		}
		for _, ph := range placeholders {
			if strings.Count(out, ph) < strings.Count(s, ph) {
				t.Errorf("placeholder %q lost: %q gave %q", ph, s, out)
			}
		}
		_ = LooksIdentifying(s)
	})
}
