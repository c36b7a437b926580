package xlsx_test

import (
	"context"
	"io"
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

// BenchmarkBuild100k times the workbook alone (xlsx.Build), from the
// released views of a 100,000-response wave broken down by three
// dimensions; BenchmarkReportXLSX100k in api times the whole download.
//
//	go test ./survey/xlsx/ -run '^$' -bench Build100k -benchmem
func BenchmarkBuild100k(b *testing.B) {
	d := testtools.OpenDB(b, db.SQLite)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	seed := xlsxtest.Seed(b, d, now, xlsxtest.Spec{Responses: []int{100000}, Comments: xlsxtest.HostileComments, Seed: 3})
	store := survey.NewStore(d.Gorm)
	e := report.New(store, kernel.ClockFunc(func() time.Time { return now }))
	in, err := xlsx.Collect(context.Background(), e, store, xlsx.Request{SurveyID: seed.Survey.ID,
		By: []string{"department", "location", "gender"}, Comments: true})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := xlsx.Build(io.Discard, in, now); err != nil {
			b.Fatal(err)
		}
	}
}
