package xlsx_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
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

// engineViews asks the engine for every view the workbook must agree with.
func engineViews(t *testing.T, e *report.Engine, sv survey.Survey, wave int, dims []string, comments bool) xlsxtest.Views {
	t.Helper()
	ctx := context.Background()
	v := xlsxtest.Views{Design: sv.Design}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	o, err := e.Release(ctx, sv.ID, report.Query{Wave: wave})
	must(err)
	v.Overall = *o
	for _, d := range dims {
		q := report.Query{Wave: wave, By: d}
		r, err := e.Release(ctx, sv.ID, q)
		must(err)
		h, err := e.Heatmap(ctx, sv.ID, q)
		must(err)
		g, err := e.Gaps(ctx, sv.ID, q)
		must(err)
		v.Breakdowns, v.Heatmaps, v.Gaps = append(v.Breakdowns, *r), append(v.Heatmaps, *h), append(v.Gaps, *g)
	}
	b, err := e.Behaviours(ctx, sv.ID, report.Query{Wave: wave})
	must(err)
	v.Behaviours = *b
	tr, err := e.Trend(ctx, sv.ID, report.Query{})
	must(err)
	v.Trend = *tr
	if comments {
		v.Comments, err = e.Comments(ctx, sv.ID, report.Query{Wave: wave})
		must(err)
	}
	return v
}

// TestWorkbookFromEngine builds the workbook from a real engine over a
// seeded database and checks every number against the engine's released
// views, the hygiene rules and the hostile comments; under CI (or with
// LibreOffice installed) it also checks LibreOffice's reading of the file.
func TestWorkbookFromEngine(t *testing.T) {
	for _, dialect := range []string{db.SQLite, db.Postgres} {
		// LibreOffice reads the same bytes whatever the database; once is enough.
		t.Run(dialect, func(t *testing.T) { testWorkbookFromEngine(t, testtools.OpenDB(t, dialect), dialect == db.SQLite) })
	}
}

func testWorkbookFromEngine(t *testing.T, d *db.DB, libreOffice bool) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	seed := xlsxtest.Seed(t, d, now, xlsxtest.Spec{Responses: []int{160, 200, 240}, Comments: xlsxtest.HostileComments, Seed: 1})
	store := survey.NewStore(d.Gorm)
	e := report.New(store, kernel.ClockFunc(func() time.Time { return now }))
	ctx := context.Background()
	dims := []string{"department", "gender"}
	in, err := xlsx.Collect(ctx, e, store, xlsx.Request{SurveyID: seed.Survey.ID, Wave: 3, By: dims, Comments: true})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := xlsx.Build(&buf, in, now); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	views := engineViews(t, e, seed.Survey, 3, dims, true)
	for _, problem := range xlsxtest.Compare(xlsxtest.MustRead(t, data), views) {
		t.Error(problem)
	}
	suppressed := 0
	for _, h := range views.Heatmaps {
		for _, g := range h.Groups {
			if g.Count.Suppressed {
				suppressed++
			}
		}
	}
	if suppressed == 0 {
		t.Errorf("the seeded data should hold a suppressed group")
	}
	rep, err := xlsxtest.Check(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range rep.Violations {
		t.Error(v)
	}
	if !libreOffice {
		return
	}
	path := filepath.Join(t.TempDir(), "report.xlsx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	lo := xlsxtest.Grid(testtools.XLSXToCSV(t, path))
	for _, problem := range xlsxtest.Compare(lo, views) {
		t.Error("LibreOffice: " + problem)
	}
}
