package xlsx

import "testing"

func TestNeutralise(t *testing.T) {
	cases := []struct{ in, want string }{
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{`+cmd|' /C calc'!A0`, `'+cmd|' /C calc'!A0`},
		{`@SUM(1+1)`, `'@SUM(1+1)`},
		{`-2+3`, `'-2+3`},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"", ""},
		{"Great team", "Great team"},
		{"a=b", "a=b"},
		{" =1", " =1"},
		{"'already", "'already"},
	}
	for _, c := range cases {
		if got := Neutralise(c.in); got != c.want {
			t.Errorf("Neutralise(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzNeutralise(f *testing.F) {
	for _, s := range []string{"=1", "+1", "-1", "@x", "\tx", "\rx", "plain", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Neutralise(s)
		if got != "" && got[0] != '\'' && containsByte(formulaStarts, got[0]) {
			t.Fatalf("Neutralise(%q) = %q still starts with a formula sign", s, got)
		}
		if got != s && got != "'"+s {
			t.Fatalf("Neutralise(%q) = %q changed more than a leading apostrophe", s, got)
		}
	})
}

func containsByte(set string, b byte) bool {
	for i := 0; i < len(set); i++ {
		if set[i] == b {
			return true
		}
	}
	return false
}
