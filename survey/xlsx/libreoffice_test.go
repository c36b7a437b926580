package xlsx_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey/xlsx"
)

// TestLibreOfficeReadsWorkbook opens the workbook the way a person would,
// with LibreOffice, and checks that every sheet is there, that the shown
// values are the released ones, and that hostile comments stay text.
func TestLibreOfficeReadsWorkbook(t *testing.T) {
	in := fixture()
	path := filepath.Join(t.TempDir(), "report.xlsx")
	if err := os.WriteFile(path, build(t, in), 0o600); err != nil {
		t.Fatal(err)
	}
	sheets := testtools.XLSXToCSV(t, path)
	for _, name := range []string{xlsx.SheetSummary, xlsx.SheetHeatmap, xlsx.SheetCompetencies, xlsx.SheetGaps, xlsx.SheetBehaviours,
		xlsx.SheetBarriers, xlsx.SheetTrend, xlsx.SheetParticipation, xlsx.SheetComments, xlsx.SheetMethod} {
		if _, ok := sheets[name]; !ok {
			t.Errorf("LibreOffice shows no sheet %q (got %d sheets)", name, len(sheets))
		}
	}
	heat := strings.Join(findRow(sheets[xlsx.SheetHeatmap], "Belonging"), "|")
	if heat != "Belonging|71.25|75|65|fewer than 5|hidden to protect another group" {
		t.Errorf("LibreOffice heatmap row %q", heat)
	}
	var comments []string
	for _, r := range sheets[xlsx.SheetComments] {
		if len(r) > 1 {
			comments = append(comments, r[1])
		}
	}
	joined := strings.Join(comments, "\n")
	for _, h := range hostile {
		if !strings.Contains(joined, "'"+h) {
			t.Errorf("comment %q not shown as inert text; comments: %q", h, comments)
		}
	}
}

func findRow(rows [][]string, first string) []string {
	for _, r := range rows {
		if len(r) > 0 && r[0] == first {
			return r
		}
	}
	return nil
}
