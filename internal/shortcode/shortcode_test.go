package shortcode

import (
	"errors"
	"strings"
	"testing"
)

func TestNewParsesBack(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := New()
		if len(c) != Length {
			t.Fatalf("len(%q) = %d", c, len(c))
		}
		got, err := Parse(strings.ToLower(Format(c)))
		if err != nil || got != c {
			t.Fatalf("Parse(Format(%q)) = %q, %v", c, got, err)
		}
		if seen[c] {
			t.Fatalf("duplicate %q", c)
		}
		seen[c] = true
	}
}

func TestParseForgivesAndRefuses(t *testing.T) {
	c := New()
	// O, I and L read as 0 and 1.
	typed := strings.NewReplacer("0", "o", "1", "l").Replace(Format(c))
	if got, err := Parse(" " + typed + " "); err != nil || got != c {
		t.Fatalf("Parse(%q) = %q, %v; want %q", typed, got, err, c)
	}
	for _, tc := range []struct {
		in   string
		want error
	}{
		{"", ErrLength},
		{"ABCD", ErrLength},
		{c + "0", ErrLength},
		{c[:12] + "U", ErrAlphabet},
		{c[:12] + "!", ErrAlphabet},
		{c[:12] + "é", ErrAlphabet},
	} {
		if _, err := Parse(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("Parse(%q) = %v, want %v", tc.in, err, tc.want)
		}
	}
}

// Every single substitution and every swap of two characters is caught.
func TestCheckCatchesTypos(t *testing.T) {
	for range 200 {
		c := New()
		for i := range Length {
			for _, r := range alphabet {
				if byte(r) == c[i] {
					continue
				}
				typo := c[:i] + string(r) + c[i+1:]
				if _, err := Parse(typo); !errors.Is(err, ErrTypo) {
					t.Fatalf("substitution %q → %q: %v", c, typo, err)
				}
			}
			for j := i + 1; j < Length; j++ {
				if c[i] == c[j] {
					continue
				}
				b := []byte(c)
				b[i], b[j] = b[j], b[i]
				if _, err := Parse(string(b)); !errors.Is(err, ErrTypo) {
					t.Fatalf("swap %q → %q: %v", c, b, err)
				}
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{New(), Format(New()), "", "0000-0000-0000-0", "ilo-ILO", "ü", strings.Repeat("Z", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s)
		if err != nil {
			if got != "" {
				t.Fatalf("error with a value: %q", got)
			}
			return
		}
		if len(got) != Length || strings.Trim(got, alphabet) != "" {
			t.Fatalf("Parse(%q) = %q", s, got)
		}
		again, err := Parse(Format(got))
		if err != nil || again != got {
			t.Fatalf("canonical form does not parse back: %q %v", again, err)
		}
	})
}
