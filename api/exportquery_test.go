package api

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/kernel"
)

func TestParseExportQuery(t *testing.T) {
	ok := []struct {
		raw  string
		max  int
		wave int
		by   string
	}{
		{"", 8, 0, ""},
		{"wave=3", 8, 3, ""},
		{"wave=2&by=dept", 1, 2, "dept"},
		{"by=dept,loc", 8, 0, "dept|loc"},
		{"by=", 8, 0, ""},
	}
	for _, c := range ok {
		v, _ := url.ParseQuery(c.raw)
		q, err := parseExportQuery(v, c.max)
		if err != nil || q.Wave != c.wave || strings.Join(q.By, "|") != c.by {
			t.Errorf("%q: got %+v, %v", c.raw, q, err)
		}
	}
	refused := map[string]string{
		"wave=0": "wave", "wave=-1": "wave", "wave=x": "wave", "wave=1&wave=2": "wave", "wave=01": "wave",
		"wave=+1": "wave", "by=a&by=b": "by", "by=a,": "by", "by=a,a": "by", "by=a,b": "by",
		"filter=dept:Sales": "filter", "from=2026-01-01": "from",
	}
	for raw, field := range refused {
		v, _ := url.ParseQuery(raw)
		_, err := parseExportQuery(v, 1)
		var qe *kernel.QueryError
		if !errors.As(err, &qe) || qe.Field != field {
			t.Errorf("%q: want a query error on %s, got %v", raw, field, err)
		}
	}
}

func TestExportFilename(t *testing.T) {
	cases := map[string]string{
		"Inclusion Pulse 2026":      "inclusion-pulse-2026-wave-3.xlsx",
		"  ../../etc/passwd":        "etc-passwd-wave-3.xlsx",
		"Ünïcode only ☃":            "n-code-only-wave-3.xlsx",
		"":                          "survey-wave-3.xlsx",
		"\"quoted\"; filename=evil": "quoted-filename-evil-wave-3.xlsx",
	}
	for title, want := range cases {
		if got := exportFilename(title, 3, "xlsx"); got != want {
			t.Errorf("exportFilename(%q) = %q, want %q", title, got, want)
		}
	}
}

var safeFilename = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*-wave-[0-9]+\.(xlsx|csv)$`)

func FuzzParseExportQuery(f *testing.F) {
	for _, s := range []string{"wave=1&by=dept", "by=a,b,c", "wave=99999999999", "by=,", "wave=1&wave=1", "x=1", "by=%00"} {
		f.Add(s, 8)
	}
	f.Fuzz(func(t *testing.T, raw string, max int) {
		if max < 1 || max > maxExportDimensions {
			max = maxExportDimensions
		}
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := parseExportQuery(v, max)
		if err != nil {
			var qe *kernel.QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("%q: error %v is not a query error", raw, err)
			}
			return
		}
		if q.Wave < 0 || q.Wave > 100000 || len(q.By) > max {
			t.Fatalf("%q: accepted %+v", raw, q)
		}
		seen := map[string]bool{}
		for _, d := range q.By {
			if d == "" || seen[d] || strings.Contains(d, ",") {
				t.Fatalf("%q: bad dimension list %q", raw, q.By)
			}
			seen[d] = true
		}
		if name := exportFilename(raw, q.Wave+1, "csv"); !safeFilename.MatchString(name) {
			t.Fatalf("unsafe file name %q", name)
		}
	})
}
