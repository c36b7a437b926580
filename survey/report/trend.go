package report

import (
	"context"
	"errors"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
)

// Trend releases the view q (its wave ignored) for every wave that has
// opened and lines up the index, eNPS and competencies across them. Only
// published values are compared: a change between consecutive waves is
// computed from the two released cells and flagged by the gap rule.
func (e *Engine) Trend(ctx context.Context, surveyID string, q Query) (*Trend, error) {
	sv, err := e.store.GetSurvey(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	if err := ValidateQuery(sv.Design, q); err != nil {
		return nil, err
	}
	q.Wave = 0
	ws, err := e.store.Waves(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	now := e.clock.Now()
	t := &Trend{SurveyID: sv.ID, Title: sv.Title, Query: q, Thresholds: thresholdsOf(sv), Waves: []TrendWave{}, Series: []TrendSeries{}}
	var rels []*Release
	for _, w := range ws {
		if w.Status(now) == survey.WaveScheduled {
			continue
		}
		wq := q
		wq.Wave = w.Number
		r, err := e.Release(ctx, surveyID, wq)
		var qe *kernel.QueryError
		if errors.As(err, &qe) {
			continue // e.g. a filter whose complement is too small in this wave
		}
		if err != nil {
			return nil, err
		}
		t.Thresholds = r.Thresholds
		t.Waves = append(t.Waves, TrendWave{Number: w.Number, OpensAt: w.OpensAt, ClosesAt: w.ClosesAt,
			Status: w.Status(now), Snapshot: r.Snapshot})
		rels = append(rels, r)
	}
	if len(rels) == 0 {
		return t, nil
	}
	// Series: index, eNPS, then each competency; per group when By is set.
	type pick func(r *Release) (Row, bool)
	specs := []struct {
		key, name, kind string
		get             pick
	}{
		{"index", "Inclusion index", "index", func(r *Release) (Row, bool) { return r.Index, true }},
		{"enps", "eNPS", "enps", func(r *Release) (Row, bool) { return r.ENPS, true }},
	}
	seen := map[string]bool{}
	for _, r := range rels {
		for _, c := range r.Competencies {
			if seen[c.Key] {
				continue
			}
			seen[c.Key] = true
			key, name := c.Key, c.Name
			specs = append(specs, struct {
				key, name, kind string
				get             pick
			}{key, name, framework.KindCompetency, func(r *Release) (Row, bool) {
				for _, row := range r.Competencies {
					if row.Key == key {
						return row, true
					}
				}
				return Row{}, false
			}})
		}
	}
	groups := rels[len(rels)-1].Groups
	for _, sp := range specs {
		for gi := -1; gi < len(groups); gi++ {
			s := TrendSeries{Key: sp.key, Name: sp.name, Kind: sp.kind}
			if gi >= 0 {
				s.Group = groups[gi].Key
			}
			for i, r := range rels {
				c := Cell{Suppressed: true, Reason: ReasonNotReported}
				if row, ok := sp.get(r); ok {
					c = row.Overall
					if gi >= 0 {
						c = Cell{Suppressed: true, Reason: ReasonNotReported}
						if gi < len(row.Groups) {
							c = row.Groups[gi]
						}
					}
				}
				s.Points = append(s.Points, c)
				s.Changes = append(s.Changes, change(s.Points, i, sp.kind, t.Thresholds.PracticalGapPoints))
			}
			t.Series = append(t.Series, s)
		}
	}
	return t, nil
}

// change compares point i with point i−1 on the favourable share (pooled
// answers for competencies), with the Newcombe interval and the flag rule.
func change(points []Cell, i int, kind string, practical float64) Cell {
	if i == 0 {
		return Cell{}
	}
	a, b := points[i], points[i-1]
	if kind != framework.KindCompetency || a.Suppressed || b.Suppressed || a.Favourable == nil || b.Favourable == nil {
		return Cell{}
	}
	na, nb := a.Answers, b.Answers
	if na == 0 {
		na = a.N
	}
	if nb == 0 {
		nb = b.N
	}
	xa := roundShare(*a.Favourable, na)
	xb := roundShare(*b.Favourable, nb)
	return roundGap(gapCell(xa, na, xb, nb, practical))
}

// roundShare recovers a count from a share of n.
func roundShare(p float64, n int) int {
	return int(p*float64(n) + 0.5)
}
