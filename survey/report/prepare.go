package report

import (
	"context"
	"errors"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
)

// Prepare computes ahead of the first view what a view would otherwise wait
// for: the release of every closed wave that has no final one yet (the
// same numbers whenever it is computed), and, with background snapshots,
// the next snapshot of a live wave that someone has looked at and that has
// grown enough. An open wave nobody has looked at gets no snapshot: one
// published early would hold its cells back at close (docs/anonymity.md,
// "Time and snapshots").
func (e *Engine) Prepare(ctx context.Context) error {
	cursor := ""
	for {
		page, err := e.store.ListSurveys(ctx, cursor, 100)
		if err != nil {
			return err
		}
		for _, sv := range page {
			if err := e.prepareSurvey(ctx, sv); err != nil {
				return err
			}
		}
		if len(page) < 100 {
			return nil
		}
		cursor = page[len(page)-1].ID
	}
}

func (e *Engine) prepareSurvey(ctx context.Context, sv survey.Survey) error {
	if sv.Status == survey.StatusDraft || sv.Status == survey.StatusArchived {
		return nil
	}
	waves, err := e.store.Waves(ctx, sv.ID)
	if err != nil {
		return err
	}
	now := e.clock.Now()
	for _, w := range waves {
		status := w.Status(now)
		if status == survey.WaveScheduled {
			continue
		}
		last, err := e.latestSnapshot(ctx, w.ID)
		if err != nil {
			return err
		}
		if (last != nil && last.final) || (status == survey.WaveOpen && (last == nil || !e.background)) {
			continue
		}
		_, err = e.Release(ctx, sv.ID, Query{Wave: w.Number})
		var qe *kernel.QueryError
		if err != nil && !errors.As(err, &qe) && !errors.Is(err, kernel.ErrNotFound) {
			return err
		}
	}
	return nil
}
