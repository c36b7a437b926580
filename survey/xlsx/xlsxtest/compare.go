package xlsxtest

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
	"github.com/allypulse/allypulse/survey/xlsx"
)

// Views are the released views a workbook must agree with, as the API
// returns them for the same survey, wave and breakdowns.
type Views struct {
	Design survey.Design
	// Overall is /results?wave=N; Breakdowns are /results?wave=N&by=DIM in
	// the order of the workbook's dimensions, Heatmaps and Gaps the
	// /heatmap and /gaps views of the same dimensions.
	Overall    report.Release
	Breakdowns []report.Release
	Heatmaps   []report.Heatmap
	Gaps       []report.Gaps
	Behaviours report.Behaviours
	Trend      report.Trend
	// Comments is nil when the workbook must hold none.
	Comments *report.Comments
}

// Grid is a workbook's cells as text, sheet by sheet, row by row: excelize's
// raw values or LibreOffice's CSV conversion.
type Grid map[string][][]string

// Compare checks every number and every suppressed cell of the workbook
// grid against the views and returns each disagreement. Numbers must match
// to 1e-9, or to half a percentage point where the grid shows a rounded
// percentage ("68%", as LibreOffice prints percent cells).
func Compare(g Grid, v Views) []string { return compare(g, v, false) }

// CompareExact is Compare for a grid of raw cell values (Read): every
// number must be stored as exactly the released value, as the JSON prints
// it (the engine rounds once; the workbook never rounds again, only its
// number formats may show fewer digits).
func CompareExact(g Grid, v Views) []string { return compare(g, v, true) }

func compare(g Grid, v Views, exact bool) []string {
	c := &comparer{g: g, v: v, exact: exact}
	c.summary()
	c.heatmap()
	c.competencies()
	c.gaps()
	c.behaviours()
	c.barriers()
	c.trend()
	c.participation()
	c.comments()
	if c.checked == 0 {
		c.errorf("no value was compared")
	}
	return c.errs
}

type comparer struct {
	g       Grid
	v       Views
	errs    []string
	checked int
	exact   bool
}

func (c *comparer) errorf(format string, args ...any) {
	c.errs = append(c.errs, fmt.Sprintf(format, args...))
}

func (c *comparer) k(dim string) int {
	return xlsx.CellThreshold(c.v.Design, c.v.Overall.Thresholds, c.v.Overall.Query.Filter, dim)
}

// rows returns a sheet's rows, or reports it missing.
func (c *comparer) rows(sheet string) [][]string {
	rows, ok := c.g[sheet]
	if !ok {
		c.errorf("sheet %q is missing", sheet)
	}
	return rows
}

