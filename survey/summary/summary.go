// Package summary is the executive's summary of a survey: the latest closed
// wave's headline numbers with their change since the wave before, the
// largest flagged gaps, the strongest and weakest competencies, the trend
// and the actions under way. It composes released views of report.Engine
// and the action plans; it computes no statistic of its own beyond the
// difference of two released numbers.
package summary

import (
	"context"
	"errors"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/actionplan"
	"github.com/allypulse/allypulse/survey/report"
)

// Summary is the executive's one-page view of a survey.
type Summary struct {
	SurveyID string `json:"survey_id"`
	Title    string `json:"title"`
	// Wave is the wave summarised: the latest closed wave unless another
	// was asked for; 0 when no wave has closed yet.
	Wave       int       `json:"wave"`
	WaveStatus string    `json:"wave_status,omitempty"`
	OpensAt    time.Time `json:"opens_at,omitzero"`
	ClosesAt   time.Time `json:"closes_at,omitzero"`
	// Partial marks a wave that is still open: its numbers can change.
	Partial bool `json:"partial"`
	// PreviousWave is the wave the changes compare with (0 for none).
	PreviousWave int `json:"previous_wave,omitempty"`
	// LiveWave is the number of a wave open now (0 for none); its results
	// are partial and never the default.
	LiveWave      int               `json:"live_wave,omitempty"`
	Thresholds    report.Thresholds `json:"thresholds"`
	Respondents   report.Cell       `json:"respondents"`
	Index         Headline          `json:"index"`
	ENPS          Headline          `json:"enps"`
	Participation Headline          `json:"participation"`
	// Gaps are the three largest flagged gaps in which a group fares worse
	// than the rest, across every demographic question.
	Gaps []Gap `json:"gaps"`
	// Competencies are all competencies, highest score first; Strongest and
	// Weakest are the first and last ones with a released score.
	Competencies []Competency `json:"competencies"`
	Strongest    []Competency `json:"strongest"`
	Weakest      []Competency `json:"weakest"`
	// Trend is the index and eNPS across every wave that has opened.
	Trend   []TrendPoint `json:"trend"`
	Actions Actions      `json:"actions"`
}

// Headline is a released number and its change since the previous wave.
type Headline struct {
	Name     string       `json:"name"`
	Cell     report.Cell  `json:"cell"`
	Previous *report.Cell `json:"previous,omitempty"`
	// Change is the difference of the two released values: points of score
	// for the index, points of eNPS, points of percentage for participation.
	Change *float64 `json:"change,omitempty"`
	// Flagged is the trend's flag on the change (the gap rule of
	// docs/statistics.md).
	Flagged bool `json:"flagged,omitempty"`
}

// Gap is one flagged gap: a group against the rest on one metric.
type Gap struct {
	Dimension string      `json:"dimension"`
	Label     string      `json:"dimension_label"`
	Option    string      `json:"option"`
	Metric    string      `json:"metric"`
	Name      string      `json:"name"`
	Kind      string      `json:"kind"`
	Cell      report.Cell `json:"cell"`
}

// Competency is a competency's released cell and the change of its score.
type Competency struct {
	Key    string      `json:"key"`
	Name   string      `json:"name"`
	Kind   string      `json:"kind"`
	Cell   report.Cell `json:"cell"`
	Change *float64    `json:"change,omitempty"`
}

// TrendPoint is one wave's index and eNPS.
type TrendPoint struct {
	Wave     int         `json:"wave"`
	OpensAt  time.Time   `json:"opens_at"`
	ClosesAt time.Time   `json:"closes_at"`
	Status   string      `json:"status"`
	Partial  bool        `json:"partial"`
	Index    report.Cell `json:"index"`
	ENPS     report.Cell `json:"enps"`
}

// Actions counts the survey's actions by status and lists those under way.
type Actions struct {
	FocusAreas int            `json:"focus_areas"`
	ByStatus   map[string]int `json:"by_status"`
	UnderWay   []ActionLine   `json:"under_way"`
}

// ActionLine is an action that is planned or in progress.
type ActionLine struct {
	FocusID    string `json:"focus_id"`
	FocusTitle string `json:"focus_title"`
	Title      string `json:"title"`
	Owner      string `json:"owner,omitempty"`
	Due        string `json:"due,omitempty"`
	Status     string `json:"status"`
}

// Owners names action owners.
type Owners interface {
	OwnerName(ctx context.Context, id string) (string, error)
}

// Builder makes summaries.
type Builder struct {
	surveys *survey.Store
	engine  *report.Engine
	plans   *actionplan.Plans
	owners  Owners
	clock   kernel.Clock
}

