package xlsx_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
	"github.com/allypulse/allypulse/survey/xlsx"
	"github.com/allypulse/allypulse/survey/xlsx/xlsxtest"
)

// TestSummaryLeadsWithFlaggedGaps: the Summary sheet's first table is the
// flagged gaps, largest first whatever their sign, without unflagged or
// withheld ones, with a bar chart over exactly those rows; it prints on one
// page.
func TestSummaryLeadsWithFlaggedGaps(t *testing.T) {
	in := fixture()
	dept := &in.Breakdowns[0]
	dept.Gaps = append(dept.Gaps, report.GapRow{Key: "voice", Name: "Voice", Kind: "competency", Groups: []report.Cell{
		{Value: f(-14.5), Low: f(-21), High: f(-8), Flagged: true}, {Value: f(6), Low: f(1), High: f(11), Flagged: true},
		{Suppressed: true, Reason: report.ReasonTooFew}, {Suppressed: true, Reason: report.ReasonSecondary}}})
	data := build(t, in)
	x := open(t, data)
	rows, _ := x.GetRows(xlsx.SheetSummary)
	head := atoi(t, rowOf(rows, "Flagged gap"))
	if head == 0 || head > 6 {
		t.Fatalf("the flagged gaps' header is on row %d, want one of the first rows:\n%q", head, rows)
	}
	if i := atoi(t, rowOf(rows, "Headline")); i < head {
		t.Errorf("the headline table (row %d) comes before the flagged gaps (row %d)", i, head)
	}
	want := [][]string{
		{"Voice, Department: Sales", "-14.5", "-21.0", "-8.0"},
		{"Belonging, Department: Sales", "+9.5", "+2.1", "+16.4"},
		{"Voice, Department: Ops", "+6.0", "+1.0", "+11.0"},
	}
	for i, w := range want {
		got := rows[head+i]
		if strings.Join(got[:min(4, len(got))], "|") != strings.Join(w, "|") {
			t.Errorf("flagged gap %d is %q, want %q", i+1, got, w)
		}
	}
	if next := rows[head+len(want)]; len(next) > 0 && strings.Contains(next[0], "Department") {
		t.Errorf("an unflagged gap is listed: %q", next)
	}
	var chart []byte
	for name, body := range parts(t, data) {
		if strings.HasPrefix(name, "xl/charts/chart") && bytes.Contains(body, []byte("Largest flagged gaps")) {
			chart = body
		}
	}
	ref := fmt.Sprintf("&#39;Summary&#39;!$B$%d:$B$%d", head+1, head+len(want))
	switch {
	case chart == nil:
		t.Errorf("no chart of the flagged gaps")
	case !bytes.Contains(chart, []byte(ref)):
		t.Errorf("the chart does not read %s:\n%s", ref, chart)
	}
	fit, err := x.GetPageLayout(xlsx.SheetSummary)
	if err != nil || fit.FitToWidth == nil || *fit.FitToWidth != 1 || fit.FitToHeight == nil || *fit.FitToHeight != 1 {
		t.Errorf("the Summary's page setup does not fit one page: %+v, %v", fit, err)
	}
}

// TestSummaryWithoutBreakdownSaysSo: with no breakdown asked for, the
// Summary says there are no groups to compare and draws no chart.
func TestSummaryWithoutBreakdownSaysSo(t *testing.T) {
	in := fixture()
	in.Breakdowns = nil
	data := build(t, in)
	rows, _ := open(t, data).GetRows(xlsx.SheetSummary)
	if rowOf(rows, "No breakdown was requested, so there are no groups to compare: choose dimensions on the Reports page.") == "0" {
		t.Errorf("no note on the missing breakdown:\n%q", rows)
	}
	for name := range parts(t, data) {
		if strings.HasPrefix(name, "xl/charts/chart") {
			if body := parts(t, data)[name]; bytes.Contains(body, []byte("Largest flagged gaps")) {
				t.Errorf("a gap chart without gaps")
			}
		}
	}
}

// TestSummaryPrintsOnOnePage prints the Summary sheet of a workbook built
// from a real engine with LibreOffice: one page, holding the flagged gaps
// as released.
func TestSummaryPrintsOnOnePage(t *testing.T) {
	d := testtools.OpenDB(t, db.SQLite)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	seed := xlsxtest.Seed(t, d, now, xlsxtest.Spec{Responses: []int{160, 200, 240}, Seed: 1})
	store := survey.NewStore(d.Gorm)
	e := report.New(store, kernel.ClockFunc(func() time.Time { return now }))
	in, err := xlsx.Collect(context.Background(), e, store, xlsx.Request{SurveyID: seed.Survey.ID, Wave: 3, By: []string{"department", "location", "gender"}})
	if err != nil {
		t.Fatal(err)
	}
	gaps := xlsx.FlaggedGaps(in)
	if len(gaps) == 0 {
		t.Fatal("the seeded data should hold a flagged gap")
	}
	var buf bytes.Buffer
	if err := xlsx.Build(&buf, in, now); err != nil {
		t.Fatal(err)
	}
	// Keep the first sheet only, as "print the active sheet" would.
	x := open(t, buf.Bytes())
	for _, name := range x.GetSheetList()[1:] {
		if err := x.DeleteSheet(name); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "summary.xlsx")
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	pdf := testtools.XLSXToPDF(t, path)
	if n := testtools.PDFPages(t, pdf); n != 1 {
		t.Errorf("LibreOffice prints the Summary on %d pages, want 1", n)
	}
	text := testtools.PDFText(t, pdf)
	for _, g := range gaps[:min(3, len(gaps))] {
		if !strings.Contains(text, g.Group) || !strings.Contains(text, fmt.Sprintf("%+.1f", *g.Cell.Value)) {
			t.Errorf("the printed Summary lacks the gap %s %+.1f:\n%s", g.Label(), *g.Cell.Value, text)
		}
	}
	if len(gaps) > 1 && strings.Index(text, fmt.Sprintf("%+.1f", *gaps[0].Cell.Value)) > strings.Index(text, "Headline") {
		t.Errorf("the largest gap is printed after the headline table:\n%s", text)
	}
}
