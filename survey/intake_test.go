package survey

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey/framework"
)

// intakeFixture is a launched survey with one open wave in a real database.
type intakeFixture struct {
	db     *db.DB
	store  *Store
	intake *Intake
	survey Survey
	wave   Wave
	now    time.Time
}

// testDesign asks a competency, the ally screen with two gated items, eNPS,
// two demographics (one sensitive) and one comment prompt.
func testDesign() Design {
	return Design{
		Items: []string{"belonging.1", "belonging.2", framework.ScreenWitnessed, "ally.confront.self", "ally.confront.experienced", "outcome.enps"},
		Demographics: []Demographic{
			{Key: "department", Label: "Department", Options: []string{"Sales", "Engineering", PreferNotToSay}},
			{Key: "gender", Label: "Gender", Options: []string{"Woman", "Man", "Non-binary", PreferNotToSay}, Sensitive: true},
		},
		Comments: []CommentPrompt{{Key: "general", Prompt: "Anything else?"}},
	}
}

// openTestDB opens a migrated database: SQLite in a temporary directory, or a
// fresh PostgreSQL schema when pg is true.
func openTestDB(t testing.TB, pg bool) *db.DB {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "test.db")
	if pg {
		dsn = testtools.FreshPostgresSchema(t, testtools.Postgres(t))
	}
	ctx := context.Background()
	d, err := db.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return d
}

func newIntakeFixture(t testing.TB, pg bool) *intakeFixture {
	t.Helper()
	ctx := context.Background()
	d := openTestDB(t, pg)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	store := NewStore(d.Gorm)
	sv := Survey{
		ID: kernel.NewID(), Title: "Pulse", Status: StatusLaunched, Design: testDesign(), Anonymity: DefaultAnonymity(),
		Schedule: Schedule{Cadence: CadenceOnce, OpensAt: now.Add(-time.Hour), WaveDays: 14}, PracticalGapPoints: 5,
		CreatedAt: now, UpdatedAt: now,
	}
	if err := store.CreateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	w, err := store.CreateWave(ctx, Wave{ID: kernel.NewID(), SurveyID: sv.ID, Number: 1, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(14 * 24 * time.Hour), Slug: kernel.NewSecret(), Items: sv.Design.Items})
	if err != nil {
		t.Fatal(err)
	}
	f := &intakeFixture{db: d, store: store, survey: sv, wave: w, now: now}
	f.intake = NewIntake(store, d.SQL, kernel.ClockFunc(func() time.Time { return f.now }), IntakeConfig{})
	t.Cleanup(func() { _ = f.intake.Close(context.Background()) })
	return f
}

func goodSubmission() Submission {
	return Submission{
		Answers: map[string]AnswerValue{
			"belonging.1": ScaleAnswer(4), "belonging.2": ScaleAnswer(2),
			framework.ScreenWitnessed: ChoiceAnswer("Yes"), "ally.confront.self": ScaleAnswer(3),
			"ally.confront.experienced": NotApplicable(), "outcome.enps": ScaleAnswer(0),
		},
		Demographics: map[string]string{"department": "Sales", "gender": PreferNotToSay},
		Comments:     map[string]string{"general": "Write to me at jane@example.com"},
	}
}

