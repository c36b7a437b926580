package xlsx

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// cell is one value with its style. A nil value leaves the cell empty.
type cell struct {
	v     any
	style int
	// spill marks text that runs on over the empty cells to its right
	// (titles, notes); it does not widen its column. Every other text
	// wraps within its column (its style says so), and its row grows to
	// show all of its lines.
	spill bool
	// fold marks short text that had rather take a second line than widen
	// its column beyond foldWidth (headers, suppression texts).
	fold bool
}

// tableSpec makes rows first..last (1-based, header first) of columns
// 1..cols an Excel table: a native autofilter that, unlike a sheet
// autofilter, adds no defined name to the workbook.
type tableSpec struct {
	name              string
	first, last, cols int
}

// sheet buffers one worksheet's rows so that column widths can fit the
// content before the rows are streamed out.
type sheet struct {
	name string
	rows [][]cell
	// freezeRows and freezeCols keep headers and labels in view.
	freezeRows, freezeCols int
	table                  *tableSpec
	// onePage prints the sheet on one page (the Summary); other sheets
	// print one page wide and as many tall as they need.
	onePage bool
	formats []conditional
	// fixed gives a column (1-based) a set width, with wrapped text.
	fixed map[int]float64
	// after runs once the rows are written and before the stream is
	// flushed (charts, conditional formats).
	after func(f *excelize.File) error
}

// conditional is one conditional format over a range.
type conditional struct {
	ref  string
	opts []excelize.ConditionalFormatOptions
}

func newSheet(name string) *sheet { return &sheet{name: name, fixed: map[int]float64{}} }

// add appends a row and returns its 1-based row number.
func (s *sheet) add(cells ...cell) int {
	s.rows = append(s.rows, cells)
	return len(s.rows)
}

// blank appends an empty row.
func (s *sheet) blank() { s.add() }

// next is the row number the next add will use.
func (s *sheet) next() int { return len(s.rows) + 1 }

// tableFrom marks the rows from header row first to the current last row
// as a table of cols columns; a table needs at least one data row.
func (s *sheet) tableFrom(name string, first, cols int) {
	if len(s.rows) > first {
		s.table = &tableSpec{name: name, first: first, last: len(s.rows), cols: cols}
	}
}

// Width limits, in Excel character units.
const (
	minWidth  = 8.0
	maxWidth  = 60.0
	foldWidth = 21.0
)

// lineHeight is the height in points of one line of 11-point text.
const lineHeight = 15.0

// widths fits each column to its longest value: text by its length in
// characters (folding text by its longest word, up to foldWidth), numbers
// by the width of their formatted form.
func (s *sheet) widths() []float64 {
	var w []float64
	for _, row := range s.rows {
		for i, c := range row {
			for len(w) <= i {
				w = append(w, minWidth)
			}
			n := displayWidth(c.v)
			if text, ok := c.v.(string); ok && c.fold {
				n = max(textWidth(longestWord(text)), min(n, foldWidth))
			}
			if !c.spill && n > w[i] {
				w[i] = n
			}
		}
	}
	for i := range w {
		if w[i] > maxWidth {
			w[i] = maxWidth
		}
		if fw, ok := s.fixed[i+1]; ok {
			w[i] = fw
		}
	}
	return w
}

func displayWidth(v any) float64 {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		w := 0.0
		for _, line := range strings.Split(x, "\n") {
			w = max(w, textWidth(line))
		}
		return w
	case float64:
		return float64(len(strconv.FormatFloat(x, 'f', 1, 64))) + 3
	case int:
		return float64(len(strconv.Itoa(x))) + 3
	default:
		return 12
	}
}

// textWidth is the width of one line of text, with a margin.
func textWidth(line string) float64 { return float64(utf8.RuneCountInString(line))*1.1 + 2 }

func longestWord(text string) string {
	longest := ""
	for _, w := range strings.Fields(text) {
		if utf8.RuneCountInString(w) > utf8.RuneCountInString(longest) {
			longest = w
		}
	}
	return longest
}

