package report

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/allypulse/allypulse/survey/report/internal/gauss"
)

// splitCounts' vector is orthogonal to every count row of a family and
// tells apart exactly the groups outside their span, on random layouts and
// populations: the family's count primaries, and sums of rows (in the
// span by construction). It completes by kind (not through
// gauss.SplitNullVector) on every family, as on the audit's own rows.
func TestSplitCountsMatchesExactSpan(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 1205))
	checked, byKind, inSpan, outside := 0, 0, 0, 0
	shared := &sharedSystems{field: gauss.RandomField()}
	eachFamilyCountRows(t, rng, 40, func(trial int, p *plan, fr *familyRows, rows []gauss.Vec) {
		kept := withoutSums(p, fr, rows)
		// One family in two solves through systems shared with the
		// families before it (same prime).
		fl := gauss.RandomField()
		if trial%2 == 1 {
			fl = shared.field
		}
		h, split := splitCounts(fl, fr, kept, shared)
		if h == nil {
			t.Fatalf("trial %d, family %v: no vector", trial, fr.f.items)
		}
		checked++
		if split {
			byKind++
		}
		for i, r := range rows {
			if fl.Dot(r, h) != 0 {
				t.Fatalf("trial %d, family %v: row %d not orthogonal", trial, fr.f.items, i)
			}
		}
		groups := namedGroups(p.l, fr.a, 2)
		prims, _ := familyPrims(fr.a, fr.fx, fr.f, fr.f.bits(), groups, fr.L, nil)
		// Sums of two rows lie in the span whatever the population.
		for k := 0; k+1 < len(rows); k += 7 {
			prims = append(prims, sumVecs(rows[k], rows[k+1]))
		}
		want := gauss.Spanned(gauss.RandomField(), len(fr.fx.size), rows, prims)
		for j, pr := range prims {
			if got := fl.Dot(pr, h) == 0; got != want[j] {
				t.Fatalf("trial %d, family %v: primary %d in span: split says %v, elimination %v", trial, fr.f.items, j, got, want[j])
			}
			if want[j] {
				inSpan++
			} else {
				outside++
			}
		}
	})
	if byKind != checked || inSpan == 0 || outside == 0 {
		t.Fatalf("completed by kind %d times of %d; primaries in span %d, outside %d", byKind, checked, inSpan, outside)
	}
	t.Logf("completed by kind %d times of %d; primaries in span %d, outside %d", byKind, checked, inSpan, outside)
}

// sumVecs is x + y.
func sumVecs(x, y gauss.Vec) gauss.Vec {
	v := gauss.Vec{I: append(append([]int32(nil), x.I...), y.I...), V: append(append([]int64(nil), x.V...), y.V...)}
	sortVec(&v)
	return v
}

// An audit whose caller stops before handing it its input (compute
// returning early, or panicking) ends instead of waiting for ever; one
// that had its input finishes as usual, stop or not.
func TestAuditStopsWithoutItsInput(t *testing.T) {
	f := newFixture(t, "sqlite", attackDesign())
	rng := rand.New(rand.NewPCG(2026, 1206))
	d := randomLayout(rng)
	f.useSurvey(d)
	f.add(f.wave, randomSkippers(rng, d, 40)...)
	l := firstWaveLayout(t, f)
	data := readWave(t, f, &l)
	p := newPlan(&l, allDims(&l), true)
	entries := func() []auditEntry { return entriesOf(&l, []map[string]int{censusOf(&l, data)}) }

	r := startAudit(p, &l, 1, entries)
	r.stop()
	select {
	case res := <-r.out:
		if res.au.atoms != nil {
			t.Fatal("a stopped audit reported atoms")
		}
	case <-time.After(time.Minute):
		t.Fatal("a stopped audit still waits for its input")
	}

	// Handed its input, then stopped: it audits as usual.
	with := compute(p, &l, data, invitations{}.fn(&l), popCells(p), true, nil)
	st, _, _ := stateOf(p, &l, func(c int) *cellValues { return &with.cells[c] })
	resp := make([]int32, p.cells())
	for c := range with.cells {
		resp[c] = int32(with.cells[c].Respondents)
	}
	r = startAudit(p, &l, 1, entries)
	r.input <- &auditInput{p: p, l: &l, periods: 1, state: st, resp: resp}
	r.stop()
	select {
	case res := <-r.out:
		if res.au.atoms == nil {
			t.Fatal("an audit handed its input before stop did not run")
		}
	case <-time.After(time.Minute):
		t.Fatal("an audit handed its input never finished")
	}
}
