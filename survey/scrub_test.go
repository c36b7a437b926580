package survey

import (
	"strings"
	"testing"
)

func TestScrub(t *testing.T) {
	cases := []struct{ in, want string }{
		{"mail jane.doe+x@corp.example.co.uk now", "mail " + EmailPlaceholder + " now"},
		{"see https://intranet.example.com/p?id=4 please", "see " + URLPlaceholder + " please"},
		{"visit www.example.org", "visit " + URLPlaceholder},
		{"my profile linkedin.com/in/someone", "my profile " + URLPlaceholder},
		{"call +44 20 7946 0958 today", "call " + PhonePlaceholder + " today"},
		{"call (555) 123-4567", "call " + PhonePlaceholder},
		{"ping @jdoe on chat", "ping " + HandlePlaceholder + " on chat"},
		{"@jdoe said", HandlePlaceholder + " said"},
		{"in 2024 we grew 15% across 3 teams", "in 2024 we grew 15% across 3 teams"},
		{"my manager is supportive", "my manager is supportive"},
	}
	for _, c := range cases {
		if got := Scrub(c.in); got != c.want {
			t.Errorf("Scrub(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLooksIdentifying(t *testing.T) {
	for text, want := range map[string]bool{
		"My manager John Smith ignores me":   true,
		"Dr. Patel was great":                true,
		"write to a@b.io":                    true,
		"The team is kind and meetings help": false,
		"I feel included.":                   false,
	} {
		if got := LooksIdentifying(text); got != want {
			t.Errorf("LooksIdentifying(%q) = %v", text, got)
		}
	}
}

// FuzzScrub checks that scrubbed text keeps no e-mail address and that
// scrubbing is stable.
func FuzzScrub(f *testing.F) {
	for _, s := range []string{"a@b.co", "+1 (555) 123 4567", "https://x.y/z", "@handle", "plain text", "ünïcödé 12345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Scrub(s)
		if emailPattern.MatchString(out) {
			t.Errorf("e-mail left in %q", out)
		}
		if again := Scrub(out); again != out {
			t.Errorf("not stable: %q then %q", out, again)
		}
		_ = LooksIdentifying(s)
		if strings.Count(out, EmailPlaceholder) < strings.Count(s, EmailPlaceholder) {
			t.Errorf("placeholder lost")
		}
	})
}
