package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/allypulse/allypulse/frontend"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/account"
)

// pageBudget is the most the employee page may weigh, gzip-compressed: HTML,
// CSS and every script it loads.
const pageBudget = 50 << 10

func TestRespondPageWeight(t *testing.T) {
	total := 0
	for _, name := range []string{"respond.html", "respond.css", "respond.js", "respond-form.js", "dom.js"} {
		b, err := fs.ReadFile(frontend.Files, "static/"+name)
		if err != nil {
			t.Fatal(err)
		}
		var z bytes.Buffer
		w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		_, _ = w.Write(b)
		_ = w.Close()
		t.Logf("%-13s %6d bytes, %5d gzipped", name, len(b), z.Len())
		total += z.Len()
	}
	t.Logf("employee page: %d bytes gzipped (budget %d)", total, pageBudget)
	if total > pageBudget {
		t.Errorf("the employee page weighs %d bytes gzipped, over the %d budget", total, pageBudget)
	}
}

func TestRespondPageNoInlineCode(t *testing.T) {
	b, _ := fs.ReadFile(frontend.Files, "static/respond.html")
	html := string(b)
	if strings.Contains(html, "style=") || strings.Contains(html, "<style") || strings.Count(html, "<script") != strings.Count(html, "<script type=\"module\" src=") {
		t.Error("respond.html has inline styles or scripts, which the CSP blocks")
	}
}

// pageEnv serves the app on a real listener for Chromium.
func pageEnv(t *testing.T) (*respondEnv, string, context.Context, func() []string) {
	e := newRespondEnv(t, Config{RespondRate: -1})
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	browser := testtools.NewBrowser(t)
	errs := testtools.ConsoleErrors(t, browser)
	return e, ts.URL, browser, errs
}

func textOf(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	js, _ := json.Marshal(css)
	return browserEval[string](t, ctx, `document.querySelector(`+string(js)+`).textContent`)
}

func press(n int, key string) chromedp.Action[chromedp.Void] {
	steps := make([]chromedp.Action[chromedp.Void], n)
	for i := range steps {
		steps[i] = chromedp.KeyEvent(key)
	}
	return chromedp.Steps(steps...)
}

