package report

import (
	"context"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
)

// Attacks on arithmetic across releases (docs/anonymity.md, "The release
// audit"). Each builds a population where rules applied cell by cell leak,
// makes every call of the lattice in a random order (and again after each
// batch of new respondents in a live wave), and asserts with the
// independent exact checker that nothing determines a protected group,
// while the same calls without any suppression would.

// naive adds the rows an unprotected release of view q would give over the
// respondents of batches up to maxBatch (0 = all): every count, every item
// and every competency over all its items, in every cell.
func (x *xchecker) naive(r *Release, maxBatch int) {
	if x.cuts == nil {
		x.cuts = map[int]bool{}
	}
	x.cuts[maxBatch] = true // an unprotected release shows every batch
	pop, groups := x.viewConds(r.Query)
	cells := append([][]cond{pop}, groups...)
	for _, conds := range cells {
		ms := x.members(conds, maxBatch)
		row := map[int]*big.Rat{}
		for _, m := range ms {
			row[m] = rat(1, 1)
		}
		for f, items := range x.families {
			x.push("count:"+f, row)
			for _, key := range items {
				n, v := map[int]*big.Rat{}, map[int]*big.Rat{}
				for _, m := range ms {
					if x.answered(x.people[m], key) {
						n[m], v[x.val(m, key)] = rat(1, 1), rat(1, 1)
					}
				}
				x.push("count:"+f, n)
				x.push("value:"+f, v)
			}
			score := map[int]*big.Rat{}
			for _, m := range ms {
				if !x.scored(m, items) {
					continue
				}
				var got []string
				for _, k := range items {
					if x.answered(x.people[m], k) {
						got = append(got, k)
					}
				}
				for _, k := range got {
					score[x.val(m, k)] = rat(1, int64(len(got)))
				}
			}
			x.push("value:"+f, score)
		}
	}
}

// attackBatches adds each batch of respondents to an open wave and, after
// each, makes every call of the lattice in a random order; with closeAtEnd
// it closes the wave and calls everything again. It returns the releases
// of the last round.
func attackBatches(t *testing.T, backend string, d survey.Design, batches [][]person, closeAtEnd bool) []*Release {
	t.Helper()
	f := newFixture(t, backend, d)
	x := newXChecker(d, f.sv.Anonymity.MinGroupSize, f.sv.Anonymity.MinSensitiveGroupSize)
	naive := newXChecker(d, f.sv.Anonymity.MinGroupSize, f.sv.Anonymity.MinSensitiveGroupSize)
	rng := rand.New(rand.NewPCG(uint64(len(batches)), 3))
	snapshotBatch := map[int]int{}
	x.batchOf = func(s int) int { return snapshotBatch[s] }
	var last []*Release
	call := func(b int) {
		last = nil
		qs := allQueries(d)
		rng.Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })
		for _, q := range qs {
			r, err := f.engine.Release(context.Background(), f.sv.ID, q)
			var qe *kernel.QueryError
			if errors.As(err, &qe) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := snapshotBatch[r.Snapshot]; !ok && r.Snapshot > 0 {
				snapshotBatch[r.Snapshot] = b
			}
			x.release(r)
			naive.families = x.families
			naive.naive(r, b)
			last = append(last, r)
		}
	}
	for i, b := range batches {
		f.add(f.wave, b...)
		x.add(i+1, b...)
		naive.add(i+1, b...)
		call(i + 1)
	}
	if closeAtEnd {
		f.closeWave(f.wave)
		call(len(batches))
	}
	mustLeak(t, naive)
	x.mustNotLeak(t)
	return last
}

// answering returns n people of the given demographics who answer the
// listed items with value v (and eNPS 9).
func answering(n, v int, items []string, kv ...string) []person {
	out := grp(n, v, kv...)
	for i := range out {
		a := map[string]int{"outcome.enps": 9}
		for _, k := range items {
			a[k] = v
		}
		out[i].answers = a
	}
	return out
}