func (f *intakeFixture) count(t *testing.T, table string) int {
	t.Helper()
	var n int64
	if err := f.db.Gorm.Table(table).Where("wave_id = ?", f.wave.ID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestSubmitStoresEncodedResponse(t *testing.T) {
	for _, pg := range backends(t) {
		t.Run(backendName(pg), func(t *testing.T) {
			f := newIntakeFixture(t, pg)
			ctx := context.Background()
			if err := f.intake.Submit(ctx, f.wave.Slug, goodSubmission()); err != nil {
				t.Fatal(err)
			}
			rs, err := f.store.WaveResponses(ctx, f.wave.ID)
			if err != nil || len(rs) != 1 {
				t.Fatalf("responses %v, %v", rs, err)
			}
			want := []byte{EncodeAnswer(4), EncodeAnswer(2), 1, EncodeAnswer(3), AnswerNA, EncodeAnswer(0)}
			if string(rs[0].Answers) != string(want) {
				t.Errorf("answers %v, want %v", rs[0].Answers, want)
			}
			if string(rs[0].Demo) != string([]byte{1, 4}) {
				t.Errorf("demo %v", rs[0].Demo)
			}
			var bodies []struct{ Body, Segment string }
			if err := f.db.Gorm.Table("comments").Select("body, segment").Find(&bodies).Error; err != nil {
				t.Fatal(err)
			}
			if len(bodies) != 1 || bodies[0].Body != "Write to me at "+EmailPlaceholder || bodies[0].Segment != `{"department":"Sales"}` {
				t.Errorf("comments %+v", bodies)
			}
		})
	}
}

func TestSubmitValidationRules(t *testing.T) {
	f := newIntakeFixture(t, false)
	edit := func(fn func(*Submission)) Submission {
		s := goodSubmission()
		fn(&s)
		return s
	}
	cases := []struct {
		name  string
		sub   Submission
		field string
	}{
		{"out of range", edit(func(s *Submission) { s.Answers["belonging.1"] = ScaleAnswer(6) }), "answers.belonging.1"},
		{"below range", edit(func(s *Submission) { s.Answers["outcome.enps"] = ScaleAnswer(-1) }), "answers.outcome.enps"},
		{"not whole", edit(func(s *Submission) { s.Answers["belonging.1"] = AnswerValue{kind: answerNumber, num: 3.5} }), "answers.belonging.1"},
		{"wrong type", edit(func(s *Submission) { s.Answers["belonging.1"] = ChoiceAnswer("Agree") }), "answers.belonging.1"},
		{"invalid json value", edit(func(s *Submission) { s.Answers["belonging.1"] = AnswerValue{} }), "answers.belonging.1"},
		{"na not offered", edit(func(s *Submission) { s.Answers["belonging.1"] = NotApplicable() }), "answers.belonging.1"},
		{"unknown item", edit(func(s *Submission) { s.Answers["voice.1"] = ScaleAnswer(3) }), "answers.voice.1"},
		{"unknown option", edit(func(s *Submission) { s.Answers[framework.ScreenWitnessed] = ChoiceAnswer("Maybe") }), "answers." + framework.ScreenWitnessed},
		{"number for choice", edit(func(s *Submission) { s.Answers[framework.ScreenWitnessed] = ScaleAnswer(1) }), "answers." + framework.ScreenWitnessed},
		{"gated after No", edit(func(s *Submission) { s.Answers[framework.ScreenWitnessed] = ChoiceAnswer("No") }), "answers.ally.confront.self"},
		{"screen missing", edit(func(s *Submission) { delete(s.Answers, framework.ScreenWitnessed) }), "answers." + framework.ScreenWitnessed},
		{"empty", Submission{}, "answers"},
		{"unknown demographic", edit(func(s *Submission) { s.Demographics["age"] = "30" }), "demographics.age"},
		{"undeclared option", edit(func(s *Submission) { s.Demographics["department"] = "Legal" }), "demographics.department"},
		{"unknown comment", edit(func(s *Submission) { s.Comments["other"] = "hi" }), "comments.other"},
		{"comment too long", edit(func(s *Submission) { s.Comments["general"] = strings.Repeat("é", MaxCommentLength+1) }), "comments.general"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := f.intake.Submit(context.Background(), f.wave.Slug, c.sub)
			var ve *kernel.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a validation error", err)
			}
			found := false
			for _, fe := range ve.Fields {
				found = found || fe.Field == c.field
			}
			if !found {
				t.Errorf("fields %+v, want %s", ve.Fields, c.field)
			}
		})
	}
	if n := f.count(t, "responses"); n != 0 {
		t.Errorf("%d responses stored from invalid submissions", n)
	}
	// "No" without the gated items, and the comment at the cap, are fine.
	ok := edit(func(s *Submission) {
		s.Answers[framework.ScreenWitnessed] = ChoiceAnswer("No")
		delete(s.Answers, "ally.confront.self")
		delete(s.Answers, "ally.confront.experienced")
		s.Comments["general"] = strings.Repeat("é", MaxCommentLength)
	})
	if err := f.intake.Submit(context.Background(), f.wave.Slug, ok); err != nil {
		t.Fatal(err)
	}
}

func TestSubmitRotatedOutItem(t *testing.T) {
	f := newIntakeFixture(t, false)
	ctx := context.Background()
	w, err := f.store.CreateWave(ctx, Wave{ID: kernel.NewID(), SurveyID: f.survey.ID, Number: 2, OpensAt: f.now.Add(-time.Hour), ClosesAt: f.now.Add(time.Hour), Slug: kernel.NewSecret(), Items: []string{"belonging.1"}})
	if err != nil {
		t.Fatal(err)
	}
	err = f.intake.Submit(ctx, w.Slug, Submission{Answers: map[string]AnswerValue{"belonging.1": ScaleAnswer(3), "belonging.2": ScaleAnswer(3)}})
	var ve *kernel.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "answers.belonging.2" || !strings.Contains(ve.Fields[0].Message, "not asked in this round") {
		t.Fatalf("err = %v", err)
	}
}

