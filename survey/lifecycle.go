package survey

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
)

// Lifecycle creates and edits survey drafts and moves surveys through
// draft → launched → closed → archived. Launch freezes the design (items and
// their order, demographics, comment prompts, rotation), the anonymity
// thresholds and the schedule; after it every edit is a conflict.
type Lifecycle struct {
	store     *Store
	clock     kernel.Clock
	scheduler *Scheduler
}

// NewLifecycle returns a Lifecycle; scheduler creates the first waves at launch.
func NewLifecycle(store *Store, clock kernel.Clock, scheduler *Scheduler) *Lifecycle {
	return &Lifecycle{store: store, clock: clock, scheduler: scheduler}
}

// now returns the clock's time to the second, as stored.
func (l *Lifecycle) now() time.Time { return l.clock.Now().UTC().Truncate(time.Second) }

// Create validates a draft and stores it as a new survey.
func (l *Lifecycle) Create(ctx context.Context, d Draft, createdBy string) (Survey, error) {
	d, err := l.validate(ctx, d, nil)
	if err != nil {
		return Survey{}, err
	}
	now := l.now()
	sv := Survey{ID: kernel.NewID(), Status: StatusDraft, CreatedBy: createdBy, CreatedAt: now, UpdatedAt: now}
	d.Apply(&sv)
	if err := l.store.CreateSurvey(ctx, sv); err != nil {
		return Survey{}, err
	}
	return sv, nil
}

// Check returns found, a problem met while reading a draft (a field that
// could not be parsed), together with every other problem of d. It stores
// nothing.
func (l *Lifecycle) Check(ctx context.Context, d Draft, found error) error {
	_, err := l.validate(ctx, d, found)
	return err
}

// Update applies edit to the draft of survey id, validates the result and
// stores it. Only drafts can be edited. A validation error from edit is
// reported with the draft's other problems, and nothing is stored.
func (l *Lifecycle) Update(ctx context.Context, id string, edit func(*Draft) error) (Survey, error) {
	sv, err := l.store.GetSurvey(ctx, id)
	if err != nil {
		return Survey{}, err
	}
	if sv.Status != StatusDraft {
		return Survey{}, notDraft(sv.Status, "edited")
	}
	d := DraftOf(sv)
	d, err = l.validate(ctx, d, edit(&d))
	if err != nil {
		return Survey{}, err
	}
	d.Apply(&sv)
	sv.UpdatedAt = l.now()
	if err := l.store.UpdateSurvey(ctx, sv, StatusDraft); err != nil {
		return Survey{}, l.conflictMessage(ctx, id, err, "edited")
	}
	return sv, nil
}

// validate checks d against the framework at the clock's time. found is a
// problem the caller already met in the draft's input: a validation error
// is reported together with the draft's own problems, any other error
// instead of them.
func (l *Lifecycle) validate(ctx context.Context, d Draft, found error) (Draft, error) {
	var ve *kernel.ValidationError
	if found != nil && !errors.As(found, &ve) {
		return d, found
	}
	fw, err := l.store.Framework(ctx)
	if err != nil {
		return d, err
	}
	d, err = ValidateDraft(d, fw, l.now())
	if ve == nil {
		return d, err
	}
	var more *kernel.ValidationError
	if !errors.As(err, &more) && err != nil {
		return d, err
	}
	if more != nil {
		for _, f := range more.Fields {
			if !ve.Has(f.Field) {
				ve.Fields = append(ve.Fields, f)
			}
		}
	}
	return d, ve.Err()
}

// Delete removes a draft. Launched, closed and archived surveys hold
// responses and are kept.
func (l *Lifecycle) Delete(ctx context.Context, id string) error {
	return l.conflictMessage(ctx, id, l.store.DeleteSurvey(ctx, id), "deleted")
}

