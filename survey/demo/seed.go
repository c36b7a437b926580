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
	SurveyID string
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

// Seed fills an empty database with the demo: its staff accounts, the
// survey designed and launched through the lifecycle, its three monthly
// waves created by the scheduler at their own times, and every response
// submitted with an invite code or the open link through the response
// intake, exactly as an employee's would be. The clock is moved from one wave to the next, so
// waves 1 and 2 lie closed in the past and wave 3 is open at opt.Now.
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
	clock := &steppingClock{t: opens.Add(-24 * time.Hour)}

	// The accounts are made now; only the survey's history lies in the past.
	leadID, err := CreateUsers(ctx, account.NewStore(d.Gorm, kernel.ClockFunc(func() time.Time { return opt.Now })))
	if err != nil {
		return Result{}, fmt.Errorf("demo accounts: %w", err)
	}
	scheduler := survey.NewScheduler(store, clock, log)
	life := survey.NewLifecycle(store, clock, scheduler)
	sv, err := life.Create(ctx, Draft(opens), leadID)
	if err != nil {
		return Result{}, fmt.Errorf("demo survey: %w", err)
	}
	if sv, _, err = life.Launch(ctx, sv.ID); err != nil {
		return Result{}, fmt.Errorf("launch demo survey: %w", err)
	}
	fw, err := store.Framework(ctx)
	if err != nil {
		return Result{}, err
	}
	intake := survey.NewIntake(store, d.SQL, clock, survey.IntakeConfig{Framework: store.Framework})
	defer func() { _ = intake.Close(context.Background()) }()

	people := Population(opt.Seed)
	res := Result{SurveyID: sv.ID}
	for n := 1; n <= Waves; n++ {
		waveOpens, _ := survey.WaveTimes(sv.Schedule, n)
		clock.set(waveOpens.Add(2 * time.Hour))
		if err := scheduler.Tick(ctx); err != nil {
			return res, fmt.Errorf("wave %d: %w", n, err)
		}
		w, err := store.WaveByNumber(ctx, sv.ID, n)
		if err != nil {
			return res, fmt.Errorf("wave %d: %w", n, err)
		}
		codes, invited, err := invite(ctx, store, sv, w, people, clock.Now())
		if err != nil {
			return res, fmt.Errorf("wave %d invitations: %w", n, err)
		}
		subs := WaveSubmissions(opt.Seed, fw, sv.Design.Items, people, n)
		comments := 0
		for _, s := range subs {
			comments += len(s.Submission.Comments)
		}
		if err := submitAll(ctx, intake, codes, subs); err != nil {
			return res, fmt.Errorf("wave %d responses: %w", n, err)
		}
		res.Responses = append(res.Responses, len(subs))
		res.Invited = append(res.Invited, invited)
		res.Comments += comments
		log.Info("demo wave filled", "wave", n, "opens_at", w.OpensAt, "responses", len(subs), "invited", invited)
	}
	return res, nil
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

// WaveSubmissions draws who answers wave n and what they answer. Taking part
// rises from about three in four in wave 1 to above four in five in wave 3.
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
