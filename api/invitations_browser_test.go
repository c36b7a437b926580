package api

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/allypulse/allypulse/internal/testtools"
)

// waitText polls the text of css until it contains want (the page
// refreshes by itself); it fails after a generous deadline, which is a
// hang, not a timing assertion.
func waitText(t *testing.T, ctx context.Context, css, want string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		got := browserEval[string](t, ctx, `(document.querySelector(`+jsString(css)+`) || {}).textContent || ''`)
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s says %q, never %q; the page: %q", css, got, want, browserEval[string](t, ctx, `document.body.innerText`))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func axeClean(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("%s: axe: %s", page, v)
	}
}

// TestInvitationsPageInChromium: a lead uploads a people list with errors,
// reads the per-row report, stores the valid rows, sends the invitations
// (delivered by a real SMTP server) and watches the progress, and previews
// a template; the page is axe clean.
func TestInvitationsPageInChromium(t *testing.T) {
	m := newMailEnv(t)
	ts := httptest.NewServer(m.srv)
	t.Cleanup(ts.Close)
	ctx := testtools.NewBrowser(t)
	consoleErrors := testtools.ConsoleErrors(t, ctx)
	signInOnPage(t, ctx, ts.URL, "lead@example.org", "a long enough password")
	waitText(t, ctx, `nav[aria-label=Main]`, "Surveys")
	browserDo(t, ctx, chromedp.Navigate(ts.URL+"/app/surveys/"+m.survey.ID))
	waitText(t, ctx, `#inv-people`, "0 people")

	file := filepath.Join(t.TempDir(), "people.csv")
	list := peopleCSV("sales", "Sales", 6) + "not-an-address,Sales\nsales1@example.com,Sales\nbob@example.com,Marketing\n"
	if err := os.WriteFile(file, []byte(list), 0o600); err != nil {
		t.Fatal(err)
	}
	browserDo(t, ctx, chromedp.SetUploadFiles(chromedp.CSS(`#inv-file`), []string{file}),
		chromedp.Click(chromedp.CSS(`#inv-upload button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#inv-problems`)))
	report := textOf(t, ctx, `#inv-report-table`)
	for _, want := range []string{"8", "9", "10", "department"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report %q lacks %q", report, want)
		}
	}
	if st := m.status(); st.People != 0 {
		t.Fatalf("a file with errors stored %d people", st.People)
	}
	axeClean(t, ctx, "report")
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#inv-confirm`)), chromedp.WaitVisible(chromedp.CSS(`#inv-stored`)))
	waitText(t, ctx, `#inv-stored`, "6 people stored")
	waitText(t, ctx, `#inv-people`, "6 people")

	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#inv-send`)))
	waitText(t, ctx, `#inv-send-msg`, "6 invitations queued")
	waitText(t, ctx, `#inv-pending`, "6")
	m.sendAll(m.srv.Outbox())
	waitText(t, ctx, `#inv-sent`, "6")
	onceEach(t, perRecipient(m.smtp.Messages(), "Your invitation"), 6)

	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#inv-templates summary`)), chromedp.WaitVisible(chromedp.CSS(`#tpl-body`)))
	browserDo(t, ctx, chromedp.SetValue(chromedp.CSS(`#tpl-subject`), "Tell us: {survey}"),
		chromedp.Click(chromedp.CSS(`#tpl-preview-btn`)), chromedp.WaitVisible(chromedp.CSS(`#tpl-preview .card`)))
	if got := textOf(t, ctx, `#tpl-preview`); !strings.Contains(got, "Tell us: Inclusion pulse") || !strings.Contains(got, "7KQ2-M9XD-4TRC-B") {
		t.Errorf("preview %q", got)
	}
	waitText(t, ctx, `#inv-rate-overall`, "Overall")
	axeClean(t, ctx, "invitations")
	for _, msg := range consoleErrors() {
		if !strings.Contains(msg, "422") {
			t.Errorf("console: %s", msg)
		}
	}
}

