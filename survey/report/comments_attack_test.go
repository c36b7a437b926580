package report

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// commentPerson is a respondent of a comment attack: their non-sensitive
// options and the comment they wrote ("" for none).
type commentPerson struct {
	dept, site, text string
}

// seedComments adds the respondents and their comments to wave 1.
func seedComments(f *fixture, pop []commentPerson) {
	for _, p := range pop {
		demo := map[string]string{}
		if p.dept != "" {
			demo["dept"] = p.dept
		}
		if p.site != "" {
			demo["site"] = p.site
		}
		f.add(f.wave, people(1, 4, demo)...)
		if p.text != "" {
			f.comment(f.wave, p.text, demo)
		}
	}
}

// closedCommentWave is a fixture whose closed wave 1 holds pop.
func closedCommentWave(t *testing.T, pop []commentPerson) *fixture {
	f := newFixture(t, "sqlite", attackDesign())
	seedComments(f, pop)
	f.closeWave(f.wave)
	return f
}

// crowd is n respondents of one dept and site, each writing a comment.
func crowd(n int, dept, site string) []commentPerson {
	out := make([]commentPerson, n)
	for i := range out {
		out[i] = commentPerson{dept: dept, site: site, text: fmt.Sprintf("%s/%s #%d", dept, site, i)}
	}
	return out
}

// commentAttack makes every comment call an attacker can make (the wave and
// every filter) and checks that no comment can be narrowed down, by
// intersecting and subtracting the sets returned, to fewer than k_c
// respondents: the respondents who are in exactly the same returned sets as
// its author are its anonymity set. It returns the number of sets shown.
func commentAttack(t *testing.T, f *fixture, pop []commentPerson) int {
	t.Helper()
	ctx := context.Background()
	queries := []Query{{}}
	for _, dm := range f.sv.Design.Demographics {
		if dm.Sensitive {
			continue
		}
		for _, o := range dm.Options {
			queries = append(queries, Query{Filter: &Filter{dm.Key, o}})
		}
	}
	var sets []map[string]bool
	var members []func(p commentPerson) bool
	for _, q := range queries {
		c, err := f.engine.Comments(ctx, f.sv.ID, q)
		if err != nil {
			t.Fatalf("comments %v: %v", q, err)
		}
		if c.Suppressed {
			continue
		}
		set := map[string]bool{}
		for _, it := range c.Items {
			set[it.Text] = true
		}
		sets = append(sets, set)
		q := q
		members = append(members, func(p commentPerson) bool {
			if q.Filter == nil {
				return true
			}
			if q.Filter.Dimension == "dept" {
				return p.dept == q.Filter.Option
			}
			return p.site == q.Filter.Option
		})
	}
	signature := func(in func(i int) bool) string {
		var b strings.Builder
		for i := range sets {
			if in(i) {
				b.WriteByte('1')
			} else {
				b.WriteByte('0')
			}
		}
		return b.String()
	}
	classes := map[string]int{}
	for _, p := range pop {
		classes[signature(func(i int) bool { return members[i](p) })]++
	}
	var leaks []string
	for _, p := range pop {
		if p.text == "" {
			continue
		}
		sig := signature(func(i int) bool { return sets[i][p.text] })
		if n := classes[sig]; sig != strings.Repeat("0", len(sets)) && n < f.sv.Anonymity.MinCommentGroupSize {
			leaks = append(leaks, fmt.Sprintf("%q narrowed to %d respondents", p.text, n))
		}
	}
	sort.Strings(leaks)
	if len(leaks) > 0 {
		t.Errorf("comments singled out:\n%s", strings.Join(leaks, "\n"))
	}
	return len(sets)
}

// Two large groups that overlap in three people: intersecting the comments
// of Sales with those of North must not yield those three people's
// comments, and the filters that stay shown still isolate no one.
func TestAttackCommentsIntersection(t *testing.T) {
	pop := concat2(crowd(3, "Sales", "North"), crowd(20, "Sales", "South"), crowd(20, "Engineering", "North"),
		crowd(20, "Engineering", "South"))
	f := closedCommentWave(t, pop)
	if shown := commentAttack(t, f, pop); shown < 3 {
		t.Errorf("only %d comment sets shown; the wave and one breakdown should stay", shown)
	}
	c, err := f.engine.Comments(context.Background(), f.sv.ID, Query{Filter: &Filter{"site", "North"}})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Suppressed || c.Reason != ReasonCommentsOverlap {
		t.Errorf("North's comments next to Sales' isolate three people: %+v", c)
	}
}

// Groups of k_c or more on both dimensions with large overlaps: every
// filter may be shown.
func TestCommentsLargeCrossCellsAllShown(t *testing.T) {
	pop := concat2(crowd(10, "Sales", "North"), crowd(12, "Sales", "South"), crowd(11, "Engineering", "North"),
		crowd(13, "Engineering", "South"))
	f := closedCommentWave(t, pop)
	if shown := commentAttack(t, f, pop); shown != 5 {
		t.Errorf("%d comment sets shown, want the wave and four filters", shown)
	}
}

// While a wave is open nothing is shown: otherwise the comments added
// between two publications would be those of the few who answered in
// between.
func TestAttackCommentsOpenWave(t *testing.T) {
	f := newFixture(t, "sqlite", attackDesign())
	seedComments(f, crowd(30, "Sales", "North"))
	ctx := context.Background()
	c, err := f.engine.Comments(ctx, f.sv.ID, Query{})
	if err != nil {
		t.Fatal(err)
	}
	seedComments(f, crowd(5, "Engineering", "South"))
	d, err := f.engine.Comments(ctx, f.sv.ID, Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []*Comments{c, d} {
		if !x.Suppressed || x.Reason != ReasonCommentsOpen || len(x.Items) != 0 {
			t.Fatalf("comments of an open wave: %+v", x)
		}
	}
	f.closeWave(f.wave)
	if e, err := f.engine.Comments(ctx, f.sv.ID, Query{}); err != nil || len(e.Items) != 35 {
		t.Fatalf("comments of the closed wave: %+v %v", e, err)
	}
}

func concat2(gs ...[]commentPerson) []commentPerson {
	var out []commentPerson
	for _, g := range gs {
		out = append(out, g...)
	}
	return out
}
