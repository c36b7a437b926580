package xlsx

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestNeutralise(t *testing.T) {
	cases := []struct{ in, want string }{
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{`+cmd|' /C calc'!A0`, `'+cmd|' /C calc'!A0`},
		{`@SUM(1+1)`, `'@SUM(1+1)`},
		{`-2+3`, `'-2+3`},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"\tplain", "'\tplain"},
		{"\rplain", "'\rplain"},
		// Fullwidth and small forms of the signs.
		{"＝1+1", "'＝1+1"},
		{"＋cmd", "'＋cmd"},
		{"－2+3", "'－2+3"},
		{"＠SUM(A1)", "'＠SUM(A1)"},
		{"﹦1+1", "'﹦1+1"},
		// White space and invisible characters before a sign.
		{" =1", "' =1"},
		{"   +1+1", "'   +1+1"},
		{"\n=1+1", "'\n=1+1"},
		{"\u00a0=1+1", "'\u00a0=1+1"},
		{"\u3000＝1+1", "'\u3000＝1+1"},
		{"\u200b=1+1", "'\u200b=1+1"},
		{"\ufeff=1+1", "'\ufeff=1+1"},
		{"", ""},
		{"   ", "   "},
		{"Great team", "Great team"},
		{" Great team", " Great team"},
		{"a=b", "a=b"},
		{"'already", "'already"},
		{"'=already", "'=already"},
	}
	for _, c := range cases {
		if got := Neutralise(c.in); got != c.want {
			t.Errorf("Neutralise(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// startsLikeFormula reports whether s, read the way a forgiving spreadsheet
// program would (leading white space and invisible characters skipped),
// starts with a formula sign, or starts with tab or CR.
func startsLikeFormula(s string) bool {
	if strings.HasPrefix(s, "\t") || strings.HasPrefix(s, "\r") {
		return true
	}
	v := strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) })
	r, _ := utf8.DecodeRuneInString(v)
	return strings.ContainsRune(formulaSigns, r)
}

func FuzzNeutralise(f *testing.F) {
	for _, s := range []string{"=1", "+1", "-1", "@x", "\tx", "\rx", "plain", "", " =1", "＝1", "\u200b@x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Neutralise(s)
		if startsLikeFormula(s) && !strings.HasPrefix(got, "'") {
			t.Fatalf("Neutralise(%q) = %q still reads as a formula", s, got)
		}
		if got != s && got != "'"+s {
			t.Fatalf("Neutralise(%q) = %q changed more than a leading apostrophe", s, got)
		}
	})
}
