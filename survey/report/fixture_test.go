package report

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
)

// fixture is a migrated database with one launched survey and its first wave,
// an engine over it and a clock the test moves.
type fixture struct {
	t      testing.TB
	db     *db.DB
	store  *survey.Store
	engine *Engine
	sv     survey.Survey
	wave   survey.Wave
	now    time.Time
}

// backends lists the databases the store-touching tests run on: SQLite
// always, PostgreSQL when ALLYPULSE_TEST_POSTGRES is set.
func backends() []string {
	out := []string{"sqlite"}
	if os.Getenv(testtools.PostgresEnv) != "" {
		out = append(out, "postgres")
	}
	return out
}

// openDB opens a migrated database of the backend ("sqlite" or
// "postgres"), closed when the test ends.
func openDB(t testing.TB, backend string) *db.DB {
	t.Helper()
	return testtools.OpenDB(t, backend)
}

// attackDesign: three competency items, eNPS, two non-sensitive and two
// sensitive dimensions, one comment prompt.
func attackDesign() survey.Design {
	return survey.Design{
		Items: []string{"belonging.1", "belonging.3", "voice.1", "outcome.enps"},
		Demographics: []survey.Demographic{
			{Key: "dept", Label: "Department", Options: []string{"Sales", "Engineering", survey.PreferNotToSay}},
			{Key: "site", Label: "Site", Options: []string{"North", "South", survey.PreferNotToSay}},
			{Key: "gender", Label: "Gender", Options: []string{"Woman", "Man", survey.PreferNotToSay}, Sensitive: true},
			{Key: "ethnicity", Label: "Ethnicity", Options: []string{"A", "B", survey.PreferNotToSay}, Sensitive: true},
		},
		Comments: []survey.CommentPrompt{{Key: "general", Prompt: "Anything else?"}},
	}
}

// newFixture creates the survey with design d and a wave that is open until
// the test closes it.
func newFixture(t testing.TB, backend string, d survey.Design) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, db: openDB(t, backend), now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	f.store = survey.NewStore(f.db.Gorm)
	f.sv = survey.Survey{ID: kernel.NewID(), Title: "Pulse", Status: survey.StatusLaunched, Design: d,
		Anonymity: survey.DefaultAnonymity(), PracticalGapPoints: 5,
		Schedule:  survey.Schedule{Cadence: survey.CadenceOnce, OpensAt: f.now.Add(-time.Hour), WaveDays: 14},
		CreatedAt: f.now, UpdatedAt: f.now}
	if err := f.store.CreateSurvey(ctx, f.sv); err != nil {
		t.Fatal(err)
	}
	f.wave = f.addWave(1)
	f.engine = New(f.store, kernel.ClockFunc(func() time.Time { return f.now }))
	return f
}

// addWave creates wave n, open from an hour ago for 14 days.
func (f *fixture) addWave(n int) survey.Wave {
	f.t.Helper()
	w, err := f.store.CreateWave(context.Background(), survey.Wave{ID: kernel.NewID(), SurveyID: f.sv.ID, Number: n,
		OpensAt: f.now.Add(-time.Hour), ClosesAt: f.now.Add(14 * 24 * time.Hour), Slug: kernel.NewSecret(), Items: f.sv.Design.Items})
	if err != nil {
		f.t.Fatal(err)
	}
	return w
}

// closeWave moves the clock past the wave's close.
func (f *fixture) closeWave(w survey.Wave) {
	f.t.Helper()
	if err := f.store.SetWaveCloses(context.Background(), w.ID, f.now.Add(-time.Minute)); err != nil {
		f.t.Fatal(err)
	}
}

// person is one synthetic response: demographic option labels by key and
// scale values by item key.
type person struct {
	demo    map[string]string
	answers map[string]int
}

// encode builds the response blobs of p for the fixture's design.
func (f *fixture) encode(p person) (demo, answers []byte) {
	d := f.sv.Design
	demo = make([]byte, len(d.Demographics))
	for i, dm := range d.Demographics {
		if opt, ok := p.demo[dm.Key]; ok {
			idx := dm.OptionIndex(opt)
			if idx < 0 {
				f.t.Fatalf("option %q of %s", opt, dm.Key)
			}
			demo[i] = byte(idx + 1)
		}
	}
	answers = make([]byte, len(d.Items))
	for j, key := range d.Items {
		if v, ok := p.answers[key]; ok {
			answers[j] = survey.EncodeAnswer(v)
		}
	}
	return demo, answers
}

// add inserts responses into wave w directly with the blob encoding.
func (f *fixture) add(w survey.Wave, people ...person) {
	f.t.Helper()
	rows := make([]map[string]any, 0, len(people))
	for _, p := range people {
		demo, answers := f.encode(p)
		rows = append(rows, map[string]any{"wave_id": w.ID, "id": kernel.NewID(), "demo": demo, "answers": answers})
	}
	for start := 0; start < len(rows); start += 500 {
		end := min(start+500, len(rows))
		if err := f.db.Gorm.Table("responses").Create(rows[start:end]).Error; err != nil {
			f.t.Fatal(err)
		}
	}
}

// comment inserts a comment with its non-sensitive segment.
func (f *fixture) comment(w survey.Wave, text string, segment map[string]string) {
	f.t.Helper()
	seg, _ := json.Marshal(segment)
	row := map[string]any{"wave_id": w.ID, "id": kernel.NewID(), "prompt": "general", "body": text, "segment": string(seg)}
	if err := f.db.Gorm.Table("comments").Create(row).Error; err != nil {
		f.t.Fatal(err)
	}
}

// invite records an invite batch of count codes with a segment.
func (f *fixture) invite(w survey.Wave, count int, segment map[string]string) {
	f.t.Helper()
	seg, _ := json.Marshal(segment)
	row := map[string]any{"id": kernel.NewID(), "wave_id": w.ID, "segment": string(seg), "count": count, "created_at": f.now}
	if err := f.db.Gorm.Table("invite_batches").Create(row).Error; err != nil {
		f.t.Fatal(err)
	}
}

// release runs the engine and fails the test on error.
func (f *fixture) release(q Query) *Release {
	f.t.Helper()
	r, err := f.engine.Release(context.Background(), f.sv.ID, q)
	if err != nil {
		f.t.Fatalf("release %v: %v", q, err)
	}
	return r
}

// people returns n copies of a person with the given demographics, all
// answering every item with value v (eNPS 9).
func people(n int, v int, demo map[string]string) []person {
	out := make([]person, n)
	for i := range out {
		out[i] = person{demo: demo, answers: map[string]int{"belonging.1": v, "belonging.3": v, "voice.1": v, "outcome.enps": 9}}
	}
	return out
}
