package report

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/demo"
	"github.com/allypulse/allypulse/survey/framework"
)

// personsOf turns a decoded wave back into the checker's respondents: their
// option labels and which items they answered (the values do not matter to
// the checker).
func personsOf(l *layout, d *waveData) []person {
	out := make([]person, d.n)
	for r := 0; r < d.n; r++ {
		demoBytes, ans := d.row(r)
		p := person{demo: map[string]string{}, answers: map[string]int{}}
		for i, dm := range l.dims {
			if g := l.groupOf(demoBytes, i); g < len(dm.options) {
				p.demo[dm.key] = dm.options[g]
			}
		}
		for j, it := range l.items {
			if _, ok := l.value(j, ans[j]); ok && it.asked {
				p.answers[it.key] = 1
			}
		}
		out[r] = p
	}
	return out
}

// shownCells counts the metric cells a computed lattice shows: counts,
// items and competencies of every group.
func shownCells(c *computed) int {
	n := 0
	for _, cv := range c.cells {
		if shownCell(cv.Count) {
			n++
		}
		for _, x := range cv.Items {
			if shownCell(x) {
				n++
			}
		}
		for _, x := range cv.Comps {
			if shownCell(x) {
				n++
			}
		}
	}
	return n
}

// The demo organisation passes the independent checker over its whole
// lattice, for every wave (two closed, one open), with every view asked in
// a random order; the test logs how many cells the audit hid beyond the
// cell-by-cell rules (docs/anonymity.md, "What the audit costs the demo").
func TestDemoPassesTheChecker(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo")
	}
	db := openDB(t, "sqlite")
	ctx := context.Background()
	now := time.Now().UTC()
	res, err := demo.Seed(ctx, db, demo.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	store := survey.NewStore(db.Gorm)
	eng := New(store, kernel.ClockFunc(func() time.Time { return now }))
	sv, err := store.GetSurvey(ctx, res.SurveyID)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for wave := 1; wave <= demo.Waves; wave++ {
		w, err := store.WaveByNumber(ctx, sv.ID, wave)
		if err != nil {
			t.Fatal(err)
		}
		l := newLayout(sv, w, framework.BuiltIn())
		cw, err := eng.load(ctx, &l, -1)
		if err != nil {
			t.Fatal(err)
		}
		x := newXChecker(sv.Design, l.th.K, l.th.KS)
		x.add(1, personsOf(&l, cw.data)...)
		qs := allQueries(sv.Design)
		rng.Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })
		shownComps := 0
		for _, q := range qs {
			q.Wave = wave
			r, err := eng.Release(ctx, sv.ID, q)
			var qe *kernel.QueryError
			if errors.As(err, &qe) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			x.release(r)
			for _, row := range r.Competencies {
				for _, c := range row.Groups {
					if shownCell(c) {
						shownComps++
					}
				}
			}
		}
		x.mustNotLeak(t)
		if shownComps == 0 {
			t.Fatalf("wave %d shows no competency of any group", wave)
		}
		p := newPlan(&l, allDims(&l), true)
		inv, err := eng.invited(ctx, &l)
		if err != nil {
			t.Fatal(err)
		}
		with := compute(p, &l, cw.data, inv.fn(&l), popCells(p), true, nil)
		without := compute(p, &l, cw.data, inv.fn(&l), popCells(p), false, nil)
		t.Logf("wave %d (%s, %d responses): %d metric cells shown by the cell-by-cell rules, %d after the audit (hidden: counts %d, answers %d, populations %d); %d competency cells of groups shown in the views",
			wave, w.Status(now), cw.data.n, shownCells(without), shownCells(with), with.audit.Counts, with.audit.Answers, with.audit.Populations, shownComps)
	}
}
