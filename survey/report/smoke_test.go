package report

import (
	"encoding/json"
	"testing"
)

func TestSmoke(t *testing.T) {
	f := newFixture(t, "sqlite", attackDesign())
	f.add(f.wave, people(12, 4, map[string]string{"dept": "Sales", "site": "North", "gender": "Woman"})...)
	f.add(f.wave, people(9, 2, map[string]string{"dept": "Engineering", "site": "South", "gender": "Man"})...)
	f.add(f.wave, people(2, 5, map[string]string{"dept": "Engineering", "site": "North"})...)
	r := f.release(Query{By: "dept"})
	b, _ := json.MarshalIndent(r, "", " ")
	_ = b; c, _ := json.Marshal(r.Competencies); t.Log(string(c))
}
