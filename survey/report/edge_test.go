package report

import (
	"context"
	"testing"

	"github.com/allypulse/allypulse/survey"
)

// Empty waves, surveys without demographics and surveys without
// competencies release suppressed cells, never a panic.
func TestEdgeCases(t *testing.T) {
	ctx := context.Background()
	designs := map[string]survey.Design{
		"attack":          attackDesign(),
		"no demographics": {Items: []string{"belonging.1", "voice.1", "outcome.enps"}},
		"no competencies": {Items: []string{"barrier.penalty", "access.mentor"},
			Demographics: []survey.Demographic{{Key: "dept", Label: "Department", Options: []string{"Sales", survey.PreferNotToSay}}}},
	}
	for name, d := range designs {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, "sqlite", d)
			var by string
			if len(d.Demographics) > 0 {
				by = d.Demographics[0].Key
			}
			check := func() {
				t.Helper()
				r := f.release(Query{By: by})
				if !r.Respondents.Suppressed && r.Respondents.N < 5 {
					t.Errorf("respondents %+v", r.Respondents)
				}
				if _, err := f.engine.Heatmap(ctx, f.sv.ID, Query{By: by}); err != nil {
					t.Fatal(err)
				}
				if _, err := f.engine.Gaps(ctx, f.sv.ID, Query{By: by}); err != nil {
					t.Fatal(err)
				}
				if _, err := f.engine.Behaviours(ctx, f.sv.ID, Query{}); err != nil {
					t.Fatal(err)
				}
				if _, err := f.engine.Trend(ctx, f.sv.ID, Query{By: by}); err != nil {
					t.Fatal(err)
				}
				if _, err := f.engine.Comments(ctx, f.sv.ID, Query{}); err != nil {
					t.Fatal(err)
				}
			}
			check() // no responses at all
			var pop []person
			for i := 0; i < 40; i++ {
				p := person{demo: map[string]string{}, answers: map[string]int{}}
				for _, key := range d.Items {
					p.answers[key] = 1 + i%5
				}
				if len(d.Demographics) > 0 {
					p.demo[d.Demographics[0].Key] = d.Demographics[0].Options[i%2]
				}
				pop = append(pop, p)
			}
			f.add(f.wave, pop...)
			f.closeWave(f.wave)
			check()
		})
	}
}
