package xlsxtest

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestCheckFindsEachViolation builds a workbook that breaks every rule and
// checks that Check names each one, so a clean report means something.
func TestCheckFindsEachViolation(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetCellValue("Sheet1", "A1", "n"))
	must(f.SetCellValue("Sheet1", "A2", 1))
	must(f.SetCellFormula("Sheet1", "A3", "SUM(A2:A2)"))
	must(f.AutoFilter("Sheet1", "A1:A2", nil))
	must(f.AddComment("Sheet1", excelize.Comment{Cell: "A2", Author: "x", Text: "a note"}))
	_, err := f.NewSheet("Secret")
	must(err)
	must(f.SetSheetVisible("Secret", false))
	must(f.SetDefinedName(&excelize.DefinedName{Name: "Everyone", RefersTo: "Sheet1!$A$2"}))
	must(f.SetDocProps(&excelize.DocProperties{Creator: "Jane Doe", LastModifiedBy: "laptop-42"}))
	buf, err := f.WriteToBuffer()
	must(err)
	rep, err := Check(buf.Bytes())
	must(err)
	all := strings.Join(rep.Violations, "\n")
	for _, want := range []string{"holds a formula", "defined names", "_xlnm._FilterDatabase", "Everyone",
		`sheet "Secret" is hidden`, "forbidden part xl/comments", "creator", "lastModifiedBy", "Application"} {
		if !strings.Contains(all, want) {
			t.Errorf("Check missed %q; it found:\n%s", want, all)
		}
	}
}
