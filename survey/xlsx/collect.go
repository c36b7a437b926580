package xlsx

import (
	"context"
	"errors"
	"sync"

	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
)

// Releaser is the part of the report engine (*report.Engine) that a
// workbook reads: released views only.
type Releaser interface {
	Release(ctx context.Context, surveyID string, q report.Query) (*report.Release, error)
	Trend(ctx context.Context, surveyID string, q report.Query) (*report.Trend, error)
	Comments(ctx context.Context, surveyID string, q report.Query) (*report.Comments, error)
}

// Request names the workbook to build: a survey, a wave (0 for the latest
// that has opened), the breakdown dimensions, and whether the reader's role
// sees comments.
type Request struct {
	SurveyID string
	Wave     int
	By       []string
	Comments bool
}

// Collect gathers the released views of a workbook: the wave without a
// breakdown, one view per dimension, the trend and, when asked, the
// comments. Each view goes through the release step like any API call. The
// first view runs alone (it loads the wave into the engine's cache), the
// others side by side.
func Collect(ctx context.Context, r Releaser, surveys *survey.Store, req Request) (Input, error) {
	var in Input
	sv, err := surveys.GetSurvey(ctx, req.SurveyID)
	if err != nil {
		return in, err
	}
	overall, err := r.Release(ctx, req.SurveyID, report.Query{Wave: req.Wave})
	if err != nil {
		return in, err
	}
	// Pin the wave the first view resolved, so that every view describes
	// the same wave even if another opens meanwhile.
	wave := overall.Wave
	in = Input{Survey: sv, Overall: *overall, Breakdowns: make([]report.Release, len(req.By))}
	var trend *report.Trend
	jobs := []func() error{
		func() (err error) { trend, err = r.Trend(ctx, req.SurveyID, report.Query{}); return err },
	}
	for i, dim := range req.By {
		jobs = append(jobs, func() error {
			rel, err := r.Release(ctx, req.SurveyID, report.Query{Wave: wave, By: dim})
			if err == nil {
				in.Breakdowns[i] = *rel
			}
			return err
		})
	}
	if req.Comments {
		jobs = append(jobs, func() (err error) {
			in.Comments, err = r.Comments(ctx, req.SurveyID, report.Query{Wave: wave})
			return err
		})
	}
	if err := runAll(jobs); err != nil {
		return in, err
	}
	in.Trend = *trend
	in.Wave, err = surveys.WaveByNumber(ctx, req.SurveyID, wave)
	return in, err
}

// runAll runs the jobs side by side and returns their errors joined.
func runAll(jobs []func() error) error {
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = job()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
