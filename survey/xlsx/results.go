package xlsx

import (
	"github.com/allypulse/allypulse/survey/report"
)

// shareHeader are the columns of a metric's shares, in the order of
// shareCells.
var shareHeader = []string{"n", "Score (0-100)", "Favourable", "95% low", "95% high", "Neutral", "Unfavourable", "Mean"}

// shareCells renders a metric cell's n, score, shares with the Wilson
// interval of the favourable share, and mean.
func (b builder) shareCells(vw view, c report.Cell) []cell {
	return []cell{
		vw.n(c),
		vw.value(c, c.Score, b.st.score),
		vw.value(c, c.Favourable, b.st.percent),
		vw.value(c, c.Low, b.st.percent),
		vw.value(c, c.High, b.st.percent),
		vw.value(c, c.Neutral, b.st.percent),
		vw.value(c, c.Unfavourable, b.st.percent),
		vw.value(c, c.Mean, b.st.mean),
	}
}

func (b builder) competencies() *sheet {
	s := newSheet(SheetCompetencies)
	b.title(s, "Competencies and items",
		"Favourable, neutral and unfavourable shares of valid answers, with the 95% Wilson interval of the favourable share. "+
			"A reverse-scored item is worded so that agreeing is unfavourable; its answers are flipped before any share or score.")
	rel, vw := b.in.Overall, b.overallView()
	first := s.add(b.header(append([]string{"Type", "Key", "Name", "Scale"}, shareHeader...)...)...)
	s.freezeRows, s.freezeCols = first, 3
	rows := append([]report.Row{rel.Index}, rel.Competencies...)
	rows = append(rows, rel.Access...)
	for _, r := range rows {
		s.add(append([]cell{vw.text(r.Kind), vw.text(r.Key), vw.text(r.Name), {}}, b.shareCells(vw, r.Overall)...)...)
	}
	for _, it := range rel.Items {
		scale := it.Scale
		if it.Reverse {
			scale += " (reverse-scored)"
		}
		s.add(append([]cell{vw.text("item"), vw.text(it.Key), vw.text(it.Text), vw.text(scale)}, b.shareCells(vw, it.Overall)...)...)
	}
	s.tableFrom("Items", first, 4+len(shareHeader))
	s.fixed[3] = 60
	return s
}

func (b builder) barriers() *sheet {
	s := newSheet(SheetBarriers)
	b.title(s, "Barriers to allyship",
		"What holds people back from acting as allies. Here \"favourable\" is the share who agree the barrier applies: higher is worse.")
	rel, vw := b.in.Overall, b.overallView()
	first := s.add(b.header(append([]string{"Key", "Barrier"}, shareHeader...)...)...)
	s.freezeRows, s.freezeCols = first, 2
	for _, r := range rel.Barriers {
		s.add(append([]cell{vw.text(r.Key), vw.text(r.Name)}, b.shareCells(vw, r.Overall)...)...)
	}
	s.tableFrom("Barriers", first, 2+len(shareHeader))
	if len(rel.Barriers) == 0 {
		s.add(b.note("This wave asks no barrier questions."))
	}
	return s
}

func (b builder) behaviours() *sheet {
	s := newSheet(SheetBehaviours)
	b.title(s, "Ally and advocate behaviours: said and felt",
		"Self: how often people say they act. Experienced: how often others feel it. Perception gap = self minus experienced, in points; a large positive gap means people believe they act as allies more than others feel it.")
	rel, vw := b.in.Overall, b.overallView()
	first := s.add(b.header("Family", "Behaviour", "I do this", "Others do this for me",
		"Self n", "Self frequent", "Self 95% low", "Self 95% high",
		"Experienced n", "Experienced frequent", "Experienced 95% low", "Experienced 95% high",
		"Perception gap (points)", "Gap 95% low", "Gap 95% high", "Flagged")...)
	s.freezeRows, s.freezeCols = first, 2
	for _, r := range rel.Behaviours {
		row := []cell{vw.text(r.Family), vw.text(r.Key), vw.text(r.SelfText), vw.text(r.ExperiencedText)}
		for _, c := range []report.Cell{r.Self, r.Experienced} {
			row = append(row, vw.n(c), vw.value(c, c.Favourable, b.st.percent),
				vw.value(c, c.Low, b.st.percent), vw.value(c, c.High, b.st.percent))
		}
		row = append(row, vw.gap(r.Gap), vw.value(r.Gap, r.Gap.Low, b.st.points),
			vw.value(r.Gap, r.Gap.High, b.st.points), vw.flag(r.Gap))
		s.add(row...)
	}
	s.tableFrom("Behaviours", first, 16)
	if len(rel.Behaviours) == 0 {
		s.add(b.note("This survey asks no behaviour questions."))
	}
	s.fixed[3], s.fixed[4] = 45, 45
	return s
}

func (b builder) gaps() *sheet {
	s := newSheet(SheetGaps)
	b.title(s, "Inclusion gaps: each group against everyone else",
		"Gap = the group's favourable share minus that of the rest of the population, in points, with its 95% Newcombe interval. Coloured gaps are flagged: the interval excludes 0 and the gap reaches the practical minimum.")
	first := s.add(b.header("Dimension", "Group", "Metric", "Kind", "Gap (points)", "95% low", "95% high", "Flagged")...)
	s.freezeRows, s.freezeCols = first, 2
	for _, rel := range b.in.Breakdowns {
		vw := b.viewFor(rel.Query.By)
		dim := b.dimensionLabel(rel.Query.By)
		for _, r := range rel.Gaps {
			for i, c := range r.Groups {
				if i >= len(rel.Groups) {
					break
				}
				s.add(vw.text(dim), vw.text(rel.Groups[i].Option), vw.text(r.Name), vw.text(r.Kind),
					vw.gap(c), vw.value(c, c.Low, b.st.points), vw.value(c, c.High, b.st.points), vw.flag(c))
			}
		}
	}
	s.tableFrom("Gaps", first, 8)
	if len(b.in.Breakdowns) == 0 {
		s.add(b.note("No breakdown was requested, so there are no groups to compare."))
	}
	return s
}
