package xlsx

import (
	"fmt"
	"math"
	"sort"

	"github.com/xuri/excelize/v2"

	"github.com/allypulse/allypulse/survey/report"
)

// summaryHowToRead is the short "how to read this" of the Summary sheet.
var summaryHowToRead = []string{
	"Scores run from 0 to 100: 0 means everyone strongly disagrees, 100 that everyone strongly agrees.",
	"Favourable is the share of answers that agree or strongly agree (often or always for behaviours).",
	"The inclusion index is the average of the competency scores. eNPS runs from -100 to 100.",
	"\"95% low\" and \"95% high\" are the ends of the 95% interval: the true value very likely lies between them.",
	"A cell that says \"fewer than k\" or \"hidden to protect another group\" is withheld to keep people anonymous.",
	"Only gaps and changes marked as flagged are larger than chance and larger than the practical minimum.",
}

// summaryGaps is how many flagged gaps the Summary sheet lists; the Gaps
// sheet has them all.
const summaryGaps = 8

// The Summary sheet is the page people forward: it prints on one page and
// leads with the largest flagged gaps and their chart, then the headline
// numbers, the strongest and weakest competencies and the wave's facts.
// The anonymity rules behind it are on the Method sheet.
func (b builder) summary() *sheet {
	s := newSheet(SheetSummary)
	s.onePage = true
	in, vw := b.in, b.overallView()
	rel := in.Overall
	b.title(s, Neutralise(in.Survey.Title), fmt.Sprintf("Inclusion survey results, wave %d (%s): the numbers in this workbook are the same as in the dashboard.",
		rel.Wave, WaveStatus(rel.Meta)))
	label := func(name string, value cell) { s.add(cell{v: name, style: b.st.label}, value) }
	plain := func(v string) cell { return cell{v: v, style: b.st.text} }

	b.flaggedGaps(s)
	s.blank()

	s.add(b.header("Headline", "Value", "n", "Change since previous wave")...)
	prev := b.previousWave()
	indexChange := b.change(rel.Index.Key, prev)
	enpsChange := b.change(rel.ENPS.Key, prev)
	s.add(cell{v: "Inclusion index (0-100)", style: b.st.label}, vw.value(rel.Index.Overall, rel.Index.Overall.Score, b.st.score),
		vw.n(rel.Index.Overall), indexChange)
	s.add(cell{v: "eNPS (-100 to 100)", style: b.st.label}, vw.value(rel.ENPS.Overall, rel.ENPS.Overall.Value, b.st.signed),
		vw.n(rel.ENPS.Overall), enpsChange)
	if prev == 0 {
		s.add(b.note("This is the first wave, so there is no change to show yet."))
	}
	s.blank()

	strengths, opportunities := RankCompetencies(rel.Competencies)
	for _, block := range []struct {
		title string
		rows  []report.Row
	}{{"Top 3 strengths", strengths}, {"Top 3 opportunities", opportunities}} {
		s.add(b.subtitle(block.title))
		if len(block.rows) == 0 {
			note := "No competency score can be shown for this population yet."
			if len(strengths) > 0 {
				note = "Only one competency score can be shown, so it is not also listed here."
			}
			s.add(b.note(note))
			s.blank()
			continue
		}
		s.add(b.header("Competency", "Score", "Favourable")...)
		for _, r := range block.rows {
			s.add(vw.text(r.Name), cell{v: *r.Overall.Score, style: b.st.score}, vw.value(r.Overall, r.Overall.Favourable, b.st.percent))
		}
		s.blank()
	}

	s.add(b.subtitle("The wave"))
	label("Survey", vw.text(in.Survey.Title))
	label("Wave", cell{v: rel.Wave, style: b.st.count})
	label("Status", plain(WaveStatus(rel.Meta)))
	label("Opens", plain(stamp(in.Wave.OpensAt)))
	label("Closes", plain(stamp(in.Wave.ClosesAt)))
	label("Population", vw.text(rel.Population))
	label("Responses", vw.n(rel.Respondents))
	p := rel.Participation
	if p.Invited > 0 {
		label("Invited", cell{v: p.Invited, style: b.st.count})
		label("Participation", vw.value(p.Overall, p.Overall.Value, b.st.percent))
	}
	s.blank()

	s.add(b.subtitle("How to read this"))
	for _, line := range summaryHowToRead {
		s.add(b.note(line))
	}
	for _, n := range rel.Notes {
		s.add(b.note(Neutralise(n)))
	}
	return s
}

