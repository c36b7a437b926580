package report

import (
	"context"
	"encoding/json"
	"testing"
)

// groupOf returns the count and participation of group opt of r.
func groupOf(t *testing.T, r *Release, opt string) SegmentCells {
	t.Helper()
	for i, g := range r.Groups {
		if g.Option == opt {
			sc := SegmentCells{Respondents: g.Count}
			if i < len(r.Participation.Groups) {
				sc.Participation = r.Participation.Groups[i]
			}
			return sc
		}
	}
	t.Fatalf("no group %s in %v", opt, r.Query)
	return SegmentCells{}
}

func sameJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// TestSegmentsAreTheReleasedGroups: each segment gets the cells of the
// group a results view releases for it, suppressed exactly when that view
// suppresses them; what no view shows is suppressed.
func TestSegmentsAreTheReleasedGroups(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend, attackDesign())
			w := f.wave
			f.invite(w, 10, map[string]string{"dept": "Sales"})
			f.invite(w, 40, map[string]string{"dept": "Engineering"})
			f.add(w, people(3, 4, map[string]string{"dept": "Sales", "site": "North", "gender": "Woman"})...)
			f.add(w, people(25, 4, map[string]string{"dept": "Engineering", "site": "South", "gender": "Man"})...)
			f.add(w, people(12, 3, map[string]string{"dept": "Engineering", "site": "North", "gender": "Man"})...)
			f.add(w, people(10, 3, map[string]string{"dept": "Prefer not to say", "site": "South", "gender": "Man"})...)
			segs := []map[string]string{
				{"dept": "Sales"},
				{"dept": "Engineering"},
				{},
				{"gender": "Woman"},
				{"site": "North", "dept": "Engineering"},
				{"gender": "Woman", "ethnicity": "A"},
				{"dept": "Sales", "site": "North", "gender": "Woman"},
			}
			part, got, err := f.engine.Segments(context.Background(), f.sv.ID, 1, segs)
			if err != nil {
				t.Fatal(err)
			}
			if whole := f.release(Query{Wave: 1}); !sameJSON(part, whole.Participation.Overall) {
				t.Errorf("wave participation %+v, results %+v", part, whole.Participation.Overall)
			}
			byDept := f.release(Query{Wave: 1, By: "dept"})
			want := []SegmentCells{
				groupOf(t, byDept, "Sales"),
				groupOf(t, byDept, "Engineering"),
				{},
				groupOf(t, f.release(Query{Wave: 1, By: "gender"}), "Woman"),
				groupOf(t, f.release(Query{Wave: 1, Filter: &Filter{Dimension: "dept", Option: "Engineering"}, By: "site"}), "North"),
				withheld("two sensitive dimensions are never combined"),
				withheld(ReasonNoView),
			}
			for i := range segs {
				if !sameJSON(got[i], want[i]) {
					t.Errorf("segment %v: %+v, results %+v", segs[i], got[i], want[i])
				}
			}
			if c := got[0].Respondents; !c.Suppressed || c.Reason != ReasonTooFew {
				t.Errorf("3 Sales respondents: %+v, want suppressed", c)
			}
			if c := got[1].Respondents; c.Suppressed || c.N != 37 {
				t.Errorf("37 Engineering respondents: %+v", c)
			}
		})
	}
}