// Skip patterns inside one cell: a competency's n and its items' n differ
// by the people who skipped an item, and the means turn that into their
// answers.
func TestAttackAuditSkipPatterns(t *testing.T) {
	both := []string{"belonging.1", "belonging.3", "voice.1"}
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			pop := concat(answering(12, 4, both, "dept", "Sales", "site", "North"),
				answering(1, 1, []string{"belonging.1", "voice.1"}, "dept", "Sales", "site", "North"),
				answering(14, 3, both, "dept", "Engineering", "site", "South"))
			attackBatches(t, backend, attackDesign(), [][]person{pop}, true)
		})
	}
}

// Two views of one wave whose groups nest: A in one breakdown, B ⊂ A in a
// filtered breakdown by another dimension; A − B is small.
func TestAttackAuditNestedViews(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			pop := concat(grp(11, 4, "dept", "Sales", "site", "North"), grp(2, 1, "dept", "Sales", "site", "South"),
				grp(9, 2, "dept", "Engineering", "site", "North"), grp(8, 5, "dept", "Engineering", "site", "South"),
				grp(6, 3, "dept", survey.PreferNotToSay, "site", "South"))
			attackBatches(t, backend, attackDesign(), [][]person{pop}, true)
		})
	}
}

// A two-way table where every row and column hides at least two cells, yet
// margins and filtered breakdowns pin a hidden cell.
func TestAttackAuditTwoWayTable(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			var pop []person
			sizes := [3][3]int{{7, 2, 6}, {3, 8, 2}, {6, 2, 9}}
			depts := []string{"Sales", "Engineering", survey.PreferNotToSay}
			sites := []string{"North", "South", survey.PreferNotToSay}
			for i := range sizes {
				for j, n := range sizes[i] {
					pop = append(pop, grp(n, 1+(i+2*j)%5, "dept", depts[i], "site", sites[j])...)
				}
			}
			attackBatches(t, backend, attackDesign(), [][]person{pop}, true)
		})
	}
}

// Snapshots of a live wave differenced per metric: the respondents of a
// cell grow by k, but one item's answers grow by one (the others skip it).
func TestAttackAuditSnapshotPerMetric(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			all := []string{"belonging.1", "belonging.3", "voice.1"}
			b1 := concat(answering(12, 4, all, "dept", "Sales"), answering(12, 2, all, "dept", "Engineering"))
			b2 := concat(answering(1, 1, all, "dept", "Sales"), answering(5, 3, []string{"belonging.1", "belonging.3"}, "dept", "Sales"))
			last := attackBatches(t, backend, attackDesign(), [][]person{b1, b2}, false)
			for _, r := range last {
				if r.Query.By != "dept" || r.Query.Filter != nil {
					continue
				}
				for _, row := range r.Items {
					if row.Key != "voice.1" {
						continue
					}
					if c := row.Groups[0]; !c.Suppressed && c.AsOf == nil && c.N == 13 {
						t.Errorf("Sales voice.1 republished after growing by one answer: %+v", c)
					}
				}
			}
		})
	}
}

// A sensitive group is republished only after growing by k_s, not k.
func TestAttackAuditSensitiveGrowth(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			b1 := concat(grp(12, 4, "gender", "Woman"), grp(14, 2, "gender", "Man"))
			b2 := concat(grp(6, 1, "gender", "Woman"), grp(10, 3, "gender", "Man"))
			last := attackBatches(t, backend, attackDesign(), [][]person{b1, b2}, false)
			for _, r := range last {
				if r.Query.By != "gender" || r.Query.Filter != nil {
					continue
				}
				if c := r.Groups[0].Count; !c.Suppressed && c.N == 18 {
					t.Errorf("Woman (sensitive) republished after growing by 6 < k_s: %+v", c)
				}
			}
		})
	}
}

// Several snapshots republished in different windows: the newcomers of
// three periods combined across cells.
func TestAttackAuditThreeSnapshots(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			b1 := concat(grp(10, 4, "dept", "Sales", "site", "North"), grp(10, 2, "dept", "Engineering", "site", "South"))
			b2 := concat(grp(5, 1, "dept", "Sales", "site", "South"), grp(2, 5, "dept", "Engineering", "site", "North"))
			b3 := concat(grp(3, 3, "dept", "Engineering", "site", "North"), grp(5, 2, "dept", "Sales", "site", "North"))
			attackBatches(t, backend, attackDesign(), [][]person{b1, b2, b3}, true)
		})
	}
}

