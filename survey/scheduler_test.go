package survey_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
)

func sqliteStore(t *testing.T) *survey.Store {
	return survey.NewStore(testtools.OpenDB(t, db.SQLite).Gorm)
}

func waveNumbers(t *testing.T, st *survey.Store, id string) []int {
	t.Helper()
	ws, err := st.Waves(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for _, w := range ws {
		out = append(out, w.Number)
	}
	return out
}

// launchPulse creates and launches a weekly pulse opening at opens.
func launchPulse(t *testing.T, st *survey.Store, clock kernel.Clock, cadence string, opens time.Time, waveDays int) survey.Survey {
	t.Helper()
	ctx := context.Background()
	lc := survey.NewLifecycle(st, clock, survey.NewScheduler(st, clock, nil))
	d := validDraft()
	d.Schedule = survey.Schedule{Cadence: cadence, OpensAt: opens, WaveDays: waveDays}
	sv, err := lc.Create(ctx, d, "lead")
	if err != nil {
		t.Fatal(err)
	}
	sv, _, err = lc.Launch(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

func TestSchedulerOpensClosesAndCatchesUp(t *testing.T) {
	ctx := context.Background()
	st := sqliteStore(t)
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC) // a Monday
	clock := kernel.NewManualClock(start.Add(-24 * time.Hour))
	sv := launchPulse(t, st, clock, survey.CadenceWeekly, start, 3)
	sched := survey.NewScheduler(st, clock, nil)

	// Launched the day before: wave 1 exists, scheduled.
	w1, err := st.WaveByNumber(ctx, sv.ID, 1)
	if err != nil {
		t.Fatalf("wave 1 not created at launch: %v", err)
	}
	if got := w1.Status(clock.Now()); got != survey.WaveScheduled {
		t.Errorf("wave 1 before its time is %s", got)
	}
	if got := waveNumbers(t, st, sv.ID); len(got) != 1 {
		t.Errorf("waves before opening = %v, want [1]", got)
	}

	// Wave 1 opens; the next one is scheduled ahead.
	clock.Set(start.Add(time.Hour))
	if err := sched.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w1.Status(clock.Now()); got != survey.WaveOpen {
		t.Errorf("wave 1 at its time is %s", got)
	}
	w2, err := st.WaveByNumber(ctx, sv.ID, 2)
	if err != nil {
		t.Fatalf("wave 2 not scheduled once wave 1 opened: %v", err)
	}
	if want := start.AddDate(0, 0, 7); !w2.OpensAt.Equal(want) || !w2.ClosesAt.Equal(want.AddDate(0, 0, 3)) {
		t.Errorf("wave 2 = %s..%s", w2.OpensAt, w2.ClosesAt)
	}
	if w1.Slug == w2.Slug || w1.Slug == "" {
		t.Errorf("slugs %q and %q", w1.Slug, w2.Slug)
	}

	// Three days later wave 1 has closed.
	clock.Set(start.AddDate(0, 0, 3))
	if got := w1.Status(clock.Now()); got != survey.WaveClosed {
		t.Errorf("wave 1 after wave_days is %s", got)
	}

	// Downtime: nobody ticks for five weeks. The next tick creates the
	// current week's wave (7, still open) and the next (8), and skips the
	// waves whose time passed while nobody ran.
	clock.Set(start.AddDate(0, 0, 7*6+1))
	if err := sched.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	got := waveNumbers(t, st, sv.ID)
	if want := []int{1, 2, 7, 8}; !slices.Equal(got, want) {
		t.Errorf("after downtime waves = %v, want %v", got, want)
	}
	w7, _ := st.WaveByNumber(ctx, sv.ID, 7)
	if w7.Status(clock.Now()) != survey.WaveOpen || !w7.OpensAt.Equal(start.AddDate(0, 0, 42)) {
		t.Errorf("wave 7 %s..%s status %s", w7.OpensAt, w7.ClosesAt, w7.Status(clock.Now()))
	}

	// Ticking again changes nothing.
	if err := sched.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if again := waveNumbers(t, st, sv.ID); !slices.Equal(again, got) {
		t.Errorf("second tick changed waves to %v", again)
	}
}

func TestSchedulerClosePreventsNewWaves(t *testing.T) {
	ctx := context.Background()
	st := sqliteStore(t)
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	clock := kernel.NewManualClock(start)
	sv := launchPulse(t, st, clock, survey.CadenceBiweekly, time.Time{}, 5)
	if got := waveNumbers(t, st, sv.ID); !slices.Equal(got, []int{1, 2}) {
		t.Fatalf("waves at launch = %v, want [1 2] (open now, next scheduled)", got)
	}
	clock.Set(start.Add(time.Hour))
	lc := survey.NewLifecycle(st, clock, survey.NewScheduler(st, clock, nil))
	if _, err := lc.Close(ctx, sv.ID); err != nil {
		t.Fatal(err)
	}
	w1, _ := st.WaveByNumber(ctx, sv.ID, 1)
	if w1.Status(clock.Now()) != survey.WaveClosed {
		t.Errorf("wave 1 still %s after close", w1.Status(clock.Now()))
	}
	if _, err := st.WaveByNumber(ctx, sv.ID, 2); !errors.Is(err, kernel.ErrNotFound) {
		t.Errorf("scheduled wave 2 kept after close: %v", err)
	}
	clock.Set(start.AddDate(0, 2, 0))
	// A replica that read the survey before it was closed creates nothing
	// that survives.
	fw, err := st.Framework(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if made, err := survey.NewScheduler(st, clock, nil).Ensure(ctx, sv, fw); err != nil || len(made) != 0 {
		t.Errorf("stale tick after close made %v, %v", made, err)
	}
	if err := survey.NewScheduler(st, clock, nil).Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := waveNumbers(t, st, sv.ID); !slices.Equal(got, []int{1}) {
		t.Errorf("closed survey got waves %v", got)
	}
}

func TestWaveTimesMonthlyClampsToMonthEnd(t *testing.T) {
	sc := survey.Schedule{Cadence: survey.CadenceMonthly, OpensAt: time.Date(2026, 1, 31, 8, 0, 0, 0, time.UTC), WaveDays: 5}
	for n, want := range map[int]time.Time{
		1: time.Date(2026, 1, 31, 8, 0, 0, 0, time.UTC),
		2: time.Date(2026, 2, 28, 8, 0, 0, 0, time.UTC),
		3: time.Date(2026, 3, 31, 8, 0, 0, 0, time.UTC),
		4: time.Date(2026, 4, 30, 8, 0, 0, 0, time.UTC),
	} {
		if got, _ := survey.WaveTimes(sc, n); !got.Equal(want) {
			t.Errorf("wave %d opens %s, want %s", n, got, want)
		}
	}
	sc.Cadence = survey.CadenceQuarterly
	if got, _ := survey.WaveTimes(sc, 2); !got.Equal(time.Date(2026, 4, 30, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("quarterly wave 2 opens %s", got)
	}
}

// TestSchedulerReplicasCreateEachWaveOnce runs two schedulers, each with its
// own connection pool, against one PostgreSQL schema, racing over the same
// waves; every wave must exist exactly once.
func TestSchedulerReplicasCreateEachWaveOnce(t *testing.T) {
	dsn := testtools.FreshPostgresSchema(t, testtools.Postgres(t))
	ctx := context.Background()
	a := survey.NewStore(testtools.OpenDSN(t, dsn).Gorm)
	b := survey.NewStore(testtools.OpenDSN(t, dsn).Gorm)
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	clock := kernel.NewManualClock(start.Add(-time.Hour))
	var ids []string
	for range 3 {
		ids = append(ids, launchPulse(t, a, clock, survey.CadenceWeekly, start, 2).ID)
	}
	for week := range 10 {
		clock.Set(start.AddDate(0, 0, 7*week).Add(time.Minute))
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for _, st := range []*survey.Store{a, b, a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- survey.NewScheduler(st, clock, nil).Tick(ctx)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("week %d: %v", week, err)
			}
		}
	}
	for _, id := range ids {
		got := waveNumbers(t, b, id)
		if want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}; !slices.Equal(got, want) {
			t.Errorf("survey %s waves = %v, want %v", id, got, want)
		}
	}
	var n int64
	if err := a.DB().Table("waves").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 33 {
		t.Errorf("%d wave rows, want 33", n)
	}
}

func TestSchedulerClosesOneOffSurveyAfterItsWave(t *testing.T) {
	ctx := context.Background()
	st := sqliteStore(t)
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	clock := kernel.NewManualClock(start)
	sv := launchPulse(t, st, clock, survey.CadenceOnce, time.Time{}, 10)
	var closed []string
	var mu sync.Mutex
	replicas := []*survey.Scheduler{survey.NewScheduler(st, clock, nil), survey.NewScheduler(st, clock, nil)}
	for _, r := range replicas {
		r.OnClosed = func(_ context.Context, sv survey.Survey) { mu.Lock(); closed = append(closed, sv.ID); mu.Unlock() }
	}
	clock.Set(start.AddDate(0, 0, 9))
	for _, r := range replicas {
		if err := r.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := st.GetSurvey(ctx, sv.ID); got.Status != survey.StatusLaunched || len(closed) != 0 {
		t.Fatalf("closed while its wave is open: %s %v", got.Status, closed)
	}
	clock.Set(start.AddDate(0, 0, 10))
	var wg sync.WaitGroup
	for _, r := range replicas {
		wg.Add(1)
		go func() { defer wg.Done(); _ = r.Tick(ctx) }()
	}
	wg.Wait()
	got, err := st.GetSurvey(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != survey.StatusClosed || got.ClosedAt == nil || !got.ClosedAt.Equal(start.AddDate(0, 0, 10)) {
		t.Errorf("after its wave: status %s closed at %v", got.Status, got.ClosedAt)
	}
	if len(closed) != 1 {
		t.Errorf("OnClosed called %d times", len(closed))
	}
}
