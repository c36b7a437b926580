package report

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/survey"
)

// auditor is the attacker's exact check (anonymity.md §9, §10): respondents
// are grouped into atoms that share every demographic and the batch in which
// they arrived; every released cell is a linear equation over the atoms it
// covers, per metric. A set of atoms is disclosed when its indicator lies in
// the span of the released equations; the audit fails when a disclosed set
// holds between 1 and k−1 respondents.
type auditor struct {
	d     survey.Design
	k     int
	atoms []atom
	index map[string]int
	rows  map[string][][]float64
	// batchOf maps a snapshot number to the last batch it contains (0 when
	// the release has no snapshot: every batch).
	batchOf func(snapshot int) int
}

type atom struct {
	groups []int
	batch  int
	size   int
}

func newAuditor(d survey.Design, k int) *auditor {
	return &auditor{d: d, k: k, index: map[string]int{}, rows: map[string][][]float64{},
		batchOf: func(s int) int { return s }}
}

// groupsOf returns a person's group index per dimension.
func (a *auditor) groupsOf(p person) []int {
	g := make([]int, len(a.d.Demographics))
	for i, dm := range a.d.Demographics {
		g[i] = len(dm.Options)
		if opt, ok := p.demo[dm.Key]; ok {
			g[i] = dm.OptionIndex(opt)
		}
	}
	return g
}

// people registers respondents arriving in batch (1, 2, ...).
func (a *auditor) people(batch int, ps ...person) {
	for _, p := range ps {
		g := a.groupsOf(p)
		key := fmt.Sprint(g, batch)
		i, ok := a.index[key]
		if !ok {
			i = len(a.atoms)
			a.index[key] = i
			a.atoms = append(a.atoms, atom{groups: g, batch: batch})
		}
		a.atoms[i].size++
	}
}

// cond is an equality on one dimension.
type cond struct{ dim, group int }

// row returns the indicator of the atoms matching every cond up to batch
// maxBatch (0 = all).
func (a *auditor) row(conds []cond, maxBatch int) []float64 {
	r := make([]float64, len(a.atoms))
	for i, at := range a.atoms {
		in := maxBatch == 0 || at.batch <= maxBatch
		for _, c := range conds {
			if at.groups[c.dim] != c.group {
				in = false
			}
		}
		if in {
			r[i] = 1
		}
	}
	return r
}

// viewConds returns the conditions of a release's population and groups.
func (a *auditor) viewConds(q Query) (pop []cond, groups [][]cond) {
	if q.Filter != nil {
		dm, d, _ := a.d.Demographic(q.Filter.Dimension)
		pop = append(pop, cond{d, dm.OptionIndex(q.Filter.Option)})
	}
	if q.By != "" {
		dm, d, _ := a.d.Demographic(q.By)
		for g := 0; g <= len(dm.Options); g++ {
			groups = append(groups, append(append([]cond(nil), pop...), cond{d, g}))
		}
	}
	return pop, groups
}

// shownCell reports whether a cell releases a number.
func shownCell(c Cell) bool {
	return !c.Suppressed && (c.N > 0 || c.Value != nil || c.Score != nil)
}

// release adds every shown cell of r as an equation of its metric.
func (a *auditor) release(r *Release) {
	pop, groups := a.viewConds(r.Query)
	batch := func(c Cell) int {
		if r.Snapshot == 0 {
			return 0
		}
		if c.AsOf != nil {
			return a.batchOf(c.AsOf.Snapshot)
		}
		return a.batchOf(r.Snapshot)
	}
	add := func(metric string, conds []cond, c Cell) {
		if shownCell(c) {
			a.rows[metric] = append(a.rows[metric], a.row(conds, batch(c)))
		}
	}
	addRow := func(metric string, overall Cell, gs []Cell) {
		add(metric, pop, overall)
		for i, c := range gs {
			add(metric, groups[i], c)
		}
	}
	addRow("count", r.Respondents, nil)
	for i, g := range r.Groups {
		add("count", groups[i], g.Count)
	}
	addRow("count", r.Participation.Overall, r.Participation.Groups)
	for _, row := range r.Competencies {
		addRow(row.Key, row.Overall, row.Groups)
	}
	for _, row := range r.Items {
		addRow(row.Key, row.Overall, row.Groups)
	}
}

// naive adds the equations a release without any suppression would give
// for view q over the batches up to maxBatch (0 = all).
func (a *auditor) naive(q Query, maxBatch int) {
	pop, groups := a.viewConds(q)
	for _, m := range []string{"count", "belonging", "voice.1"} {
		a.rows[m] = append(a.rows[m], a.row(pop, maxBatch))
		for _, g := range groups {
			a.rows[m] = append(a.rows[m], a.row(g, maxBatch))
		}
	}
}

// leaks returns a description of every set of 1..k−1 respondents that the
// released equations determine (empty when none).
func (a *auditor) leaks() []string {
	var out []string
	var live []int
	for i, at := range a.atoms {
		if at.size > 0 {
			live = append(live, i)
		}
	}
	if len(live) > 18 {
		panic("audit: too many atoms to enumerate")
	}
	for metric, rows := range a.rows {
		padded := make([][]float64, len(rows))
		for i, r := range rows {
			padded[i] = append(append([]float64(nil), r...), make([]float64, len(a.atoms)-len(r))...)
		}
		basis := orthonormal(padded)
		for mask := 1; mask < 1<<len(live); mask++ {
			size := 0
			v := make([]float64, len(a.atoms))
			for b, i := range live {
				if mask&(1<<b) != 0 {
					size += a.atoms[i].size
					v[i] = 1
				}
			}
			if size >= a.k || !inSpan(basis, v) {
				continue
			}
			var desc []string
			for b, i := range live {
				if mask&(1<<b) != 0 {
					desc = append(desc, fmt.Sprintf("%v@%d×%d", a.atoms[i].groups, a.atoms[i].batch, a.atoms[i].size))
				}
			}
			out = append(out, fmt.Sprintf("%s: %d respondents {%s}", metric, size, strings.Join(desc, " ")))
		}
	}
	return out
}

// orthonormal returns an orthonormal basis of the span of rows.
func orthonormal(rows [][]float64) [][]float64 {
	var basis [][]float64
	for _, r := range rows {
		v := append([]float64(nil), r...)
		for _, q := range basis {
			d := dot(v, q)
			for i := range v {
				v[i] -= d * q[i]
			}
		}
		if n := math.Sqrt(dot(v, v)); n > 1e-9 {
			for i := range v {
				v[i] /= n
			}
			basis = append(basis, v)
		}
	}
	return basis
}

// inSpan reports whether v lies in the span of an orthonormal basis.
func inSpan(basis [][]float64, v []float64) bool {
	r := append([]float64(nil), v...)
	for _, q := range basis {
		d := dot(r, q)
		for i := range r {
			r[i] -= d * q[i]
		}
	}
	return dot(r, r) < 1e-9
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// mustNotLeak fails the test when the released equations single anyone out.
func (a *auditor) mustNotLeak(t *testing.T) {
	t.Helper()
	if l := a.leaks(); len(l) > 0 {
		t.Fatalf("released numbers determine fewer than k=%d respondents:\n%s", a.k, strings.Join(l[:min(len(l), 10)], "\n"))
	}
}

// mustLeak checks that the scenario is a real attack: without suppression
// the same calls would single someone out.
func (a *auditor) mustLeak(t *testing.T) {
	t.Helper()
	if len(a.leaks()) == 0 {
		t.Fatal("the scenario does not leak even without suppression; it tests nothing")
	}
}
