package report

import (
	"context"
	"math"

	"github.com/allypulse/allypulse/survey/framework"
)

// Release computes the view q of a survey's results and releases it: every
// number has passed the lattice check, primary and secondary suppression and
// the snapshot rule. It is the one code path behind the API, the dashboard
// and the exports.
func (e *Engine) Release(ctx context.Context, surveyID string, q Query) (*Release, error) {
	v, err := e.resolve(ctx, surveyID, q)
	if err != nil {
		return nil, err
	}
	return v.release(), nil
}

// Heatmap is competencies (with the index first) × the groups of q.By.
func (e *Engine) Heatmap(ctx context.Context, surveyID string, q Query) (*Heatmap, error) {
	r, err := e.Release(ctx, surveyID, q)
	if err != nil {
		return nil, err
	}
	return &Heatmap{Meta: r.Meta, Groups: nonNil(r.Groups), Rows: append([]Row{r.Index}, r.Competencies...)}, nil
}

// Gaps is each group's inclusion gap against the rest of the population.
func (e *Engine) Gaps(ctx context.Context, surveyID string, q Query) (*Gaps, error) {
	r, err := e.Release(ctx, surveyID, q)
	if err != nil {
		return nil, err
	}
	rows := r.Gaps
	if rows == nil {
		rows = []GapRow{}
	}
	return &Gaps{Meta: r.Meta, Groups: nonNil(r.Groups), Rows: rows}, nil
}

// Behaviours is the ally and advocate section of the view, with barriers and
// access.
func (e *Engine) Behaviours(ctx context.Context, surveyID string, q Query) (*Behaviours, error) {
	r, err := e.Release(ctx, surveyID, q)
	if err != nil {
		return nil, err
	}
	return &Behaviours{Meta: r.Meta, Rows: r.Behaviours, Barriers: r.Barriers, Access: r.Access}, nil
}

func nonNil(g []Group) []Group {
	if g == nil {
		return []Group{}
	}
	return g
}

// meta describes the view.
func (v *view) meta() Meta {
	m := Meta{SurveyID: v.sv.ID, Title: v.sv.Title, Wave: v.l.wave.Number, Query: v.q, Thresholds: v.l.th,
		Population: "All respondents", Snapshot: v.snapshot, Final: v.final, Notes: v.notes}
	m.WaveStatus = "open"
	if v.final {
		m.WaveStatus = "closed"
	}
	if v.q.Filter != nil {
		label := v.q.Filter.Dimension
		if dm, _, ok := v.sv.Design.Demographic(v.q.Filter.Dimension); ok && dm.Label != "" {
			label = dm.Label
		}
		m.Population = label + ": " + v.q.Filter.Option
	}
	return m
}

// cellsOf returns the population cell and the group cells.
func (v *view) cellsOf() (*cellValues, []*cellValues) {
	pop := v.cells.get(v.pop)
	groups := make([]*cellValues, len(v.groups))
	for i, k := range v.groups {
		groups[i] = v.cells.get(k)
	}
	return pop, groups
}