// TestRespondPageKeyboardOnly answers the whole 30-item survey with Tab,
// arrow keys and Space, reloads halfway, finds its answers kept, submits and
// reaches the thank-you page.
func TestRespondPageKeyboardOnly(t *testing.T) {
	e, base, ctx, consoleErrors := pageEnv(t)
	browserDo(t, ctx, chromedp.Navigate(base+"/s/"+e.wave.Slug), chromedp.WaitVisible(chromedp.CSS(`fieldset.q`)))
	// The "About you" hint names the larger minimum of the sensitive question.
	if hint := browserEval[string](t, ctx, `document.querySelector('#about ~ p.hint')?.textContent ?? ''`); !strings.Contains(hint, "at least 5 people") || !strings.Contains(hint, "at least 10 for the more personal question (Gender)") {
		t.Errorf("about-you hint %q does not state k and k_s for Gender", hint)
	}

	// Question 1 with arrows: Tab lands on the first option, three
	// ArrowRight presses move to and select "Agree" (4).
	browserDo(t, ctx, chromedp.KeyEvent(kb.Tab), press(3, kb.ArrowRight))
	// Questions 2..15: Tab to the question, Space selects its first option.
	for i := 2; i <= 15; i++ {
		browserDo(t, ctx, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(" "))
	}
	if n := browserEval[int](t, ctx, `document.querySelectorAll('input[type=radio]:checked').length`); n != 15 {
		t.Fatalf("%d questions answered before reload, want 15", n)
	}
	progress := textOf(t, ctx, `#progress-text`)
	if !strings.HasPrefix(progress, "15 of 30") {
		t.Errorf("progress %q", progress)
	}

	browserDo(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`fieldset.q`)))
	if n := browserEval[int](t, ctx, `document.querySelectorAll('input[type=radio]:checked').length`); n != 15 {
		t.Fatalf("%d answers kept after reload, want 15", n)
	}
	// The page resumes where the person was: the focus is on question 16,
	// the first one after the last answered, and it is in view.
	if at := browserEval[string](t, ctx, `(() => { const qs = [...document.querySelectorAll('fieldset.q')]; const r = qs[15].getBoundingClientRect();
	  return qs.indexOf(document.activeElement.closest('fieldset')) + 1 + (r.top >= 0 && r.bottom <= innerHeight ? ' in view' : ' out of view'); })()`); at != "16 in view" {
		t.Errorf("after reload the focus is on question %s; want 16 in view", at)
	}
	// Answer the rest from there: 16..30, the screen (question 20) with Yes.
	browserDo(t, ctx, chromedp.KeyEvent(" "))
	for i := 17; i <= 30; i++ {
		browserDo(t, ctx, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(" "))
	}
	// Demographics: Space picks Sales; ArrowDown picks the second gender.
	browserDo(t, ctx, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(" "), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.ArrowDown))
	// The comment, then the submit button.
	browserDo(t, ctx, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("More mentoring please."), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter))
	browserDo(t, ctx, chromedp.WaitVisible(chromedp.Search(`//h1[text()="Thank you"]`)))

	if n := browserEval[int](t, ctx, `localStorage.length`); n != 0 {
		t.Errorf("localStorage holds %d entries after submit", n)
	}
	rs, err := e.store.WaveResponses(context.Background(), e.wave.ID)
	if err != nil || len(rs) != 1 {
		t.Fatalf("stored %d responses (%v)", len(rs), err)
	}
	r := rs[0]
	if r.Answers[0] != survey.EncodeAnswer(4) || r.Answers[1] != survey.EncodeAnswer(1) || r.Answers[19] != 1 || r.Answers[28] != survey.EncodeAnswer(0) {
		t.Errorf("answers %v", r.Answers)
	}
	for j, b := range r.Answers {
		if b == survey.AnswerMissing {
			t.Errorf("item %d unanswered", j)
		}
	}
	if r.Demo[0] != 1 || r.Demo[1] != 2 {
		t.Errorf("demographics %v", r.Demo)
	}
	if errs := consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

func TestRespondPageScreenAndWarning(t *testing.T) {
	e, base, ctx, _ := pageEnv(t)
	browserDo(t, ctx, chromedp.Navigate(base+"/s/"+e.wave.Slug), chromedp.WaitVisible(chromedp.CSS(`fieldset.q`)))
	visible := `[...document.querySelectorAll('fieldset[data-kind=q]')].filter(f => !f.hidden).length`
	if n := browserEval[int](t, ctx, visible); n != 30 {
		t.Fatalf("%d questions shown, want 30", n)
	}
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#q-screen_witnessed input[value="No"]`)))
	if n := browserEval[int](t, ctx, visible); n != 26 {
		t.Errorf("%d questions shown after No, want 26 (4 ally items hidden)", n)
	}
	text := textOf(t, ctx, `#progress-text`)
	if !strings.HasPrefix(text, "1 of 26") {
		t.Errorf("progress %q", text)
	}
	browserDo(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#c-general`), "Ask Jane Smith, jane@example.com"),
		chromedp.Click(chromedp.CSS(`#send`)),
		chromedp.WaitVisible(chromedp.CSS(`#warning`)))
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#warning button.primary`)), chromedp.WaitVisible(chromedp.Search(`//h1[text()="Thank you"]`)))
	var bodies []string
	e.db.Gorm.Table("comments").Pluck("body", &bodies)
	if len(bodies) != 1 || bodies[0] != "Ask Jane Smith, "+survey.EmailPlaceholder {
		t.Errorf("stored comments %q", bodies)
	}
}

