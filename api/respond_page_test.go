package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/allypulse/allypulse/frontend"
	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
)

// pageBudget is the most the employee page may weigh, gzip-compressed: HTML,
// CSS, every script it loads and the form it reads.
const pageBudget = 60 << 10

var jsImport = regexp.MustCompile(`from '\./([\w.-]+\.js)'`)

// TestRespondPageWeight adds up, gzip-compressed, the page's HTML and CSS,
// respond.js and every module it imports (followed through their own
// imports), and the form of a realistic 30-question survey with its
// messages, as GET /api/v1/respond/{code} sends it.
func TestRespondPageWeight(t *testing.T) {
	gz := func(b []byte) int {
		var z bytes.Buffer
		w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		_, _ = w.Write(b)
		_ = w.Close()
		return z.Len()
	}
	total := 0
	seen := map[string]bool{}
	queue := []string{"respond.html", "respond.css", "respond.js"}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if seen[name] {
			continue
		}
		seen[name] = true
		b, err := fs.ReadFile(frontend.Files, "static/"+name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range jsImport.FindAllSubmatch(b, -1) {
			queue = append(queue, string(m[1]))
		}
		t.Logf("%-16s %6d bytes, %5d gzipped", name, len(b), gz(b))
		total += gz(b)
	}
	e := newRespondEnv(t, Config{RespondRate: -1})
	rec := e.do(http.MethodGet, "/api/v1/respond/"+e.wave.Slug, "", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("form: %d", rec.Code)
	}
	t.Logf("%-16s %6d bytes, %5d gzipped", "the form (JSON)", rec.Body.Len(), gz(rec.Body.Bytes()))
	total += gz(rec.Body.Bytes())
	if !seen["ballot.js"] || !seen["codebox.js"] {
		t.Errorf("the imports were not followed: %v", seen)
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

// The respondDesign survey on screens of up to seven questions: belonging
// and authenticity (7), voice and fairness (6), decisions, courage and the
// screening question (7), the ally items (4, skipped after "No"), access,
// barriers and outcomes (6), About you (2), the comment.
var respondScreens = []int{7, 6, 7, 4, 6, 2}

// makeBilingual offers the test survey in English and French, with the
// French of its own texts and a note on when results are shared.
func makeBilingual(t *testing.T, e *respondEnv) {
	t.Helper()
	sv := e.survey
	sv.Design.Languages = []string{"en", "fr"}
	sv.Design.ThankYou = "Results are shared at the all-hands on 12 May."
	sv.Design.Translations = map[string]survey.Translation{"fr": {
		Title: "Baromètre de l'inclusion", Intro: "Dix minutes, anonyme.", ThankYou: "Les résultats seront présentés le 12 mai en réunion générale.",
		Demographics: map[string]survey.DemographicText{
			"department": {Label: "Service", Options: []string{"Ventes", "Ingénierie"}},
			"gender":     {Label: "Genre", Options: []string{"Femme", "Homme", "Non binaire"}},
		},
		Comments: map[string]string{"general": "Qu'est-ce qui rendrait ce lieu de travail plus inclusif ?"},
	}}
	if err := e.store.UpdateSurvey(context.Background(), sv, survey.StatusLaunched); err != nil {
		t.Fatal(err)
	}
	sv.Revision++
	e.survey = sv
}

// acceptLanguage makes the browser send an Accept-Language header.
func acceptLanguage(lang string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return tg.Call(ctx, "Network.setExtraHTTPHeaders", network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": lang}}, nil)
	})
}

// clickFirst picks the first option of every question shown on the screen
// (the last option for the screening question when no is set).
func clickFirst(t *testing.T, ctx context.Context, no bool) int {
	t.Helper()
	pick := "0"
	if no {
		pick = "1"
	}
	return browserEval[int](t, ctx, `(() => { let n = 0; for (const fs of document.querySelectorAll('fieldset.q:not([hidden])')) {
	  const opts = fs.querySelectorAll('input'); const i = fs.dataset.key === 'screen.witnessed' ? `+pick+` : 0; opts[i].click(); n++; } return n; })()`)
}

func screenState(t *testing.T, ctx context.Context) (title, progress string, checked int) {
	t.Helper()
	got := browserEval[[]string](t, ctx, `[document.getElementById('screen-title').textContent, document.getElementById('progress-text').textContent,
	  String(document.querySelectorAll('input[type=radio]:checked').length)]`)
	n, _ := strconv.Atoi(got[2])
	return got[0], got[1], n
}

// TestRespondJourney walks the whole survey section by section on a phone
// and a desktop, in English and French: back and forth with answers kept,
// a language switch and a reload mid-survey, the ally section skipped after
// "No" without an empty heading, axe-core on every section, and the
// thank-you page with the lead's note. The stored response is the same in
// both languages.
func TestRespondJourney(t *testing.T) {
	for _, tc := range []struct {
		name          string
		width, height int64
		lang, other   string
		section       string // "Section 1 of 6" in the first language
		switched      string // the progress after switching language
		thanks        string
	}{
		{"phone-en", 360, 740, "en", "fr", "Section 1 of 7", "Partie 3 sur 6", "Results are shared at the all-hands"},
		{"desktop-fr", 1280, 800, "fr", "en", "Partie 1 sur 7", "Section 3 of 6", "Results are shared at the all-hands"},
		{"phone-fr", 360, 740, "fr", "en", "Partie 1 sur 7", "Section 3 of 6", "Results are shared at the all-hands"},
		{"desktop-en", 1280, 800, "en", "fr", "Section 1 of 7", "Partie 3 sur 6", "Results are shared at the all-hands"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, base, ctx, consoleErrors := pageEnv(t)
			makeBilingual(t, e)
			axe := func(state string) {
				t.Helper()
				for _, v := range testtools.RunAxe(t, ctx) {
					t.Errorf("%s: %s", state, v)
				}
			}
			browserDo(t, ctx, chromedp.EmulateViewport(tc.width, tc.height), acceptLanguage(tc.lang+";q=0.9"),
				chromedp.Navigate(base+"/s/"+e.wave.Slug), chromedp.WaitVisible(chromedp.CSS(`#screen-title`)))
			if got := browserEval[string](t, ctx, `document.documentElement.lang`); got != tc.lang {
				t.Fatalf("page in %q, want %q from Accept-Language", got, tc.lang)
			}
			if n := browserEval[int](t, ctx, `document.querySelectorAll('.promise').length`); n != 1 {
				t.Errorf("%d privacy notes on the first screen, want 1", n)
			}
			axe("screen 1")
			// Screen 1, then Back from screen 2: the answers stay.
			clickFirst(t, ctx, false)
			browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#next`)), chromedp.WaitVisible(chromedp.CSS(`#back`)))
			if id := browserEval[string](t, ctx, `document.activeElement.id`); id != "screen-title" {
				t.Errorf("after Next the focus is on %q, want the section heading", id)
			}
			if n := browserEval[int](t, ctx, `document.querySelectorAll('.promise').length`); n != 0 {
				t.Errorf("the privacy note is repeated on screen 2")
			}
			axe("screen 2")
			browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#back`)), chromedp.WaitNotPresent(chromedp.CSS(`#back`)))
			_, progress, checked := screenState(t, ctx)
			if checked != 7 || !strings.HasPrefix(progress, tc.section) {
				t.Errorf("back on screen 1: %d answers kept, progress %q; want 7 and %q", checked, progress, tc.section)
			}
			browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#next`)), chromedp.WaitVisible(chromedp.CSS(`#back`)))
			clickFirst(t, ctx, false)
			browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#next`)))
			// Screen 3: switch language mid-survey; answers and place stay.
			clickFirst(t, ctx, true)
			browserEval[bool](t, ctx, `(() => { const s = document.getElementById('lang'); s.value = '`+tc.other+`'; s.dispatchEvent(new Event('change')); return true; })()`)
			browserDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(`html[lang=`+tc.other+`] #lang`)))
			_, progress, checked = screenState(t, ctx)
			if checked != 7 || !strings.HasPrefix(progress, tc.switched) {
				t.Errorf("after switching to %s: %d answers on screen, progress %q; want 7 and %q", tc.other, checked, progress, tc.switched)
			}
			axe("screen 3 after switching language")
			// Reload: the same screen, language and answers.
			browserDo(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#screen-title`)))
			_, progress2, checked := screenState(t, ctx)
			if checked != 7 || progress2 != progress || browserEval[string](t, ctx, `document.documentElement.lang`) != tc.other {
				t.Errorf("after reload: %d answers, progress %q, want 7 and %q in %s", checked, progress2, progress, tc.other)
			}
			// "No" to the screening question skips the ally section: the
			// next screen is access, barriers and outcomes.
			browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#next`)))
			if n := browserEval[int](t, ctx, `document.querySelectorAll('[data-kind=q] fieldset.q:not([hidden])').length`); n != 6 {
				t.Errorf("%d questions on the screen after the screening question, want the 6 of access, barriers and outcomes", n)
			}
			if n := browserEval[int](t, ctx, `[...document.querySelectorAll('h2, h3')].filter(h => h.offsetParent && !h.textContent.trim()).length`); n != 0 {
				t.Errorf("%d empty headings", n)
			}
			if tc.width == 360 {
				// 0-10 on one row, no sideways scrolling, large targets.
				if n := browserEval[int](t, ctx, `new Set([...document.querySelectorAll('.opts.nps .opt')].map(l => Math.round(l.getBoundingClientRect().top))).size`); n != 1 {
					t.Errorf("the 0-10 scale takes %d rows at 360 px", n)
				}
				if n := browserEval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); n > 0 {
					t.Errorf("the page scrolls sideways by %d px", n)
				}
				if n := browserEval[int](t, ctx, `[...document.querySelectorAll('label.opt, button, select')].filter(el => el.getBoundingClientRect().height < 44 || el.getBoundingClientRect().width < 24).length`); n > 0 {
					t.Errorf("%d targets smaller than 44 px high or 24 px wide", n)
				}
			}
			axe("screen 4")
			clickFirst(t, ctx, false)
			browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#next`)), chromedp.WaitVisible(chromedp.CSS(`#d-department`)))
			axe("about you")
			clickFirst(t, ctx, false)
			if got := textOf(t, ctx, `#progress-count`); !strings.HasPrefix(got, "28 ") {
				t.Errorf("progress count %q, want 28 (26 asked items and 2 About you questions)", got)
			}
			browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#next`)), chromedp.WaitVisible(chromedp.CSS(`#c-general`)))
			axe("comments")
			browserDo(t, ctx, chromedp.SendKeys(chromedp.CSS(`#c-general`), "More mentoring please."),
				chromedp.Click(chromedp.CSS(`#send`)))
			if !browserEval[bool](t, ctx, `new Promise(r => { const t0 = Date.now(); const w = () => document.querySelector('main > h2') ? r(true) : Date.now() - t0 > 10000 ? r(false) : setTimeout(w, 100); w(); })`) {
				t.Fatalf("no thank-you page: %s", textOf(t, ctx, `main`))
			}
			if got := textOf(t, ctx, `main`); !strings.Contains(got, tc.thanks) && !strings.Contains(got, "12 mai") {
				t.Errorf("thank-you page %q lacks the lead's note", got)
			}
			axe("thank-you")
			rs, err := e.store.WaveResponses(context.Background(), e.wave.ID)
			if err != nil || len(rs) != 1 {
				t.Fatalf("stored %d responses (%v)", len(rs), err)
			}
			if r := rs[0]; r.Answers[0] != survey.EncodeAnswer(1) || r.Answers[19] != 2 || r.Demo[0] != 1 {
				t.Errorf("stored answers %v demographics %v", r.Answers, r.Demo)
			}
			if errs := consoleErrors(); len(errs) > 0 {
				t.Errorf("console errors: %v", errs)
			}
		})
	}
}

