package xlsx_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/allypulse/allypulse/survey/report"
	"github.com/allypulse/allypulse/survey/xlsx"
)

// TestBuildLayout: suppression texts and headers fold onto a second line
// instead of widening a column; every row whose text wraps is tall enough
// to show it; each sheet states its used range.
func TestBuildLayout(t *testing.T) {
	in := fixture()
	// A long comment with a line break must not overflow the row limit.
	in.Comments.Items = append(in.Comments.Items, report.CommentItem{Prompt: "better", Text: strings.Repeat("More say in decisions.\n", 60)})
	data := build(t, in)
	x := open(t, data)

	// Heatmap: column F holds only "hidden to protect another group" and
	// its header; it folds rather than widens.
	if w, _ := x.GetColWidth(xlsx.SheetHeatmap, "F"); w > 21 {
		t.Errorf("heatmap column F (a withheld group) is %.0f wide, want at most 21", w)
	}
	rows, _ := x.GetRows(xlsx.SheetHeatmap)
	counts := rowOf(rows, "Respondents (n)")
	if h, _ := x.GetRowHeight(xlsx.SheetHeatmap, atoi(t, counts)); h < 30 {
		t.Errorf("heatmap row %s with a folded suppression text is %.0f points tall, want two lines", counts, h)
	}
	// Gaps: the interval columns are not as wide as the suppression text.
	for _, col := range []string{"E", "F", "G"} {
		if w, _ := x.GetColWidth(xlsx.SheetGaps, col); w > 21 {
			t.Errorf("gaps column %s is %.0f wide, want at most 21", col, w)
		}
	}
	// Method: every paragraph wider than the column gets the lines it needs.
	mrows, _ := x.GetRows(xlsx.SheetMethod)
	mw, _ := x.GetColWidth(xlsx.SheetMethod, "A")
	for i, r := range mrows {
		if len(r) == 0 || float64(len(r[0])) < mw*1.3 {
			continue
		}
		if h, _ := x.GetRowHeight(xlsx.SheetMethod, i+1); h < 30 {
			t.Errorf("method row %d (%d characters in a column %.0f wide) is %.0f points tall", i+1, len(r[0]), mw, h)
		}
	}
	// Comments: the long comment's row is capped at Excel's limit.
	crows, _ := x.GetRows(xlsx.SheetComments)
	long := rowOf(crows, "What would make this a better place?")
	if long == "0" {
		t.Fatal("no comment rows")
	}
	for i, r := range crows {
		if len(r) > 1 && strings.HasPrefix(r[1], "More say") {
			if h, _ := x.GetRowHeight(xlsx.SheetComments, i+1); h != excelize.MaxRowHeight {
				t.Errorf("long comment row is %.0f points tall, want %d", h, excelize.MaxRowHeight)
			}
		}
	}
	// The used range of every sheet covers its rows.
	dim := regexp.MustCompile(`<dimension ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"`)
	for name, body := range parts(t, data) {
		if !strings.HasPrefix(name, "xl/worksheets/sheet") {
			continue
		}
		m := dim.FindSubmatch(body)
		lastRow := regexp.MustCompile(`<row r="([0-9]+)"`).FindAllSubmatch(body, -1)
		if m == nil || len(lastRow) == 0 {
			t.Errorf("%s: no dimension or no rows", name)
			continue
		}
		_, row, err := excelize.CellNameToCoordinates(strings.Split(string(m[1]), ":")[len(strings.Split(string(m[1]), ":"))-1])
		if want := atoi(t, string(lastRow[len(lastRow)-1][1])); err != nil || row < want {
			t.Errorf("%s: dimension %s does not reach the last row %d", name, m[1], want)
		}
	}
}

