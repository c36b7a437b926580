package survey

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey/framework"
)

// Scheduler creates the waves of launched surveys as their times come.
//
// Wave n of a survey covers period n−1: it opens at OpensAt + (n−1)·period
// (calendar months for monthly and quarterly, clamped to the month's last
// day) and closes WaveDays later. Its number is fixed by the calendar, so
// every replica computes the same (survey, number) for the same period and
// the UNIQUE(survey_id, number) constraint with Store.CreateWave's
// ON CONFLICT DO NOTHING makes creation idempotent: several replicas may tick
// at once and each wave still exists exactly once.
//
// At any time the scheduler keeps the current period's wave (if it is still
// open) and the next one (scheduled, so that invitations can be prepared)
// in place. After downtime it therefore catches up with the present: the wave
// of the current period is created with its calendar times even if that is
// late, and the waves of periods that closed while nobody was running are
// skipped rather than created empty and closed. Their numbers stay unused,
// which keeps the numbering tied to the calendar and shows the gap honestly.
//
// A one-off survey whose only wave has closed is closed by the scheduler: its
// status becomes closed with the wave's close time. The status change is
// conditional (launched → closed), so with several replicas exactly one of
// them makes it and calls the OnClosed hook, which the server uses to write
// the audit log.
type Scheduler struct {
	store *Store
	clock kernel.Clock
	log   *slog.Logger
	// OnClosed, when set, is called once for each survey the scheduler closes.
	OnClosed func(ctx context.Context, sv Survey)
}

// NewScheduler returns a scheduler on store driven by clock.
func NewScheduler(store *Store, clock kernel.Clock, log *slog.Logger) *Scheduler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{store: store, clock: clock, log: log}
}

// Run ticks every interval until ctx ends. A failed tick is logged and
// retried at the next interval.
func (s *Scheduler) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "wave scheduler tick failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick creates the waves that are due for every launched survey.
func (s *Scheduler) Tick(ctx context.Context) error {
	surveys, err := s.store.surveysWithStatus(ctx, StatusLaunched)
	if err != nil {
		return err
	}
	fw, err := s.store.Framework(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, sv := range surveys {
		if _, err := s.Ensure(ctx, sv, fw); err != nil {
			errs = append(errs, fmt.Errorf("survey %s: %w", sv.ID, err))
		}
		if err := s.closeFinished(ctx, sv); err != nil {
			errs = append(errs, fmt.Errorf("survey %s: %w", sv.ID, err))
		}
	}
	return errors.Join(errs...)
}

// closeFinished closes a one-off survey once its wave has closed.
func (s *Scheduler) closeFinished(ctx context.Context, sv Survey) error {
	if sv.Schedule.Cadence != CadenceOnce {
		return nil
	}
	_, closes := WaveTimes(sv.Schedule, 1)
	if s.clock.Now().Before(closes) {
		return nil
	}
	sv.Status = StatusClosed
	sv.ClosedAt = &closes
	sv.UpdatedAt = s.clock.Now().UTC().Truncate(time.Second)
	switch err := s.store.UpdateSurvey(ctx, sv, StatusLaunched); {
	case errors.Is(err, kernel.ErrConflict), errors.Is(err, kernel.ErrNotFound):
		return nil // another replica or a person closed it first
	case err != nil:
		return err
	}
	s.log.InfoContext(ctx, "survey closed after its wave", "survey", sv.ID)
	if s.OnClosed != nil {
		s.OnClosed(ctx, sv)
	}
	return nil
}

// Ensure creates the waves of sv that are due at the clock's time and returns
// those it created (a wave another replica created first is not returned).
func (s *Scheduler) Ensure(ctx context.Context, sv Survey, fw framework.Framework) ([]Wave, error) {
	if sv.Status != StatusLaunched {
		return nil, nil
	}
	now := s.clock.Now()
	existing, err := s.store.Waves(ctx, sv.ID)
	if err != nil {
		return nil, err
	}
	have := map[int]bool{}
	for _, w := range existing {
		have[w.Number] = true
	}
	var created []Wave
	for _, n := range DueWaves(sv.Schedule, now) {
		if have[n] {
			continue
		}
		opens, closes := WaveTimes(sv.Schedule, n)
		w := Wave{
			ID: kernel.NewID(), SurveyID: sv.ID, Number: n, OpensAt: opens, ClosesAt: closes,
			Slug: kernel.NewSecret(), Items: WaveItems(sv.Design, n, fw),
		}
		stored, err := s.store.CreateWave(ctx, w)
		if err != nil {
			return created, err
		}
		if stored.ID == w.ID {
			created = append(created, stored)
			s.log.InfoContext(ctx, "wave created", "survey", sv.ID, "wave", n, "opens_at", opens, "closes_at", closes)
		}
	}
	return s.undoIfClosed(ctx, sv.ID, created)
}

// undoIfClosed handles a survey closed by another request while this tick
// created waves for it: the waves it just created are removed again.
func (s *Scheduler) undoIfClosed(ctx context.Context, surveyID string, created []Wave) ([]Wave, error) {
	if len(created) == 0 {
		return nil, nil
	}
	cur, err := s.store.GetSurvey(ctx, surveyID)
	if err != nil || cur.Status == StatusLaunched {
		return created, err
	}
	for _, w := range created {
		// Nobody has seen these waves' links yet, so they hold no responses.
		if err := s.store.deleteWave(ctx, w.ID); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// DueWaves returns the numbers of the waves that should exist at now: wave 1
// until it has closed, then the wave of the current period while it is open
// and the next one. A one-off survey has wave 1 only.
func DueWaves(sc Schedule, now time.Time) []int {
	if sc.Cadence == CadenceOnce {
		if _, closes := WaveTimes(sc, 1); now.Before(closes) {
			return []int{1}
		}
		return nil
	}
	if first, _ := WaveTimes(sc, 1); now.Before(first) {
		return []int{1}
	}
	cur := 1 // the latest wave whose open time has come
	for {
		opens, _ := WaveTimes(sc, cur+1)
		if opens.After(now) {
			break
		}
		cur++
	}
	var due []int
	for _, n := range []int{cur, cur + 1} {
		if _, closes := WaveTimes(sc, n); now.Before(closes) {
			due = append(due, n)
		}
	}
	return due
}

// WaveTimes returns when wave n (1-based) of a schedule opens and closes.
func WaveTimes(sc Schedule, n int) (opens, closes time.Time) {
	i := n - 1
	base := sc.OpensAt.UTC()
	switch sc.Cadence {
	case CadenceWeekly:
		opens = base.AddDate(0, 0, 7*i)
	case CadenceBiweekly:
		opens = base.AddDate(0, 0, 14*i)
	case CadenceMonthly:
		opens = addMonths(base, i)
	case CadenceQuarterly:
		opens = addMonths(base, 3*i)
	default:
		opens = base
	}
	return opens, opens.AddDate(0, 0, sc.WaveDays)
}

// addMonths adds n calendar months, keeping the day of the month where it
// exists and using the month's last day where it does not (Jan 31 → Feb 28).
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// surveysWithStatus lists every survey with a status, oldest first.
func (s *Store) surveysWithStatus(ctx context.Context, status string) ([]Survey, error) {
	var rows []surveyRow
	if err := s.db.WithContext(ctx).Where("status = ?", status).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	return toSurveys(rows)
}

// toSurveys decodes survey rows.
func toSurveys(rows []surveyRow) ([]Survey, error) {
	out := make([]Survey, 0, len(rows))
	for _, r := range rows {
		sv, err := r.toSurvey()
		if err != nil {
			return nil, err
		}
		out = append(out, sv)
	}
	return out, nil
}
