package survey

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
)

// TestLifecycleTimesFollowTheClock checks that every step records the
// lifecycle's clock as the survey's update time, to the second, on every
// database (the database layer used to stamp its own wall-clock time).
func TestLifecycleTimesFollowTheClock(t *testing.T) {
	for _, pg := range backends(t) {
		t.Run(backendName(pg), func(t *testing.T) {
			ctx := context.Background()
			store := NewStore(openTestDB(t, pg).Gorm)
			now := time.Date(2026, 3, 2, 9, 0, 0, 500_000_000, time.UTC)
			clock := kernel.ClockFunc(func() time.Time { return now })
			lc := NewLifecycle(store, clock, NewScheduler(store, clock, nil))
			sv := createPulseDraft(t, lc)
			steps := []struct {
				name string
				run  func() error
			}{
				{"update", func() error {
					_, err := lc.Update(ctx, sv.ID, func(d *Draft) error { d.Title = "Renamed"; return nil })
					return err
				}},
				{"launch", func() error { _, _, err := lc.Launch(ctx, sv.ID); return err }},
				{"close", func() error { _, err := lc.Close(ctx, sv.ID); return err }},
				{"archive", func() error { _, err := lc.Archive(ctx, sv.ID); return err }},
			}
			for _, step := range steps {
				now = now.Add(time.Hour)
				if err := step.run(); err != nil {
					t.Fatalf("%s: %v", step.name, err)
				}
				got, err := store.GetSurvey(ctx, sv.ID)
				if err != nil {
					t.Fatal(err)
				}
				if want := now.Truncate(time.Second); !got.UpdatedAt.Equal(want) {
					t.Errorf("after %s: updated_at %s, want the clock's %s", step.name, got.UpdatedAt, want)
				}
			}
		})
	}
}

// TestLifecycleEditRacingAChangeIsRefused: a change stored between an edit's
// read and its write (a launch, or another edit) makes the edit a conflict
// instead of silently overwriting it, on every database.
func TestLifecycleEditRacingAChangeIsRefused(t *testing.T) {
	for _, pg := range backends(t) {
		t.Run(backendName(pg), func(t *testing.T) {
			ctx := context.Background()
			store := NewStore(openTestDB(t, pg).Gorm)
			clock := kernel.ClockFunc(func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) })
			lc := NewLifecycle(store, clock, NewScheduler(store, clock, nil))

			// A launch lands while an edit is in flight: the edit is refused
			// and the launched survey keeps the design it was launched with.
			sv := createPulseDraft(t, lc)
			_, err := lc.Update(ctx, sv.ID, func(d *Draft) error {
				if _, _, err := lc.Launch(ctx, sv.ID); err != nil {
					t.Fatalf("launch: %v", err)
				}
				d.Title = "Edited after launch"
				return nil
			})
			if !errors.Is(err, kernel.ErrConflict) {
				t.Fatalf("edit racing a launch: error %v, want a conflict", err)
			}
			got, err := store.GetSurvey(ctx, sv.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != StatusLaunched || got.Title != "Pulse" {
				t.Errorf("after the race: status %s, title %q; want launched and %q", got.Status, got.Title, "Pulse")
			}

			// Another edit lands first: the slower one is refused and asks
			// for a reload; the first one's change stays.
			sv = createPulseDraft(t, lc)
			_, err = lc.Update(ctx, sv.ID, func(d *Draft) error {
				if _, err := lc.Update(ctx, sv.ID, func(d *Draft) error { d.Intro = "First"; return nil }); err != nil {
					t.Fatalf("inner edit: %v", err)
				}
				d.Title = "Second"
				return nil
			})
			if !errors.Is(err, kernel.ErrConflict) || !strings.Contains(err.Error(), "reload") {
				t.Fatalf("edit racing an edit: error %v, want a conflict asking for a reload", err)
			}
			got, err = store.GetSurvey(ctx, sv.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Intro != "First" || got.Title != "Pulse" {
				t.Errorf("after the race: intro %q, title %q; want the first edit only", got.Intro, got.Title)
			}
		})
	}
}

// createPulseDraft stores a minimal valid draft titled "Pulse".
func createPulseDraft(t *testing.T, lc *Lifecycle) Survey {
	t.Helper()
	d := NewDraft()
	d.Title = "Pulse"
	d.Items = []string{"belonging.1", "outcome.enps"}
	sv, err := lc.Create(context.Background(), d, "lead")
	if err != nil {
		t.Fatal(err)
	}
	return sv
}
