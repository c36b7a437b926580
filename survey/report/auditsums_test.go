package report

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/allypulse/allypulse/survey/framework"
	"github.com/allypulse/allypulse/survey/report/internal/gauss"
)

// Every count row withoutSums leaves out lies in the span of the rows it
// keeps, on random layouts and populations (one or two periods), and it
// does leave rows out: the rows of every cell of the lattice, of every
// kind a family releases, over the wave's real atoms.
func TestWithoutSumsKeepsTheSpan(t *testing.T) {
	dropped, checked := 0, 0
	eachFamilyCountRows(t, rand.New(rand.NewPCG(2026, 1204)), 60, func(trial int, p *plan, fr *familyRows, rows []gauss.Vec) {
		kept := withoutSums(p, fr, rows)
		dropped += len(rows) - len(kept)
		checked++
		fl := gauss.RandomField()
		for i, in := range gauss.Spanned(fl, len(fr.fx.size), kept, rows) {
			if !in {
				t.Fatalf("trial %d, family %v: row %d (group %d, kind %d) left out but not a sum of the rows kept", trial, fr.f.items, i, rows[i].Group, rows[i].Label)
			}
		}
	})
	if dropped == 0 || checked == 0 {
		t.Fatalf("withoutSums left out %d rows over %d families", dropped, checked)
	}
	t.Logf("left out %d rows over %d families", dropped, checked)
}

// eachFamilyCountRows calls check with the count rows of every family of
// random layouts and populations (one or two periods): the rows of every
// cell of the lattice (or of the population alone, one trial in three), of
// every kind a family releases, over the wave's real atoms, some of them
// missing as suppression leaves them out (one in ten, or one in two), so
// that partitions and sums are not always whole.
func eachFamilyCountRows(t *testing.T, rng *rand.Rand, trials int, check func(trial int, p *plan, fr *familyRows, rows []gauss.Vec)) {
	t.Helper()
	f := newFixture(t, "sqlite", attackDesign())
	for trial := 0; trial < trials; trial++ {
		d := randomLayout(rng)
		f.useSurvey(d)
		pop := randomSkippers(rng, d, 10+rng.IntN(60))
		cut := rng.IntN(len(pop) + 1)
		f.add(f.wave, pop[:cut]...)
		l := firstWaveLayout(t, f)
		censuses := []map[string]int{censusOf(&l, readWave(t, f, &l))}
		f.add(f.wave, pop[cut:]...)
		censuses = append(censuses, censusOf(&l, readWave(t, f, &l)))
		p := newPlan(&l, allDims(&l), true)
		if trial%3 == 2 {
			p = newPlan(&l, nil, false)
		}
		entries := entriesOf(&l, censuses)
		a := newAuditAtoms(p, entries)
		for _, fam := range auditFamilies(&l) {
			fa := newFamilyAtoms(entries, a, fam.items, 0)
			fx := newFamilyAtoms(entries, a, append(append([]int(nil), fam.items...), fam.outcomes...), len(fam.outcomes))
			fr := &familyRows{a: a, fa: fa, fx: fx, f: fam, L: lcmUpTo(len(fam.items))}
			var rows []gauss.Vec
			missing := []int{10, 2}[trial%2]
			add := func(vs ...gauss.Vec) {
				for _, v := range vs {
					if rng.IntN(missing) > 0 {
						rows = append(rows, v)
					}
				}
			}
			full := fr.full()
			for upTo := 1; upTo <= 2; upTo++ {
				for c := 0; c < p.cells(); c++ {
					add(fr.count(c, upTo))
					for b := 0; b < fam.bits(); b++ {
						add(fr.answered(c, upTo, b))
					}
					if fam.comp >= 0 {
						counts, _, _ := fr.comp(c, upTo, full)
						add(counts...)
						add(fr.complete(c, upTo))
						for o := range fam.outcomes {
							add(fr.pairs(c, upTo, o))
						}
					}
				}
			}
			check(trial, p, fr, rows)
		}
	}
}

// firstWaveLayout is the layout of the fixture's survey's first wave.
func firstWaveLayout(t *testing.T, f *fixture) layout {
	t.Helper()
	ws, err := f.store.Waves(context.Background(), f.sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	return newLayout(f.sv, ws[0], framework.BuiltIn())
}

// readWave reads the wave's responses as the engine does.
func readWave(t *testing.T, f *fixture, l *layout) *waveData {
	t.Helper()
	cw, err := New(f.store, f.engine.clock).load(context.Background(), l, -1)
	if err != nil {
		t.Fatal(err)
	}
	return cw.data
}
