package xlsx

import (
	"fmt"

	"github.com/allypulse/allypulse/survey/report"
)

// Plan is a focus area of the survey's action plans as the workbook shows
// it: where it came from, its progress (released cells of the focus area's
// wave and the waves after it) and its actions.
type Plan struct {
	Title string
	// About says what it was taken from ("Gap for Sales (department) on
	// Belonging").
	About string
	// Kind is the source kind: gap and behaviour progress are points,
	// competency progress a score.
	Kind     string
	Wave     int
	Progress []PlanPoint
	Actions  []PlanAction
}

// PlanPoint is the focus area's metric in one wave.
type PlanPoint struct {
	Wave    int
	Partial bool
	Cell    report.Cell
}

// PlanAction is one action of a focus area.
type PlanAction struct {
	Title, Owner, Due, Status, Notes string
}

// plans lists each focus area, its progress and its actions.
func (b builder) plans() *sheet {
	s := newSheet(SheetPlans)
	b.title(s, "Action plans",
		"Focus areas the DEI lead took from a closed wave, with their actions. Progress is the same number in the focus area's wave and each later one, as released; a wave still open is partial.")
	if len(b.in.Plans) == 0 {
		s.add(b.note("No action plan has been made for this survey yet."))
		return s
	}
	vw := b.overallView()
	for _, p := range b.in.Plans {
		s.add(b.subtitle(Neutralise(p.Title)))
		s.add(b.note(Neutralise(fmt.Sprintf("%s, from wave %d", p.About, p.Wave))))
		s.add(b.header("Wave", "Value", "n")...)
		for _, pt := range p.Progress {
			label := fmt.Sprintf("Wave %d", pt.Wave)
			if pt.Partial {
				label += " (partial)"
			}
			v := vw.gap(pt.Cell)
			if p.Kind == "competency" {
				v = vw.value(pt.Cell, pt.Cell.Score, b.st.score)
			}
			n := cell{}
			if pt.Cell.Suppressed || pt.Cell.N > 0 {
				n = vw.n(pt.Cell)
			}
			s.add(cell{v: label, style: b.st.text}, v, n)
		}
		s.add(b.header("Action", "Owner", "Due", "Status", "Notes")...)
		if len(p.Actions) == 0 {
			s.add(b.note("No action yet."))
		}
		for _, a := range p.Actions {
			s.add(vw.text(a.Title), vw.text(a.Owner), vw.text(a.Due), vw.text(a.Status), cell{v: Neutralise(a.Notes), style: b.st.wrap})
		}
		s.blank()
	}
	s.fixed[1] = 40
	s.fixed[5] = 60
	return s
}
