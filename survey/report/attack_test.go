package report

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
)

// grp returns n people with answers v and demographics given as key, option
// pairs.
func grp(n, v int, kv ...string) []person {
	demo := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		demo[kv[i]] = kv[i+1]
	}
	return people(n, v, demo)
}

// concat joins groups of people.
func concat(gs ...[]person) []person {
	var out []person
	for _, g := range gs {
		out = append(out, g...)
	}
	return out
}

// attack loads pop, makes the attacker's calls on an open wave (snapshot
// path) and on a closed wave never viewed while open (direct path), and
// checks that nothing singles anyone out while the unsuppressed numbers
// would.
func attack(t *testing.T, pop []person, calls []Query) {
	for _, backend := range backends() {
		for _, closed := range []bool{false, true} {
			name := backend + "/open"
			if closed {
				name = backend + "/closed"
			}
			t.Run(name, func(t *testing.T) {
				f := newFixture(t, backend, attackDesign())
				f.add(f.wave, pop...)
				if closed {
					f.closeWave(f.wave)
				}
				aud := newXChecker(f.sv.Design, f.sv.Anonymity.MinGroupSize, f.sv.Anonymity.MinSensitiveGroupSize)
				naive := newXChecker(f.sv.Design, f.sv.Anonymity.MinGroupSize, f.sv.Anonymity.MinSensitiveGroupSize)
				aud.add(1, pop...)
				naive.add(1, pop...)
				shownGroups := 0
				for _, q := range calls {
					r := f.release(q)
					aud.release(r)
					naive.families = aud.families
					naive.naive(r, 0)
					for _, g := range r.Groups {
						if !g.Count.Suppressed {
							shownGroups++
						}
					}
				}
				if shownGroups == 0 {
					t.Fatal("every group suppressed: the test would pass vacuously")
				}
				aud.mustNotLeak(t)
				mustLeak(t, naive)
			})
		}
	}
}

// Two calls, a filtered view and its parent: North minus Sales-in-North
// minus the rest would be the one engineer in North.
func TestAttackDifferencing(t *testing.T) {
	pop := concat(
		grp(8, 4, "dept", "Sales", "site", "North"),
		grp(8, 2, "dept", "Sales", "site", "South"),
		grp(1, 1, "dept", "Engineering", "site", "North"),
		grp(8, 5, "dept", "Engineering", "site", "South"),
		grp(6, 3, "dept", survey.PreferNotToSay, "site", survey.PreferNotToSay),
	)
	attack(t, pop, []Query{
		{By: "site"},
		{By: "site", Filter: &Filter{"dept", "Sales"}},
		{By: "site", Filter: &Filter{"dept", "Engineering"}},
		{By: "dept"},
		{By: "dept", Filter: &Filter{"site", "North"}},
		{Filter: &Filter{"dept", "Sales"}},
	})
}

// Siblings: the total minus the shown departments would be the two people
// who preferred not to say.
func TestAttackSiblings(t *testing.T) {
	pop := concat(
		grp(12, 4, "dept", "Sales", "site", "North"),
		grp(12, 2, "dept", "Engineering", "site", "North"),
		grp(2, 1, "dept", survey.PreferNotToSay, "site", "North"),
	)
	attack(t, pop, []Query{{}, {By: "dept"}})
}

// Overlap: Sales and North share all but one person each.
func TestAttackOverlap(t *testing.T) {
	pop := concat(
		grp(6, 4, "dept", "Sales", "site", "North"),
		grp(1, 1, "dept", "Sales", "site", "South"),
		grp(1, 5, "dept", "Engineering", "site", "North"),
		grp(9, 2, "dept", "Engineering", "site", "South"),
		grp(5, 3, "dept", survey.PreferNotToSay, "site", survey.PreferNotToSay),
	)
	attack(t, pop, []Query{
		{By: "dept"},
		{By: "site"},
		{Filter: &Filter{"dept", "Sales"}},
		{Filter: &Filter{"site", "North"}},
		{By: "site", Filter: &Filter{"dept", "Sales"}},
		{By: "dept", Filter: &Filter{"site", "North"}},
	})
}

// Remainder: a shown group whose parent holds fewer than k others.
func TestAttackRemainder(t *testing.T) {
	pop := concat(
		grp(14, 4, "dept", "Sales", "site", "North"),
		grp(2, 1, "dept", "Sales", "site", "South"),
		grp(6, 2, "dept", "Engineering", "site", "North"),
	)
	attack(t, pop, []Query{{}, {By: "site"}, {By: "site", Filter: &Filter{"dept", "Sales"}}, {By: "dept"}})
}