// TestRespondPageKeyboardOnly answers every section with Tab, Space, arrow
// keys and Enter only, and submits.
func TestRespondPageKeyboardOnly(t *testing.T) {
	e, base, ctx, consoleErrors := pageEnv(t)
	browserDo(t, ctx, chromedp.Navigate(base+"/s/"+e.wave.Slug), chromedp.WaitVisible(chromedp.CSS(`#screen-title`)))
	for i, n := range respondScreens {
		// Question 1 of screen 1 with arrows: three ArrowRight presses
		// select "Agree"; every other question: Tab, then Space.
		for q := 0; q < n; q++ {
			browserDo(t, ctx, chromedp.KeyEvent(kb.Tab))
			if i == 0 && q == 0 {
				browserDo(t, ctx, press(3, kb.ArrowRight))
			} else {
				browserDo(t, ctx, chromedp.KeyEvent(" "))
			}
		}
		if i > 0 {
			browserDo(t, ctx, chromedp.KeyEvent(kb.Tab)) // Back
		}
		browserDo(t, ctx, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter))
		if id := browserEval[string](t, ctx, `document.activeElement.id`); id != "screen-title" {
			t.Fatalf("after screen %d the focus is on %q, want the next section's heading", i+1, id)
		}
	}
	browserDo(t, ctx, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("More mentoring please."),
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter))
	browserDo(t, ctx, chromedp.WaitVisible(chromedp.Search(`//h1[text()="Thank you"]`)))
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
	if r.Demo[0] != 1 || r.Demo[1] != 1 {
		t.Errorf("demographics %v", r.Demo)
	}
	if errs := consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

