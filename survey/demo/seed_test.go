package demo_test

import (
	"context"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/demo"
	"github.com/allypulse/allypulse/survey/framework"
	"github.com/allypulse/allypulse/survey/report"
)

func TestPopulationAndAnswersAreDeterministic(t *testing.T) {
	fw := framework.BuiltIn()
	items := demo.Draft(time.Now()).Items
	a, b := demo.Population(demo.DefaultSeed), demo.Population(demo.DefaultSeed)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two populations from one seed differ")
	}
	if len(a) < 400 {
		t.Fatalf("population of %d; want at least 400 employees", len(a))
	}
	for n := 1; n <= demo.Waves; n++ {
		x := demo.WaveSubmissions(demo.DefaultSeed, fw, items, a, n)
		y := demo.WaveSubmissions(demo.DefaultSeed, fw, items, b, n)
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("wave %d: two draws from one seed differ", n)
		}
	}
	if reflect.DeepEqual(demo.Population(1), a) {
		t.Fatal("another seed gives the same population")
	}
}

func TestFirstWaveOpensLeavesWaveThreeOpen(t *testing.T) {
	for day := 1; day <= 31; day++ {
		now := time.Date(2026, time.March, day, 7, 30, 0, 0, time.UTC)
		sc := survey.Schedule{Cadence: survey.CadenceMonthly, OpensAt: demo.FirstWaveOpens(now), WaveDays: 14}
		w := survey.Wave{}
		w.OpensAt, w.ClosesAt = survey.WaveTimes(sc, 3)
		if w.Status(now) != survey.WaveOpen {
			t.Errorf("now %s: wave 3 is %s (%s–%s)", now.Format(time.DateOnly), w.Status(now), w.OpensAt, w.ClosesAt)
		}
		w.OpensAt, w.ClosesAt = survey.WaveTimes(sc, 2)
		if w.Status(now) != survey.WaveClosed {
			t.Errorf("now %s: wave 2 is %s", now.Format(time.DateOnly), w.Status(now))
		}
	}
}

func TestSeedFillsThreeWavesThroughIntake(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { checkSeed(t, testtools.OpenDB(t, db.SQLite)) })
	if os.Getenv(testtools.PostgresEnv) != "" || testtools.InCI() {
		t.Run("postgres", func(t *testing.T) { checkSeed(t, testtools.OpenDB(t, db.Postgres)) })
	}
}