func TestSubmitCodesAndWindow(t *testing.T) {
	f := newIntakeFixture(t, false)
	ctx := context.Background()
	if err := f.intake.Submit(ctx, "no-such-code", goodSubmission()); !errors.Is(err, kernel.ErrNotFound) {
		t.Errorf("unknown code: %v", err)
	}
	_, codes, err := f.store.CreateInviteBatch(ctx, f.survey, f.wave, 5, map[string]string{"department": "Engineering"}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	sub := goodSubmission()
	sub.Demographics = map[string]string{"gender": "Woman"}
	if err := f.intake.Submit(ctx, codes[0], sub); err != nil {
		t.Fatal(err)
	}
	if err := f.intake.Submit(ctx, codes[0], sub); !errors.Is(err, kernel.ErrConflict) {
		t.Errorf("used code: %v", err)
	}
	rs, _ := f.store.WaveResponses(ctx, f.wave.ID)
	if len(rs) != 1 || rs[0].Demo[0] != 2 {
		t.Errorf("the batch's department was not copied: %+v", rs)
	}
	sub.Demographics = map[string]string{"department": "Sales"}
	if err := f.intake.Submit(ctx, codes[1], sub); err == nil || !strings.Contains(err.Error(), "demographics.department") {
		t.Errorf("overriding the invitation's segment: %v", err)
	}
	f.now = f.wave.ClosesAt
	if err := f.intake.Submit(ctx, codes[2], goodSubmission()); !errors.Is(err, kernel.ErrClosed) {
		t.Errorf("closed: %v", err)
	}
	f.now = f.wave.OpensAt.Add(-time.Second)
	if err := f.intake.Submit(ctx, codes[2], goodSubmission()); !errors.Is(err, kernel.ErrNotOpen) {
		t.Errorf("not open: %v", err)
	}
}

func TestConcurrentSubmitsOfOneCode(t *testing.T) {
	for _, pg := range backends(t) {
		t.Run(backendName(pg), func(t *testing.T) {
			f := newIntakeFixture(t, pg)
			ctx := context.Background()
			_, codes, err := f.store.CreateInviteBatch(ctx, f.survey, f.wave, 1, nil, f.now)
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make([]error, 50)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = f.intake.Submit(ctx, codes[0], goodSubmission())
				}()
			}
			wg.Wait()
			ok, conflicts := 0, 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case errors.Is(err, kernel.ErrConflict):
					conflicts++
				default:
					t.Errorf("unexpected error %v", err)
				}
			}
			if ok != 1 || conflicts != 49 {
				t.Errorf("%d recorded, %d conflicts", ok, conflicts)
			}
			if n := f.count(t, "responses"); n != 1 {
				t.Errorf("%d responses stored", n)
			}
		})
	}
}

func TestGroupCommitManyConcurrentAndClose(t *testing.T) {
	for _, pg := range backends(t) {
		t.Run(backendName(pg), func(t *testing.T) {
			f := newIntakeFixture(t, pg)
			ctx := context.Background()
			const n = 300
			var wg sync.WaitGroup
			var mu sync.Mutex
			acked := 0
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := f.intake.Submit(ctx, f.wave.Slug, goodSubmission()); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					acked++
					mu.Unlock()
				}()
			}
			wg.Wait()
			if err := f.intake.Close(ctx); err != nil {
				t.Fatal(err)
			}
			if err := f.intake.Submit(ctx, f.wave.Slug, goodSubmission()); !errors.Is(err, ErrIntakeStopped) {
				t.Errorf("submit after close: %v", err)
			}
			if got := f.count(t, "responses"); got != acked || acked != n {
				t.Errorf("stored %d, acknowledged %d of %d", got, acked, n)
			}
		})
	}
}

// A response that makes the batch transaction fail fails alone: the others
// are retried one by one and stored.
func TestFailedBatchIsRetriedPerItem(t *testing.T) {
	f := newIntakeFixture(t, false)
	good, err := validateSubmission(f.survey.Design, mustItems(t, f), nil, goodSubmission())
	if err != nil {
		t.Fatal(err)
	}
	bad := good
	bad.demo = nil // violates NOT NULL
	batch := []*pendingResponse{
		{waveID: f.wave.ID, enc: good, done: make(chan error, 1)},
		{waveID: f.wave.ID, enc: bad, done: make(chan error, 1)},
		{waveID: f.wave.ID, enc: good, done: make(chan error, 1)},
	}
	badOne := batch[1]
	f.intake.write(batch)
	for _, p := range batch {
		err := <-p.done
		if (p == badOne) != (err != nil) {
			t.Errorf("bad=%v err=%v", p == badOne, err)
		}
	}
	if n := f.count(t, "responses"); n != 2 {
		t.Errorf("%d stored, want 2", n)
	}
}

func mustItems(t *testing.T, f *intakeFixture) []askedItem {
	t.Helper()
	items, err := askedItems(framework.BuiltIn(), f.survey.Design, f.wave)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func TestSubmitToWaveChecksSegment(t *testing.T) {
	f := newIntakeFixture(t, false)
	ctx := context.Background()
	if err := f.intake.SubmitToWave(ctx, f.wave, map[string]string{"department": "Moon"}, goodSubmission()); err == nil {
		t.Error("an undeclared segment option was accepted")
	}
	sub := goodSubmission()
	sub.Demographics = nil
	if err := f.intake.SubmitToWave(ctx, f.wave, map[string]string{"department": "Engineering"}, sub); err != nil {
		t.Fatal(err)
	}
}

// backends lists SQLite, and PostgreSQL when ALLYPULSE_TEST_POSTGRES is set.
func backends(t *testing.T) []bool {
	if os.Getenv(testtools.PostgresEnv) != "" {
		return []bool{false, true}
	}
	return []bool{false}
}

func backendName(pg bool) string {
	if pg {
		return "postgres"
	}
	return "sqlite"
}
