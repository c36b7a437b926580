package frontend_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/frontend"
	"github.com/allypulse/allypulse/survey/framework"
)

// TestDashboardModulesKeepTheCSP checks that the dashboard's modules set no
// inline style and build no markup from strings: the Content-Security-Policy
// forbids inline styles, and respondent text must only ever be inserted as
// text.
func TestDashboardModulesKeepTheCSP(t *testing.T) {
	forbidden := regexp.MustCompile(`\bstyle\s*[=:]|\.style\b|'style'|innerHTML|outerHTML|insertAdjacentHTML|document\.write`)
	files := []string{"static/pages/results.js"}
	sub, err := fs.Glob(frontend.Files, "static/pages/results/*.js")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, sub...)
	if len(sub) < 8 {
		t.Fatalf("found %d dashboard modules; want the tabs and their helpers", len(sub))
	}
	for _, name := range files {
		b, err := fs.ReadFile(frontend.Files, name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if forbidden.MatchString(line) {
				t.Errorf("%s:%d: %s", name, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// TestBehavioursExplainTheirScale checks that the behaviours tab names the
// favourable answers with the labels respondents saw.
func TestBehavioursExplainTheirScale(t *testing.T) {
	sc, ok := framework.BuiltIn().Scale(framework.ScaleFrequency)
	if !ok {
		t.Fatal("no frequency scale")
	}
	var fav []string
	for _, p := range sc.Points {
		if p.Value >= sc.FavourableMin {
			fav = append(fav, strings.ToLower(p.Label))
		}
	}
	b, err := fs.ReadFile(frontend.Files, "static/pages/results/behaviours.js")
	if err != nil {
		t.Fatal(err)
	}
	if want := "did this " + strings.Join(fav, " or "); !strings.Contains(string(b), want) {
		t.Errorf("behaviours.js lacks %q", want)
	}
}
