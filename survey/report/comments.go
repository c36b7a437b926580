package report

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/allypulse/allypulse/survey"
)

// commentRow is a stored comment: random id, prompt, text and the
// non-sensitive segment attributes it may be filtered by.
type commentRow struct {
	ID      string
	Prompt  string
	Body    string
	Segment string
}

// waveComments reads a wave's comments in id order: ids are random, so this
// order is a stable shuffle that says nothing about submission order.
func (e *Engine) waveComments(ctx context.Context, waveID string) ([]commentRow, error) {
	var rows []commentRow
	err := e.store.DB().WithContext(ctx).Table("comments").Select("id, prompt, body, segment").
		Where("wave_id = ?", waveID).Order("id").Scan(&rows).Error
	return rows, err
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

// commentCells are the cells comments can be shown for: the wave and the
// margin cells of non-sensitive dimensions.
func commentCells(p *plan) []int {
	var out []int
	for _, c := range popCells(p) {
		def := p.defs[c]
		if len(def.dims) == 0 || !p.l.dims[def.dims[0]].sensitive {
			out = append(out, c)
		}
	}
	return out
}

// attachComments stores in a new snapshot the comment ids each comment cell
// publishes; a held cell keeps the ids of its last publication.
func (e *Engine) attachComments(ctx context.Context, l *layout, p *plan, cells []cellValues, last *published) error {
	rows, err := e.waveComments(ctx, l.wave.ID)
	if err != nil {
		return err
	}
	segs := make([]map[string]string, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal([]byte(r.Segment), &segs[i]); err != nil {
			return fmt.Errorf("comment segment: %w", err)
		}
	}
	for _, c := range commentCells(p) {
		if cells[c].AsOf != nil && last != nil {
			continue // held: keeps the ids it was published with
		}
		cells[c].Comments = nil
		for i, r := range rows {
			if inCell(p, c, segs[i]) {
				cells[c].Comments = append(cells[c].Comments, r.ID)
			}
		}
	}
	return nil
}

// Comments returns the comments of a view population under the comment
// rules (anonymity.md §6): only for at least k_c respondents, filtered by
// non-sensitive dimensions only, never broken down, without dates, in a
// stable shuffled order.
func (e *Engine) Comments(ctx context.Context, surveyID string, q Query) (*Comments, error) {
	if q.By != "" {
		return nil, &survey.QueryError{Field: "by", Message: "comments are not broken down by group"}
	}
	sv, err := e.store.GetSurvey(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	if q.Filter != nil {
		if dm, _, ok := sv.Design.Demographic(q.Filter.Dimension); ok && dm.Sensitive {
			return nil, &survey.QueryError{Field: "filter", Message: "comments cannot be filtered by a sensitive dimension"}
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
	pop := v.cells[v.pop]
	if pop == nil || pop.Count.Suppressed || pop.Count.N < v.l.th.KC {
		out.Suppressed, out.Reason = true, "fewer than the minimum group size for comments"
		return out, nil
	}
	rows, err := e.waveComments(ctx, v.l.wave.ID)
	if err != nil {
		return nil, err
	}
	var allowed map[string]bool
	if v.snapshot > 0 {
		allowed = make(map[string]bool, len(pop.Comments))
		for _, id := range pop.Comments {
			allowed[id] = true
		}
	}
	p := newPlan(v.l, allDims(v.l), false)
	popCell := 0
	for c := range p.defs {
		if p.key(c) == v.pop {
			popCell = c
		}
	}
	for _, r := range rows {
		if allowed != nil && !allowed[r.ID] {
			continue
		}
		var seg map[string]string
		if err := json.Unmarshal([]byte(r.Segment), &seg); err != nil {
			return nil, fmt.Errorf("comment segment: %w", err)
		}
		if inCell(p, popCell, seg) {
			out.Items = append(out.Items, CommentItem{Prompt: r.Prompt, Text: r.Body})
		}
	}
	e.ledger.Record(ctx, ledgerComments(v, len(out.Items)))
	return out, nil
}
