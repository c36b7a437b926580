package xlsx

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/allypulse/allypulse/survey/report"
)

// trendSeries are the series the Trend sheet shows: the whole population's
// index, eNPS and competency scores.
func trendSeries(t report.Trend) []report.TrendSeries {
	var out []report.TrendSeries
	for _, sr := range t.Series {
		if sr.Group != "" {
			continue
		}
		switch sr.Kind {
		case "index", "enps", "competency":
			out = append(out, sr)
		}
	}
	return out
}

// charted reports whether a series belongs on the 0-100 line chart: eNPS
// has another range and stays in the table, and a series with no published
// point would be an empty line.
func charted(sr report.TrendSeries) bool {
	if sr.Kind == "enps" {
		return false
	}
	for _, p := range sr.Points {
		if !p.Suppressed && headline(p) != nil {
			return true
		}
	}
	return false
}

// trendUpTo keeps the waves of t up to and including wave number last, so
// that a wave's report reads the same after later waves open.
func trendUpTo(t report.Trend, last int) report.Trend {
	n := 0
	for n < len(t.Waves) && t.Waves[n].Number <= last {
		n++
	}
	out := t
	out.Waves = t.Waves[:n]
	out.Series = make([]report.TrendSeries, len(t.Series))
	for i, sr := range t.Series {
		sr.Points = sr.Points[:min(n, len(sr.Points))]
		sr.Changes = sr.Changes[:min(n, len(sr.Changes))]
		out.Series[i] = sr
	}
	return out
}

// hasChanges reports whether a series carries a change since the previous
// wave in any wave (competency series do; the index and eNPS do not).
func hasChanges(sr report.TrendSeries) bool {
	for _, c := range sr.Changes {
		if c.Suppressed || c.Value != nil {
			return true
		}
	}
	return false
}

// trendLead are the columns before the series in the Trend tables.
var trendLead = []string{"Wave", "Opens", "Closes", "Status"}

func (b builder) trend() *sheet {
	s := newSheet(SheetTrend)
	b.title(s, "Trend across waves",
		fmt.Sprintf("Published values of every wave up to wave %d: scores 0-100 and eNPS -100 to 100. The chart draws the index and the competency scores.", b.in.Overall.Wave))
	t, vw := trendUpTo(b.in.Trend, b.in.Overall.Wave), b.overallView()
	series := trendSeries(t)
	names := uniqueNames(series)
	first := s.add(b.header(append(trendLead, names...)...)...)
	s.freezeRows, s.freezeCols = first, 1
	for i, w := range t.Waves {
		row := []cell{{v: fmt.Sprintf("Wave %d", w.Number), style: b.st.label},
			{v: stamp(w.OpensAt), style: b.st.text}, {v: stamp(w.ClosesAt), style: b.st.text}, {v: w.Status, style: b.st.text}}
		for _, sr := range series {
			c := pointAt(sr.Points, i)
			style := b.st.score
			if sr.Kind == "enps" {
				style = b.st.signed
			}
			row = append(row, vw.value(c, headline(c), style))
		}
		s.add(row...)
	}
	last := s.next() - 1
	s.tableFrom("Trend", first, len(trendLead)+len(series))
	if len(t.Waves) == 0 {
		s.add(b.note("No wave has opened yet."))
		return s
	}
	s.blank()
	s.add(b.subtitle("Change in favourable share since the previous wave (points)"))
	if len(t.Waves) < 2 {
		s.add(b.note("This is the first wave, so there is no change to show yet."))
	} else {
		s.add(b.note("Coloured when flagged: the 95% interval excludes 0 and the change reaches the practical minimum. The index and eNPS have no favourable share; their change is on the Summary sheet."))
		// The changes sit under the same columns as the values above.
		head := make([]string, len(trendLead), len(trendLead)+len(series))
		head[0] = "Wave"
		for i, sr := range series {
			if !hasChanges(sr) {
				names[i] = ""
			}
			head = append(head, names[i])
		}
		s.add(b.header(head...)...)
		for i := 1; i < len(t.Waves); i++ {
			row := []cell{{v: fmt.Sprintf("Wave %d", t.Waves[i].Number), style: b.st.label}, {}, {}, {}}
			for _, sr := range series {
				row = append(row, vw.gap(pointAt(sr.Changes, i)))
			}
			s.add(row...)
		}
	}
	chartRow := s.next() + 1
	s.after = func(f *excelize.File) error {
		return addTrendChart(f, series, first, last, chartRow)
	}
	return s
}

// pointAt returns cells[i], or an empty cell past the end.
func pointAt(cells []report.Cell, i int) report.Cell {
	if i < len(cells) {
		return cells[i]
	}
	return report.Cell{}
}

// uniqueNames returns the series' names, made unique (table headers must be).
func uniqueNames(series []report.TrendSeries) []string {
	seen := map[string]bool{}
	for _, name := range trendLead {
		seen[name] = true
	}
	out := make([]string, len(series))
	for i, sr := range series {
		name := Neutralise(sr.Name)
		if name == "" || seen[name] {
			name = fmt.Sprintf("%s (%s)", name, sr.Key)
		}
		seen[name] = true
		out[i] = name
	}
	return out
}

// addTrendChart draws a native line chart of the charted series, reading
// the table of rows first (header) to last.
func addTrendChart(f *excelize.File, series []report.TrendSeries, first, last, at int) error {
	if last <= first {
		return nil
	}
	var cs []excelize.ChartSeries
	for i, sr := range series {
		if !charted(sr) {
			continue
		}
		col := len(trendLead) + 1 + i
		cs = append(cs, excelize.ChartSeries{
			Name:       fmt.Sprintf("'%s'!%s", SheetTrend, absRef(col, first)),
			Categories: fmt.Sprintf("'%s'!%s:%s", SheetTrend, absRef(1, first+1), absRef(1, last)),
			Values:     fmt.Sprintf("'%s'!%s:%s", SheetTrend, absRef(col, first+1), absRef(col, last)),
			Marker:     excelize.ChartMarker{Symbol: "circle", Size: 6},
		})
	}
	if len(cs) == 0 {
		return nil
	}
	lo, hi := 0.0, 100.0
	return f.AddChart(SheetTrend, ref(1, at), &excelize.Chart{
		Type:         excelize.Line,
		Series:       cs,
		Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Inclusion index and competency scores by wave"}}},
		Legend:       excelize.ChartLegend{Position: "right"},
		YAxis:        excelize.ChartAxis{Minimum: &lo, Maximum: &hi, MajorGridLines: true},
		Format:       excelize.GraphicOptions{ScaleX: 1.6, ScaleY: 1.4},
		Dimension:    excelize.ChartDimension{Width: 640, Height: 360},
		ShowBlanksAs: "gap",
	})
}

// absRef is an absolute reference like $B$4.
func absRef(col, row int) string {
	name, _ := excelize.ColumnNumberToName(col)
	return fmt.Sprintf("$%s$%d", name, row)
}