// A filtered view whose complement in the wave is 1..k−1 answers with its
// population hidden, like any other view of a cell that would leave a small
// remainder. (Refusing it would itself say that the rest is small.)
func TestFilteredViewWithSmallComplementHidden(t *testing.T) {
	f := newFixture(t, "sqlite", attackDesign())
	f.add(f.wave, concat(grp(14, 4, "dept", "Sales"), grp(2, 1, "dept", "Engineering"))...)
	r := f.release(Query{Filter: &Filter{"dept", "Sales"}})
	if !r.Respondents.Suppressed || r.Respondents.N != 0 {
		t.Fatalf("population of a filter with a remainder of 2: %+v, want hidden", r.Respondents)
	}
	for _, c := range r.Competencies {
		if !c.Overall.Suppressed {
			t.Errorf("%s shown for a filter with a remainder of 2: %+v", c.Key, c.Overall)
		}
	}
}

// Two sensitive dimensions are never combined.
func TestSensitiveBySensitiveRefused(t *testing.T) {
	f := newFixture(t, "sqlite", attackDesign())
	f.add(f.wave, grp(30, 4, "gender", "Woman", "ethnicity", "A")...)
	_, err := f.engine.Release(context.Background(), f.sv.ID, Query{By: "ethnicity", Filter: &Filter{"gender", "Woman"}})
	var qe *kernel.QueryError
	if !errors.As(err, &qe) || qe.Field != "by" {
		t.Fatalf("got %v, want a QueryError on by", err)
	}
	// One sensitive and one non-sensitive dimension is allowed, under k_s.
	r := f.release(Query{By: "gender", Filter: &Filter{"dept", "Sales"}})
	for _, g := range r.Groups {
		if !g.Count.Suppressed && g.Count.N < f.sv.Anonymity.MinSensitiveGroupSize {
			t.Errorf("sensitive group %s shown with n=%d", g.Key, g.Count.N)
		}
	}
}

// A group of 0 and a group of 1..k−1 release identical cells.
func TestEmptyAndSmallGroupsLookTheSame(t *testing.T) {
	base := concat(grp(20, 4, "dept", "Sales", "site", "North"), grp(20, 2, "dept", "Engineering", "site", "South"))
	bodies := make([]string, 0, 2)
	for _, small := range []int{0, 3} {
		f := newFixture(t, "sqlite", attackDesign())
		f.add(f.wave, concat(base, grp(small, 1, "dept", survey.PreferNotToSay, "site", "North"))...)
		r := f.release(Query{By: "dept"})
		pnts := 2 // index of "Prefer not to say" among the dept groups
		cells := []any{r.Groups[pnts]}
		for _, row := range append([]Row{r.Index, r.ENPS}, r.Competencies...) {
			cells = append(cells, row.Groups[pnts])
		}
		for _, row := range r.Items {
			cells = append(cells, row.Groups[pnts])
		}
		for _, row := range r.Gaps {
			cells = append(cells, row.Groups[pnts])
		}
		b, _ := json.Marshal(cells)
		bodies = append(bodies, string(b))
	}
	if bodies[0] != bodies[1] {
		t.Fatalf("empty and small groups differ:\n%s\n%s", bodies[0], bodies[1])
	}
}

// Comments need k_c respondents and non-sensitive filters, and a group's
// comments are not shown when the rest of the wave could be told apart by
// subtracting them from the wave's.
func TestCommentsBelowKc(t *testing.T) {
	f := newFixture(t, "sqlite", attackDesign())
	f.add(f.wave, concat(grp(8, 4, "dept", "Sales"), grp(12, 2, "dept", "Engineering"))...)
	f.comment(f.wave, "Sales feedback", map[string]string{"dept": "Sales"})
	f.comment(f.wave, "Engineering feedback", map[string]string{"dept": "Engineering"})
	f.closeWave(f.wave)
	ctx := context.Background()
	c, err := f.engine.Comments(ctx, f.sv.ID, Query{Filter: &Filter{"dept", "Sales"}})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Suppressed || c.Reason != ReasonCommentsTooFew || len(c.Items) != 0 {
		t.Fatalf("comments of 8 respondents released: %+v", c)
	}
	c, err = f.engine.Comments(ctx, f.sv.ID, Query{Filter: &Filter{"dept", "Engineering"}})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Suppressed || c.Reason != ReasonCommentsOverlap || len(c.Items) != 0 {
		t.Fatalf("Engineering's comments would leave Sales' 8 apart from the wave's: %+v", c)
	}
	all, err := f.engine.Comments(ctx, f.sv.ID, Query{})
	if err != nil || len(all.Items) != 2 {
		t.Fatalf("all comments: %+v %v", all, err)
	}
	_, err = f.engine.Comments(ctx, f.sv.ID, Query{Filter: &Filter{"gender", "Woman"}})
	var qe *kernel.QueryError
	if !errors.As(err, &qe) || qe.Field != "filter" {
		t.Fatalf("sensitive comment filter: got %v", err)
	}
	_, err = f.engine.Comments(ctx, f.sv.ID, Query{By: "dept"})
	if !errors.As(err, &qe) || qe.Field != "by" {
		t.Fatalf("comments by group: got %v", err)
	}
}