func checkSeed(t *testing.T, d *db.DB) {
	ctx := context.Background()
	now := time.Now().UTC()
	res, err := demo.Seed(ctx, d, demo.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("responses %v of %v invited, %d comments", res.Responses, res.Invited, res.Comments)
	if len(res.Responses) != demo.Waves {
		t.Fatalf("waves filled: %d", len(res.Responses))
	}
	store := survey.NewStore(d.Gorm)
	waves, err := store.Waves(ctx, res.SurveyID)
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[int]string{}
	for _, w := range waves {
		statuses[w.Number] = w.Status(now)
	}
	if statuses[1] != survey.WaveClosed || statuses[2] != survey.WaveClosed || statuses[3] != survey.WaveOpen {
		t.Fatalf("wave statuses %v; want 1 and 2 closed, 3 open", statuses)
	}
	for i, n := range res.Responses {
		w, err := store.WaveByNumber(ctx, res.SurveyID, i+1)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := store.CountResponses(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored != n {
			t.Errorf("wave %d: %d responses stored, %d submitted", i+1, stored, n)
		}
		rate := float64(n) / float64(res.Invited[i])
		if rate < 0.70 || rate > 0.88 {
			t.Errorf("wave %d: participation %.2f outside 0.70–0.88", i+1, rate)
		}
	}
	if last := res.Responses[demo.Waves-1]; last < 400 {
		t.Errorf("latest wave has %d respondents; want at least 400", last)
	}
	if res.Comments < 24 {
		t.Errorf("%d comments; want a few dozen", res.Comments)
	}
	checkBaselineThenPulse(t, store, res, now)

	// The results engine sees a suppressed Legal department and a gap.
	eng := report.New(store, kernel.ClockFunc(func() time.Time { return now }))
	rel, err := eng.Release(ctx, res.SurveyID, report.Query{Wave: 2, By: demo.DimDepartment})
	if err != nil {
		t.Fatal(err)
	}
	legal := false
	for _, g := range rel.Groups {
		if g.Option == demo.LegalDepartment {
			legal = true
			if !g.Count.Suppressed {
				t.Errorf("Legal is shown with n=%d; want it suppressed", g.Count.N)
			}
		}
	}
	if !legal {
		t.Error("no Legal group in the department breakdown")
	}
	gaps, err := eng.Gaps(ctx, res.SurveyID, report.Query{Wave: 2, By: demo.DimGender})
	if err != nil {
		t.Fatal(err)
	}
	flagged := 0
	for _, r := range gaps.Rows {
		for _, c := range r.Groups {
			if c.Flagged {
				flagged++
			}
		}
	}
	if flagged == 0 {
		t.Error("no flagged gap by gender; the demo's built-in gaps do not show")
	}

	// A second seed adds nothing.
	if _, err := demo.Seed(ctx, d, demo.Options{Now: now}); !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("second seed: %v; want ErrNotEmpty", err)
	}
}

func TestDraftPassesValidation(t *testing.T) {
	now := time.Now().UTC()
	d, err := survey.ValidateDraft(demo.Draft(now.Add(time.Hour)), framework.BuiltIn(), now)
	if err != nil {
		t.Fatal(err)
	}
	sensitive := 0
	for _, dm := range d.Demographics {
		if dm.Sensitive {
			sensitive++
		}
		if dm.Options[len(dm.Options)-1] != survey.PreferNotToSay {
			t.Errorf("%s lacks %q", dm.Key, survey.PreferNotToSay)
		}
	}
	if sensitive != 2 {
		t.Errorf("%d sensitive demographics; want gender and ethnicity", sensitive)
	}
	screen := slices.Index(d.Items, framework.ScreenWitnessed)
	if screen < 0 || screen > slices.Index(d.Items, "ally.confront.self") {
		t.Errorf("the opportunity screen is not asked before the ally items: %v", d.Items)
	}
}

// TestReplicasSeedTheDemoOnce starts two replicas' worth of pools with
// --demo on one empty PostgreSQL schema at the same moment. Both used to
// find no survey and fill the demo, leaving two "Inclusion pulse" surveys;
// now one fills it and the other finds the database not empty.
func TestReplicasSeedTheDemoOnce(t *testing.T) {
	ctx := context.Background()
	dbs := testtools.PostgresReplicas(t, 2)
	if _, err := dbs[0].Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	errs := make(chan error, len(dbs))
	for _, d := range dbs {
		go func() {
			_, err := demo.Seed(ctx, d, demo.Options{Now: now})
			errs <- err
		}()
	}
	seeded, skipped := 0, 0
	for range dbs {
		switch err := <-errs; {
		case err == nil:
			seeded++
		case errors.Is(err, demo.ErrNotEmpty):
			skipped++
		default:
			t.Errorf("seed: %v", err)
		}
	}
	if seeded != 1 || skipped != 1 {
		t.Errorf("%d replicas filled the demo and %d found it filled; want 1 and 1", seeded, skipped)
	}
	list, err := survey.NewStore(dbs[0].Gorm).ListSurveys(ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Errorf("%d surveys after two replicas started with --demo; want the baseline and the pulse", len(list))
	}
}

// checkBaselineThenPulse: the baseline asked every question once and was
// closed before the pulse began; each pulse wave asks at most the default
// limit, with every competency and both outcomes.
func checkBaselineThenPulse(t *testing.T, store *survey.Store, res demo.Result, now time.Time) {
	t.Helper()
	ctx := context.Background()
	fw := framework.BuiltIn()
	base, err := store.GetSurvey(ctx, res.BaselineID)
	if err != nil {
		t.Fatal(err)
	}
	bw, err := store.Waves(ctx, base.ID)
	if err != nil {
		t.Fatal(err)
	}
	if base.Schedule.Cadence != survey.CadenceOnce || len(bw) != 1 || bw[0].Status(now) != survey.WaveClosed || len(bw[0].Items) != len(base.Design.Items) {
		t.Fatalf("baseline %s with %d waves", base.Schedule.Cadence, len(bw))
	}
	if n, err := store.CountResponses(ctx, bw[0].ID); err != nil || n != res.BaselineResponses || n < 350 {
		t.Errorf("baseline responses %d stored, %d submitted (%v)", n, res.BaselineResponses, err)
	}
	pulse, err := store.GetSurvey(ctx, res.SurveyID)
	if err != nil {
		t.Fatal(err)
	}
	waves, err := store.Waves(ctx, pulse.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bw[0].ClosesAt.Before(waves[0].OpensAt) {
		t.Errorf("baseline closes %s, after the pulse opens %s", bw[0].ClosesAt, waves[0].OpensAt)
	}
	for _, w := range waves {
		constructs := map[string]bool{}
		for _, k := range w.Items {
			it, _ := fw.Item(k)
			constructs[it.Construct] = true
		}
		if len(w.Items) > survey.DefaultPulseItems || !slices.Contains(w.Items, "outcome.enps") || !slices.Contains(w.Items, "outcome.stay") {
			t.Errorf("pulse wave %d asks %d: %q", w.Number, len(w.Items), w.Items)
		}
		for _, c := range []string{"belonging", "authenticity", "voice", "fairness", "decisions", "courage"} {
			if !constructs[c] {
				t.Errorf("pulse wave %d does not measure %s", w.Number, c)
			}
		}
	}
	for _, sv := range []survey.Survey{base, pulse} {
		if strings.Contains(sv.Intro, "groups of at least") {
			t.Errorf("%s repeats the privacy promise the employee page states: %q", sv.Title, sv.Intro)
		}
		if gaps := survey.TranslationGaps(survey.DraftOf(sv), fw); len(gaps) > 0 {
			t.Errorf("%s: translation gaps %v", sv.Title, gaps)
		}
	}
}
