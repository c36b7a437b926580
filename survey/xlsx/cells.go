package xlsx

import (
	"fmt"

	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
)

// SuppressedText is the literal text a suppressed cell shows instead of a
// value, in the workbook and the CSV alike. It names the threshold k that
// applies to the cell (see CellThreshold), never how many people there were.
func SuppressedText(c report.Cell, k int) string {
	switch c.Reason {
	case report.ReasonTooFew, "":
		return fmt.Sprintf("fewer than %d", k)
	case report.ReasonSecondary:
		return "hidden to protect another group"
	case report.ReasonNotReported:
		return "not reported for so few"
	default:
		return "not shown"
	}
}

// CellThreshold is the minimum group size behind a cell of a view filtered
// by filter (nil for none) and, for a group's cell, broken down by
// dimension ("" for the whole population): k_s when either dimension is
// sensitive, else k.
func CellThreshold(d survey.Design, th report.Thresholds, filter *report.Filter, dimension string) int {
	sensitive := func(key string) bool {
		dm, _, ok := d.Demographic(key)
		return key != "" && ok && dm.Sensitive
	}
	if sensitive(dimension) || (filter != nil && sensitive(filter.Dimension)) {
		return th.KS
	}
	return th.K
}

// view renders the cells of one released view: it knows the threshold that
// applies to its suppressed cells.
type view struct {
	st styles
	k  int
}

// value returns a number cell for v with style, the suppression text when
// the released cell is suppressed, and an empty cell when the metric has no
// such value.
func (vw view) value(c report.Cell, v *float64, style int) cell {
	if c.Suppressed {
		return cell{v: SuppressedText(c, vw.k), style: vw.st.suppressed, fold: true}
	}
	if v == nil {
		return cell{}
	}
	return cell{v: *v, style: style}
}

// n returns the count of a released cell, or its suppression text.
func (vw view) n(c report.Cell) cell {
	if c.Suppressed {
		return cell{v: SuppressedText(c, vw.k), style: vw.st.suppressed, fold: true}
	}
	return cell{v: c.N, style: vw.st.count}
}

// gap returns a gap or change in points, coloured only when flagged:
// unflagged differences are shown plainly, so colour never suggests a
// difference the flag rule does not support.
func (vw view) gap(c report.Cell) cell {
	if c.Suppressed || c.Value == nil {
		return vw.value(c, c.Value, vw.st.points)
	}
	switch {
	case c.Flagged && *c.Value < 0:
		return cell{v: *c.Value, style: vw.st.flagBelow}
	case c.Flagged:
		return cell{v: *c.Value, style: vw.st.flagAbove}
	default:
		return cell{v: *c.Value, style: vw.st.points}
	}
}

// flag says in words whether a released gap is flagged.
func (vw view) flag(c report.Cell) cell {
	if c.Suppressed || c.Value == nil {
		return cell{}
	}
	if c.Flagged {
		return cell{v: "Yes", style: vw.st.label}
	}
	return cell{v: "No", style: vw.st.text}
}

// text is a string cell of outside text, neutralised.
func (vw view) text(s string) cell { return cell{v: Neutralise(s), style: vw.st.text} }

// headline picks the number a metric is read by: its score, else its value
// (eNPS, rates), else its favourable share.
func headline(c report.Cell) *float64 {
	switch {
	case c.Score != nil:
		return c.Score
	case c.Value != nil:
		return c.Value
	default:
		return c.Favourable
	}
}
