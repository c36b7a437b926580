package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/survey/heard"
	"github.com/allypulse/allypulse/survey/report"
	"github.com/allypulse/allypulse/survey/xlsx/xlsxtest"
)

// TestWhatWeHeard publishes a closed wave's page and reads it without
// signing in: it holds exactly the chosen numbers, each equal to the
// released cell, and the chosen focus area without owners or notes.
func TestWhatWeHeard(t *testing.T) {
	h := newExportHarnessSpec(t, xlsxtest.Spec{Responses: []int{150, 170}, OpenLast: true})
	rec := h.send(h.lead, "POST", h.path("plans"), `{"wave": 1, "source": {"kind": "competency", "metric": "voice"}, "title": "Speak up safely", "notes": "internal note"}`)
	wantCode(t, rec, http.StatusCreated, "focus area")
	f := decodeBody[focusJSON](t, rec.Body.Bytes())
	wantCode(t, h.send(h.lead, "POST", h.path("plans/"+f.ID+"/actions"), `{"title": "Retrospectives without blame", "notes": "secret"}`), http.StatusCreated, "action")

	body := `{"message": "Thank you.", "metrics": ["index", "respondents", "voice"], "focus_ids": ["` + f.ID + `"]}`
	wantCode(t, h.send(h.exec, "PUT", h.path("waves/1/heard"), body), http.StatusForbidden, "executive publishes")
	wantCode(t, h.send(h.lead, "PUT", h.path("waves/2/heard"), body), http.StatusConflict, "publishing an open wave")
	wantField(t, h.send(h.lead, "PUT", h.path("waves/1/heard"), `{"metrics": ["index", "gender"]}`), "metrics[1]", "unknown metric")
	wantField(t, h.send(h.lead, "PUT", h.path("waves/1/heard"), `{"metrics": []}`), "metrics", "no metric")
	wantField(t, h.send(h.lead, "PUT", h.path("waves/1/heard"), `{"metrics": ["index"], "focus_ids": ["x"]}`), "focus_ids[0]", "unknown focus area")
	rec = h.send(h.lead, "PUT", h.path("waves/1/heard"), body)
	wantCode(t, rec, http.StatusOK, "publish")
	var pub heardJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &pub); err != nil {
		t.Fatal(err)
	}
	slug := pub.URL[strings.LastIndex(pub.URL, "/")+1:]
	if !strings.HasPrefix(pub.URL, "http://allypulse.test/heard/") || slug == "" {
		t.Fatalf("published at %q", pub.URL)
	}
	// Republishing keeps the link.
	rec = h.send(h.lead, "PUT", h.path("waves/1/heard"), body)
	if again := decodeBody[heardJSON](t, rec.Body.Bytes()); again.URL != pub.URL || again.Revision != 1 {
		t.Errorf("republished at %q revision %d, want %q revision 1", again.URL, again.Revision, pub.URL)
	}

	rec = h.get("", "/api/v1/heard/"+slug)
	wantCode(t, rec, http.StatusOK, "public page without sign-in")
	raw := rec.Body.String()
	for _, leak := range []string{"secret", "internal note", "owner", "lead@example.test"} {
		if strings.Contains(raw, leak) {
			t.Errorf("the public page shows %q: %s", leak, raw)
		}
	}
	page := decodeBody[heard.Public](t, rec.Body.Bytes())
	var rel report.Release
	h.getJSON(h.lead, h.path("results?wave=1"), &rel)
	if len(page.Numbers) != 3 {
		t.Fatalf("%d numbers, want the 3 chosen", len(page.Numbers))
	}
	for _, n := range page.Numbers {
		var want report.Cell
		switch n.Key {
		case "index":
			want = rel.Index.Overall
		case "respondents":
			want = report.Cell{N: rel.Respondents.N, Suppressed: rel.Respondents.Suppressed, Reason: rel.Respondents.Reason}
		case "voice":
			for _, c := range rel.Competencies {
				if c.Key == "voice" {
					want = c.Overall
				}
			}
		}
		if want = heard.Headline(want); !cellsEqual(n.Cell, want) {
			t.Errorf("%s: public %+v, released %+v", n.Key, n.Cell, want)
		}
	}
	if len(page.Focus) != 1 || len(page.Focus[0].Actions) != 1 {
		t.Errorf("focus areas %+v", page.Focus)
	}
	wantCode(t, h.get("", "/api/v1/heard/nope"), http.StatusNotFound, "unknown slug")
	rec = h.get("", "/heard/"+slug)
	wantCode(t, rec, http.StatusOK, "the public web page")
	if !strings.Contains(rec.Body.String(), "/static/heard.js") {
		t.Errorf("the page does not load heard.js")
	}
	// The survey's open wave carries the link for the employee page.
	var form struct {
		ResultsURL string `json:"results_url"`
	}
	h.getJSON("", "/api/v1/respond/"+h.seed.Waves[1].Slug, &form)
	if form.ResultsURL != pub.URL {
		t.Errorf("the next wave's form links to %q, want %q", form.ResultsURL, pub.URL)
	}
	wantCode(t, h.send(h.lead, "DELETE", h.path("waves/1/heard"), ``), http.StatusNoContent, "unpublish")
	wantCode(t, h.get("", "/api/v1/heard/"+slug), http.StatusNotFound, "unpublished page")
}
