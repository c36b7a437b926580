package xlsx

import "github.com/xuri/excelize/v2"

// Colours of the workbook: a colour-blind-safe diverging pair (orange below
// the organisation, blue above it) around a light grey.
const (
	colourBelow   = "#F1A340"
	colourMiddle  = "#F7F7F7"
	colourAbove   = "#67A9CF"
	colourHeader  = "#DDE3EA"
	colourMuted   = "#595959"
	colourHatch   = "#BFBFBF"
	colourBorder  = "#8C8C8C"
	colourFlagLow = "#FBD9B0"
	colourFlagUp  = "#CFE3F1"
)

// Number formats. Percentages show as integers and scores with one decimal;
// the cells keep the released value.
const (
	formatPercent = "0%"
	formatScore   = "0.0"
	formatMean    = "0.00"
	formatCount   = "#,##0"
	formatPoints  = "+0.0;-0.0;0.0"
	formatSigned  = "+0;-0;0"
	formatRatio   = "0.00"
)

// styles are the cell styles of one workbook, registered once.
type styles struct {
	title, subtitle, header, text, wrap, note, remark, label int
	percent, score, mean, count, points, signed, ratio, date int
	suppressed                                               int
	flagBelow, flagAbove                                     int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	add := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	numFmt := func(code string) *excelize.Style {
		c := code
		return &excelize.Style{CustomNumFmt: &c, Alignment: &excelize.Alignment{Vertical: "top"}}
	}
	s.title = add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}})
	s.subtitle = add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	s.header = add(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colourHeader}},
		Border:    []excelize.Border{{Type: "bottom", Color: colourBorder, Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
	})
	// Text in tables wraps within its column (sheet.widths fits the column
	// first); notes spill over the empty cells to their right instead.
	wrap := &excelize.Alignment{Vertical: "top", WrapText: true}
	s.text = add(&excelize.Style{Alignment: wrap})
	s.wrap = s.text
	s.note = add(&excelize.Style{Font: &excelize.Font{Italic: true, Color: colourMuted}})
	s.remark = add(&excelize.Style{Font: &excelize.Font{Italic: true, Color: colourMuted}, Alignment: wrap})
	s.label = add(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: wrap})
	s.percent = add(numFmt(formatPercent))
	s.score = add(numFmt(formatScore))
	s.mean = add(numFmt(formatMean))
	s.count = add(numFmt(formatCount))
	s.points = add(numFmt(formatPoints))
	s.signed = add(numFmt(formatSigned))
	s.ratio = add(numFmt(formatRatio))
	s.date = add(numFmt("yyyy-mm-dd hh:mm \"UTC\""))
	// Suppressed cells: grey italic text on a light hatch, unlike any value.
	s.suppressed = add(&excelize.Style{
		Font:      &excelize.Font{Italic: true, Color: colourMuted},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 14, Color: []string{colourHatch}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top", WrapText: true},
	})
	flag := func(colour string) *excelize.Style {
		c := formatPoints
		return &excelize.Style{
			Font: &excelize.Font{Bold: true}, CustomNumFmt: &c,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}},
			Alignment: &excelize.Alignment{Vertical: "top"},
		}
	}
	s.flagBelow = add(flag(colourFlagLow))
	s.flagAbove = add(flag(colourFlagUp))
	return s, err
}
