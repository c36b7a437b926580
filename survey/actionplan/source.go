package actionplan

import (
	"context"
	"errors"
	"fmt"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
)

// closedWave returns wave n of sv when it has closed; otherwise a
// validation error on field.
func (p *Plans) closedWave(ctx context.Context, sv survey.Survey, n int, field string) (survey.Wave, error) {
	if n < 1 {
		return survey.Wave{}, kernel.Invalid(field, "must be the number of a closed wave (1 or more)")
	}
	w, err := p.surveys.WaveByNumber(ctx, sv.ID, n)
	if errors.Is(err, kernel.ErrNotFound) {
		return survey.Wave{}, kernel.InvalidCode(field, kernel.CodeUnknown, fmt.Sprintf("this survey has no wave %d", n))
	}
	if err != nil {
		return survey.Wave{}, err
	}
	if w.Status(p.clock.Now()) != survey.WaveClosed {
		return survey.Wave{}, kernel.Invalid(field, "must be a closed wave: an open wave's results are partial")
	}
	return w, nil
}

// checkSource checks that src names a result the released views of wave
// show, and returns its display name.
func (p *Plans) checkSource(ctx context.Context, sv survey.Survey, wave int, src Source) (string, error) {
	switch src.Kind {
	case SourceCompetency, SourceBehaviour:
		var ve kernel.ValidationError
		if src.Dimension != "" {
			ve.AddCode("source.dimension", kernel.CodeNotAllowed, "is only for a gap")
		}
		if src.Option != "" {
			ve.AddCode("source.option", kernel.CodeNotAllowed, "is only for a gap")
		}
		if err := ve.Err(); err != nil {
			return "", err
		}
	case SourceGap:
		var ve kernel.ValidationError
		d, _, ok := sv.Design.Demographic(src.Dimension)
		switch {
		case src.Dimension == "":
			ve.Add("source.dimension", "is required for a gap")
		case !ok:
			ve.Add("source.dimension", "is not a demographic question of this survey")
		case d.OptionIndex(src.Option) < 0 && src.Option != report.NotAnswered:
			ve.AddCode("source.option", kernel.CodeUnknown, "is not an option of "+src.Dimension)
		}
		if err := ve.Err(); err != nil {
			return "", err
		}
	default:
		return "", kernel.Invalid("source.kind", "must be gap, competency or behaviour")
	}
	if src.Metric == "" {
		return "", kernel.InvalidCode("source.metric", kernel.CodeRequired, "is required")
	}
	name, err := p.metricName(ctx, sv.ID, wave, src)
	if err != nil {
		return "", err
	}
	if name == "" {
		return "", kernel.Invalid("source.metric", fmt.Sprintf("wave %d shows no %s result named %q", wave, src.Kind, src.Metric))
	}
	return name, nil
}

// metricName finds src's metric in the released views of wave ("" when
// they do not show it).
func (p *Plans) metricName(ctx context.Context, surveyID string, wave int, src Source) (string, error) {
	switch src.Kind {
	case SourceBehaviour:
		b, err := p.engine.Behaviours(ctx, surveyID, report.Query{Wave: wave})
		if err != nil {
			return "", err
		}
		for _, r := range b.Rows {
			if r.Key == src.Metric {
				return r.ExperiencedText, nil
			}
		}
	case SourceGap:
		g, err := p.engine.Gaps(ctx, surveyID, report.Query{Wave: wave, By: src.Dimension})
		var qe *kernel.QueryError
		if errors.As(err, &qe) {
			return "", kernel.Invalid("source.dimension", qe.Message)
		}
		if err != nil {
			return "", err
		}
		for _, r := range g.Rows {
			if r.Key == src.Metric {
				return r.Name, nil
			}
		}
	default:
		r, err := p.engine.Release(ctx, surveyID, report.Query{Wave: wave})
		if err != nil {
			return "", err
		}
		for _, row := range append(append([]report.Row{r.Index}, r.Competencies...), r.Access...) {
			if row.Key == src.Metric {
				return row.Name, nil
			}
		}
	}
	return "", nil
}
