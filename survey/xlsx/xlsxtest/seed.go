package xlsxtest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
)

// HostileComments are comments written to attack whoever opens an export:
// formulas, a DDE command, values that start with a tab or CR, the
// fullwidth forms of the signs, and signs behind white space or an
// invisible character.
var HostileComments = []string{
	`=HYPERLINK("http://x","y")`,
	`+cmd|' /C calc'!A0`,
	`@SUM(1+1)`,
	`-2+3`,
	"\t=1+1",
	"\r=1+1",
	"＝1+1",
	"＋cmd|' /C calc'!A0",
	"－2+3",
	"＠SUM(1+1)",
	" =1+1",
	"\u3000=1+1",
	"\u200b=1+1",
}

// Spec describes a synthetic survey for export tests and benchmarks.
type Spec struct {
	// Responses per wave, oldest wave first; every wave is closed at now,
	// except the last one when OpenLast is set.
	Responses []int
	// Comments are written to the last wave (on top of ordinary ones).
	Comments []string
	Seed     uint64
	// OpenLast keeps the last wave open at now (its snapshots apply).
	OpenLast bool
}

// Seeded is what Seed made.
type Seeded struct {
	Survey survey.Survey
	Waves  []survey.Wave
}

// Demographics are department, location and a sensitive gender, with a
// small Legal department and a small Non-binary group, so that primary and
// secondary suppression happen.
func Demographics() []survey.Demographic {
	return []survey.Demographic{
		{Key: "department", Label: "Department", Options: []string{"Sales", "Engineering", "Operations", "Finance", "People", "Legal", survey.PreferNotToSay}},
		{Key: "location", Label: "Location", Options: []string{"Berlin", "Lisbon", "Remote", survey.PreferNotToSay}},
		{Key: "gender", Label: "Gender", Sensitive: true, Options: []string{"Woman", "Man", "Non-binary", survey.PreferNotToSay}},
	}
}

// Items are every built-in item the export shows, the screen first so it
// gates the ally items.
func Items(fw framework.Framework) []string {
	keys := []string{framework.ScreenWitnessed}
	for _, it := range fw.Items {
		c, _ := fw.Construct(it.Construct)
		switch c.Kind {
		case framework.KindCompetency, framework.KindBehaviour, framework.KindAccess, framework.KindBarrier, framework.KindOutcome:
			keys = append(keys, it.Key)
		}
	}
	return keys
}

// Seed stores a launched survey with closed waves of synthetic
// responses, inserted in the storage format of survey/response.go (the
// same rows the intake writes), and comments in the last wave.
func Seed(t testing.TB, d *db.DB, now time.Time, spec Spec) Seeded {
	t.Helper()
	ctx := context.Background()
	fw := framework.BuiltIn()
	store := survey.NewStore(d.Gorm)
	first := now.Add(-time.Duration(len(spec.Responses)) * 30 * 24 * time.Hour)
	launched := first
	sv := survey.Survey{
		ID: kernel.NewID(), Title: "Inclusion Pulse 2026", Status: survey.StatusLaunched,
		Design: survey.Design{Items: Items(fw), Demographics: Demographics(),
			Comments: []survey.CommentPrompt{{Key: "better", Prompt: "What would make this a more inclusive place?"}}},
		Anonymity: survey.DefaultAnonymity(), PracticalGapPoints: survey.DefaultPracticalGapPoints,
		Schedule:  survey.Schedule{Cadence: survey.CadenceMonthly, OpensAt: first, WaveDays: 14},
		CreatedAt: first, UpdatedAt: first, LaunchedAt: &launched,
	}
	if err := store.CreateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(spec.Seed, 7))
	out := Seeded{Survey: sv}
	for i, n := range spec.Responses {
		opens := first.Add(time.Duration(i) * 30 * 24 * time.Hour)
		closes := opens.Add(14 * 24 * time.Hour)
		if spec.OpenLast && i == len(spec.Responses)-1 {
			opens, closes = now.Add(-24*time.Hour), now.Add(7*24*time.Hour)
		}
		w, err := store.CreateWave(ctx, survey.Wave{ID: kernel.NewID(), SurveyID: sv.ID, Number: i + 1,
			OpensAt: opens, ClosesAt: closes, Slug: kernel.NewID(), Items: sv.Design.Items})
		if err != nil {
			t.Fatal(err)
		}
		out.Waves = append(out.Waves, w)
		comments := []string{}
		if i == len(spec.Responses)-1 {
			comments = append(comments, spec.Comments...)
		}
		insertResponses(t, d, sv, fw, w, n, i, comments, rng)
	}
	return out
}