func TestRespondPageAccessibility(t *testing.T) {
	e, base, ctx, consoleErrors := pageEnv(t)
	check := func(state string) {
		t.Helper()
		for _, v := range testtools.RunAxe(t, ctx) {
			t.Errorf("%s: %s", state, v)
		}
	}
	browserDo(t, ctx, chromedp.Navigate(base+"/s/"+e.wave.Slug), chromedp.WaitVisible(chromedp.CSS(`fieldset.q`)))
	check("initial")
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#send`)), chromedp.WaitVisible(chromedp.CSS(`#summary`)))
	if got := textOf(t, ctx, `#summary li`); got != "Answer at least one question." {
		t.Errorf("empty-form summary says %q", got)
	}
	check("error")
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#q-belonging_1 input[value="3"]`)),
		chromedp.SendKeys(chromedp.CSS(`#c-general`), "Call me on 0151 496 0000"),
		chromedp.Click(chromedp.CSS(`#send`)),
		chromedp.WaitVisible(chromedp.CSS(`#warning`)))
	check("comment warning")
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#warning button.primary`)), chromedp.WaitVisible(chromedp.Search(`//h1[text()="Thank you"]`)))
	check("thank-you")
	codes := e.invites(1, nil)
	if rec := e.do("POST", "/api/v1/respond/"+codes[0], "application/json", submissionJSON(t, fullAnswers())); rec.Code != 201 {
		t.Fatal(rec.Code)
	}
	for name, path := range map[string]string{"used": "/s/" + codes[0], "unknown": "/s/nosuchcode"} {
		browserDo(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(`h1`)))
		title := textOf(t, ctx, `h1`)
		if !map[string]bool{"You have already answered": name == "used", "This link does not work": name == "unknown"}[title] {
			t.Errorf("%s code page: %q", name, title)
		}
		check(name)
	}
	e.setNow(e.wave.ClosesAt.Add(time.Hour))
	browserDo(t, ctx, chromedp.Navigate(base+"/s/"+e.wave.Slug), chromedp.WaitVisible(chromedp.Search(`//h1[text()="This survey is closed"]`)))
	check("closed")
	if errs := consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

// TestRespondPageAt320px checks the page on a 320 px wide phone: one column
// without sideways scrolling, text of at least 16 px, answer targets of at
// least 44 px.
func TestRespondPageAt320px(t *testing.T) {
	e, base, ctx, _ := pageEnv(t)
	browserDo(t, ctx, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile),
		chromedp.Navigate(base+"/s/"+e.wave.Slug), chromedp.WaitVisible(chromedp.CSS(`fieldset.q`)))
	if n := browserEval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); n > 0 {
		t.Errorf("the page scrolls sideways by %d px at 320 px", n)
	}
	if n := browserEval[int](t, ctx, `[...document.querySelectorAll('label.opt, button, textarea')].filter(el => el.getBoundingClientRect().height < 44).length`); n > 0 {
		t.Errorf("%d tap targets are lower than 44 px", n)
	}
	if n := browserEval[int](t, ctx, `[...document.querySelectorAll('p, legend, label, span, h1, h2, button, textarea')].filter(el => parseFloat(getComputedStyle(el).fontSize) < 16).length`); n > 0 {
		t.Errorf("%d elements have text under 16 px", n)
	}
}