// Participation per segment: the one engineer who answered out of six
// invited must not be derivable from the total and the Sales rate.
func TestAttackParticipation(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend, attackDesign())
			pop := concat(grp(12, 4, "dept", "Sales"), grp(1, 2, "dept", "Engineering"))
			f.add(f.wave, pop...)
			f.invite(f.wave, 20, map[string]string{"dept": "Sales"})
			f.invite(f.wave, 6, map[string]string{"dept": "Engineering"})
			aud := newXChecker(f.sv.Design, f.sv.Anonymity.MinGroupSize, f.sv.Anonymity.MinSensitiveGroupSize)
			aud.add(1, pop...)
			for _, q := range []Query{{}, {By: "dept"}, {Filter: &Filter{"dept", "Sales"}}} {
				_, err := f.engine.Release(context.Background(), f.sv.ID, q)
				var qe *kernel.QueryError
				if errors.As(err, &qe) {
					continue
				}
				aud.release(f.release(q))
			}
			aud.mustNotLeak(t)
			r := f.release(Query{By: "dept"})
			if r.Participation.Invited != 26 || r.Participation.Source != "invites" {
				t.Errorf("invited %d from %q", r.Participation.Invited, r.Participation.Source)
			}
			if eng := r.Participation.Groups[1]; !eng.Suppressed {
				t.Errorf("engineering participation shown: %+v", eng)
			}
		})
	}
}

// One new respondent in an open wave between two views: the second view
// shows the same numbers; once the wave has grown by k, a group that grew by
// fewer than k keeps its published value and the differences stay ≥ k.
func TestAttackSnapshotOneNewRespondent(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend, attackDesign())
			aud := newXChecker(f.sv.Design, f.sv.Anonymity.MinGroupSize, f.sv.Anonymity.MinSensitiveGroupSize)
			naive := newXChecker(f.sv.Design, f.sv.Anonymity.MinGroupSize, f.sv.Anonymity.MinSensitiveGroupSize)
			b1 := concat(grp(10, 4, "dept", "Sales", "site", "North"), grp(10, 2, "dept", "Engineering", "site", "North"),
				grp(6, 3, "dept", survey.PreferNotToSay, "site", "North"))
			f.add(f.wave, b1...)
			aud.add(1, b1...)
			naive.add(1, b1...)
			calls := []Query{{}, {By: "dept"}}
			var first []string
			for _, q := range calls {
				r := f.release(q)
				aud.release(r)
				naive.families = aud.families
				naive.naive(r, 1)
				b, _ := json.Marshal(r)
				first = append(first, string(b))
			}
			// One new respondent: nothing changes.
			one := grp(1, 1, "dept", "Sales", "site", "North")
			f.add(f.wave, one...)
			aud.add(2, one...)
			naive.add(2, one...)
			for i, q := range calls {
				r := f.release(q)
				b, _ := json.Marshal(r)
				if string(b) != first[i] {
					t.Fatalf("view %v changed after one new respondent:\n%s\n%s", q, first[i], b)
				}
				naive.families = aud.families
				naive.naive(r, 2)
			}
			mustLeak(t, naive)
			// Five more engineers: a new snapshot; Sales grew by one only.
			more := grp(5, 5, "dept", "Engineering", "site", "North")
			f.add(f.wave, more...)
			aud.add(2, more...)
			for _, q := range calls {
				r := f.release(q)
				if r.Snapshot != 2 {
					t.Fatalf("snapshot %d, want 2", r.Snapshot)
				}
				aud.release(r)
				if q.By == "dept" {
					if sales := r.Groups[0].Count; sales.AsOf == nil || sales.AsOf.Snapshot != 1 || sales.N != 10 {
						t.Errorf("Sales grew by one: want its snapshot-1 count as of 1, got %+v", sales)
					}
					if r.Respondents.N != 32 || r.Respondents.AsOf != nil {
						t.Errorf("the wave grew by 6: want 32 now, got %+v", r.Respondents)
					}
				}
			}
			aud.mustNotLeak(t)
			// Another engine (a replica) answers the same from the stored snapshot.
			other := New(f.store, f.engine.clock)
			r1, _ := json.Marshal(f.release(Query{By: "dept"}))
			r2, err := other.Release(context.Background(), f.sv.ID, Query{By: "dept"})
			if err != nil {
				t.Fatal(err)
			}
			b2, _ := json.Marshal(r2)
			if string(r1) != string(b2) {
				t.Fatalf("replicas disagree:\n%s\n%s", r1, b2)
			}
			// Closing keeps values that grew by fewer than k.
			f.closeWave(f.wave)
			final := f.release(Query{By: "dept"})
			if !final.Final || final.Snapshot != 3 {
				t.Fatalf("final snapshot %d final=%v", final.Snapshot, final.Final)
			}
			aud.release(final)
			aud.mustNotLeak(t)
		})
	}
}

