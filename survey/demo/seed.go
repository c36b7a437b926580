package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
)

// DefaultSeed is the seed of the demo organisation.
const DefaultSeed = 20261123

// Waves is the number of pulse waves the demo fills.
const Waves = 3

// baselineStory is the baseline's place in the story the answers tell
// (survey/demo/answers.go): the month before pulse wave 1.
const baselineStory = 0

// ErrNotEmpty is returned by Seed when the database already holds surveys
// or staff accounts: the demo fills an empty database only, so starting
// twice adds nothing, and demo accounts with a published password never
// join a real installation's staff.
var ErrNotEmpty = errors.New("the database already holds surveys or staff accounts")

// Options tune Seed.
type Options struct {
	// Seed draws the organisation and its answers (DefaultSeed when 0).
	Seed uint64
	// Now is the real time; the waves are laid out so that waves 1 and 2
	// closed in the past and wave 3 is open at Now.
	Now time.Time
	// Log receives progress messages (discarded when nil).
	Log *slog.Logger
}

// Result describes what Seed created.
type Result struct {
	// SurveyID is the monthly pulse; BaselineID the one-off baseline asked
	// a month before its first wave.
	SurveyID   string
	BaselineID string
	// BaselineResponses is the number of responses to the baseline.
	BaselineResponses int
	// Responses holds the number of responses per wave, wave 1 first.
	Responses []int
	// Invited holds the invite codes issued per wave (everyone but Legal,
	// who answer through the open link).
	Invited []int
	// Comments is the number of comments submitted over all waves.
	Comments int
}

// Empty reports whether the database holds no survey yet.
func Empty(ctx context.Context, store *survey.Store) (bool, error) {
	list, err := store.ListSurveys(ctx, "", 1)
	return len(list) == 0, err
}

// Seed fills an empty database with the demo as a real customer would run
// it: its staff accounts; the full baseline, asked once; a month later the
// monthly pulse, at most survey.DefaultPulseItems questions a wave, its
// three waves created by the scheduler at their own times. Both are
// designed and launched through the lifecycle, and every response is
// submitted with an invite code or the open link through the response
// intake, exactly as an employee's would be. The clock is moved from one
// wave to the next, so the baseline and pulse waves 1 and 2 lie closed in
// the past and wave 3 is open at opt.Now.
// Replicas started together with --demo take turns: the first fills the
// database, the others then find it not empty.
func Seed(ctx context.Context, d *db.DB, opt Options) (Result, error) {
	var res Result
	err := d.Exclusive(ctx, "demo", func(ctx context.Context) error {
		var err error
		res, err = seed(ctx, d, opt)
		return err
	})
	return res, err
}