// Launch freezes a draft and creates its first wave: open now, or scheduled
// for the survey's opening time. A draft without an opening time opens at
// launch. The design is validated again, since time has passed since it was
// saved.
func (l *Lifecycle) Launch(ctx context.Context, id string) (Survey, []Wave, error) {
	sv, err := l.store.GetSurvey(ctx, id)
	if err != nil {
		return Survey{}, nil, err
	}
	if sv.Status != StatusDraft {
		return Survey{}, nil, notDraft(sv.Status, "launched")
	}
	fw, err := l.store.Framework(ctx)
	if err != nil {
		return Survey{}, nil, err
	}
	now := l.now()
	d, err := ValidateDraft(DraftOf(sv), fw, now)
	if err != nil {
		return Survey{}, nil, err
	}
	if gaps := TranslationGaps(d, fw); len(gaps) > 0 {
		return Survey{}, nil, (&kernel.ValidationError{Fields: gaps}).Err()
	}
	if d.Schedule.OpensAt.IsZero() {
		d.Schedule.OpensAt = now
	}
	d.Apply(&sv)
	sv.Status = StatusLaunched
	sv.LaunchedAt = &now
	sv.UpdatedAt = now
	if err := l.store.UpdateSurvey(ctx, sv, StatusDraft); err != nil {
		return Survey{}, nil, l.conflictMessage(ctx, id, err, "launched")
	}
	waves, err := l.scheduler.Ensure(ctx, sv, fw)
	return sv, waves, err
}

// Close ends a launched survey now: its open wave closes at once, waves not
// yet open are removed, and the scheduler creates no more.
func (l *Lifecycle) Close(ctx context.Context, id string) (Survey, error) {
	sv, err := l.store.GetSurvey(ctx, id)
	if err != nil {
		return Survey{}, err
	}
	if sv.Status != StatusLaunched {
		return Survey{}, fmt.Errorf("survey is %s; only a launched survey can be closed: %w", sv.Status, kernel.ErrConflict)
	}
	now := l.now()
	sv.Status = StatusClosed
	sv.ClosedAt = &now
	sv.UpdatedAt = now
	if err := l.store.UpdateSurvey(ctx, sv, StatusLaunched); err != nil {
		return Survey{}, err
	}
	waves, err := l.store.Waves(ctx, id)
	if err != nil {
		return Survey{}, err
	}
	for _, w := range waves {
		switch w.Status(now) {
		case WaveOpen:
			err = l.store.SetWaveCloses(ctx, w.ID, now)
		case WaveScheduled:
			err = l.store.deleteUnopenedWave(ctx, w.ID, now)
		}
		if err != nil {
			return Survey{}, err
		}
	}
	return sv, nil
}

// Archive moves a closed survey out of the active list. Its results stay
// readable.
func (l *Lifecycle) Archive(ctx context.Context, id string) (Survey, error) {
	sv, err := l.store.GetSurvey(ctx, id)
	if err != nil {
		return Survey{}, err
	}
	if sv.Status != StatusClosed {
		return Survey{}, fmt.Errorf("survey is %s; close it before archiving: %w", sv.Status, kernel.ErrConflict)
	}
	sv.Status = StatusArchived
	sv.UpdatedAt = l.now()
	if err := l.store.UpdateSurvey(ctx, sv, StatusClosed); err != nil {
		return Survey{}, err
	}
	return sv, nil
}

// notDraft is the conflict for touching the design of a survey that left the
// draft status.
func notDraft(status, verb string) error {
	return fmt.Errorf("survey is %s; only drafts can be %s: %w", status, verb, kernel.ErrConflict)
}

// conflictMessage turns a bare kernel.ErrConflict from the store into words: a
// concurrent status change gives the message of notDraft with the current
// status; a draft changed by someone else since it was read asks for a
// reload, so neither change silently overwrites the other.
func (l *Lifecycle) conflictMessage(ctx context.Context, id string, err error, verb string) error {
	if err != kernel.ErrConflict {
		return err
	}
	sv, gerr := l.store.GetSurvey(ctx, id)
	if gerr != nil {
		return gerr
	}
	if sv.Status == StatusDraft {
		return fmt.Errorf("the draft was changed by someone else while it was being %s; reload it and try again: %w", verb, kernel.ErrConflict)
	}
	return notDraft(sv.Status, verb)
}

// deleteUnopenedWave removes a wave that has not opened yet (closing a survey
// cancels its scheduled waves; they hold no responses).
func (s *Store) deleteUnopenedWave(ctx context.Context, waveID string, now time.Time) error {
	return s.db.WithContext(ctx).Where("id = ? AND opens_at > ?", waveID, now.UTC()).Delete(&waveRow{}).Error
}
