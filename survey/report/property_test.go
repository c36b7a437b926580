package report

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
)

// randomPopulation draws n respondents with random (sometimes missing)
// demographics and answers.
func randomPopulation(rng *rand.Rand, d survey.Design, n int) []person {
	out := make([]person, n)
	for i := range out {
		p := person{demo: map[string]string{}, answers: map[string]int{}}
		for _, dm := range d.Demographics {
			if g := rng.IntN(len(dm.Options) + 1); g < len(dm.Options) {
				p.demo[dm.Key] = dm.Options[min(g, rng.IntN(len(dm.Options)))]
			}
		}
		for _, key := range d.Items {
			if rng.IntN(8) == 0 {
				continue
			}
			if key == "outcome.enps" {
				p.answers[key] = rng.IntN(11)
			} else {
				p.answers[key] = 1 + rng.IntN(5)
			}
		}
		out[i] = p
	}
	return out
}

// allQueries lists every view of the lattice of d (and some it refuses).
func allQueries(d survey.Design) []Query {
	qs := []Query{{}}
	for _, b := range d.Demographics {
		qs = append(qs, Query{By: b.Key})
	}
	for _, fd := range d.Demographics {
		for _, opt := range fd.Options {
			qs = append(qs, Query{Filter: &Filter{fd.Key, opt}})
			for _, b := range d.Demographics {
				qs = append(qs, Query{By: b.Key, Filter: &Filter{fd.Key, opt}})
			}
		}
	}
	return qs
}

// Properties over random populations and every view: shares sum to 1,
// scores stay in 0–100, intervals contain their share, no shown n is below
// its threshold and a suppressed cell carries nothing but its flag and
// reason.
func TestReleaseProperties(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		f := newFixture(t, "sqlite", refDesign())
		f.add(f.wave, randomPopulation(rng, f.sv.Design, 60+rng.IntN(200))...)
		if seed%2 == 0 {
			f.closeWave(f.wave)
		}
		th := f.sv.Anonymity
		for _, q := range allQueries(f.sv.Design) {
			r, err := f.engine.Release(context.Background(), f.sv.ID, q)
			var qe *kernel.QueryError
			if errors.As(err, &qe) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			minN := th.MinGroupSize
			popMin := th.MinGroupSize
			if q.Filter != nil {
				if dm, _, _ := f.sv.Design.Demographic(q.Filter.Dimension); dm.Sensitive {
					popMin, minN = th.MinSensitiveGroupSize, th.MinSensitiveGroupSize
				}
			}
			if q.By != "" {
				if dm, _, _ := f.sv.Design.Demographic(q.By); dm.Sensitive {
					minN = th.MinSensitiveGroupSize
				}
			}
			check := func(where string, c Cell, need int) {
				t.Helper()
				checkCell(t, where, c, need, th.MinDistributionSize)
			}
			check("respondents", r.Respondents, popMin)
			for _, g := range r.Groups {
				check("group "+g.Key, g.Count, minN)
			}
			rows := append([]Row{r.Index, r.ENPS}, r.Competencies...)
			for _, it := range r.Items {
				rows = append(rows, it.Row)
			}
			for _, row := range rows {
				check(row.Key, row.Overall, popMin)
				for _, c := range row.Groups {
					check(row.Key+" group", c, minN)
				}
			}
			// Overlap within the release: a shown group and its shown
			// population differ by 0 or at least k respondents.
			overlap := func(metric string, pop Cell, groups []Cell) {
				for _, c := range groups {
					if d := pop.N - c.N; shownCell(pop) && shownCell(c) && d > 0 && d < th.MinGroupSize {
						t.Errorf("%v %s: population %d and group %d differ by %d", q, metric, pop.N, c.N, d)
					}
				}
			}
			counts := make([]Cell, len(r.Groups))
			for i, g := range r.Groups {
				counts[i] = g.Count
			}
			overlap("count", r.Respondents, counts)
			for _, it := range r.Items {
				overlap(it.Key, it.Overall, it.Groups)
			}
		}
	}
}

// checkCell asserts the invariants of one released cell.
func checkCell(t *testing.T, where string, c Cell, need, kd int) {
	t.Helper()
	if c.Suppressed {
		b, _ := json.Marshal(c)
		want, _ := json.Marshal(Cell{Suppressed: true, Reason: c.Reason})
		if string(b) != string(want) || c.Reason == "" {
			t.Errorf("%s: suppressed cell carries more than its reason: %s", where, b)
		}
		return
	}
	if c.N > 0 && c.N < need {
		t.Errorf("%s: n=%d shown below %d", where, c.N, need)
	}
	if c.Score != nil && (*c.Score < 0 || *c.Score > 100) {
		t.Errorf("%s: score %g outside 0–100", where, *c.Score)
	}
	if c.Favourable != nil {
		if *c.Favourable < 0 || *c.Favourable > 1 || *c.Low > *c.Favourable || *c.High < *c.Favourable {
			t.Errorf("%s: favourable %g with [%g, %g]", where, *c.Favourable, *c.Low, *c.High)
		}
		// Each share is rounded on its own (round.go): their sum is 1 up
		// to three half-steps.
		if c.Neutral != nil && math.Abs(*c.Favourable+*c.Neutral+*c.Unfavourable-1) > 1.5e-3+1e-9 {
			t.Errorf("%s: shares sum to %g", where, *c.Favourable+*c.Neutral+*c.Unfavourable)
		}
	}
	if c.Distribution != nil {
		sum := 0
		for _, x := range c.Distribution {
			sum += x
		}
		if sum != c.N || c.N < kd {
			t.Errorf("%s: distribution of %d shown with n=%d (k_d %d)", where, sum, c.N, kd)
		}
	}
}

// A cell gets the same values whichever view shows it: row f of "filter
// F=f by B" is column b of "filter B=b by F".
func TestCrossCellsAgreeAcrossViews(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	f := newFixture(t, "sqlite", refDesign())
	f.add(f.wave, randomPopulation(rng, f.sv.Design, 400)...)
	d := f.sv.Design
	for _, fo := range d.Demographics[0].Options {
		a := f.release(Query{By: "site", Filter: &Filter{"dept", fo}})
		for bi, bo := range d.Demographics[1].Options {
			b := f.release(Query{By: "dept", Filter: &Filter{"site", bo}})
			fi := d.Demographics[0].OptionIndex(fo)
			x, _ := json.Marshal([]any{a.Groups[bi].Count, a.Index.Groups[bi], a.Competencies[0].Groups[bi], a.Items[0].Groups[bi]})
			y, _ := json.Marshal([]any{b.Groups[fi].Count, b.Index.Groups[fi], b.Competencies[0].Groups[fi], b.Items[0].Groups[fi]})
			if string(x) != string(y) {
				t.Errorf("cell dept=%s site=%s differs:\n%s\n%s", fo, bo, x, y)
			}
		}
	}
}