func seed(ctx context.Context, d *db.DB, opt Options) (Result, error) {
	if opt.Seed == 0 {
		opt.Seed = DefaultSeed
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	store := survey.NewStore(d.Gorm)
	empty, err := Empty(ctx, store)
	if err != nil {
		return Result{}, err
	}
	users, err := account.NewStore(d.Gorm, nil).CountUsers(ctx)
	if err != nil {
		return Result{}, err
	}
	if !empty || users > 0 {
		return Result{}, ErrNotEmpty
	}
	opens := FirstWaveOpens(opt.Now)
	baselineOpens := opens.AddDate(0, -1, 0)
	clock := &steppingClock{t: baselineOpens.Add(-24 * time.Hour)}

	// The accounts are made now; only the surveys' history lies in the past.
	leadID, err := CreateUsers(ctx, account.NewStore(d.Gorm, kernel.ClockFunc(func() time.Time { return opt.Now })))
	if err != nil {
		return Result{}, fmt.Errorf("demo accounts: %w", err)
	}
	scheduler := survey.NewScheduler(store, clock, log)
	life := survey.NewLifecycle(store, clock, scheduler)
	launch := func(d survey.Draft) (survey.Survey, error) {
		sv, err := life.Create(ctx, d, leadID)
		if err != nil {
			return sv, err
		}
		sv, _, err = life.Launch(ctx, sv.ID)
		return sv, err
	}
	baseline, err := launch(BaselineDraft(baselineOpens))
	if err != nil {
		return Result{}, fmt.Errorf("demo baseline: %w", err)
	}
	fw, err := store.Framework(ctx)
	if err != nil {
		return Result{}, err
	}
	intake := survey.NewIntake(store, d.SQL, clock, survey.IntakeConfig{Framework: store.Framework})
	defer func() { _ = intake.Close(context.Background()) }()

	f := filler{store: store, scheduler: scheduler, intake: intake, clock: clock, fw: fw, seed: opt.Seed, people: Population(opt.Seed)}
	res := Result{BaselineID: baseline.ID}
	n, _, comments, err := f.fill(ctx, baseline, 1, baselineStory)
	if err != nil {
		return res, fmt.Errorf("baseline: %w", err)
	}
	res.BaselineResponses, res.Comments = n, comments
	log.Info("demo baseline filled", "responses", n)
	// The lead designs the pulse while the baseline is open.
	sv, err := launch(Draft(opens))
	if err != nil {
		return res, fmt.Errorf("demo pulse: %w", err)
	}
	res.SurveyID = sv.ID
	for w := 1; w <= Waves; w++ {
		n, invited, comments, err := f.fill(ctx, sv, w, w)
		if err != nil {
			return res, fmt.Errorf("wave %d: %w", w, err)
		}
		res.Responses = append(res.Responses, n)
		res.Invited = append(res.Invited, invited)
		res.Comments += comments
		log.Info("demo wave filled", "wave", w, "responses", n, "invited", invited)
	}
	return res, nil
}

// filler opens the demo's waves and submits their responses.
type filler struct {
	store     *survey.Store
	scheduler *survey.Scheduler
	intake    *survey.Intake
	clock     *steppingClock
	fw        framework.Framework
	seed      uint64
	people    []Person
}

// fill moves the clock into wave n of sv, lets the scheduler open it,
// invites everyone and submits what they answer to the wave's questions at
// point story of the organisation's story. It returns the responses, the
// invitations and the comments.
func (f filler) fill(ctx context.Context, sv survey.Survey, n, story int) (int, int, int, error) {
	waveOpens, _ := survey.WaveTimes(sv.Schedule, n)
	f.clock.set(waveOpens.Add(2 * time.Hour))
	if err := f.scheduler.Tick(ctx); err != nil {
		return 0, 0, 0, err
	}
	w, err := f.store.WaveByNumber(ctx, sv.ID, n)
	if err != nil {
		return 0, 0, 0, err
	}
	codes, invited, err := invite(ctx, f.store, sv, w, f.people, f.clock.Now())
	if err != nil {
		return 0, 0, 0, fmt.Errorf("invitations: %w", err)
	}
	subs := WaveSubmissions(f.seed, f.fw, w.Items, f.people, story)
	comments := 0
	for _, s := range subs {
		comments += len(s.Submission.Comments)
	}
	if err := submitAll(ctx, f.intake, codes, subs); err != nil {
		return 0, 0, 0, fmt.Errorf("responses: %w", err)
	}
	return len(subs), invited, comments, nil
}

// FirstWaveOpens places wave 1 so that, with a monthly cadence, wave 3
// opened four days before now: waves 1 and 2 are closed, wave 3 is open.
func FirstWaveOpens(now time.Time) time.Time {
	now = now.UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 9, 0, 0, 0, time.UTC)
	// Day 1..28 exists in every month, so months can be added back exactly.
	back := day.AddDate(0, 0, -4)
	if back.Day() > 28 {
		back = back.AddDate(0, 0, 28-back.Day())
	}
	return back.AddDate(0, -(Waves - 1), 0)
}

// Planned is one person's submission in a wave.
type Planned struct {
	Person     int
	Submission survey.Submission
}

// WaveSubmissions draws who answers the items of wave n and what they
// answer (n = 0 is the baseline). Taking part rises from about three in four
// in wave 1 to above four in five in wave 3.
func WaveSubmissions(seed uint64, fw framework.Framework, items []string, people []Person, n int) []Planned {
	rng := rand.New(rand.NewPCG(seed, uint64(n)))
	factor := 0.93 + 0.06*float64(n-1)
	used := map[string]bool{}
	var out []Planned
	for i, p := range people {
		if rng.Float64() >= p.Engaged*factor {
			continue
		}
		out = append(out, Planned{Person: i, Submission: survey.Submission{
			Answers:      p.Answers(rng, fw, items, n),
			Demographics: p.Demographics(rng, p.Department != LegalDepartment),
			Comments:     p.Comments(rng, used),
		}})
	}
	return out
}

// invite gives each person the code they answer with: an invite code from
// their department's batch, whose segment attribute fixes the department,
// except in Legal: its four people are fewer than a segmented batch may
// hold, so they answer through the wave's open link and report their
// department themselves. It returns the codes and the number of invitations.
func invite(ctx context.Context, store *survey.Store, sv survey.Survey, w survey.Wave, people []Person, now time.Time) ([]string, int, error) {
	codes := make([]string, len(people))
	start, invited := 0, 0
	for _, dp := range departments {
		if dp.name == LegalDepartment {
			for i := start; i < start+dp.count; i++ {
				codes[i] = w.Slug
			}
			start += dp.count
			continue
		}
		_, batch, err := store.CreateInviteBatch(ctx, sv, w, dp.count, map[string]string{DimDepartment: dp.name}, now)
		if err != nil {
			return nil, 0, err
		}
		copy(codes[start:], batch)
		start += dp.count
		invited += dp.count
	}
	return codes, invited, nil
}

// submitAll submits every planned response with its person's invite code,
// several at once so that the intake's group commit batches them. It
// returns the first error.
func submitAll(ctx context.Context, intake *survey.Intake, codes []string, subs []Planned) error {
	const workers = 32
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan Planned)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				if err := intake.Submit(ctx, codes[p.Person], p.Submission); err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		}()
	}
	for _, p := range subs {
		if ctx.Err() != nil {
			break
		}
		work <- p
	}
	close(work)
	wg.Wait()
	return first
}

// steppingClock is the clock the demo moves from wave to wave.
type steppingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *steppingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *steppingClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