// release assembles the Release of a resolved view.
func (v *view) release() *Release {
	l := v.l
	pop, groups := v.cellsOf()
	r := &Release{Meta: v.meta()}
	r.Respondents = stamp(pop.Count, pop)
	for i, g := range groups {
		label := l.groupLabel(v.groupDim, i)
		r.Groups = append(r.Groups, Group{Key: l.dims[v.groupDim].key + ":" + label, Dimension: l.dims[v.groupDim].key,
			Option: label, Count: stamp(g.Count, g)})
	}
	row := func(key, name, kind string, pick func(cv *cellValues) Cell) Row {
		rw := Row{Key: key, Name: name, Kind: kind, Overall: stamp(pick(pop), pop)}
		for _, g := range groups {
			rw.Groups = append(rw.Groups, stamp(pick(g), g))
		}
		return rw
	}
	r.Index = row("index", "Inclusion index", "index", func(cv *cellValues) Cell { return cv.Index })
	r.ENPS = Row{Key: "enps", Name: "eNPS", Kind: "enps", Overall: Cell{Suppressed: true, Reason: ReasonNotReported}}
	if l.enps >= 0 && l.items[l.enps].asked {
		j := l.enps
		r.ENPS = row("enps", "eNPS", "enps", func(cv *cellValues) Cell { return cv.Items[j] })
	}
	r.Competencies = []Row{}
	for ci, comp := range l.comps {
		r.Competencies = append(r.Competencies, row(comp.key, comp.name, framework.KindCompetency,
			func(cv *cellValues) Cell { return cv.Comps[ci] }))
	}
	r.Items, r.Access, r.Barriers = []ItemRow{}, []Row{}, []Row{}
	for j, it := range l.items {
		if !it.asked {
			continue
		}
		ir := ItemRow{Row: row(it.key, it.item.Text, "item", func(cv *cellValues) Cell { return cv.Items[j] }),
			Text: it.item.Text, Scale: it.scale.Key, Construct: it.item.Construct, Reverse: it.item.Reverse}
		for _, pt := range it.scale.Points {
			ir.Labels = append(ir.Labels, pt.Label)
		}
		if !it.ordinal {
			ir.Labels = it.item.Options
		}
		r.Items = append(r.Items, ir)
		switch it.construct.Kind {
		case framework.KindAccess, framework.KindBarrier:
			rw := ir.Row
			rw.Name, rw.Kind = it.item.Text, it.construct.Kind
			if it.construct.Kind == framework.KindAccess {
				r.Access = append(r.Access, rw)
			} else {
				r.Barriers = append(r.Barriers, rw)
			}
		}
	}
	r.Behaviours = v.behaviours(pop)
	if v.groupDim >= 0 {
		for ci, comp := range l.comps {
			gr := GapRow{Key: comp.key, Name: comp.name, Kind: framework.KindCompetency}
			for _, g := range groups {
				c := Cell{Suppressed: true, Reason: ReasonSecondary}
				if gs, ok := g.Gaps[v.pop]; ok && ci < len(gs) {
					c = gs[ci]
				}
				gr.Groups = append(gr.Groups, stamp(c, g))
			}
			r.Gaps = append(r.Gaps, gr)
		}
	}
	r.Reliability = []ReliabilityRow{}
	if pop.Pop != nil {
		r.Reliability = append(r.Reliability, pop.Pop.Reliability...)
		r.Drivers = pop.Pop.Drivers
	}
	r.Participation = Participation{Invited: v.invited, Source: v.invSource, Overall: stamp(pop.Participation, pop)}
	if v.q.Filter != nil {
		r.Participation.Invited, r.Participation.Source = 0, ""
		if pop.Participation.Value != nil {
			r.Participation.Invited = int(math.Round(float64(pop.Participation.N) / *pop.Participation.Value))
			r.Participation.Source = v.invSource
		}
	}
	known := false
	for _, g := range groups {
		c := stamp(g.Participation, g)
		known = known || c.Value != nil || c.Suppressed
		r.Participation.Groups = append(r.Participation.Groups, c)
	}
	if !known {
		r.Participation.Groups = nil
	}
	return r
}

// stamp labels a shown cell with its snapshot when its group's value is
// held from an earlier publication.
func stamp(c Cell, cv *cellValues) Cell {
	if !c.Suppressed && cv.AsOf != nil && (c.N > 0 || c.Value != nil) {
		c.AsOf = cv.AsOf
	}
	return c
}

// behaviours pairs the self and experienced items of each behaviour and
// computes the perception gap.
func (v *view) behaviours(pop *cellValues) []BehaviourRow {
	l := v.l
	out := []BehaviourRow{}
	idx := map[string]int{}
	for j, it := range l.items {
		if !it.asked || it.construct.Kind != framework.KindBehaviour || it.item.Behaviour == "" {
			continue
		}
		i, ok := idx[it.item.Behaviour]
		if !ok {
			i = len(out)
			idx[it.item.Behaviour] = i
			out = append(out, BehaviourRow{Key: it.item.Behaviour, Family: it.item.Construct,
				Self: Cell{Suppressed: true, Reason: ReasonNotReported}, Experienced: Cell{Suppressed: true, Reason: ReasonNotReported}})
		}
		c := stamp(pop.Items[j], pop)
		switch it.item.Perspective {
		case framework.PerspectiveSelf:
			out[i].Self, out[i].SelfText = c, it.item.Text
		case framework.PerspectiveExperienced:
			out[i].Experienced, out[i].ExperiencedText = c, it.item.Text
		}
	}
	for i := range out {
		s, x := out[i].Self, out[i].Experienced
		if s.Suppressed || x.Suppressed || s.Favourable == nil || x.Favourable == nil {
			out[i].Gap = Cell{Suppressed: true, Reason: ReasonSecondary}
			if s.Suppressed && x.Suppressed && s.Reason == x.Reason {
				out[i].Gap.Reason = s.Reason
			}
			continue
		}
		out[i].Gap = roundGap(gapCell(roundShare(*s.Favourable, s.N), s.N, roundShare(*x.Favourable, x.N), x.N, l.th.PracticalGapPoints))
	}
	return out
}
