package xlsx

import (
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/allypulse/allypulse/survey/report"
)

// heatmapRows are the rows of a heatmap: the inclusion index, then each
// competency, as in the heatmap endpoint.
func heatmapRows(rel report.Release) []report.Row {
	return append([]report.Row{rel.Index}, rel.Competencies...)
}

func (b builder) heatmap() *sheet {
	s := newSheet(SheetHeatmap)
	b.title(s, "Heatmap: competency scores by group",
		"Scores 0-100. Blue: above the organisation's score on that row, orange: below it, grey: close to it.")
	s.freezeCols = 1
	if len(b.in.Breakdowns) == 0 {
		s.add(b.note("No breakdown was requested. Choose one or more dimensions when downloading to see groups side by side."))
	}
	for _, rel := range b.in.Breakdowns {
		b.heatmapBlock(s, rel)
		s.blank()
	}
	return s
}

// heatmapBlock writes one breakdown: a header of groups, a row of group
// sizes, then one row per metric with a colour scale centred on the
// organisation's value of that row.
func (b builder) heatmapBlock(s *sheet, rel report.Release) {
	vw := b.viewFor(rel.Query.By)
	all := b.overallView()
	s.add(b.subtitle("By " + Neutralise(b.dimensionLabel(rel.Query.By))))
	names := []string{"Metric", "All respondents"}
	for _, g := range rel.Groups {
		names = append(names, Neutralise(g.Option))
	}
	s.add(b.header(names...)...)
	counts := []cell{{v: "Respondents (n)", style: b.st.label}, all.n(rel.Respondents)}
	for _, g := range rel.Groups {
		counts = append(counts, vw.n(g.Count))
	}
	s.add(counts...)
	for _, r := range heatmapRows(rel) {
		row := []cell{vw.text(r.Name), all.value(r.Overall, r.Overall.Score, b.st.score)}
		for _, c := range r.Groups {
			row = append(row, vw.value(c, c.Score, b.st.score))
		}
		n := s.add(row...)
		if len(r.Groups) > 0 {
			s.formats = append(s.formats, conditional{
				ref:  ref(3, n) + ":" + ref(2+len(r.Groups), n),
				opts: []excelize.ConditionalFormatOptions{colourScale(r.Overall)},
			})
		}
	}
}

// heatmapSpread is how far from the organisation's value, in points, a
// group's colour reaches full strength.
const heatmapSpread = 20.0

// colourScale is a colour-blind-safe diverging scale (orange below, blue
// above, light grey near the middle), centred on the
// organisation's value (or on the row's median when that is withheld).
func colourScale(overall report.Cell) excelize.ConditionalFormatOptions {
	o := excelize.ConditionalFormatOptions{
		Type: "3_color_scale", Criteria: "=",
		MinType: "min", MidType: "percentile", MidValue: "50", MaxType: "max",
		MinColor: colourBelow, MidColor: colourMiddle, MaxColor: colourAbove,
	}
	if !overall.Suppressed && overall.Score != nil {
		num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
		mid := *overall.Score
		o.MinType, o.MinValue = "num", num(mid-heatmapSpread)
		o.MidType, o.MidValue = "num", num(mid)
		o.MaxType, o.MaxValue = "num", num(mid+heatmapSpread)
	}
	return o
}
