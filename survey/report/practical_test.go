package report

import (
	"context"
	"testing"

	"github.com/allypulse/allypulse/survey"
)

// A practical minimum of 0 points is a valid survey setting: every gap
// whose interval excludes 0 is flagged, and the release reports 0 rather
// than the default 5. Sales 1560/3000 favourable against Engineering
// 1440/3000: d = 4 points, Newcombe [1.4697, 6.5230] (python3, docs/statistics.md).
func TestPracticalMinimumZeroIsKept(t *testing.T) {
	for _, points := range []float64{0, 5} {
		f := newFixture(t, "sqlite", attackDesign())
		f.sv.PracticalGapPoints = points
		if err := f.store.UpdateSurvey(context.Background(), f.sv, survey.StatusLaunched); err != nil {
			t.Fatal(err)
		}
		f.add(f.wave, concat(grp(1560, 4, "dept", "Sales"), grp(1440, 2, "dept", "Sales"),
			grp(1440, 4, "dept", "Engineering"), grp(1560, 2, "dept", "Engineering"))...)
		f.closeWave(f.wave)
		r := f.release(Query{By: "dept"})
		if r.Thresholds.PracticalGapPoints != points {
			t.Errorf("practical minimum %v released as %v", points, r.Thresholds.PracticalGapPoints)
		}
		for _, g := range r.Gaps {
			if g.Key != "voice" {
				continue
			}
			sales := g.Groups[0]
			// [1.4697…, 6.5230…] at full precision, where the flag is decided.
			exactly(t, "gap", sales.Value, 4)
			exactly(t, "gap low", sales.Low, 1.5)
			exactly(t, "gap high", sales.High, 6.5)
			if want := points == 0; sales.Flagged != want {
				t.Errorf("practical minimum %v: 4-point gap flagged %v, want %v", points, sales.Flagged, want)
			}
		}
	}
}