// flaggedGaps adds the largest flagged gaps, sorted by size, and a bar
// chart of them beside the table.
func (b builder) flaggedGaps(s *sheet) {
	s.add(b.subtitle("Largest flagged gaps between groups"))
	gaps := FlaggedGaps(b.in)
	switch {
	case len(b.in.Breakdowns) == 0:
		s.add(b.note("No breakdown was requested, so there are no groups to compare: choose dimensions on the Reports page."))
		return
	case len(gaps) == 0:
		s.add(b.note(fmt.Sprintf("No gap between groups is flagged: none is both larger than chance and at least %g points.",
			b.thresholds().PracticalGapPoints)))
		return
	}
	s.add(b.note("A group's favourable share minus everyone else's, in points, largest first; negative means the group is below the rest."))
	first := s.add(b.header("Flagged gap", "Gap (points)", "95% low", "95% high")...)
	vw := b.overallView()
	for _, g := range gaps[:min(summaryGaps, len(gaps))] {
		c := g.Cell
		s.add(vw.text(g.Label()), vw.gap(c), vw.value(c, c.Low, b.st.points), vw.value(c, c.High, b.st.points))
	}
	last := s.next() - 1
	if more := len(gaps) - summaryGaps; more > 0 {
		s.add(b.note(fmt.Sprintf("%d more flagged gaps are on the Gaps sheet.", more)))
	}
	at := first - 1
	s.after = func(f *excelize.File) error { return addGapChart(f, first, last, at) }
}

// addGapChart draws the flagged gaps of rows first (header) to last as
// horizontal bars, largest at the top, to the right of the tables.
func addGapChart(f *excelize.File, first, last, at int) error {
	reverse, vary := true, false
	return f.AddChart(SheetSummary, ref(6, at), &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name:       fmt.Sprintf("'%s'!%s", SheetSummary, absRef(2, first)),
			Categories: fmt.Sprintf("'%s'!%s:%s", SheetSummary, absRef(1, first+1), absRef(1, last)),
			Values:     fmt.Sprintf("'%s'!%s:%s", SheetSummary, absRef(2, first+1), absRef(2, last)),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colourAbove}},
		}},
		Title:    excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Largest flagged gaps (points)"}}},
		Legend:   excelize.ChartLegend{Position: "none"},
		XAxis:    excelize.ChartAxis{ReverseOrder: reverse},
		YAxis:    excelize.ChartAxis{MajorGridLines: true},
		PlotArea: excelize.ChartPlotArea{ShowVal: true},
		// One colour for every bar: the sign, not the colour, says above or below.
		VaryColors: &vary,
		Format:     excelize.GraphicOptions{OffsetX: 10},
		Dimension:  excelize.ChartDimension{Width: 520, Height: 300},
	})
}

// WaveStatus describes the wave: final once closed, partial and numbered
// by its published update while open.
func WaveStatus(m report.Meta) string {
	switch {
	case m.Final:
		return "closed, final results"
	case m.Snapshot > 0:
		return fmt.Sprintf("%s, partial, update %d", m.WaveStatus, m.Snapshot)
	default:
		return m.WaveStatus
	}
}

// previousWave is the number of the wave before this one on the trend, or 0.
func (b builder) previousWave() int {
	prev := 0
	for _, w := range b.in.Trend.Waves {
		if w.Number < b.in.Overall.Wave && w.Number > prev {
			prev = w.Number
		}
	}
	return prev
}

// change is the difference of a metric's published headline value between
// this wave and the previous one (see Change).
func (b builder) change(key string, prev int) cell {
	if prev == 0 || key == "" {
		return cell{}
	}
	if _, d := Change(b.in, key); d != nil {
		return cell{v: *d, style: b.st.points}
	}
	return cell{v: "not available", style: b.st.remark}
}

// Change is the difference of a metric's released headline value between
// the input's wave and the previous wave on the trend, from the trend's
// released points: prev is the previous wave's number (0 for none) and
// change is nil when there is none or either point is withheld.
func Change(in Input, key string) (prev int, change *float64) {
	b := builder{in: in}
	prev = b.previousWave()
	if prev == 0 || key == "" {
		return prev, nil
	}
	cur, before := b.trendPoint(key, in.Overall.Wave), b.trendPoint(key, prev)
	if cur == nil || before == nil {
		return prev, nil
	}
	// Both points carry one decimal; their difference does too, written
	// without the binary noise of the subtraction (3.4, not
	// 3.4000000000000057).
	d := math.Round((*cur-*before)*10) / 10
	return prev, &d
}

// trendPoint is a series' headline value in wave number, nil when withheld.
func (b builder) trendPoint(key string, number int) *float64 {
	for _, sr := range b.in.Trend.Series {
		if sr.Key != key || sr.Group != "" {
			continue
		}
		for i, w := range b.in.Trend.Waves {
			if w.Number == number && i < len(sr.Points) && !sr.Points[i].Suppressed {
				return headline(sr.Points[i])
			}
		}
	}
	return nil
}

// RankCompetencies returns the three highest and the three lowest shown
// competency scores.
func RankCompetencies(rows []report.Row) (top, bottom []report.Row) {
	var shown []report.Row
	for _, r := range rows {
		if !r.Overall.Suppressed && r.Overall.Score != nil {
			shown = append(shown, r)
		}
	}
	sort.SliceStable(shown, func(i, j int) bool { return *shown[i].Overall.Score > *shown[j].Overall.Score })
	// With fewer than six competencies the two lists split them, so none is
	// named both a strength and an opportunity.
	top = shown[:min(3, (len(shown)+1)/2)]
	for i := len(shown) - 1; i >= len(shown)-min(3, len(shown)/2); i-- {
		bottom = append(bottom, shown[i])
	}
	return top, bottom
}
