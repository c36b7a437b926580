package actionplan

import (
	"context"
	"errors"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
)

// Point is a focus area's metric in one wave, exactly as the released view
// of that wave shows it: a gap or perception gap in points (Cell.Value), a
// competency's score and favourable share. Partial marks a wave that is
// still open.
type Point struct {
	Wave    int         `json:"wave"`
	Status  string      `json:"status"`
	Partial bool        `json:"partial"`
	Cell    report.Cell `json:"cell"`
}

// Progress reads the focus area's metric from the wave it was taken from
// and every later wave that has opened.
func (p *Plans) Progress(ctx context.Context, f Focus) ([]Point, error) {
	ws, err := p.surveys.Waves(ctx, f.SurveyID)
	if err != nil {
		return nil, err
	}
	now := p.clock.Now()
	out := []Point{}
	for _, w := range ws {
		st := w.Status(now)
		if w.Number < f.Wave || st == survey.WaveScheduled {
			continue
		}
		c, err := p.cell(ctx, f, w.Number)
		var qe *kernel.QueryError
		if errors.As(err, &qe) {
			continue // the view is not allowed in that wave
		}
		if err != nil {
			return nil, err
		}
		out = append(out, Point{Wave: w.Number, Status: st, Partial: st == survey.WaveOpen, Cell: c})
	}
	return out, nil
}

// withheld stands for a metric a wave does not show.
var withheld = report.Cell{Suppressed: true, Reason: "not shown in this wave"}

// cell is f's metric in wave n.
func (p *Plans) cell(ctx context.Context, f Focus, n int) (report.Cell, error) {
	src := f.Source
	switch src.Kind {
	case SourceBehaviour:
		b, err := p.engine.Behaviours(ctx, f.SurveyID, report.Query{Wave: n})
		if err != nil {
			return report.Cell{}, err
		}
		for _, r := range b.Rows {
			if r.Key == src.Metric {
				return r.Gap, nil
			}
		}
	case SourceGap:
		g, err := p.engine.Gaps(ctx, f.SurveyID, report.Query{Wave: n, By: src.Dimension})
		if err != nil {
			return report.Cell{}, err
		}
		gi := -1
		for i, grp := range g.Groups {
			if grp.Option == src.Option {
				gi = i
			}
		}
		for _, r := range g.Rows {
			if r.Key == src.Metric && gi >= 0 && gi < len(r.Groups) {
				return r.Groups[gi], nil
			}
		}
	default:
		r, err := p.engine.Release(ctx, f.SurveyID, report.Query{Wave: n})
		if err != nil {
			return report.Cell{}, err
		}
		for _, row := range append(append([]report.Row{r.Index}, r.Competencies...), r.Access...) {
			if row.Key == src.Metric {
				return row.Overall, nil
			}
		}
	}
	return withheld, nil
}
