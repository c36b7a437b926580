package report

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/allypulse/allypulse/internal/testtools"
)

// TestSameNumbersOnEveryDatabase stores one set of responses in SQLite and,
// in another order, in PostgreSQL, and compares the released wave byte for
// byte. Sums of fractional scores depend on the order they are added in;
// PostgreSQL handed the rows over in the order they were written (SQLite in
// id order), so its scores, intervals and correlations differed in the last
// digits, and could differ between replicas whenever the rows came back in
// another order (a parallel or synchronised scan, a rewritten table).
func TestSameNumbersOnEveryDatabase(t *testing.T) {
	testtools.Postgres(t)
	design := attackDesign()
	design.Items = []string{"belonging.1", "belonging.2", "belonging.3", "belonging.4", "voice.1", "voice.2", "voice.3", "outcome.enps"}
	rng := rand.New(rand.NewPCG(7, 11))
	opts := [][]string{{"Sales", "Engineering"}, {"North", "South"}, {"Woman", "Man"}, {"A", "B"}}
	type row struct {
		id string
		p  person
	}
	rows := make([]row, 1500)
	for i := range rows {
		p := person{demo: map[string]string{}, answers: map[string]int{"outcome.enps": rng.IntN(11)}}
		for d, key := range []string{"dept", "site", "gender", "ethnicity"} {
			p.demo[key] = opts[d][rng.IntN(2)]
		}
		for _, item := range design.Items[:7] {
			if rng.IntN(4) > 0 { // some skipped: scores in thirds
				p.answers[item] = 1 + rng.IntN(5)
			}
		}
		rows[i] = row{id: fmt.Sprintf("r%06d-%d", rng.IntN(1_000_000), i), p: p}
	}
	released := map[string]string{}
	for _, backend := range []string{"sqlite", "postgres"} {
		f := newFixture(t, backend, design)
		if backend == "postgres" {
			slices.Reverse(rows) // written in another order than the ids
		}
		values := make([]map[string]any, len(rows))
		for i, r := range rows {
			demo, answers := f.encode(r.p)
			values[i] = map[string]any{"wave_id": f.wave.ID, "id": r.id, "demo": demo, "answers": answers}
		}
		if err := f.db.Gorm.Table("responses").CreateInBatches(values, 500).Error; err != nil {
			t.Fatal(err)
		}
		f.closeWave(f.wave)
		r := f.release(Query{By: "dept"})
		r.SurveyID = "" // random per database
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		released[backend] = string(out)
	}
	if released["sqlite"] != released["postgres"] {
		t.Errorf("the same responses give other numbers on PostgreSQL than on SQLite:\nsqlite   %.600s\npostgres %.600s", released["sqlite"], released["postgres"])
	}
}