// TestRespondPageLanguageFallback: a language the survey does not offer
// shows the survey's default with a notice.
func TestRespondPageLanguageFallback(t *testing.T) {
	e, base, ctx, _ := pageEnv(t)
	makeBilingual(t, e)
	rec := e.do("GET", "/api/v1/respond/"+e.wave.Slug+"?lang=de", "", "", "Accept-Language", "fr")
	var f respondForm
	if err := json.Unmarshal(rec.Body.Bytes(), &f); err != nil || rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if f.Language != "fr" || f.Notice != "language_fallback" || f.Title != "Baromètre de l'inclusion" {
		t.Errorf("?lang=de on an en/fr survey: %s %q %q", f.Language, f.Notice, f.Title)
	}
	browserDo(t, ctx, chromedp.Navigate(base+"/s/"+e.wave.Slug), chromedp.WaitVisible(chromedp.CSS(`#screen-title`)))
	browserEval[bool](t, ctx, `(() => { localStorage.setItem('allypulse.respond.`+e.wave.Slug+`', JSON.stringify({lang: 'es'})); return true; })()`)
	browserDo(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`.notice`)))
	if got := textOf(t, ctx, `.notice`); !strings.Contains(got, "English") {
		t.Errorf("fallback notice %q", got)
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
		if rec := e.answer(t, c, string(body)); rec.Code != 201 {
			t.Fatalf("answering with a shown code: %d %s", rec.Code, rec.Body)
		}
	}
	// A live wave's next snapshot is audited in the background: let the
	// one these answers make due be stored before the page reloads.
	if _, _, err := e.srv.report.Segments(context.Background(), e.survey.ID, 1, []map[string]string{{"department": "Sales"}}); err != nil {
		t.Fatal(err)
	}
	e.srv.report.Settle()
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
	for _, path := range []string{"/s/%ff%fe", "/s/not-a-code"} {
		browserDo(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		if got := browserEval[string](t, ctx, `document.title + ' | ' + document.querySelector('main h1').textContent`); got != "This link does not work | This link does not work" {
			t.Errorf("%s shows %q", path, got)
		}
		// The code can still be typed (api/invitations_browser_test.go).
		browserDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#code-input`)))
	}
	// Without a code, /s/ is the box to type one.
	browserDo(t, ctx, chromedp.Navigate(base+"/s/"), chromedp.WaitVisible(chromedp.CSS(`#code-input`)))
	if got := browserEval[string](t, ctx, `document.querySelector('main h1').textContent`); got != "Answer a survey" {
		t.Errorf("/s/ shows %q", got)
	}
	if errs := consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

// TestRespondLanguageFromLink: a link with ?lang=fr opens the page in French
// whatever the browser asks for; the page's own choice wins after that.
func TestRespondLanguageFromLink(t *testing.T) {
	e, base, ctx, consoleErrors := pageEnv(t)
	makeBilingual(t, e)
	browserDo(t, ctx, acceptLanguage("en"), chromedp.Navigate(base+"/s/"+e.wave.Slug+"?lang=fr"), chromedp.WaitVisible(chromedp.CSS(`#screen-title`)))
	if got := browserEval[string](t, ctx, `document.documentElement.lang + ' ' + document.querySelector('h1').textContent`); !strings.HasPrefix(got, "fr ") {
		t.Errorf("?lang=fr gave %q", got)
	}
	for _, msg := range consoleErrors() {
		t.Errorf("console: %s", msg)
	}
}