// lines is how many lines text takes when wrapped at word boundaries in a
// column of width w, as a spreadsheet wraps it (a word longer than the
// column is broken). A width unit is the width of a digit; a character of
// running text is narrower, so a column holds about 1.1 characters per unit
// (erring towards a spare line rather than a clipped one; textWidth's
// margins keep text that set the width on one line).
func lines(text string, w float64) int {
	capacity := max(1, int(w*1.1))
	n := 0
	for _, para := range strings.Split(text, "\n") {
		n++
		used := 0
		for _, word := range strings.Fields(para) {
			size := utf8.RuneCountInString(word)
			switch {
			case used == 0:
				used = size
			case used+1+size <= capacity:
				used += 1 + size
			default:
				n++
				used = size
			}
			for used > capacity {
				n++
				used -= capacity
			}
		}
	}
	return n
}

// height is the height in points that shows every line of the row's
// wrapping text in columns of widths w, or 0 to keep the default height.
func height(row []cell, w []float64) float64 {
	most := 1
	for i, c := range row {
		if text, ok := c.v.(string); ok && !c.spill && i < len(w) {
			most = max(most, lines(text, w[i]))
		}
	}
	if most == 1 {
		return 0
	}
	return min(float64(most)*lineHeight, excelize.MaxRowHeight)
}

// printSetup prints landscape, one page wide and as many pages tall as
// needed, or on a single page when onePage.
func printSetup(f *excelize.File, name string, onePage bool) error {
	fit := true
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	landscape, wide, tall := "landscape", 1, 0
	if onePage {
		tall = 1
	}
	return f.SetPageLayout(name, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall})
}

// write streams the sheet into f, which must already hold an empty sheet of
// that name.
func (s *sheet) write(f *excelize.File) error {
	if err := printSetup(f, s.name, s.onePage); err != nil {
		return err
	}
	widths := s.widths()
	// The used range, which the stream writer leaves at A1: readers that
	// size a sheet by it (openpyxl and pandas in read-only mode) would see
	// one cell.
	if err := f.SetSheetDimension(s.name, "A1:"+ref(max(1, len(widths)), max(1, len(s.rows)))); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(s.name)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if s.freezeRows > 0 || s.freezeCols > 0 {
		top, err := excelize.CoordinatesToCellName(s.freezeCols+1, s.freezeRows+1)
		if err != nil {
			return err
		}
		pane := "bottomLeft"
		switch {
		case s.freezeRows > 0 && s.freezeCols > 0:
			pane = "bottomRight"
		case s.freezeRows == 0:
			pane = "topRight"
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: s.freezeCols, YSplit: s.freezeRows,
			TopLeftCell: top, ActivePane: pane}); err != nil {
			return err
		}
	}
	for i, row := range s.rows {
		if len(row) == 0 {
			continue
		}
		values := make([]any, len(row))
		for j, c := range row {
			values[j] = excelize.Cell{StyleID: c.style, Value: c.v}
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+1), values, excelize.RowOpts{Height: height(row, widths)}); err != nil {
			return fmt.Errorf("sheet %s row %d: %w", s.name, i+1, err)
		}
	}
	if t := s.table; t != nil {
		last, err := excelize.CoordinatesToCellName(t.cols, t.last)
		if err != nil {
			return err
		}
		off := false
		if err := sw.AddTable(&excelize.Table{Range: "A" + strconv.Itoa(t.first) + ":" + last, Name: t.name,
			StyleName: "TableStyleLight1", ShowRowStripes: &off}); err != nil {
			return fmt.Errorf("sheet %s table: %w", s.name, err)
		}
	}
	for _, c := range s.formats {
		if err := f.SetConditionalFormat(s.name, c.ref, c.opts); err != nil {
			return fmt.Errorf("sheet %s conditional format %s: %w", s.name, c.ref, err)
		}
	}
	if s.after != nil {
		if err := s.after(f); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// ref returns the A1 name of (col, row), both 1-based.
func ref(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}
