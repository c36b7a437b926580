package xlsx

import (
	"fmt"
	"sort"

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

func (b builder) summary() *sheet {
	s := newSheet(SheetSummary)
	in, vw := b.in, b.overallView()
	rel := in.Overall
	b.title(s, Neutralise(in.Survey.Title), "Inclusion survey results: the numbers in this workbook are the same as in the dashboard.")
	label := func(name string, value cell) { s.add(cell{v: name, style: b.st.label}, value) }
	plain := func(v string) cell { return cell{v: v, style: b.st.text} }

	label("Survey", vw.text(in.Survey.Title))
	label("Wave", cell{v: rel.Wave, style: b.st.count})
	label("Status", plain(waveStatus(rel.Meta)))
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

	strengths, opportunities := rankCompetencies(rel.Competencies)
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

	s.add(b.subtitle("How to read this"))
	for _, line := range summaryHowToRead {
		s.add(b.note(line))
	}
	s.blank()

	t := rel.Thresholds
	s.add(b.subtitle("Anonymity rules applied"))
	s.add(b.header("Rule", "Minimum")...)
	rules := []struct {
		name string
		k    int
	}{
		{"People behind any score or count (k)", t.K},
		{"People behind a cell of a sensitive group (k_s)", t.KS},
		{"Answers behind an answer distribution (k_d)", t.KD},
		{"People behind a set of comments (k_c)", t.KC},
	}
	for _, r := range rules {
		s.add(cell{v: r.name, style: b.st.text}, cell{v: r.k, style: b.st.count})
	}
	s.add(cell{v: "Practical minimum of a flagged gap (points)", style: b.st.text}, cell{v: t.PracticalGapPoints, style: b.st.score})
	s.add(b.note("Groups next to a withheld group are also withheld when their numbers could reveal it."))
	s.add(b.note("While a wave is open, a result changes only after at least k more people have answered."))
	for _, n := range rel.Notes {
		s.add(b.note(Neutralise(n)))
	}
	return s
}

// waveStatus describes the wave: final once closed, a numbered snapshot
// while open.
func waveStatus(m report.Meta) string {
	switch {
	case m.Final:
		return "closed, final results"
	case m.Snapshot > 0:
		return fmt.Sprintf("%s, snapshot %d", m.WaveStatus, m.Snapshot)
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
// this wave and the previous one, from the trend's released points. It is
// empty when either point is withheld.
func (b builder) change(key string, prev int) cell {
	if prev == 0 || key == "" {
		return cell{}
	}
	cur, before := b.trendPoint(key, b.in.Overall.Wave), b.trendPoint(key, prev)
	if cur == nil || before == nil {
		return cell{v: "not available", style: b.st.remark}
	}
	return cell{v: *cur - *before, style: b.st.points}
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

// rankCompetencies returns the three highest and the three lowest shown
// competency scores.
func rankCompetencies(rows []report.Row) (top, bottom []report.Row) {
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
