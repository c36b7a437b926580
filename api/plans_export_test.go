package api

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey/report"
	"github.com/allypulse/allypulse/survey/xlsx"
	"github.com/allypulse/allypulse/survey/xlsx/xlsxtest"
)

// TestWorkbookActionPlans downloads the workbook of a survey with an action
// plan and reads the "Action plans" sheet back with excelize and with
// LibreOffice: the focus area, each wave's progress equal to the released
// gap, the action with its owner and status; reverse-scored items are
// marked on the competencies sheet.
func TestWorkbookActionPlans(t *testing.T) {
	h := newExportHarness(t, 150, 190)
	rec := h.send(h.lead, "POST", h.path("plans"), `{"wave": 1, "source": {"kind": "gap", "metric": "belonging", "dimension": "department", "option": "Sales"}, "title": "Belonging in Sales"}`)
	wantCode(t, rec, http.StatusCreated, "focus area")
	f := decodeBody[focusJSON](t, rec.Body.Bytes())
	wantCode(t, h.send(h.lead, "POST", h.path("plans/"+f.ID+"/actions"), `{"title": "Sponsor two people for visible work", "status": "in_progress", "due": "2026-10-01"}`), http.StatusCreated, "action")

	rec = h.get(h.exec, h.path("report.xlsx?wave=2"))
	wantCode(t, rec, http.StatusOK, "report.xlsx")
	data := rec.Body.Bytes()
	rep, err := xlsxtest.Check(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range rep.Violations {
		t.Error(v)
	}
	path := filepath.Join(t.TempDir(), "report.xlsx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	readers := map[string]xlsxtest.Grid{"excelize": xlsxtest.MustRead(t, data), "LibreOffice": xlsxtest.Grid(testtools.XLSXToCSV(t, path))}
	for name, g := range readers {
		rows := g[xlsx.SheetPlans]
		text := joinRows(rows)
		for _, want := range []string{"Belonging in Sales", "Sponsor two people for visible work", "In progress", "2026-10-01"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the Action plans sheet lacks %q:\n%s", name, want, text)
			}
		}
		for wave := 1; wave <= 2; wave++ {
			var gaps report.Gaps
			h.getJSON(h.lead, h.path("gaps?by=department&wave="+strconv.Itoa(wave)), &gaps)
			var want report.Cell
			for _, r := range gaps.Rows {
				if r.Key == "belonging" {
					want = r.Groups[0] // Sales is the first department
				}
			}
			row := rowStarting(rows, "Wave "+strconv.Itoa(wave))
			if row == nil {
				t.Errorf("%s: no progress row for wave %d", name, wave)
				continue
			}
			switch {
			case want.Suppressed:
				if !strings.Contains(strings.Join(row, " "), "fewer") && !strings.Contains(strings.Join(row, " "), "withheld") && !strings.Contains(strings.Join(row, " "), "hidden") {
					t.Errorf("%s: wave %d progress %v, want the suppression text", name, wave, row)
				}
			case want.Value != nil:
				got, err := strconv.ParseFloat(strings.TrimSpace(row[1]), 64)
				if err != nil || got != *want.Value {
					t.Errorf("%s: wave %d progress %q, released %v", name, wave, row[1], *want.Value)
				}
			}
		}
		if !strings.Contains(joinRows(g[xlsx.SheetCompetencies]), "(reverse-scored)") {
			t.Errorf("%s: no reverse-scored item is marked", name)
		}
	}
}

func joinRows(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, " | "))
		b.WriteByte('\n')
	}
	return b.String()
}

func rowStarting(rows [][]string, first string) []string {
	for _, r := range rows {
		if len(r) > 1 && strings.TrimSpace(r[0]) == first {
			return r
		}
	}
	return nil
}
