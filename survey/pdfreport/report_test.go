package pdfreport_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/pdfreport"
	"github.com/allypulse/allypulse/survey/report"
	"github.com/allypulse/allypulse/survey/xlsx"
	"github.com/allypulse/allypulse/survey/xlsx/xlsxtest"
)

// TestReportReadByPoppler builds the PDF from a real engine's released
// views and reads it back with pdftotext: the headline numbers and the
// flagged gaps, largest first, as released; the same release gives the
// same bytes.
func TestReportReadByPoppler(t *testing.T) {
	d := testtools.OpenDB(t, db.SQLite)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	seed := xlsxtest.Seed(t, d, now, xlsxtest.Spec{Responses: []int{160, 200, 240}, Seed: 1})
	store := survey.NewStore(d.Gorm)
	e := report.New(store, kernel.ClockFunc(func() time.Time { return now }))
	in, err := xlsx.Collect(context.Background(), e, store, xlsx.Request{SurveyID: seed.Survey.ID, Wave: 3, By: []string{"department", "location", "gender"}})
	if err != nil {
		t.Fatal(err)
	}
	in.Plans = []xlsx.Plan{{Title: "Belonging in Sales", About: "Gap for Sales", Wave: 3,
		Actions: []xlsx.PlanAction{{Title: "Sponsor two people", Owner: "Dana Lead", Due: "2026-10-01", Status: "In progress"}}}}
	var one, two bytes.Buffer
	if err := pdfreport.Build(&one, in, now); err != nil {
		t.Fatal(err)
	}
	if err := pdfreport.Build(&two, in, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one.Bytes(), two.Bytes()) {
		t.Errorf("the same release gave different PDFs")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, one.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	text := testtools.PDFText(t, path)
	o := in.Overall
	want := []string{
		seed.Survey.Title, "wave 3 (closed, final results)",
		fmt.Sprintf("Inclusion index (0-100) %.1f %d", *o.Index.Overall.Score, o.Index.Overall.N),
		fmt.Sprintf("eNPS (-100 to 100) %+.1f %d", *o.ENPS.Overall.Value, o.ENPS.Overall.N),
		fmt.Sprintf("Responses %d", o.Respondents.N),
		"Belonging in Sales", "Sponsor two people: In progress, owner Dana Lead, due 2026-10-01",
	}
	gaps := xlsx.FlaggedGaps(in)
	if len(gaps) == 0 {
		t.Fatal("the seeded data should hold a flagged gap")
	}
	for _, g := range gaps[:min(8, len(gaps))] {
		c := g.Cell
		want = append(want, fmt.Sprintf("%s %+.1f %+.1f %+.1f", g.Label(), *c.Value, *c.Low, *c.High))
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, w := range want {
		if !strings.Contains(flat, w) {
			t.Errorf("the PDF lacks %q:\n%s", w, text)
		}
	}
	if len(gaps) > 1 && strings.Index(flat, gaps[0].Label()) > strings.Index(flat, gaps[1].Label()) {
		t.Errorf("the largest gap is not listed first:\n%s", text)
	}
	if strings.Index(flat, "Largest flagged gaps") > strings.Index(flat, "Headline") {
		t.Errorf("the report does not lead with the flagged gaps:\n%s", text)
	}
}