func at(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// find returns the index of the first row at or after from whose cells
// from column 0 on equal keys, or -1.
func find(rows [][]string, from int, keys ...string) int {
	for i := max(from, 0); i < len(rows); i++ {
		ok := true
		for j, k := range keys {
			if at(rows[i], j) != k {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

// cell compares one grid cell with a released cell's value v (or its n
// when v is nil and n is true).
func (c *comparer) cell(where, got string, rc report.Cell, v *float64, k int) {
	c.checked++
	switch {
	case rc.Suppressed:
		if want := xlsx.SuppressedText(rc, k); got != want {
			c.errorf("%s: got %q, want suppressed %q", where, got, want)
		}
	case v == nil:
		if got != "" {
			c.errorf("%s: got %q, want an empty cell", where, got)
		}
	case c.exact:
		if want := strconv.FormatFloat(*v, 'f', -1, 64); got != want {
			c.errorf("%s: stored %q, want exactly %s", where, got, want)
		}
	default:
		if !numberMatches(got, *v) {
			c.errorf("%s: got %q, want %v", where, got, *v)
		}
	}
}

// n compares a count cell.
func (c *comparer) n(where, got string, rc report.Cell, k int) {
	n := float64(rc.N)
	c.cell(where, got, rc, &n, k)
}

func numberMatches(got string, want float64) bool {
	s := strings.ReplaceAll(strings.TrimSpace(got), ",", "")
	tol := 1e-9 * math.Max(1, math.Abs(want))
	if strings.HasSuffix(s, "%") {
		s = strings.TrimSuffix(s, "%")
		tol = 0.005 + 1e-12
		f, err := strconv.ParseFloat(s, 64)
		return err == nil && math.Abs(f/100-want) <= tol
	}
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && math.Abs(f-want) <= tol
}

func (c *comparer) text(where, got, want string) {
	c.checked++
	if got != xlsx.Neutralise(want) {
		c.errorf("%s: got %q, want %q", where, got, xlsx.Neutralise(want))
	}
}

func (c *comparer) labelled(sheet string, rows [][]string, label string) []string {
	i := find(rows, 0, label)
	if i < 0 {
		c.errorf("%s: no row %q", sheet, label)
		return nil
	}
	return rows[i]
}

func (c *comparer) summary() {
	rows := c.rows(xlsx.SheetSummary)
	o, k := c.v.Overall, c.k("")
	c.n("Summary responses", at(c.labelled("Summary", rows, "Responses"), 1), o.Respondents, k)
	idx := c.labelled("Summary", rows, "Inclusion index (0-100)")
	c.cell("Summary index", at(idx, 1), o.Index.Overall, o.Index.Overall.Score, k)
	c.n("Summary index n", at(idx, 2), o.Index.Overall, k)
	enps := c.labelled("Summary", rows, "eNPS (-100 to 100)")
	c.cell("Summary eNPS", at(enps, 1), o.ENPS.Overall, o.ENPS.Overall.Value, k)
	c.n("Summary eNPS n", at(enps, 2), o.ENPS.Overall, k)
	if p := o.Participation; p.Invited > 0 {
		c.cell("Summary participation", at(c.labelled("Summary", rows, "Participation"), 1), p.Overall, p.Overall.Value, k)
	}
}

func (c *comparer) dimLabel(key string) string {
	if d, _, ok := c.v.Design.Demographic(key); ok && d.Label != "" {
		return d.Label
	}
	return key
}

func (c *comparer) heatmap() {
	rows := c.rows(xlsx.SheetHeatmap)
	for hi, h := range c.v.Heatmaps {
		dim := h.Query.By
		start := find(rows, 0, "By "+xlsx.Neutralise(c.dimLabel(dim)))
		if start < 0 {
			c.errorf("Heatmap: no block for %s", dim)
			continue
		}
		head := rows[start+1]
		for j, g := range h.Groups {
			c.text(fmt.Sprintf("Heatmap %s header %d", dim, j), at(head, 2+j), g.Option)
		}
		counts := rows[start+2]
		if hi < len(c.v.Breakdowns) {
			c.n("Heatmap respondents", at(counts, 1), c.v.Breakdowns[hi].Respondents, c.k(""))
		}
		for j, g := range h.Groups {
			c.n(fmt.Sprintf("Heatmap %s count %s", dim, g.Option), at(counts, 2+j), g.Count, c.k(dim))
		}
		for ri, r := range h.Rows {
			row := rows[start+3+ri]
			c.text("Heatmap row name", at(row, 0), r.Name)
			c.cell(fmt.Sprintf("Heatmap %s %s overall", dim, r.Key), at(row, 1), r.Overall, r.Overall.Score, c.k(""))
			for j, gc := range r.Groups {
				c.cell(fmt.Sprintf("Heatmap %s %s %s", dim, r.Key, h.Groups[j].Option), at(row, 2+j), gc, gc.Score, c.k(dim))
			}
		}
	}
}

// shares compares the share columns that start at column col.
func (c *comparer) shares(where string, row []string, col int, rc report.Cell, k int) {
	c.n(where+" n", at(row, col), rc, k)
	for i, v := range []*float64{rc.Score, rc.Favourable, rc.Low, rc.High, rc.Neutral, rc.Unfavourable, rc.Mean} {
		c.cell(fmt.Sprintf("%s column %d", where, col+1+i), at(row, col+1+i), rc, v, k)
	}
}

func (c *comparer) competencies() {
	rows := c.rows(xlsx.SheetCompetencies)
	o, k := c.v.Overall, c.k("")
	metrics := append([]report.Row{o.Index}, o.Competencies...)
	for _, r := range append(metrics, o.Access...) {
		i := find(rows, 0, r.Kind, r.Key)
		if i < 0 {
			c.errorf("Competencies: no row %s", r.Key)
			continue
		}
		c.shares("Competencies "+r.Key, rows[i], 4, r.Overall, k)
	}
	for _, it := range o.Items {
		i := find(rows, 0, "item", it.Key)
		if i < 0 {
			c.errorf("Competencies: no item %s", it.Key)
			continue
		}
		c.text("item text "+it.Key, at(rows[i], 2), it.Text)
		c.shares("Item "+it.Key, rows[i], 4, it.Overall, k)
	}
}

func (c *comparer) gaps() {
	rows := c.rows(xlsx.SheetGaps)
	for _, gs := range c.v.Gaps {
		dim := gs.Query.By
		k := c.k(dim)
		for _, r := range gs.Rows {
			for j, gc := range r.Groups {
				i := find(rows, 0, xlsx.Neutralise(c.dimLabel(dim)), xlsx.Neutralise(gs.Groups[j].Option), xlsx.Neutralise(r.Name))
				if i < 0 {
					c.errorf("Gaps: no row %s / %s / %s", dim, gs.Groups[j].Option, r.Name)
					continue
				}
				where := fmt.Sprintf("Gap %s %s %s", dim, gs.Groups[j].Option, r.Key)
				c.cell(where, at(rows[i], 4), gc, gc.Value, k)
				c.cell(where+" low", at(rows[i], 5), gc, gc.Low, k)
				c.cell(where+" high", at(rows[i], 6), gc, gc.High, k)
				c.flag(where, at(rows[i], 7), gc)
			}
		}
	}
}

func (c *comparer) flag(where, got string, rc report.Cell) {
	c.checked++
	want := ""
	if !rc.Suppressed && rc.Value != nil {
		want = "No"
		if rc.Flagged {
			want = "Yes"
		}
	}
	if got != want {
		c.errorf("%s flagged: got %q, want %q", where, got, want)
	}
}

func (c *comparer) behaviours() {
	rows := c.rows(xlsx.SheetBehaviours)
	k := c.k("")
	for _, b := range c.v.Behaviours.Rows {
		i := find(rows, 0, b.Family, b.Key)
		if i < 0 {
			c.errorf("Behaviours: no row %s", b.Key)
			continue
		}
		row := rows[i]
		for p, rc := range []report.Cell{b.Self, b.Experienced} {
			col := 4 + 4*p
			where := fmt.Sprintf("Behaviour %s part %d", b.Key, p)
			c.n(where+" n", at(row, col), rc, k)
			c.cell(where+" frequent", at(row, col+1), rc, rc.Favourable, k)
			c.cell(where+" low", at(row, col+2), rc, rc.Low, k)
			c.cell(where+" high", at(row, col+3), rc, rc.High, k)
		}
		c.cell("Behaviour gap "+b.Key, at(row, 12), b.Gap, b.Gap.Value, k)
		c.cell("Behaviour gap low "+b.Key, at(row, 13), b.Gap, b.Gap.Low, k)
		c.cell("Behaviour gap high "+b.Key, at(row, 14), b.Gap, b.Gap.High, k)
		c.flag("Behaviour gap "+b.Key, at(row, 15), b.Gap)
	}
}

func (c *comparer) barriers() {
	rows := c.rows(xlsx.SheetBarriers)
	for _, r := range c.v.Behaviours.Barriers {
		i := find(rows, 0, r.Key)
		if i < 0 {
			c.errorf("Barriers: no row %s", r.Key)
			continue
		}
		c.shares("Barrier "+r.Key, rows[i], 2, r.Overall, c.k(""))
	}
}

func (c *comparer) trend() {
	rows := c.rows(xlsx.SheetTrend)
	head := find(rows, 0, "Wave", "Opens", "Closes", "Status")
	if head < 0 {
		c.errorf("Trend: no table header")
		return
	}
	col := map[string]int{}
	for j, name := range rows[head] {
		if _, dup := col[name]; !dup {
			col[name] = j
		}
	}
	for _, sr := range c.v.Trend.Series {
		if sr.Group != "" {
			continue
		}
		j, ok := col[xlsx.Neutralise(sr.Name)]
		if !ok {
			c.errorf("Trend: no column %s", sr.Name)
			continue
		}
		for wi, w := range c.v.Trend.Waves {
			i := find(rows, head, fmt.Sprintf("Wave %d", w.Number))
			if w.Number > c.v.Overall.Wave {
				// A wave's report stops at that wave.
				if i >= 0 {
					c.errorf("Trend: wave %d is after the report's wave %d", w.Number, c.v.Overall.Wave)
				}
				continue
			}
			if i < 0 || wi >= len(sr.Points) {
				c.errorf("Trend: no row for wave %d", w.Number)
				continue
			}
			p := sr.Points[wi]
			v := p.Score
			if v == nil {
				v = p.Value
			}
			if v == nil {
				v = p.Favourable
			}
			c.cell(fmt.Sprintf("Trend %s wave %d", sr.Key, w.Number), at(rows[i], j), p, v, c.k(""))
		}
	}
}

func (c *comparer) participation() {
	rows := c.rows(xlsx.SheetParticipation)
	o := c.v.Overall
	i := find(rows, 0, xlsx.Neutralise(o.Population))
	if i < 0 {
		c.errorf("Participation: no population row")
		return
	}
	c.n("Participation responses", at(rows[i], 1), o.Respondents, c.k(""))
	if o.Participation.Invited > 0 {
		c.cell("Participation rate", at(rows[i], 4), o.Participation.Overall, o.Participation.Overall.Value, c.k(""))
	}
	for _, br := range c.v.Breakdowns {
		dim := br.Query.By
		for j, g := range br.Groups {
			i := find(rows, 0, xlsx.Neutralise(c.dimLabel(dim)), xlsx.Neutralise(g.Option))
			if i < 0 {
				c.errorf("Participation: no row %s / %s", dim, g.Option)
				continue
			}
			c.n("Participation "+g.Key, at(rows[i], 2), g.Count, c.k(dim))
			pc := report.Cell{}
			if j < len(br.Participation.Groups) {
				pc = br.Participation.Groups[j]
			}
			if got := at(rows[i], 3); !pc.Suppressed && pc.Value == nil {
				c.checked++
				if got != xlsx.NoGroupInvitedCount {
					c.errorf("Participation rate %s: got %q, want %q", g.Key, got, xlsx.NoGroupInvitedCount)
				}
			} else {
				c.cell("Participation rate "+g.Key, got, pc, pc.Value, c.k(dim))
			}
		}
	}
}

func (c *comparer) comments() {
	rows := c.rows(xlsx.SheetComments)
	var got []string
	if head := find(rows, 0, "Question", "Comment"); head >= 0 {
		for _, r := range rows[head+1:] {
			if at(r, 1) != "" {
				got = append(got, at(r, 1))
			}
		}
	}
	cm := c.v.Comments
	if cm == nil || cm.Suppressed {
		if len(got) > 0 {
			c.errorf("Comments: want none, got %d", len(got))
		}
		return
	}
	if len(got) != len(cm.Items) {
		c.errorf("Comments: got %d, want %d", len(got), len(cm.Items))
		return
	}
	for i, it := range cm.Items {
		c.text(fmt.Sprintf("comment %d", i), got[i], it.Text)
	}
}

// Read returns the raw cell values of every sheet of a workbook, as
// excelize reads them (no number formats applied).
func Read(data []byte) (Grid, error) {
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer x.Close()
	g := Grid{}
	for _, name := range x.GetSheetList() {
		if g[name], err = x.GetRows(name, excelize.Options{RawCellValue: true}); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// MustRead is Read for tests: it fails t when the workbook cannot be read.
func MustRead(t testing.TB, data []byte) Grid {
	t.Helper()
	g, err := Read(data)
	if err != nil {
		t.Fatalf("reading the workbook: %v", err)
	}
	return g
}
