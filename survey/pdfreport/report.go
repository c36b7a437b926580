// Package pdfreport writes the report people forward, the first page of the
// executive workbook (survey/xlsx/summary.go) as a PDF: headline numbers,
// the largest flagged gaps with a bar chart, strengths and opportunities,
// and the action plans. It reads the same released views as the workbook
// (xlsx.Input, gathered by xlsx.Collect) and nothing else, so both files
// show the same numbers.
//
// It is drawn with codeberg.org/go-pdf/fpdf in pure Go rather than printed
// from the workbook by LibreOffice: the server then needs no office suite,
// no subprocess and no profile folder per request, and the file is the same
// bytes for the same release.
package pdfreport

import (
	"fmt"
	"io"
	"math"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/allypulse/allypulse/survey/report"
	"github.com/allypulse/allypulse/survey/xlsx"
)

// maxGaps is how many flagged gaps the report lists, as on the Summary sheet.
const maxGaps = 8

// Page geometry in millimetres (A4 portrait).
const (
	margin    = 15.0
	pageWidth = 210.0 - 2*margin
	lineH     = 5.5
)

// Colours, as in the workbook (survey/xlsx/styles.go): orange below the
// rest, blue above, grey for headers.
var (
	colourBelow  = [3]int{0xF1, 0xA3, 0x40}
	colourAbove  = [3]int{0x67, 0xA9, 0xCF}
	colourHeader = [3]int{0xDD, 0xE3, 0xEA}
	colourMuted  = [3]int{0x59, 0x59, 0x59}
)

