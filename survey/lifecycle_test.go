package survey

import (
	"context"
	"testing"
	"time"
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
			clock := ClockFunc(func() time.Time { return now })
			lc := NewLifecycle(store, clock, NewScheduler(store, clock, nil))
			d := NewDraft()
			d.Title = "Pulse"
			d.Items = []string{"belonging.1", "outcome.enps"}
			sv, err := lc.Create(ctx, d, "lead")
			if err != nil {
				t.Fatal(err)
			}
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