// NewBuilder returns a Builder.
func NewBuilder(surveys *survey.Store, engine *report.Engine, plans *actionplan.Plans, owners Owners, clock kernel.Clock) *Builder {
	return &Builder{surveys: surveys, engine: engine, plans: plans, owners: owners, clock: clock}
}

// Build summarises wave n of the survey (0: the latest closed wave).
func (b *Builder) Build(ctx context.Context, surveyID string, n int) (*Summary, error) {
	sv, err := b.surveys.GetSurvey(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	ws, err := b.surveys.Waves(ctx, sv.ID)
	if err != nil {
		return nil, err
	}
	now := b.clock.Now()
	s := &Summary{SurveyID: sv.ID, Title: sv.Title, Gaps: []Gap{}, Competencies: []Competency{}, Strongest: []Competency{},
		Weakest: []Competency{}, Trend: []TrendPoint{}, Actions: Actions{ByStatus: map[string]int{}, UnderWay: []ActionLine{}}}
	var pick *survey.Wave
	for i := range ws {
		switch st := ws[i].Status(now); {
		case st == survey.WaveOpen:
			s.LiveWave = ws[i].Number
			if n == ws[i].Number {
				pick = &ws[i]
			}
		case st == survey.WaveClosed && (n == 0 || n == ws[i].Number):
			pick = &ws[i]
		}
	}
	if n > 0 && pick == nil {
		return nil, &kernel.QueryError{Field: "wave", Message: "this survey has no wave with that number that has opened"}
	}
	if err := b.actions(ctx, s); err != nil {
		return nil, err
	}
	trend, err := b.engine.Trend(ctx, sv.ID, report.Query{})
	if err != nil {
		return nil, err
	}
	s.Thresholds = trend.Thresholds
	s.Trend = trendPoints(trend)
	if pick == nil {
		return s, nil
	}
	s.Wave, s.WaveStatus, s.OpensAt, s.ClosesAt = pick.Number, pick.Status(now), pick.OpensAt, pick.ClosesAt
	s.Partial = s.WaveStatus == survey.WaveOpen
	rel, err := b.engine.Release(ctx, sv.ID, report.Query{Wave: pick.Number})
	if err != nil {
		return nil, err
	}
	s.Thresholds, s.Respondents = rel.Thresholds, rel.Respondents
	var prev *report.Release
	if i := slices.IndexFunc(trend.Waves, func(w report.TrendWave) bool { return w.Number == pick.Number }); i > 0 {
		s.PreviousWave = trend.Waves[i-1].Number
		if prev, err = b.engine.Release(ctx, sv.ID, report.Query{Wave: s.PreviousWave}); err != nil {
			return nil, err
		}
	}
	s.Index = headline(rel.Index.Name, rel.Index.Overall, prevCell(prev, func(r *report.Release) report.Cell { return r.Index.Overall }), scoreOf)
	s.Index.Flagged = trendFlag(trend, "index", pick.Number)
	s.ENPS = headline("eNPS", rel.ENPS.Overall, prevCell(prev, func(r *report.Release) report.Cell { return r.ENPS.Overall }), valueOf)
	s.ENPS.Flagged = trendFlag(trend, "enps", pick.Number)
	s.Participation = headline("Participation", rel.Participation.Overall,
		prevCell(prev, func(r *report.Release) report.Cell { return r.Participation.Overall }), sharePoints)
	s.competencies(rel, prev)
	return s, b.gaps(ctx, sv, s)
}

// trendPoints lines up the index and eNPS of every wave of the trend.
func trendPoints(t *report.Trend) []TrendPoint {
	series := func(key string) []report.Cell {
		for _, s := range t.Series {
			if s.Key == key && s.Group == "" {
				return s.Points
			}
		}
		return nil
	}
	idx, enps := series("index"), series("enps")
	out := make([]TrendPoint, len(t.Waves))
	for i, w := range t.Waves {
		out[i] = TrendPoint{Wave: w.Number, OpensAt: w.OpensAt, ClosesAt: w.ClosesAt, Status: w.Status, Partial: w.Status == survey.WaveOpen}
		if i < len(idx) {
			out[i].Index = idx[i]
		}
		if i < len(enps) {
			out[i].ENPS = enps[i]
		}
	}
	return out
}

// trendFlag is the trend's flag on key's change into wave n.
func trendFlag(t *report.Trend, key string, n int) bool {
	i := slices.IndexFunc(t.Waves, func(w report.TrendWave) bool { return w.Number == n })
	for _, s := range t.Series {
		if s.Key == key && s.Group == "" && i >= 0 && i < len(s.Changes) {
			return s.Changes[i].Flagged
		}
	}
	return false
}

func prevCell(prev *report.Release, get func(*report.Release) report.Cell) *report.Cell {
	if prev == nil {
		return nil
	}
	c := get(prev)
	return &c
}

// Value readers for headline changes.
func scoreOf(c report.Cell) *float64 { return c.Score }
func valueOf(c report.Cell) *float64 { return c.Value }
func sharePoints(c report.Cell) *float64 {
	if c.Value == nil {
		return nil
	}
	v := *c.Value * 100
	return &v
}

// headline pairs a released cell with the previous wave's and their
// difference, rounded to one decimal like every released change.
func headline(name string, cur report.Cell, prev *report.Cell, val func(report.Cell) *float64) Headline {
	h := Headline{Name: name, Cell: cur, Previous: prev}
	if prev != nil && !cur.Suppressed && !prev.Suppressed {
		a, b := val(cur), val(*prev)
		if a != nil && b != nil {
			d := math.Round((*a-*b)*10) / 10
			h.Change = &d
		}
	}
	return h
}

// competencies ranks the competencies by released score.
func (s *Summary) competencies(rel, prev *report.Release) {
	for _, row := range rel.Competencies {
		c := Competency{Key: row.Key, Name: row.Name, Kind: row.Kind, Cell: row.Overall}
		if prev != nil {
			for _, p := range prev.Competencies {
				if p.Key == row.Key {
					c.Change = headline("", row.Overall, &p.Overall, scoreOf).Change
				}
			}
		}
		s.Competencies = append(s.Competencies, c)
	}
	sort.SliceStable(s.Competencies, func(i, j int) bool {
		a, b := s.Competencies[i].Cell.Score, s.Competencies[j].Cell.Score
		if a == nil || b == nil {
			return a != nil
		}
		return *a > *b
	})
	var scored []Competency
	for _, c := range s.Competencies {
		if c.Cell.Score != nil {
			scored = append(scored, c)
		}
	}
	// Up to two each, never the same competency in both lists: a lone
	// released score is only listed as the strongest.
	take := min(2, len(scored)/2)
	if len(scored) == 1 {
		s.Strongest = append(s.Strongest, scored[0])
		return
	}
	s.Strongest = append(s.Strongest, scored[:take]...)
	for i := len(scored) - 1; i >= len(scored)-take; i-- {
		s.Weakest = append(s.Weakest, scored[i])
	}
}

// gaps collects the flagged gaps in which a group fares worse, across the
// demographic questions, and keeps the three largest.
func (b *Builder) gaps(ctx context.Context, sv survey.Survey, s *Summary) error {
	for _, d := range sv.Design.Demographics {
		g, err := b.engine.Gaps(ctx, sv.ID, report.Query{Wave: s.Wave, By: d.Key})
		var qe *kernel.QueryError
		if errors.As(err, &qe) {
			continue
		}
		if err != nil {
			return err
		}
		for _, row := range g.Rows {
			for i, c := range row.Groups {
				if !c.Flagged || c.Value == nil || *c.Value >= 0 || i >= len(g.Groups) {
					continue
				}
				s.Gaps = append(s.Gaps, Gap{Dimension: d.Key, Label: d.Label, Option: g.Groups[i].Option,
					Metric: row.Key, Name: row.Name, Kind: row.Kind, Cell: c})
			}
		}
	}
	sort.SliceStable(s.Gaps, func(i, j int) bool { return *s.Gaps[i].Cell.Value < *s.Gaps[j].Cell.Value })
	if len(s.Gaps) > 3 {
		s.Gaps = s.Gaps[:3]
	}
	return nil
}

// actions counts the survey's actions and lists those under way, the
// soonest due first.
func (b *Builder) actions(ctx context.Context, s *Summary) error {
	focus, err := b.plans.List(ctx, s.SurveyID)
	if err != nil {
		return err
	}
	s.Actions.FocusAreas = len(focus)
	for _, st := range actionplan.Statuses {
		s.Actions.ByStatus[st] = 0
	}
	for _, f := range focus {
		for _, a := range f.Actions {
			s.Actions.ByStatus[a.Status]++
			if a.Status != actionplan.StatusPlanned && a.Status != actionplan.StatusInProgress {
				continue
			}
			line := ActionLine{FocusID: f.ID, FocusTitle: f.Title, Title: a.Title, Due: a.Due, Status: a.Status}
			if a.OwnerID != "" {
				name, err := b.owners.OwnerName(ctx, a.OwnerID)
				if err != nil && !errors.Is(err, kernel.ErrNotFound) {
					return err
				}
				line.Owner = name
			}
			s.Actions.UnderWay = append(s.Actions.UnderWay, line)
		}
	}
	sort.SliceStable(s.Actions.UnderWay, func(i, j int) bool {
		a, b := s.Actions.UnderWay[i].Due, s.Actions.UnderWay[j].Due
		if a == "" || b == "" {
			return a != ""
		}
		return a < b
	})
	return nil
}