// TestCodeBoxInChromium: on /s/ and on the start page, a code typed with a
// typo gives a clear error and keeps what was typed; the corrected code
// opens the survey.
func TestCodeBoxInChromium(t *testing.T) {
	e, base, ctx, consoleErrors := pageEnv(t)
	codes := e.invites(5, map[string]string{"department": "Sales"})
	typed := strings.ToLower(codes[0][:4] + "-" + codes[0][4:8] + "-" + codes[0][8:12] + "-" + codes[0][12:])
	typo := []byte(typed)
	typo[5] = map[bool]byte{true: 'a', false: 'b'}[typo[5] != 'a']
	for _, page := range []string{"/s/", "/"} {
		browserDo(t, ctx, chromedp.Navigate(base+page), chromedp.WaitVisible(chromedp.CSS(`#code-input`)),
			chromedp.SendKeys(chromedp.CSS(`#code-input`), string(typo)), chromedp.Click(chromedp.CSS(`#code-form button[type=submit]`)))
		waitText(t, ctx, `#code-error`, "typo")
		if got := browserEval[string](t, ctx, `document.querySelector('#code-input').value`); got != string(typo) {
			t.Errorf("%s: the box holds %q after the error, want %q", page, got, typo)
		}
		axeClean(t, ctx, page)
		// Too short, then an unknown code with a valid check character.
		browserDo(t, ctx, chromedp.SetValue(chromedp.CSS(`#code-input`), typed[:10]), chromedp.Click(chromedp.CSS(`#code-form button[type=submit]`)))
		waitText(t, ctx, `#code-error`, "13 characters")
	}
	browserDo(t, ctx, chromedp.SetValue(chromedp.CSS(`#code-input`), typed), chromedp.Click(chromedp.CSS(`#code-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#screen-title`)))
	if got := browserEval[string](t, ctx, `location.pathname`); got != "/s/"+strings.ToUpper(typed) {
		t.Errorf("opened %s", got)
	}
	for _, msg := range consoleErrors() {
		if !strings.Contains(msg, "401") {
			t.Errorf("console: %s", msg)
		}
	}
}

// TestCodeBoxInFrench: the code box on /s/ and on / speaks the browser's
// language, and a link whose code has a typo says so, in that language,
// with the box under it to type the code again.
func TestCodeBoxInFrench(t *testing.T) {
	e, base, ctx, consoleErrors := pageEnv(t)
	codes := e.invites(5, map[string]string{"department": "Sales"})
	typo := []byte(codes[0])
	typo[5] = map[bool]byte{true: 'A', false: 'B'}[typo[5] != 'A']
	browserDo(t, ctx, acceptLanguage("fr-FR,fr;q=0.9"))
	for _, page := range []string{"/s/", "/"} {
		browserDo(t, ctx, chromedp.Navigate(base+page), chromedp.WaitVisible(chromedp.CSS(`#code-input`)))
		browserDo(t, ctx, chromedp.Poll[chromedp.Void](`document.querySelector('#code-form label')?.textContent === "Votre code d'enquête"`))
		browserDo(t, ctx, chromedp.SendKeys(chromedp.CSS(`#code-input`), string(typo)), chromedp.Click(chromedp.CSS(`#code-form button[type=submit]`)))
		waitText(t, ctx, `#code-error`, "faute de frappe")
	}
	browserDo(t, ctx, chromedp.Navigate(base+"/s/"+string(typo)), chromedp.WaitVisible(chromedp.CSS(`#code-input`)))
	if got := textOf(t, ctx, `main`); !strings.Contains(got, "Ce code contient une faute de frappe") || !strings.Contains(got, "Saisissez plutôt votre code") {
		t.Errorf("a link with a typo in French: %q", got)
	}
	if got := browserEval[string](t, ctx, `document.querySelector('#code-input').value`); got != string(typo) {
		t.Errorf("the box under a broken link holds %q, want the link's code %q to correct", got, typo)
	}
	axeClean(t, ctx, "typo page")
	for _, msg := range consoleErrors() {
		if !strings.Contains(msg, "422") && !strings.Contains(msg, "401") {
			t.Errorf("console: %s", msg)
		}
	}
}

// TestRetentionSectionInChromium: on the survey page a lead sets how long
// responses are kept; a wrong number is refused in the page, a right one
// is stored and the wave's deletion date shown.
func TestRetentionSectionInChromium(t *testing.T) {
	e := newRespondEnv(t, Config{RespondRate: -1})
	e.leadAuth()
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	ctx := testtools.NewBrowser(t)
	consoleErrors := testtools.ConsoleErrors(t, ctx)
	signInOnPage(t, ctx, ts.URL, "lead@example.org", "a long enough password")
	waitText(t, ctx, `nav[aria-label=Main]`, "Surveys")
	browserDo(t, ctx, chromedp.Navigate(ts.URL+"/app/surveys/"+e.survey.ID))
	waitText(t, ctx, `#retention-waves`, "kept")
	browserDo(t, ctx, chromedp.SetValue(chromedp.CSS(`#retention-months`), "2.5"), chromedp.Click(chromedp.CSS(`#retention-form button[type=submit]`)))
	waitText(t, ctx, `#retention-error`, "whole number")
	browserDo(t, ctx, chromedp.SetValue(chromedp.CSS(`#retention-months`), "12"), chromedp.Click(chromedp.CSS(`#retention-form button[type=submit]`)))
	waitText(t, ctx, `#retention-saved`, "12 months")
	want := e.wave.ClosesAt.AddDate(0, 12, 0).UTC().Format("2 Jan 2006")
	waitText(t, ctx, `#retention-waves`, "on "+want)
	if p, err := e.store.RetentionPolicy(context.Background(), e.survey.ID); err != nil || p.Months != 12 {
		t.Errorf("stored policy %+v, %v", p, err)
	}
	axeClean(t, ctx, "survey page with retention")
	for _, msg := range consoleErrors() {
		t.Errorf("console: %s", msg)
	}
}
