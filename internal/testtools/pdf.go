package testtools

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// XLSXToPDF prints the workbook with LibreOffice, as a person printing it
// to PDF would (every sheet, each with its own page setup), and returns the
// path of the PDF.
func XLSXToPDF(t testing.TB, xlsxPath string) string {
	t.Helper()
	outDir, out := convert(t, xlsxPath, "pdf")
	pdf := filepath.Join(outDir, strings.TrimSuffix(filepath.Base(xlsxPath), filepath.Ext(xlsxPath))+".pdf")
	if _, err := os.Stat(pdf); err != nil {
		t.Fatalf("soffice wrote no PDF for %s: %v\n%s", xlsxPath, err, out)
	}
	return pdf
}

// PDFText is the text of a PDF as poppler's pdftotext reads it, in reading
// order with the page's layout kept (-layout), pages separated by form
// feeds. It skips the test (fails under CI) when pdftotext is missing.
func PDFText(t testing.TB, pdfPath string) string {
	t.Helper()
	bin := lookTool("PDFTOTEXT", "pdftotext")
	if bin == "" {
		Unavailable(t, "no pdftotext found (apt-get install -y poppler-utils)")
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", pdfPath, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdfPath, err)
	}
	return string(out)
}

// PDFPages is the page count of a PDF as poppler's pdfinfo reads it.
func PDFPages(t testing.TB, pdfPath string) int {
	t.Helper()
	bin := lookTool("PDFINFO", "pdfinfo")
	if bin == "" {
		Unavailable(t, "no pdfinfo found (apt-get install -y poppler-utils)")
	}
	out, err := exec.Command(bin, pdfPath).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", pdfPath, err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s printed no page count:\n%s", pdfPath, out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}
