package testtools

import (
	"context"
	"encoding/csv"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Soffice returns the path of the LibreOffice binary: $SOFFICE if set, else
// soffice or libreoffice in PATH. It skips the test (fails under CI) when
// there is none.
func Soffice(t testing.TB) string {
	t.Helper()
	p := lookTool("SOFFICE", "soffice", "libreoffice", "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice")
	if p == "" {
		Unavailable(t, "no LibreOffice found (apt-get install -y libreoffice-calc-nogui, or set SOFFICE)")
	}
	return p
}

// csvFilter asks LibreOffice for comma-separated, double-quoted UTF-8 text
// with formatted cell values, one file per sheet (the last token, -1).
const csvFilter = "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1"

// sofficeTimeout bounds one conversion: about 2 s normally, far more on a
// busy 2-core machine with a cold profile.
const sofficeTimeout = 3 * time.Minute

// XLSXToCSV opens the workbook with LibreOffice, the way a person would, and
// returns each sheet's rows as LibreOffice shows them, keyed by sheet name.
// It fails the test if LibreOffice cannot read the file.
func XLSXToCSV(t testing.TB, xlsxPath string) map[string][][]string {
	t.Helper()
	outDir, out := convert(t, xlsxPath, csvFilter)
	base := strings.TrimSuffix(filepath.Base(xlsxPath), filepath.Ext(xlsxPath))
	files, err := filepath.Glob(filepath.Join(outDir, "*.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("soffice wrote no CSV for %s; its output:\n%s", xlsxPath, out)
	}
	sheets := make(map[string][][]string, len(files))
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".csv")
		name = strings.TrimPrefix(name, base+"-")
		sheets[name] = readCSV(t, f)
	}
	return sheets
}

// convert has LibreOffice convert the file at path with the given
// --convert-to filter into a new folder, returned with soffice's output.
func convert(t testing.TB, path, filter string) (outDir string, out []byte) {
	t.Helper()
	bin := Soffice(t)
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatalf("path of %s: %v", path, err)
	}
	outDir = t.TempDir()
	// A profile of its own, so parallel conversions do not fight over the
	// lock of the shared one.
	profile := url.URL{Scheme: "file", Path: t.TempDir()}

	ctx, cancel := context.WithTimeout(context.Background(), sofficeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin,
		"-env:UserInstallation="+profile.String(),
		"--headless", "--norestore",
		"--convert-to", filter,
		"--outdir", outDir,
		abs,
	)
	out, err = cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice converting %s: %v\n%s", path, err, out)
	}
	return outDir, out
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1 // rows end at their last filled cell
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return rows
}
