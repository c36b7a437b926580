package survey_test

import (
	"slices"
	"testing"

	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
)

func TestWaveItemsRotationCoversEveryCompetency(t *testing.T) {
	fw := framework.BuiltIn()
	items := []string{
		"belonging.1", "belonging.2", "belonging.3", "voice.1", "voice.2", "fairness.1", "fairness.2",
		"decisions.1", "decisions.2", "courage.1", "courage.2", "outcome.enps", "outcome.stay",
	}
	for _, r := range []survey.Rotation{{ItemsPerWave: 3, CoverEvery: 2}, {ItemsPerWave: 5, CoverEvery: 1}, {ItemsPerWave: 2, CoverEvery: 3}} {
		d := survey.Design{Items: items, Rotation: &r}
		lastSeen := map[string]int{}
		askedEver := map[string]bool{}
		const waves = 24
		for n := 1; n <= waves; n++ {
			got := survey.WaveItems(d, n, fw)
			if !slices.Equal(got, survey.WaveItems(d, n, fw)) {
				t.Fatalf("%+v wave %d: not deterministic", r, n)
			}
			competencyItems := 0
			prev := -1
			for _, k := range got {
				i := slices.Index(items, k)
				if i <= prev {
					t.Fatalf("%+v wave %d: %q out of design order in %q", r, n, k, got)
				}
				prev = i
				it, _ := fw.Item(k)
				if c, _ := fw.Construct(it.Construct); c.Kind == framework.KindCompetency {
					competencyItems++
					lastSeen[it.Construct] = n
				}
				askedEver[k] = true
			}
			if competencyItems != r.ItemsPerWave {
				t.Errorf("%+v wave %d: %d competency items, want %d", r, n, competencyItems, r.ItemsPerWave)
			}
			for _, k := range []string{"outcome.enps", "outcome.stay"} {
				if !slices.Contains(got, k) {
					t.Errorf("%+v wave %d: non-competency item %s not asked", r, n, k)
				}
			}
			for _, c := range []string{"belonging", "voice", "fairness", "decisions", "courage"} {
				if n-lastSeen[c] >= r.CoverEvery {
					t.Errorf("%+v wave %d: %s last asked in wave %d, want every %d waves", r, n, c, lastSeen[c], r.CoverEvery)
				}
			}
		}
		for _, k := range items {
			if !askedEver[k] {
				t.Errorf("%+v: item %s never asked in %d waves", r, k, waves)
			}
		}
	}
}

func TestWaveItemsWithoutRotation(t *testing.T) {
	d := survey.Design{Items: []string{"belonging.1", "outcome.enps"}}
	if got := survey.WaveItems(d, 7, framework.BuiltIn()); !slices.Equal(got, d.Items) {
		t.Errorf("items = %q", got)
	}
}

// TestWaveItemsRotationIsEven: a pulse asking one competency item per wave
// with a generous cover_every still goes round all competencies in turn, so
// none waits for the limit while others come back early.
func TestWaveItemsRotationIsEven(t *testing.T) {
	fw := framework.BuiltIn()
	var items []string
	for _, c := range []string{"belonging", "authenticity", "voice", "fairness", "decisions", "awareness", "courage"} {
		items = append(items, c+".1", c+".2")
	}
	d := survey.Design{Items: items, Rotation: &survey.Rotation{ItemsPerWave: 1, CoverEvery: 12}}
	lastSeen := map[string]int{}
	for n := 1; n <= 36; n++ {
		got := survey.WaveItems(d, n, fw)
		if len(got) != 1 {
			t.Fatalf("wave %d asks %q, want one item", n, got)
		}
		it, _ := fw.Item(got[0])
		if last, ok := lastSeen[it.Construct]; ok && n-last != 7 {
			t.Errorf("wave %d asks %s again after %d waves, want every 7 (seven competencies, one a wave)", n, it.Construct, n-last)
		}
		lastSeen[it.Construct] = n
	}
	if len(lastSeen) != 7 {
		t.Errorf("competencies asked: %v, want all seven", lastSeen)
	}
}
