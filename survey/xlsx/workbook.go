// Package xlsx builds the executive Excel report of one survey wave from the
// released views of the report engine, and nothing else: it never sees a
// response. It writes to an io.Writer with excelize and follows the export
// rules (docs/anonymity.md, "Exports"): no formulas, no pivot cache, no
// hidden sheet, no defined name, no cell comment, no row-level data,
// suppressed cells as literal text, fixed document properties, outside text
// neutralised.
package xlsx

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
)

// Input is everything the workbook shows. Every report value in it comes
// from the engine's release step.
type Input struct {
	Survey survey.Survey
	Wave   survey.Wave
	// Overall is the wave's view without a breakdown.
	Overall report.Release
	// Breakdowns are the same view broken down by each requested dimension,
	// in the order asked.
	Breakdowns []report.Release
	// Trend is the survey's trend without a breakdown.
	Trend report.Trend
	// Comments are the wave's comments under the comment rules; nil when the
	// reader's role does not see comments (executives), and the sheet says so.
	Comments *report.Comments
	// Plans are the survey's action plans (plans.go); their progress values
	// are released cells.
	Plans []Plan
}

// Sheet names, in workbook order.
const (
	SheetSummary       = "Summary"
	SheetHeatmap       = "Heatmap"
	SheetCompetencies  = "Competencies and items"
	SheetGaps          = "Gaps"
	SheetBehaviours    = "Ally and advocate behaviours"
	SheetBarriers      = "Barriers"
	SheetTrend         = "Trend"
	SheetParticipation = "Participation"
	SheetComments      = "Comments"
	SheetPlans         = "Action plans"
	SheetMethod        = "Method"
)

// DocumentTime is the fixed creation and modification time of a workbook:
// the close of the wave once it has closed, else its opening, so that the
// file says nothing about when or where it was made.
func DocumentTime(w survey.Wave, now time.Time) time.Time {
	if w.Status(now) == survey.WaveClosed {
		return w.ClosesAt.UTC()
	}
	return w.OpensAt.UTC()
}

// Build writes the workbook for in to w. now only decides the document time
// (see DocumentTime); nothing in the file depends on the moment of the
// download.
func Build(w io.Writer, in Input, now time.Time) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("styles: %w", err)
	}
	b := builder{in: in, st: st}
	sheets := []*sheet{
		b.summary(), b.heatmap(), b.competencies(), b.gaps(), b.behaviours(),
		b.barriers(), b.trend(), b.participation(), b.comments(), b.plans(), b.method(),
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
	}
	for _, s := range sheets {
		if err := s.write(f); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	if err := setProperties(f, in, DocumentTime(in.Wave, now)); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// setProperties fixes the document properties: a title naming the survey
// and wave, no author or last editor, no application, company or machine
// name, and a creation time that is a property of the wave.
func setProperties(f *excelize.File, in Input, at time.Time) error {
	stamp := at.Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:    fmt.Sprintf("%s, wave %d", in.Survey.Title, in.Overall.Wave),
		Subject:  "Inclusion survey results",
		Created:  stamp,
		Modified: stamp,
	}); err != nil {
		return err
	}
	return f.SetAppProps(&excelize.AppProperties{})
}

// builder turns the input into sheets.
type builder struct {
	in Input
	st styles
}

// thresholds of the view.
func (b builder) thresholds() report.Thresholds { return b.in.Overall.Thresholds }

// viewFor returns the renderer for cells of the view and, for group cells,
// of the breakdown dimension (see CellThreshold).
func (b builder) viewFor(dimension string) view {
	o := b.in.Overall
	return view{st: b.st, k: CellThreshold(b.in.Survey.Design, o.Thresholds, o.Query.Filter, dimension)}
}

func (b builder) overallView() view { return b.viewFor("") }

// dimensionLabel is the demographic's label, or its key when unknown.
func (b builder) dimensionLabel(key string) string {
	if d, _, ok := b.in.Survey.Design.Demographic(key); ok && d.Label != "" {
		return d.Label
	}
	return key
}

// header returns a row of header cells.
func (b builder) header(names ...string) []cell {
	row := make([]cell, len(names))
	for i, n := range names {
		row[i] = cell{v: n, style: b.st.header, fold: true}
	}
	return row
}

// title starts a sheet with its title and a one-line explanation.
func (b builder) title(s *sheet, title, how string) {
	s.add(cell{v: title, style: b.st.title, spill: true})
	s.add(b.note(how))
	s.blank()
}

// note is a line of explanation that spills over the row.
func (b builder) note(text string) cell { return cell{v: text, style: b.st.note, spill: true} }

// subtitle heads a block of a sheet.
func (b builder) subtitle(text string) cell { return cell{v: text, style: b.st.subtitle, spill: true} }

// stamp writes a time as text in UTC, so that no spreadsheet time zone or
// locale changes it.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