// Snapshots across cross tables: between two snapshots one respondent joins
// a small cell of a two-dimension view while k join elsewhere; then the wave
// closes. (Differencing across three or more snapshots whose cells were
// republished in different windows is what the release ledger of
// docs/anonymity.md, "The release audit" is for; see the package documentation.)
func TestAttackSnapshotCrossTable(t *testing.T) {
	f := newFixture(t, "sqlite", attackDesign())
	aud := newXChecker(f.sv.Design, f.sv.Anonymity.MinGroupSize, f.sv.Anonymity.MinSensitiveGroupSize)
	b1 := concat(grp(8, 4, "dept", "Sales", "site", "North"), grp(7, 2, "dept", "Sales", "site", "South"),
		grp(9, 3, "dept", "Engineering", "site", "North"), grp(6, 5, "dept", "Engineering", "site", "South"),
		grp(5, 1, "dept", survey.PreferNotToSay, "site", survey.PreferNotToSay))
	f.add(f.wave, b1...)
	aud.add(1, b1...)
	calls := []Query{{}, {By: "dept"}, {By: "site"}, {By: "site", Filter: &Filter{"dept", "Sales"}},
		{By: "dept", Filter: &Filter{"site", "South"}}, {Filter: &Filter{"dept", "Engineering"}}}
	for _, q := range calls {
		aud.release(f.release(q))
	}
	b2 := concat(grp(1, 1, "dept", "Sales", "site", "South"), grp(6, 5, "dept", "Engineering", "site", "North"))
	f.add(f.wave, b2...)
	aud.add(2, b2...)
	for _, q := range calls {
		r := f.release(q)
		if r.Snapshot != 2 {
			t.Fatalf("snapshot %d", r.Snapshot)
		}
		aud.release(r)
	}
	aud.mustNotLeak(t)
	// Closing: cells that grew by fewer than k keep their published values.
	f.closeWave(f.wave)
	for _, q := range calls {
		aud.release(f.release(q))
	}
	aud.batchOf = func(s int) int { return min(s, 2) }
	aud.mustNotLeak(t)
}

// Open-link respondents who pick a department add to the responses of that
// department but not to its invitations: the rate is then unknown, never
// above 100%.
func TestParticipationNotAboveInvited(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend, attackDesign())
			f.add(f.wave, concat(grp(15, 4, "dept", "Sales"), grp(8, 3, "dept", "Engineering"))...)
			f.invite(f.wave, 12, map[string]string{"dept": "Sales"})
			f.invite(f.wave, 20, map[string]string{"dept": "Engineering"})
			r := f.release(Query{By: "dept"})
			for i, g := range r.Participation.Groups {
				if g.Value != nil && *g.Value > 1 {
					t.Errorf("group %d participation %.2f", i, *g.Value)
				}
			}
			if sales := r.Participation.Groups[0]; sales.Value != nil || sales.Suppressed {
				t.Errorf("sales (15 responses, 12 invited): %+v, want no rate", sales)
			}
			if eng := r.Participation.Groups[1]; eng.Value == nil || *eng.Value != 8.0/20 {
				t.Errorf("engineering: %+v, want 8/20", eng)
			}
		})
	}
}
