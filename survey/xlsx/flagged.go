package xlsx

import (
	"math"
	"sort"

	"github.com/allypulse/allypulse/survey/report"
)

// FlaggedGap is one released, flagged inclusion gap of a group: its
// dimension and option as labelled in the design, the metric, and the
// released cell (value and 95% interval in points).
type FlaggedGap struct {
	Dimension string
	Group     string
	Metric    string
	Cell      report.Cell
}

// Label names the gap in one line, e.g. "Belonging, Department: Sales".
func (g FlaggedGap) Label() string {
	return g.Metric + ", " + g.Dimension + ": " + g.Group
}

// FlaggedGaps lists the flagged gaps of every breakdown of in, largest
// first (by size, whatever the sign; ties keep the breakdowns' order). Only
// released cells that are shown and flagged count, so the list is the same
// wherever it is printed (the Summary sheet, the PDF report).
func FlaggedGaps(in Input) []FlaggedGap {
	labels := builder{in: in}
	var out []FlaggedGap
	for _, rel := range in.Breakdowns {
		dim := labels.dimensionLabel(rel.Query.By)
		for _, r := range rel.Gaps {
			for i, c := range r.Groups {
				if i >= len(rel.Groups) || c.Suppressed || c.Value == nil || !c.Flagged {
					continue
				}
				out = append(out, FlaggedGap{Dimension: dim, Group: rel.Groups[i].Option, Metric: r.Name, Cell: c})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return math.Abs(*out[i].Cell.Value) > math.Abs(*out[j].Cell.Value) })
	return out
}
