package api

import (
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey/report"
)

// TestReportPDF downloads the PDF report as an executive and reads it with
// poppler's pdftotext: the headline numbers and the flagged gaps, largest
// first, are the values the API releases; the file is private, no-store and
// its download audited.
func TestReportPDF(t *testing.T) {
	h := newExportHarness(t, 150, 190, 240)
	dims := []string{"department", "gender"}
	rec := h.get(h.exec, h.path("report.pdf?wave=3&by="+strings.Join(dims, ",")))
	wantCode(t, rec, http.StatusOK, "report.pdf")
	hd := rec.Header()
	if ct := hd.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := hd.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	if cd := hd.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=") || !strings.HasSuffix(cd, `-wave-3.pdf"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(testtools.PDFText(t, path)), " ")

	var rel report.Release
	h.getJSON(h.exec, h.path("results?wave=3"), &rel)
	idx, enps := rel.Index.Overall, rel.ENPS.Overall
	want := []string{
		fmt.Sprintf("Inclusion index (0-100) %.1f %d", *idx.Score, idx.N),
		fmt.Sprintf("eNPS (-100 to 100) %+.1f %d", *enps.Value, enps.N),
		fmt.Sprintf("Responses %d", rel.Respondents.N),
		"wave 3 (closed, final results)",
	}
	type gap struct {
		label string
		c     report.Cell
	}
	var flagged []gap
	for _, dim := range dims {
		var g report.Gaps
		h.getJSON(h.exec, h.path("gaps?wave=3&by="+dim), &g)
		d, _, _ := h.seed.Survey.Design.Demographic(dim)
		for _, r := range g.Rows {
			for i, c := range r.Groups {
				if !c.Suppressed && c.Value != nil && c.Flagged {
					flagged = append(flagged, gap{r.Name + ", " + d.Label + ": " + g.Groups[i].Option, c})
				}
			}
		}
	}
	if len(flagged) == 0 {
		t.Fatal("the seeded survey should hold a flagged gap")
	}
	sort.SliceStable(flagged, func(i, j int) bool { return math.Abs(*flagged[i].c.Value) > math.Abs(*flagged[j].c.Value) })
	for _, g := range flagged[:min(8, len(flagged))] {
		want = append(want, fmt.Sprintf("%s %+.1f %+.1f %+.1f", g.label, *g.c.Value, *g.c.Low, *g.c.High))
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF lacks %q:\n%s", w, text)
		}
	}
	if len(flagged) > 1 && strings.Index(text, flagged[0].label) > strings.Index(text, flagged[1].label) {
		t.Errorf("the largest flagged gap is not first:\n%s", text)
	}
	h.wantAudit("report.download", "pdf wave=3 by=department,gender")
}

// TestReportPDFRefusals: bad parameters are a 400 problem naming the
// parameter, as for the workbook; unknown surveys 404; no token 401.
func TestReportPDFRefusals(t *testing.T) {
	h := newExportHarness(t, 30)
	for query, field := range map[string]string{
		"wave=abc":                  "wave",
		"wave=0":                    "wave",
		"wave=1&wave=2":             "wave",
		"by=department,department":  "by",
		"by=department,,gender":     "by",
		"by=nope":                   "by",
		"filter=department:Sales":   "filter",
		"by=a,b,c,d,e,f,g,h,i":      "by",
		"by=department&by=location": "by",
	} {
		rec := h.get(h.lead, h.path("report.pdf?"+query))
		if rec.Code != http.StatusBadRequest || rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("?%s: %d %s, want a 400 problem", query, rec.Code, rec.Header().Get("Content-Type"))
			continue
		}
		p := decodeBody[Problem](t, rec.Body.Bytes())
		if len(p.Errors) != 1 || p.Errors[0].Field != field {
			t.Errorf("?%s: errors %+v, want one naming %s", query, p.Errors, field)
		}
	}
	for path, status := range map[string]int{
		h.path("report.pdf?wave=9"):       http.StatusNotFound,
		"/api/v1/surveys/nope/report.pdf": http.StatusNotFound,
	} {
		if rec := h.get(h.lead, path); rec.Code != status {
			t.Errorf("GET %s: %d, want %d", path, rec.Code, status)
		}
	}
	if rec := h.get("", h.path("report.pdf")); rec.Code != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", rec.Code)
	}
}
