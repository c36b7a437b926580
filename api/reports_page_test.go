package api

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/allypulse/allypulse/internal/testtools"
)

// TestReportsPageDownload signs in as a lead in Chromium, opens the reports
// page, picks a wave and two breakdowns, downloads the workbook through the
// page's link and checks the file: its name, every number against the JSON
// API, the hygiene rules. The page must have no console errors and pass axe.
func TestReportsPageDownload(t *testing.T) {
	h := newExportHarness(t, 120, 160)
	ts := httptest.NewServer(h.srv)
	t.Cleanup(ts.Close)
	ctx := testtools.NewBrowser(t)
	consoleErrors := testtools.ConsoleErrors(t, ctx)
	dir := t.TempDir()
	id := h.seed.Survey.ID

	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		actx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(actx, actions...); err != nil {
			dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			page, _ := chromedp.Run(dctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
			t.Fatalf("%v; the page shows:\n%s\nconsole: %q", err, page, consoleErrors())
		}
	}
	do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return err
	}),
		chromedp.Navigate(ts.URL+"/app/reports"),
		chromedp.WaitVisible(chromedp.CSS(`#login-form`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), "lead@example.test"),
		chromedp.SendKeys(chromedp.CSS(`#password`), "correct horse battery"),
		chromedp.Click(chromedp.CSS(`#login-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`section.report[data-survey="`+id+`"] a[data-export="xlsx"]`)),
		chromedp.SetValue(chromedp.CSS(`#report-`+id+`-wave`), "2"),
	)
	// Breakdowns that are not sensitive start ticked; a sensitive one is
	// the lead's choice.
	if got := browserEval[string](t, ctx, `[...document.querySelectorAll('section.report input[name=by]:checked')].map(b => b.value).join()`); got != "department,location,gender" {
		t.Errorf("breakdowns ticked at first: %q, want all three", got)
	}
	do(chromedp.Click(chromedp.CSS(`#report-` + id + `-by-location`)))
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("axe: %s", v)
	}
	hctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	href, err := chromedp.Run(hctx, chromedp.Evaluate[string](`document.querySelector('section.report a[data-export="xlsx"]').getAttribute('href')`))
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	if want := "/api/v1/surveys/" + id + "/report.xlsx?wave=2&by=department%2Cgender"; href != want {
		t.Errorf("download link %q, want %q", href, want)
	}
	do(chromedp.Click(chromedp.CSS(`section.report a[data-export="xlsx"]`)))

	// download waits for the browser to save a file under name.
	download := func(name string) (string, []byte) {
		t.Helper()
		path := filepath.Join(dir, name)
		var data []byte
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if data, err = os.ReadFile(path); err == nil && len(data) > 0 {
				break
			}
		}
		if len(data) == 0 {
			entries, _ := os.ReadDir(dir)
			t.Fatalf("no download at %s; the folder holds %v", path, entries)
		}
		return path, data
	}
	_, data := download("inclusion-pulse-2026-wave-2.xlsx")
	for _, problem := range xlsxtestCompare(t, h, data, 2, []string{"department", "gender"}) {
		t.Error(problem)
	}
	// The PDF button asks for the same wave and breakdowns.
	do(chromedp.Click(chromedp.CSS(`section.report a[data-export="pdf"]`)))
	pdfPath, _ := download("inclusion-pulse-2026-wave-2.pdf")
	if text := testtools.PDFText(t, pdfPath); !strings.Contains(text, "wave 2 (closed") || !strings.Contains(text, "Largest flagged gaps") {
		t.Errorf("the downloaded PDF reads:\n%s", text)
	}
	for _, e := range consoleErrors() {
		if !strings.Contains(e, "favicon") {
			t.Errorf("console: %s", e)
		}
	}
}