// insertResponses writes n responses (and the comments, plus one ordinary
// comment per 50 responses) in one transaction.
func insertResponses(t testing.TB, d *db.DB, sv survey.Survey, fw framework.Framework, w survey.Wave, n, wave int, extra []string, rng *rand.Rand) {
	t.Helper()
	ctx := context.Background()
	tx, err := d.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	ph := func(q string) string { return db.Rebind(d.Dialect == db.Postgres, q) }
	resp, err := tx.PrepareContext(ctx, ph("INSERT INTO responses (wave_id, id, demo, answers) VALUES (?, ?, ?, ?)"))
	if err != nil {
		t.Fatal(err)
	}
	com, err := tx.PrepareContext(ctx, ph("INSERT INTO comments (wave_id, id, prompt, body, segment) VALUES (?, ?, ?, ?, ?)"))
	if err != nil {
		t.Fatal(err)
	}
	items := make([]framework.Item, len(sv.Design.Items))
	for j, k := range sv.Design.Items {
		items[j], _ = fw.Item(k)
	}
	for r := 0; r < n; r++ {
		demo := seedDemo(rng)
		answers := make([]byte, len(items))
		witnessed := rng.IntN(10) > 0
		// Operations and women answer lower, later waves a little higher:
		// gaps and a trend to find.
		shift := 0.15*float64(wave) - 0.8*b2f(demo[0] == 3) - 0.5*b2f(demo[2] == 1)
		for j, it := range items {
			answers[j] = seedAnswer(rng, it, witnessed, shift)
		}
		if _, err := resp.ExecContext(ctx, w.ID, kernel.NewID(), demo, answers); err != nil {
			t.Fatal(err)
		}
		if r%50 == 0 {
			insertComment(t, com, w, sv, demo, fmt.Sprintf("Comment number %d about meetings.", r))
		}
	}
	for _, text := range extra {
		insertComment(t, com, w, sv, []byte{1, 1, 0}, text)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func insertComment(t testing.TB, com *sql.Stmt, w survey.Wave, sv survey.Survey, demo []byte, text string) {
	t.Helper()
	seg := map[string]string{}
	for i, dm := range sv.Design.Demographics {
		if !dm.Sensitive && i < len(demo) && demo[i] > 0 {
			seg[dm.Key] = dm.Options[demo[i]-1]
		}
	}
	segJSON, _ := json.Marshal(seg)
	if _, err := com.ExecContext(context.Background(), w.ID, kernel.NewID(), "better", text, string(segJSON)); err != nil {
		t.Fatal(err)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// seedDemo draws department, location and gender (option index + 1, 0 for
// not answered) with a Legal department and a Non-binary group that are
// small.
func seedDemo(rng *rand.Rand) []byte {
	pick := func(weights []int) byte {
		total := 0
		for _, w := range weights {
			total += w
		}
		x := rng.IntN(total)
		for i, w := range weights {
			if x < w {
				return byte(i)
			}
			x -= w
		}
		return 0
	}
	// Index 0 of each weight list is "not answered".
	return []byte{
		pick([]int{1, 30, 30, 20, 10, 8, 1, 1}),
		pick([]int{1, 40, 30, 28, 1}),
		pick([]int{2, 45, 45, 1, 7}),
	}
}

// seedAnswer draws an answer byte for item it: a 1..5 (or 0..10) value
// around a centre moved by shift, "no opportunity" now and then on
// frequency items, and nothing for gated ally items when the respondent
// witnessed nothing.
func seedAnswer(rng *rand.Rand, it framework.Item, witnessed bool, shift float64) byte {
	switch it.Scale {
	case framework.ScaleSingle:
		if witnessed {
			return 1
		}
		return 2
	case framework.ScaleNPS:
		v := int(7 + 2*shift + rng.NormFloat64()*2.2 + 0.5)
		return survey.EncodeAnswer(min(10, max(0, v)))
	case framework.ScaleFrequency:
		if it.GatedBy != "" && !witnessed {
			return survey.AnswerMissing
		}
		if rng.IntN(20) == 0 {
			return survey.AnswerNA
		}
	}
	if rng.IntN(40) == 0 {
		return survey.AnswerMissing
	}
	v := int(3.6 + shift + rng.NormFloat64()*1.0 + 0.5)
	return survey.EncodeAnswer(min(5, max(1, v)))
}
