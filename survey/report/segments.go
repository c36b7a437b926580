package report

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
)

// ReasonNoView: no view of the lattice shows a group with every attribute of
// this invite segment (three or more dimensions), so nothing is released
// about it.
const ReasonNoView = "results are never broken down by more than two attributes"

// SegmentCells is what the results release about the respondents of one
// invite segment (the group whose demographics equal the segment's
// attributes) in a wave: the group's respondent count and participation,
// taken from the released view that shows the group. A suppressed group
// carries only Suppressed and Reason, as everywhere in the results.
type SegmentCells struct {
	Respondents   Cell `json:"respondents"`
	Participation Cell `json:"participation"`
}

// Segments releases, for the invitations of one wave, the wave's
// participation and, for each non-empty segment, its SegmentCells (an empty
// segment gets the zero value). Nothing is counted here: every number is
// read from Release, so a segment is shown, held or suppressed exactly as
// the results show that group:
//
//   - one attribute dim=opt: group opt of the breakdown by dim;
//   - two attributes: the group of the second in the view filtered on the
//     first (in design order); when the lattice refuses that view (two
//     sensitive dimensions), the segment is suppressed with its reason;
//   - more attributes: suppressed (ReasonNoView).
func (e *Engine) Segments(ctx context.Context, surveyID string, wave int, segments []map[string]string) (Cell, []SegmentCells, error) {
	sv, err := e.store.GetSurvey(ctx, surveyID)
	if err != nil {
		return Cell{}, nil, err
	}
	// One release per distinct view, however many batches share it.
	type outcome struct {
		r   *Release
		err error
	}
	views := map[string]outcome{}
	release := func(q Query) (*Release, error) {
		key := q.String()
		if o, ok := views[key]; ok {
			return o.r, o.err
		}
		r, err := e.Release(ctx, surveyID, q)
		views[key] = outcome{r, err}
		return r, err
	}
	whole, err := release(Query{Wave: wave})
	if err != nil {
		return Cell{}, nil, err
	}
	out := make([]SegmentCells, len(segments))
	for i, seg := range segments {
		if len(seg) == 0 {
			continue
		}
		if out[i], err = segmentCells(sv.Design, wave, seg, release); err != nil {
			return Cell{}, nil, err
		}
	}
	return whole.Participation.Overall, out, nil
}

// segmentCells finds the released group of seg (see Segments).
func segmentCells(d survey.Design, wave int, seg map[string]string, release func(Query) (*Release, error)) (SegmentCells, error) {
	dims := make([]string, 0, len(seg))
	for key := range seg {
		dims = append(dims, key)
	}
	sort.Slice(dims, func(a, b int) bool {
		_, ia, _ := d.Demographic(dims[a])
		_, ib, _ := d.Demographic(dims[b])
		return ia < ib || (ia == ib && dims[a] < dims[b])
	})
	var q Query
	switch len(dims) {
	case 1:
		q = Query{Wave: wave, By: dims[0]}
	case 2:
		q = Query{Wave: wave, Filter: &Filter{Dimension: dims[0], Option: seg[dims[0]]}, By: dims[1]}
	default:
		return withheld(ReasonNoView), nil
	}
	r, err := release(q)
	var qe *kernel.QueryError
	if errors.As(err, &qe) {
		return withheld(qe.Message), nil
	}
	if err != nil {
		return SegmentCells{}, err
	}
	for i, g := range r.Groups {
		if g.Dimension == q.By && g.Option == seg[q.By] {
			sc := SegmentCells{Respondents: g.Count}
			if i < len(r.Participation.Groups) {
				sc.Participation = r.Participation.Groups[i]
			}
			return sc, nil
		}
	}
	return SegmentCells{}, fmt.Errorf("view %s has no group %s:%s", q, q.By, seg[q.By])
}

// withheld is a segment about which nothing is released.
func withheld(reason string) SegmentCells {
	c := Cell{Suppressed: true, Reason: reason}
	return SegmentCells{Respondents: c, Participation: c}
}
