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
	f := newFixture(t, "sqlite", attackDesign())
	rng := rand.New(rand.NewPCG(2026, 1204))
	dropped, checked := 0, 0
	for trial := 0; trial < 60; trial++ {
		d := randomLayout(rng)
		f.useSurvey(d)
		pop := randomSkippers(rng, d, 10+rng.IntN(60))
		cut := rng.IntN(len(pop) + 1)
		f.add(f.wave, pop[:cut]...)
		ctx := context.Background()
		ws, err := f.store.Waves(ctx, f.sv.ID)
		if err != nil {
			t.Fatal(err)
		}
		l := newLayout(f.sv, ws[0], framework.BuiltIn())
		first, err := New(f.store, f.engine.clock).load(ctx, &l, -1)
		if err != nil {
			t.Fatal(err)
		}
		censuses := []map[string]int{censusOf(&l, first.data)}
		f.add(f.wave, pop[cut:]...)
		all, err := New(f.store, f.engine.clock).load(ctx, &l, -1)
		if err != nil {
			t.Fatal(err)
		}
		censuses = append(censuses, censusOf(&l, all.data))
		// The whole lattice, and the population alone (no partitions: the
		// competency's answers are the only sums).
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
			// Some rows are missing, as suppression leaves them out, so
			// that partitions and sums are not always whole.
			missing := []int{10, 2}[trial%2] // one row in ten, or one in two
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
			kept := withoutSums(p, fr, rows)
			dropped += len(rows) - len(kept)
			checked++
			fl := gauss.RandomField()
			for i, in := range gauss.Spanned(fl, len(fx.size), kept, rows) {
				if !in {
					t.Fatalf("trial %d, family %v: row %d (group %d, kind %d) left out but not a sum of the rows kept", trial, fam.items, i, rows[i].Group, rows[i].Label)
				}
			}
		}
	}
	if dropped == 0 || checked == 0 {
		t.Fatalf("withoutSums left out %d rows over %d families", dropped, checked)
	}
	t.Logf("left out %d rows over %d families", dropped, checked)
}