// TestRespondPageWarnsLikeTheServer runs the page's looksIdentifying on
// samples and compares it with survey.LooksIdentifying.
func TestRespondPageWarnsLikeTheServer(t *testing.T) {
	e, base, ctx, _ := pageEnv(t)
	browserDo(t, ctx, chromedp.Navigate(base+"/s/"+e.wave.Slug), chromedp.WaitVisible(chromedp.CSS(`fieldset.q`)))
	samples := []string{
		"Great team, thanks.", "Ask Jane Doe about it", "Dr. Patel helped", "mail me: x.y@corp.example.com",
		"see https://wiki.example.org/page", "www.example.com", "linkedin.com/in/someone", "call +44 20 7946 0958",
		"ping @sam", "in 2024 we grew by 15%", "room 12, floor 3", "I, for one, agree", "sales@",
	}
	js, _ := json.Marshal(samples)
	ctx2, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	got, err := chromedp.Run(ctx2, chromedp.Evaluate[[]bool](`import('/static/respond.js').then(m => `+string(js)+`.map(m.looksIdentifying))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range samples {
		if want := survey.LooksIdentifying(s); got[i] != want {
			t.Errorf("%q: page says %v, server says %v", s, got[i], want)
		}
	}
}

// TestDistributionInChromium issues a segmented invite batch from the survey
// page, finds the codes shown once with a CSV download, answers with them,
// and sees the segment's respondents as the results release them.
func TestDistributionInChromium(t *testing.T) {
	e, base, ctx, consoleErrors := pageEnv(t)
	if _, err := e.srv.accounts.CreateUser(context.Background(), account.NewUser{Email: "lead@example.org", Name: "Lead", Role: account.RoleLead, Password: harnessPassword}); err != nil {
		t.Fatal(err)
	}
	browserDo(t, ctx, chromedp.EmulateViewport(1280, 900))
	signInOnPage(t, ctx, base, "lead@example.org", harnessPassword)
	browserDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(`nav`)),
		chromedp.Navigate(base+"/app/surveys/"+e.survey.ID),
		chromedp.WaitVisible(chromedp.CSS(`#dist-count`)))
	if link := browserEval[string](t, ctx, `document.querySelector('#dist-link') ? document.querySelector('#dist-link').value : ''`); !strings.HasSuffix(link, "/s/"+e.wave.Slug) {
		t.Errorf("open link shown as %q", link)
	}
	setField(t, ctx, "dist-count", "6")
	browserEval[bool](t, ctx, `(() => { const s = document.getElementById('dist-seg-department'); s.value = 'Sales'; return true; })()`)
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#distribution form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#distribution a[download]`)))
	codes := browserEval[[]string](t, ctx, `[...document.querySelectorAll('#distribution details tbody tr td:first-child')].map(td => td.textContent)`)
	if len(codes) != 6 {
		t.Fatalf("%d codes shown, want 6", len(codes))
	}
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("distribution: %s", v)
	}
	sub := fullAnswers()
	for _, c := range codes[:5] {
		body, _ := json.Marshal(map[string]any{"answers": sub})
		if rec := e.do("POST", "/api/v1/respond/"+c, "application/json", string(body)); rec.Code != 201 {
			t.Fatalf("answering with a shown code: %d %s", rec.Code, rec.Body)
		}
	}
	browserDo(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#distribution table tbody tr`)))
	// The row shows the segment's group as the results release it, never
	// a count of used codes.
	_, cells, err := e.srv.report.Segments(context.Background(), e.survey.ID, 1, []map[string]string{{"department": "Sales"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "withheld: " + cells[0].Respondents.Reason
	if !cells[0].Respondents.Suppressed {
		want = fmt.Sprint(cells[0].Respondents.N)
	}
	row := textOf(t, ctx, `#distribution table tbody tr`)
	if !strings.Contains(row, "Department: Sales") || !strings.Contains(row, want) || strings.Contains(row, "used") {
		t.Errorf("batch row %q, want the released respondents %q", row, want)
	}

	// Once the wave has closed, the page offers no link and no new codes.
	// (The jump in time ends the session, so sign in again.)
	e.setNow(e.wave.ClosesAt.Add(time.Hour))
	signInOnPage(t, ctx, base, "lead@example.org", harnessPassword)
	browserDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(`nav`)),
		chromedp.Navigate(base+"/app/surveys/"+e.survey.ID),
		chromedp.WaitVisible(chromedp.CSS(`#dist-closed`)))
	if n := browserEval[int](t, ctx, `document.querySelectorAll('#dist-link, #distribution form:not([hidden])').length`); n != 0 {
		t.Error("a closed wave still offers its link or new invite codes")
	}
	if errs := consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

// TestRespondPageBrokenLinks opens links cut short or mangled in an e-mail:
// each shows the page that says the link does not work, without a script
// error, rather than hanging on "Loading".
func TestRespondPageBrokenLinks(t *testing.T) {
	_, base, ctx, consoleErrors := pageEnv(t)
	for _, path := range []string{"/s/%ff%fe", "/s/", "/s/not-a-code"} {
		browserDo(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		if got := browserEval[string](t, ctx, `document.title + ' | ' + document.querySelector('main h1').textContent`); got != "This link does not work | This link does not work" {
			t.Errorf("%s shows %q", path, got)
		}
	}
	if errs := consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}
