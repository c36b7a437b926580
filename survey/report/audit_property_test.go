package report

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
)

// useSurvey starts a new launched survey with design d and an open first
// wave in the fixture's database, so many layouts share one database.
func (f *fixture) useSurvey(d survey.Design) {
	f.t.Helper()
	f.sv = survey.Survey{ID: kernel.NewID(), Title: "Pulse", Status: survey.StatusLaunched, Design: d,
		Anonymity: survey.DefaultAnonymity(), PracticalGapPoints: 5,
		Schedule:  survey.Schedule{Cadence: survey.CadenceOnce, OpensAt: f.now.Add(-time.Hour), WaveDays: 14},
		CreatedAt: f.now, UpdatedAt: f.now}
	if err := f.store.CreateSurvey(context.Background(), f.sv); err != nil {
		f.t.Fatal(err)
	}
	f.wave = f.addWave(1)
}

// randomLayout draws a small design: two or three dimensions (at most one
// sensitive pair is never crossed by the lattice), two to five items.
func randomLayout(rng *rand.Rand) survey.Design {
	pool := []survey.Demographic{
		{Key: "dept", Label: "Department", Options: []string{"Sales", "Engineering", survey.PreferNotToSay}[:2+rng.IntN(2)]},
		{Key: "site", Label: "Site", Options: []string{"North", "South"}},
		{Key: "gender", Label: "Gender", Options: []string{"Woman", "Man", survey.PreferNotToSay}[:2+rng.IntN(2)], Sensitive: true},
		{Key: "tenure", Label: "Tenure", Options: []string{"New", "Long"}},
	}
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	d := survey.Design{Demographics: pool[:2+rng.IntN(2)]}
	items := []string{"belonging.1", "belonging.2", "belonging.3", "voice.1", "voice.2", "outcome.enps"}
	for _, it := range items {
		if rng.IntN(3) > 0 {
			d.Items = append(d.Items, it)
		}
	}
	if len(d.Items) == 0 {
		d.Items = []string{"voice.1"}
	}
	return d
}

// randomSkippers draws n respondents whose demographics cluster in a few
// combinations (so that small cells and skip patterns are common).
func randomSkippers(rng *rand.Rand, d survey.Design, n int) []person {
	out := randomPopulation(rng, d, n)
	for i := range out {
		if i > 0 && rng.IntN(3) == 0 {
			out[i].demo = out[rng.IntN(i)].demo
		}
		for _, key := range d.Items { // in design order: map order would make the layouts differ between runs
			if _, ok := out[i].answers[key]; ok && rng.IntN(5) == 0 {
				delete(out[i].answers, key)
			}
		}
	}
	return out
}

// auditLayouts is the number of random layouts per database.
func auditLayouts(backend string) int {
	if s := os.Getenv("ALLYPULSE_AUDIT_LAYOUTS"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
	}
	switch {
	case testing.Short():
		return 100
	case backend == "postgres":
		return 200
	}
	return 2000
}

// TestAuditRandomLayouts runs the independent exact checker against every
// view of the lattice, asked in a random order, on thousands of random
// layouts: no combination of what comes back may determine a protected
// group.
func TestAuditRandomLayouts(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend, attackDesign())
			rng := rand.New(rand.NewPCG(20261202, 9))
			shown, live := 0, 0
			for i := 0; i < auditLayouts(backend); i++ {
				d := randomLayout(rng)
				f.useSurvey(d)
				pop := randomSkippers(rng, d, 4+rng.IntN(36))
				// A third of the layouts arrive in two or three batches with
				// every view asked after each (a live wave's snapshots).
				batches := [][]person{pop}
				if rng.IntN(3) == 0 {
					cut1 := rng.IntN(len(pop) + 1)
					cut2 := cut1 + rng.IntN(len(pop)-cut1+1)
					batches = [][]person{pop[:cut1], pop[cut1:cut2], pop[cut2:]}
					live++
				}
				closeAtEnd := rng.IntN(2) == 0
				qs := allQueries(d)
				skip := os.Getenv("ALLYPULSE_AUDIT_ONLY") != "" && os.Getenv("ALLYPULSE_AUDIT_ONLY") != strconv.Itoa(i)
				x := newXChecker(d, f.sv.Anonymity.MinGroupSize, f.sv.Anonymity.MinSensitiveGroupSize)
				snapshotBatch := map[int]int{}
				x.batchOf = func(s int) int { return snapshotBatch[s] }
				call := func(b int) {
					rng.Shuffle(len(qs), func(a, b int) { qs[a], qs[b] = qs[b], qs[a] })
					if skip {
						return
					}
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
						for _, c := range r.Competencies {
							if !c.Overall.Suppressed {
								shown++
							}
						}
					}
				}
				for bi, b := range batches {
					f.add(f.wave, b...)
					x.add(bi+1, b...)
					if len(batches) > 1 || !closeAtEnd {
						call(bi + 1)
					}
				}
				if closeAtEnd {
					f.closeWave(f.wave)
					call(len(batches))
				}
				if skip {
					continue
				}
				if l := x.leaks(); len(l) > 0 {
					if dump := os.Getenv("ALLYPULSE_AUDIT_DUMP"); dump != "" {
						b, _ := json.Marshal(map[string]any{"design": d, "people": peopleJSON(pop), "batches": len(batches), "closed": closeAtEnd})
						_ = os.WriteFile(dump, b, 0o644)
					}
					t.Fatalf("layout %d (%d respondents in %d batches, closed=%v, dims %v, items %v): released numbers determine protected groups:\n%s",
						i, len(pop), len(batches), closeAtEnd, dimKeys(d), d.Items, l[0])
				}
			}
			if shown == 0 || live == 0 {
				t.Fatalf("competencies shown %d times, %d live layouts: the property would hold vacuously", shown, live)
			}
		})
	}
}

func dimKeys(d survey.Design) []string {
	var out []string
	for _, dm := range d.Demographics {
		out = append(out, dm.Key)
	}
	return out
}

// peopleJSON is a test population as plain data (for a failure dump).
func peopleJSON(ps []person) []map[string]any {
	out := make([]map[string]any, len(ps))
	for i, p := range ps {
		out[i] = map[string]any{"demo": p.demo, "answers": p.answers}
	}
	return out
}