// Build writes the PDF report of in to w. now only decides the document
// time (xlsx.DocumentTime): nothing in the file depends on the moment of the
// download.
func Build(w io.Writer, in xlsx.Input, now time.Time) error {
	at := xlsx.DocumentTime(in.Wave, now)
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.SetCreationDate(at)
	pdf.SetModificationDate(at)
	pdf.SetCatalogSort(true)
	pdf.SetProducer("", false)
	pdf.SetTitle(fmt.Sprintf("%s, wave %d", in.Survey.Title, in.Overall.Wave), true)
	pdf.SetSubject("Inclusion survey results", true)
	pdf.AliasNbPages("{nb}")
	r := &writer{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor(""), in: in}
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		r.font("", 8, colourMuted)
		pdf.CellFormat(0, 5, fmt.Sprintf("Page %d of {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	r.heading()
	r.flaggedGaps()
	r.headline()
	r.competencies()
	r.plans()
	r.rules()
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

// writer draws the report's sections one under the other.
type writer struct {
	pdf *fpdf.Fpdf
	// tr turns UTF-8 into the core fonts' code page (cp1252).
	tr func(string) string
	in xlsx.Input
}

func (r *writer) font(style string, size float64, colour [3]int) {
	r.pdf.SetFont("Helvetica", style, size)
	r.pdf.SetTextColor(colour[0], colour[1], colour[2])
}

// text writes a wrapped paragraph across the page.
func (r *writer) text(style string, size float64, colour [3]int, s string) {
	r.font(style, size, colour)
	r.pdf.MultiCell(pageWidth, size*0.5, r.tr(s), "", "L", false)
}

// section starts a block with a heading, on a new page when fewer than
// need millimetres are left.
func (r *writer) section(title string, need float64) {
	_, h := r.pdf.GetPageSize()
	if r.pdf.GetY()+need > h-margin {
		r.pdf.AddPage()
	}
	r.pdf.Ln(4)
	r.text("B", 13, [3]int{}, title)
	r.pdf.Ln(1)
}

// row writes one table row of cells of the given widths; header rows are
// bold on grey.
func (r *writer) row(widths []float64, cells []string, header bool) {
	if header {
		r.font("B", 9, [3]int{})
		r.pdf.SetFillColor(colourHeader[0], colourHeader[1], colourHeader[2])
	} else {
		r.font("", 9, [3]int{})
	}
	for i, c := range cells {
		align := "L"
		if i > 0 {
			align = "R"
		}
		text := r.tr(c)
		// A long label is set smaller rather than cut or run into the
		// next column.
		size := 9.0
		for size > 6 && r.pdf.GetStringWidth(text) > widths[i]-2 {
			size -= 0.5
			r.pdf.SetFontSize(size)
		}
		r.pdf.CellFormat(widths[i], lineH+0.5, text, "B", 0, align, header, 0, "")
		r.pdf.SetFontSize(9)
	}
	r.pdf.Ln(-1)
}

func (r *writer) heading() {
	rel := r.in.Overall
	r.text("B", 18, [3]int{}, r.in.Survey.Title)
	r.text("", 10, colourMuted, fmt.Sprintf("Inclusion survey results, wave %d (%s). Population: %s. These are the numbers of the dashboard and the workbook.",
		rel.Wave, xlsx.WaveStatus(rel.Meta), rel.Population))
	if !rel.Final {
		r.text("B", 10, colourBelow, "Partial results: this wave is still open, and its numbers change as more people answer.")
	}
}

// threshold is the minimum group size behind the view's cells.
func (r *writer) threshold(dimension string) int {
	o := r.in.Overall
	return xlsx.CellThreshold(r.in.Survey.Design, o.Thresholds, o.Query.Filter, dimension)
}

// value formats a released cell's number with format, or says why it is
// withheld.
func (r *writer) value(c report.Cell, v *float64, format string) string {
	switch {
	case c.Suppressed:
		return xlsx.SuppressedText(c, r.threshold(""))
	case v == nil:
		return ""
	default:
		return fmt.Sprintf(format, *v)
	}
}

func (r *writer) flaggedGaps() {
	r.section("Largest flagged gaps between groups", 40)
	gaps := xlsx.FlaggedGaps(r.in)
	switch {
	case len(r.in.Breakdowns) == 0:
		r.text("", 10, colourMuted, "No breakdown was requested, so there are no groups to compare: choose dimensions on the Reports page.")
		return
	case len(gaps) == 0:
		r.text("", 10, colourMuted, fmt.Sprintf("No gap between groups is flagged: none is both larger than chance and at least %g points.",
			r.in.Overall.Thresholds.PracticalGapPoints))
		return
	}
	r.text("", 9, colourMuted, "A group's favourable share minus everyone else's, in points, largest first; negative means the group is below the rest. Flagged: the 95% interval excludes 0 and the gap reaches the practical minimum.")
	r.pdf.Ln(1)
	shown := gaps[:min(maxGaps, len(gaps))]
	widths := []float64{88, 20, 16, 16}
	r.row(widths, []string{"Flagged gap", "Gap (points)", "95% low", "95% high"}, true)
	top := r.pdf.GetY()
	for _, g := range shown {
		c := g.Cell
		r.row(widths, []string{g.Label(), fmt.Sprintf("%+.1f", *c.Value), fmt.Sprintf("%+.1f", *c.Low), fmt.Sprintf("%+.1f", *c.High)}, false)
	}
	r.bars(shown, top, margin+sum(widths)+4)
	if more := len(gaps) - len(shown); more > 0 {
		r.text("", 9, colourMuted, fmt.Sprintf("%d more flagged gaps are in the workbook's Gaps sheet.", more))
	}
}

// bars draws each gap as a bar from a zero line, one per table row from
// top, in the space right of x: below the rest to the left in orange, above
// it to the right in blue.
func (r *writer) bars(gaps []xlsx.FlaggedGap, top, x float64) {
	width := margin + pageWidth - x
	largest := 0.0
	for _, g := range gaps {
		largest = max(largest, math.Abs(*g.Cell.Value))
	}
	zero := x + width/2
	scale := (width/2 - 1) / largest
	rowH := lineH + 0.5
	r.pdf.SetDrawColor(colourMuted[0], colourMuted[1], colourMuted[2])
	r.pdf.Line(zero, top, zero, top+rowH*float64(len(gaps)))
	for i, g := range gaps {
		v := *g.Cell.Value
		colour := colourAbove
		left := zero
		if v < 0 {
			colour, left = colourBelow, zero+v*scale
		}
		r.pdf.SetFillColor(colour[0], colour[1], colour[2])
		r.pdf.Rect(left, top+rowH*float64(i)+1, math.Abs(v)*scale, rowH-2, "F")
	}
}

func (r *writer) headline() {
	rel := r.in.Overall
	r.section("Headline", 35)
	widths := []float64{70, 30, 20, 50}
	r.row(widths, []string{"Measure", "Value", "n", "Change since previous wave"}, true)
	change := func(key string) string {
		prev, d := xlsx.Change(r.in, key)
		switch {
		case prev == 0:
			return "first wave"
		case d == nil:
			return "not available"
		default:
			return fmt.Sprintf("%+.1f", *d)
		}
	}
	r.row(widths, []string{"Responses", r.value(rel.Respondents, count(rel.Respondents), "%.0f"), "", ""}, false)
	if p := rel.Participation; p.Invited > 0 {
		var pct *float64
		if p.Overall.Value != nil {
			v := *p.Overall.Value * 100
			pct = &v
		}
		r.row(widths, []string{fmt.Sprintf("Participation (of %d invited)", p.Invited), r.value(p.Overall, pct, "%.1f%%"), "", ""}, false)
	}
	idx, enps := rel.Index.Overall, rel.ENPS.Overall
	r.row(widths, []string{"Inclusion index (0-100)", r.value(idx, idx.Score, "%.1f"), r.value(idx, count(idx), "%.0f"), change(rel.Index.Key)}, false)
	r.row(widths, []string{"eNPS (-100 to 100)", r.value(enps, enps.Value, "%+.1f"), r.value(enps, count(enps), "%.0f"), change(rel.ENPS.Key)}, false)
}

func (r *writer) competencies() {
	top, bottom := xlsx.RankCompetencies(r.in.Overall.Competencies)
	r.section("Strengths and opportunities", 40)
	if len(top) == 0 {
		r.text("", 10, colourMuted, "No competency score can be shown for this population yet.")
		return
	}
	widths := []float64{70, 30, 30}
	r.row(widths, []string{"Competency", "Score (0-100)", "Favourable"}, true)
	for _, block := range []struct {
		name string
		rows []report.Row
	}{{"Strength", top}, {"Opportunity", bottom}} {
		for _, row := range block.rows {
			c := row.Overall
			var fav *float64
			if c.Favourable != nil {
				v := *c.Favourable * 100
				fav = &v
			}
			r.row(widths, []string{block.name + ": " + row.Name, r.value(c, c.Score, "%.1f"), r.value(c, fav, "%.1f%%")}, false)
		}
	}
}

func (r *writer) plans() {
	if len(r.in.Plans) == 0 {
		return
	}
	r.section("Action plans", 30)
	for _, p := range r.in.Plans {
		r.text("B", 10, [3]int{}, p.Title)
		if p.About != "" {
			r.text("", 9, colourMuted, fmt.Sprintf("%s (from wave %d)", p.About, p.Wave))
		}
		for _, a := range p.Actions {
			line := "- " + a.Title + ": " + a.Status
			if a.Owner != "" {
				line += ", owner " + a.Owner
			}
			if a.Due != "" {
				line += ", due " + a.Due
			}
			r.text("", 9, [3]int{}, line)
		}
		r.pdf.Ln(1.5)
	}
}

func (r *writer) rules() {
	t := r.in.Overall.Thresholds
	r.section("How to read this", 25)
	r.text("", 9, colourMuted, fmt.Sprintf("Scores run from 0 to 100; favourable is the share who agree or strongly agree; eNPS runs from -100 to 100. "+
		"To keep people anonymous no number is shown for fewer than %d people (%d in a sensitive group), and groups next to a withheld group may be withheld too. "+
		"Only gaps and changes marked as flagged are larger than chance and at least %g points.", t.K, t.KS, t.PracticalGapPoints))
}

// count is a shown cell's n as a number to format.
func count(c report.Cell) *float64 {
	n := float64(c.N)
	return &n
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}
