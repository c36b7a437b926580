package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
)

type retentionRequest struct {
	Months *int `json:"months"`
}

type retentionRunRequest struct {
	DryRun *bool `json:"dry_run"`
}

type retentionRunResponse struct {
	DryRun bool                   `json:"dry_run"`
	Waves  []survey.RetentionWave `json:"waves"`
}

// retentionInterval is how often the server applies retention by itself.
const retentionInterval = time.Hour

// handleGetRetention: GET /api/v1/surveys/{id}/retention.
func (s *Server) handleGetRetention(c echo.Context) error {
	p, err := s.surveys.RetentionPolicy(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// handleSetRetention: PUT /api/v1/surveys/{id}/retention {"months": N}.
// It can be set on a survey in any state; a shorter period takes effect at
// the next run.
func (s *Server) handleSetRetention(c echo.Context) error {
	var req retentionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.Months == nil {
		return kernel.Invalid("months", "is required: a whole number of months, 0 to keep responses")
	}
	ctx := c.Request().Context()
	if err := s.surveys.SetRetentionMonths(ctx, c.Param("id"), *req.Months); err != nil {
		return err
	}
	s.audit(c, "survey.retention", c.Param("id"), retentionDetail(*req.Months))
	return s.handleGetRetention(c)
}

func retentionDetail(months int) string {
	if months == 0 {
		return "responses kept"
	}
	return fmt.Sprintf("responses deleted %d months after a wave closes", months)
}

// handleRunRetention: POST /api/v1/retention/run {"dry_run": true|false}
// (admin). A dry run lists what would go and changes nothing.
func (s *Server) handleRunRetention(c echo.Context) error {
	var req retentionRunRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.DryRun == nil {
		return kernel.Invalid("dry_run", "is required: true to list what would go, false to delete it")
	}
	actor, _ := actorOf(c)
	ctx, cancel := detached(c)
	defer cancel()
	waves, err := s.applyRetention(ctx, *req.DryRun, func(ctx context.Context, e account.Event) error {
		e.ActorID, e.ActorEmail, e.ClientAddress = actor.ID, actor.Email, c.RealIP()
		return s.accounts.Record(ctx, e)
	})
	if err != nil {
		return err
	}
	if *req.DryRun {
		s.audit(c, "retention.dry_run", "", fmt.Sprintf("%d wave(s) due", len(waves)))
	}
	if waves == nil {
		waves = []survey.RetentionWave{}
	}
	return c.JSON(http.StatusOK, retentionRunResponse{DryRun: *req.DryRun, Waves: waves})
}

// applyRetention deletes the responses and comments of every due wave, or
// only lists them when dryRun, and records one audit event per wave
// through record. Before a wave's data goes, its final release is made
// (report.Engine stores it), so that its released results outlive it.
// Replicas on PostgreSQL take turns through a lock.
func (s *Server) applyRetention(ctx context.Context, dryRun bool, record func(context.Context, account.Event) error) ([]survey.RetentionWave, error) {
	var out []survey.RetentionWave
	err := s.db.Exclusive(ctx, "retention", func(ctx context.Context) error {
		due, err := s.surveys.RetentionDue(ctx, s.clock.Now())
		if err != nil || dryRun {
			out = due
			return err
		}
		for _, w := range due {
			if _, err := s.report.Release(ctx, w.SurveyID, report.Query{Wave: w.Wave}); err != nil {
				return fmt.Errorf("final release of survey %s wave %d: %w", w.SurveyID, w.Wave, err)
			}
			done, err := s.surveys.DeleteRetained(ctx, w, s.clock.Now())
			if err != nil {
				return err
			}
			if err := s.report.MarkResponsesDeleted(ctx, w.WaveID); err != nil {
				return fmt.Errorf("marking the snapshots of survey %s wave %d: %w", w.SurveyID, w.Wave, err)
			}
			out = append(out, done)
			err = record(ctx, account.Event{Action: "retention.delete", Target: w.SurveyID,
				Detail: fmt.Sprintf("wave %d closed %s: %d responses and %d comments deleted after %d months",
					w.Wave, w.ClosedAt.Format(time.DateOnly), done.Responses, done.Comments, w.Months)})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// runRetention applies retention now and then every retentionInterval
// until ctx ends.
func (s *Server) runRetention(ctx context.Context) {
	t := time.NewTicker(retentionInterval)
	defer t.Stop()
	for {
		if _, err := s.applyRetention(ctx, false, s.accounts.Record); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "retention", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
