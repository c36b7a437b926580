package report

import (
	"context"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
)

// A custom competency item on the 0–10 scale (which the item form accepts)
// does not enter the competency's 0–100 score, defined on 1–5 answers: it
// was averaged in raw, so ten 5s and ten 10s scored 162.5. It is reported as
// an item with its own favourable share and net score.
func TestCompetencyScoresOnlyFivePointItems(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "sqlite", survey.Design{Items: []string{"belonging.1", "belonging.nps"}})
	_, err := f.store.AddCustomItem(ctx, survey.CustomItemInput{Key: "belonging.nps", Text: "How likely are you to recommend your team to a friend?",
		Scale: "nps11", Construct: "belonging", Source: "own"}, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	f.engine = New(f.store, kernel.ClockFunc(func() time.Time { return f.now }), WithFramework(f.store.Framework))
	var pop []person
	for i := 0; i < 12; i++ {
		pop = append(pop, person{demo: map[string]string{}, answers: map[string]int{"belonging.1": 4 + i%2, "belonging.nps": 10}})
	}
	f.add(f.wave, pop...)
	f.closeWave(f.wave)
	r := f.release(Query{})
	if len(r.Competencies) != 1 {
		t.Fatalf("competencies %+v", r.Competencies)
	}
	b := r.Competencies[0].Overall
	// Six 4s and six 5s: mean 4.5, score (4.5 − 1) / 4 × 100 = 87.5; 12 answers, all favourable.
	near(t, "belonging score", b.Score, 87.5, 1e-12)
	near(t, "belonging favourable", b.Favourable, 1, 0)
	if b.Answers != 12 {
		t.Errorf("belonging pooled %d answers, want 12 (the 1–5 item only)", b.Answers)
	}
	near(t, "index", r.Index.Overall.Score, 87.5, 1e-12)
	nps := itemRow(t, r, "belonging.nps").Overall
	near(t, "custom 0–10 item net score", nps.Value, 100, 1e-12)
	near(t, "custom 0–10 item promoters", nps.Favourable, 1, 0)
}
