package report

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
)

// waveComments reads a wave's comments in id order (survey.Store.WaveComments).
func (e *Engine) waveComments(ctx context.Context, waveID string) ([]survey.WaveComment, error) {
	return e.store.WaveComments(ctx, waveID)
}

// inCell reports whether a comment's segment puts it in cell c, which must
// be the wave or a margin cell of a non-sensitive dimension.
func inCell(p *plan, c int, seg map[string]string) bool {
	def := p.defs[c]
	for i, d := range def.dims {
		opt, ok := seg[p.l.dims[d].key]
		want := p.l.groupLabel(d, def.opts[i])
		if want == NotAnswered {
			if ok {
				return false
			}
			continue
		}
		if opt != want {
			return false
		}
	}
	return true
}

// Reasons a set of comments is not shown.
const (
	// ReasonCommentsOpen: comments are exact texts, so two publications of
	// one group at different times would set apart the comments of the
	// people who answered in between.
	ReasonCommentsOpen = "comments are released when the wave closes, so that no one can tell them apart by when they arrived"
	// ReasonCommentsTooFew: the population has fewer than k_c respondents.
	ReasonCommentsTooFew = "fewer than the minimum group size for comments"
	// ReasonCommentsOverlap: shown, the population's comments compared with
	// another population's would narrow some down to fewer than k_c people.
	ReasonCommentsOverlap = "comparing them with another group's comments would narrow some down to fewer people than the minimum for comments"
)

// Comments returns the comments of a view population under the comment
// rules (docs/anonymity.md, "Comments"): once the wave has closed, only for populations
// that commentPopulations publishes, filtered by non-sensitive dimensions
// only, never broken down, without dates, in a stable shuffled order.
func (e *Engine) Comments(ctx context.Context, surveyID string, q Query) (*Comments, error) {
	if q.By != "" {
		return nil, &kernel.QueryError{Field: "by", Message: "comments are not broken down by group"}
	}
	sv, err := e.store.GetSurvey(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	if q.Filter != nil {
		if dm, _, ok := sv.Design.Demographic(q.Filter.Dimension); ok && dm.Sensitive {
			return nil, &kernel.QueryError{Field: "filter", Message: "comments cannot be filtered by a sensitive dimension"}
		}
	}
	v, err := e.resolve(ctx, surveyID, q)
	if err != nil {
		return nil, err
	}
	out := &Comments{Meta: v.meta(), Prompts: []Prompt{}, Items: []CommentItem{}}
	for _, pr := range sv.Design.Comments {
		out.Prompts = append(out.Prompts, Prompt{Key: pr.Key, Prompt: pr.Prompt})
	}
	if v.l.wave.Status(e.clock.Now()) != survey.WaveClosed {
		out.Suppressed, out.Reason = true, ReasonCommentsOpen
		return out, nil
	}
	count, err := e.store.CountResponses(ctx, v.l.wave.ID)
	if err != nil {
		return nil, err
	}
	cw, err := e.load(ctx, v.l, count)
	if err != nil {
		return nil, err
	}
	p := newPlan(v.l, allDims(v.l), false)
	popCell := 0
	for c := range p.defs {
		if p.key(c) == v.pop {
			popCell = c
		}
	}
	if reason := commentPopulations(p, cw.data)[popCell]; reason != "" {
		out.Suppressed, out.Reason = true, reason
		return out, nil
	}
	rows, err := e.waveComments(ctx, v.l.wave.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		var seg map[string]string
		if err := json.Unmarshal([]byte(r.Segment), &seg); err != nil {
			return nil, fmt.Errorf("comment segment: %w", err)
		}
		if inCell(p, popCell, seg) {
			out.Items = append(out.Items, CommentItem{Prompt: r.Prompt, Text: r.Body})
		}
	}
	return out, nil
}

// commentPopulations decides, from the closed wave's responses alone (so
// every query gets the same answer), which populations publish their
// comments: the wave, and margin cells of non-sensitive dimensions. It
// returns the reason each other population is not published ("" for the
// published ones; cells of the plan not listed are not comment
// populations).
//
// Comments are exact texts, so an attacker can intersect and subtract the
// published sets: what pins a comment down is the set of published
// populations it is in. The people who share that pattern are all the
// attacker can narrow its author down to, so every such class of
// respondents must hold at least k_c people. Populations are tried the wave
// first, then dimension by dimension in design order, largest group first,
// and one is published only when it keeps every class at k_c or more.
func commentPopulations(p *plan, d *waveData) map[int]string {
	kc := p.l.th.KC
	out := map[int]string{0: ReasonCommentsTooFew}
	if d.n < kc {
		return out
	}
	out[0] = ""
	class := make([]int, d.n) // everyone starts in one class
	next := make([]int, d.n)
	for dim, ti := range p.margin {
		if ti < 0 || p.l.dims[dim].sensitive {
			continue
		}
		t := p.tables[ti]
		groups := make([]int, d.n)
		size := make([]int, t.size)
		for r := 0; r < d.n; r++ {
			demo, _ := d.row(r)
			groups[r] = p.l.groupOf(demo, dim)
			size[groups[r]]++
		}
		order := make([]int, len(p.l.dims[dim].options)) // "not answered" cannot be filtered by
		for g := range order {
			order[g] = g
		}
		sort.SliceStable(order, func(i, j int) bool { return size[order[i]] > size[order[j]] })
		for _, g := range order {
			c := t.base + g
			if size[g] < kc {
				out[c] = ReasonCommentsTooFew
				continue
			}
			if !splitClasses(class, next, kc, func(r int) bool { return groups[r] == g }) {
				out[c] = ReasonCommentsOverlap
				continue
			}
			class, next = next, class
			out[c] = ""
		}
	}
	return out
}

// splitClasses splits every class of respondents by membership in a new
// population into next (renumbered from 0) and reports whether each part
// holds at least kc respondents. next is left undefined when it does not.
func splitClasses(class, next []int, kc int, in func(r int) bool) bool {
	ids := map[[2]int]int{}
	var sizes []int
	for r, c := range class {
		key := [2]int{c, 0}
		if in(r) {
			key[1] = 1
		}
		id, ok := ids[key]
		if !ok {
			id = len(sizes)
			ids[key] = id
			sizes = append(sizes, 0)
		}
		next[r] = id
		sizes[id]++
	}
	for _, n := range sizes {
		if n < kc {
			return false
		}
	}
	return true
}