// TestBuildTrendStopsAtWave: the report of an earlier wave shows the trend
// up to that wave only, and the changes sit under the columns of the
// values they belong to.
func TestBuildTrendStopsAtWave(t *testing.T) {
	in := fixture()
	in.Overall.Wave, in.Wave.Number = 2, 2
	x := open(t, build(t, in))
	rows, err := x.GetRows(xlsx.SheetTrend, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if rowOf(rows, "Wave 3") != "0" {
		t.Errorf("the wave 2 report shows wave 3 in its trend")
	}
	head := atoi(t, rowOf(rows, "Wave")) - 1
	belonging := -1
	for j, v := range rows[head] {
		if v == "Belonging" {
			belonging = j
		}
	}
	if belonging < 0 {
		t.Fatalf("no Belonging column in %q", rows[head])
	}
	// The second "Wave 2" row is the change table's.
	var change []string
	for _, r := range rows[head+1:] {
		if len(r) > 0 && r[0] == "Wave 2" {
			change = r
		}
	}
	if len(change) <= belonging || change[belonging] != "0.5" {
		t.Errorf("change row %q: want Belonging's change 0.5 in column %d", change, belonging+1)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBuildSummaryWithNothingShown: when no competency can be shown (an
// empty or small wave), the strengths and opportunities say so instead of
// being headers over nothing.
func TestBuildSummaryWithNothingShown(t *testing.T) {
	in := fixture()
	for i := range in.Overall.Competencies {
		in.Overall.Competencies[i].Overall = report.Cell{Suppressed: true, Reason: report.ReasonTooFew}
	}
	x := open(t, build(t, in))
	rows, _ := x.GetRows(xlsx.SheetSummary)
	for _, title := range []string{"Top 3 strengths", "Top 3 opportunities"} {
		i := atoi(t, rowOf(rows, title))
		if i == 0 || len(rows) <= i || len(rows[i]) == 0 || !strings.HasPrefix(rows[i][0], "No competency score can be shown") {
			t.Errorf("%s: the next row is %q, want a note", title, rows[min(i, len(rows)-1)])
		}
	}
}

// TestBuildCommentsWithheldSaysWhy: the Comments sheet gives the reason
// the comments are withheld, naming k_c only when size is the reason.
func TestBuildCommentsWithheldSaysWhy(t *testing.T) {
	for reason, want := range map[string]string{
		report.ReasonCommentsOpen:    "Comments are not shown for this population: " + report.ReasonCommentsOpen + ".",
		report.ReasonCommentsTooFew:  "Comments are not shown for this population: at least 10 people are needed.",
		report.ReasonCommentsOverlap: "Comments are not shown for this population: " + report.ReasonCommentsOverlap + ".",
	} {
		in := fixture()
		in.Comments = &report.Comments{Meta: in.Comments.Meta, Suppressed: true, Reason: reason}
		x := open(t, build(t, in))
		rows, _ := x.GetRows(xlsx.SheetComments)
		if rowOf(rows, want) == "0" {
			t.Errorf("reason %q: no line %q in %q", reason, want, rows)
		}
	}
}

// TestBuildSummaryNamesNoCompetencyTwice: with few competencies, none is
// both a top strength and a top opportunity.
func TestBuildSummaryNamesNoCompetencyTwice(t *testing.T) {
	in := fixture()
	x := open(t, build(t, in))
	rows, _ := x.GetRows(xlsx.SheetSummary)
	names := map[string]string{}
	for _, c := range in.Overall.Competencies {
		names[c.Name] = ""
	}
	block := ""
	for _, r := range rows {
		if len(r) == 0 {
			continue
		}
		switch r[0] {
		case "Top 3 strengths", "Top 3 opportunities":
			block = r[0]
			continue
		}
		if seen, ok := names[r[0]]; ok && block != "" {
			if seen != "" && seen != block {
				t.Errorf("%s is under both %q and %q", r[0], seen, block)
			}
			names[r[0]] = block
		}
	}
	if len(in.Overall.Competencies) < 2 {
		t.Fatalf("fixture has %d competencies; want at least 2", len(in.Overall.Competencies))
	}
}
