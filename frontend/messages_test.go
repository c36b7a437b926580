package frontend

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestStaffMessagesExistInEnglish: every message id the staff app asks
// t() for is in the English catalog of static/messages.js, every plural
// message has an "other" form, and the forms of one message share their
// placeholders, so a catalog for another language can be checked the same
// way.
func TestStaffMessagesExistInEnglish(t *testing.T) {
	src, err := fs.ReadFile(Files, "static/messages.js")
	if err != nil {
		t.Fatal(err)
	}
	catalog := string(src)
	catalog = catalog[strings.Index(catalog, "const en = {"):strings.Index(catalog, "\n};\n")]
	entry := regexp.MustCompile(`(?m)^  '([a-z_.]+)': (?:'((?:[^'\\]|\\.)*)'|\{((?:[^{}]|\{\w+\})*)\})`)
	form := regexp.MustCompile(`(\w+): '((?:[^'\\]|\\.)*)'`)
	placeholder := regexp.MustCompile(`\{(\w+)\}`)
	names := func(s string) []string {
		var out []string
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	ids := map[string]bool{}
	for _, m := range entry.FindAllStringSubmatch(catalog, -1) {
		ids[m[1]] = true
		if m[3] == "" {
			continue
		}
		forms := map[string][]string{}
		for _, f := range form.FindAllStringSubmatch(m[3], -1) {
			forms[f[1]] = names(f[2])
		}
		other, ok := forms["other"]
		if !ok {
			t.Errorf("%s: plural message without an other form", m[1])
		}
		for cat, ph := range forms {
			if !slices.Equal(ph, other) && !(cat == "one" && slices.Equal(slices.DeleteFunc(slices.Clone(other), func(s string) bool { return s == "count" }), ph)) {
				t.Errorf("%s: form %s has placeholders %v, other has %v", m[1], cat, ph, other)
			}
		}
	}
	if len(ids) < 20 {
		t.Fatalf("read %d messages from the English catalog; the pattern is out of date", len(ids))
	}
	imports := regexp.MustCompile(`from '\.\.?/messages\.js'`)
	call := regexp.MustCompile(`\bt\('([a-z_.]+)'`)
	used := 0
	err = fs.WalkDir(Files, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".js") {
			return err
		}
		b, err := fs.ReadFile(Files, path)
		if err != nil || !imports.Match(b) {
			return err // the employee page has its own catalogs (internal/catalog)
		}
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			used++
			if !ids[m[1]] {
				t.Errorf("%s asks for message %q, which the English catalog lacks", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if used == 0 {
		t.Error("no t() call found")
	}
}