// The n of a reliability (who answered every item of a competency) and of
// a driver correlation (who have a score and answered the outcome) are
// counts too: with the items' n and the competency's n they give who
// answered exactly one item, and with the outcome's n who skipped it.
func TestAttackAuditSecondMomentCounts(t *testing.T) {
	all := []string{"belonging.1", "belonging.2", "belonging.3"}
	d := survey.Design{
		Items: []string{"belonging.1", "belonging.2", "belonging.3", "outcome.enps"},
		Demographics: []survey.Demographic{
			{Key: "dept", Label: "Department", Options: []string{"Sales", "Engineering", survey.PreferNotToSay}},
			{Key: "site", Label: "Site", Options: []string{"North", "South", survey.PreferNotToSay}},
		},
	}
	noENPS := func(ps []person) []person {
		for i := range ps {
			delete(ps[i].answers, "outcome.enps")
		}
		return ps
	}
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			pop := concat(
				answering(30, 4, all, "dept", "Sales", "site", "North"),
				answering(2, 2, all, "dept", "Sales", "site", "South"),
				answering(1, 1, all[:1], "dept", "Sales", "site", "South"),
				noENPS(answering(1, 5, all, "dept", "Sales", "site", "South")),
				answering(12, 3, all, "dept", "Engineering", "site", "North"),
				answering(10, 5, all, "dept", "Engineering", "site", "South"),
				answering(1, 2, all[:2], "dept", "Engineering", "site", "South"),
				noENPS(answering(1, 1, all[:1], "dept", "Engineering", "site", "North")))
			// Answers vary within groups, so that correlations exist.
			for i := range pop {
				for _, k := range all {
					if v, ok := pop[i].answers[k]; ok {
						pop[i].answers[k] = 1 + (v+i)%5
					}
				}
				if _, ok := pop[i].answers["outcome.enps"]; ok {
					pop[i].answers["outcome.enps"] = (3 * i) % 11
				}
			}
			last := attackBatches(t, backend, d, [][]person{pop}, true)
			shownRel, shownDrv := 0, 0
			for _, r := range last {
				for _, rel := range r.Reliability {
					if rel.N > 0 {
						shownRel++
					}
				}
				for _, dr := range r.Drivers.Rows {
					if dr.ENPS != nil {
						shownDrv++
					}
				}
			}
			if shownRel == 0 || shownDrv == 0 {
				t.Errorf("the attack needs shown reliabilities and drivers: %d and %d", shownRel, shownDrv)
			}
		})
	}
}

// Skippers spread over demographic atoms: two people, each alone in their
// atom's skip pattern but in different atoms, answered two of three items.
// A score pools each answer with weight 1/m, so the score sum next to the
// items' sums gives the total of their answers, which at the top of the
// scale is each of their answers. The set "who answered exactly two of the
// items" is named by answered items and protected.
func TestAttackAuditSkippersAcrossAtoms(t *testing.T) {
	three := []string{"voice.1", "voice.2", "voice.3"}
	d := survey.Design{
		Items: three,
		Demographics: []survey.Demographic{
			{Key: "dept", Label: "Department", Options: []string{"A", "B"}},
			{Key: "loc", Label: "Location", Options: []string{"X", "Y"}},
		},
	}
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			var pop []person
			for _, dept := range []string{"A", "B"} {
				for _, loc := range []string{"X", "Y"} {
					g := answering(5, 3, three, "dept", dept, "loc", loc)
					for i := range g {
						for j, k := range three {
							g[i].answers[k] = 1 + (i+2*j+len(pop))%5
						}
						delete(g[i].answers, "outcome.enps")
					}
					pop = append(pop, g...)
				}
			}
			r1 := answering(1, 5, three[:2], "dept", "A", "loc", "X")
			r2 := answering(1, 5, []string{"voice.1", "voice.3"}, "dept", "B", "loc", "Y")
			for _, p := range []person{r1[0], r2[0]} {
				delete(p.answers, "outcome.enps")
			}
			pop = append(pop, r1[0], r2[0])
			attackBatches(t, backend, d, [][]person{pop}, true)
		})
	}
}
