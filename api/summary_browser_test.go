package api

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey/xlsx/xlsxtest"
)

// browserChecks runs axe and the layout checks every page must pass at the
// viewport in use: nothing found by axe, and no horizontal scroll of the
// page itself (a wide table scrolls inside its own box).
func browserChecks(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("%s: axe: %s", where, v)
	}
	if over := browserEval[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth`); over {
		t.Errorf("%s: the page scrolls sideways (%v > %v)", where,
			browserEval[float64](t, ctx, `document.documentElement.scrollWidth`), browserEval[float64](t, ctx, `window.innerWidth`))
	}
	// Charts reflow: their words stay readable and inside the chart.
	for _, p := range testtools.ChartProblems(t, ctx) {
		t.Errorf("%s: chart words %s", where, p)
	}
}

// TestExecutiveSummaryInChromium signs in as an executive on a phone and on
// a desktop: the landing page is the summary of the latest closed wave (the
// open wave is only mentioned as partial), its headline numbers are on the
// first screen, the menu is folded away on the phone, and executives can
// read the action plans but not change them.
func TestExecutiveSummaryInChromium(t *testing.T) {
	for _, vp := range []struct {
		name          string
		width, height int64
	}{{"phone", 360, 740}, {"phone-390", 390, 844}, {"desktop", 1440, 900}} {
		t.Run(vp.name, func(t *testing.T) {
			h := newExportHarnessSpec(t, xlsxtest.Spec{Responses: []int{150, 170, 160}, OpenLast: true})
			ts := httptest.NewServer(h.srv)
			t.Cleanup(ts.Close)
			ctx := testtools.NewBrowser(t)
			consoleErrors := testtools.ConsoleErrors(t, ctx)
			browserDo(t, ctx, chromedp.EmulateViewport(vp.width, vp.height))
			signInOnPage(t, ctx, ts.URL, "exec@example.test", harnessPassword)
			browserDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#results-body[data-ready="true"] [data-kpi="Inclusion index"]`)))
			if path := browserEval[string](t, ctx, `location.pathname`); path != "/app/summary" {
				t.Errorf("an executive lands on %s, want /app/summary", path)
			}
			if got := browserEval[string](t, ctx, `document.querySelector('#summary-wave').textContent`); !strings.Contains(got, "Wave 2") || !strings.Contains(got, "closed") {
				t.Errorf("summary of %q, want the closed wave 2", got)
			}
			if live := browserEval[string](t, ctx, `(document.querySelector('[data-live-wave]') || {}).textContent || ''`); !strings.Contains(live, "partial") {
				t.Errorf("the open wave is not said to be partial: %q", live)
			}
			top := browserEval[float64](t, ctx, `document.querySelector('[data-kpi="Inclusion index"]').getBoundingClientRect().bottom`)
			if top > float64(vp.height) {
				t.Errorf("the inclusion index ends at %.0f px, below the first screen (%d px)", top, vp.height)
			}
			menuShown := browserEval[bool](t, ctx, `document.querySelector('#side-menu').getBoundingClientRect().height > 0`)
			if phone := vp.width < 760; phone == menuShown {
				t.Errorf("menu shown=%v at %d px", menuShown, vp.width)
			}
			browserChecks(t, ctx, "summary")
			if vp.width < 760 {
				browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#menu-toggle`)), chromedp.WaitVisible(chromedp.CSS(`[data-nav="results"]`)))
				if exp := browserEval[string](t, ctx, `document.querySelector('#menu-toggle').getAttribute('aria-expanded')`); exp != "true" {
					t.Errorf("menu button aria-expanded=%s after opening", exp)
				}
			}

			// Results open on the closed wave; an executive has no Comments tab.
			browserDo(t, ctx, chromedp.Navigate(ts.URL+"/app/results/"+h.seed.Survey.ID+"/overview"),
				chromedp.WaitVisible(chromedp.CSS(`#results-body[data-ready="true"]`)))
			if w := browserEval[string](t, ctx, `document.querySelector('#wave-picker').value`); w != "2" {
				t.Errorf("results open on wave %s, want the closed wave 2", w)
			}
			if browserEval[bool](t, ctx, `!!document.querySelector('[data-tab="comments"]')`) {
				t.Error("an executive sees a Comments tab")
			}
			browserChecks(t, ctx, "overview")
			if strings.Contains(browserEval[string](t, ctx, `document.querySelector('main').innerText`), "null") {
				t.Error("the overview prints a null")
			}

			browserDo(t, ctx, chromedp.Navigate(ts.URL+"/app/results/"+h.seed.Survey.ID+"/plans"),
				chromedp.WaitVisible(chromedp.CSS(`#results-body[data-ready="true"]`)))
			if browserEval[bool](t, ctx, `!!document.querySelector('#focus-form, .add-action, #heard-form')`) {
				t.Error("an executive is offered forms to change the plans")
			}
			browserChecks(t, ctx, "plans (executive)")
			for _, e := range consoleErrors() {
				t.Errorf("console: %s", e)
			}
		})
	}
}

// TestActionPlansInChromium: a lead creates a focus area from the summary's
// candidates, adds an action from a suggestion, edits its status, and
// publishes the "What we heard" page, which then opens in a browser that
// never signed in and shows only the chosen released numbers.
func TestActionPlansInChromium(t *testing.T) {
	h := newExportHarnessSpec(t, xlsxtest.Spec{Responses: []int{150, 170, 160}, OpenLast: true})
	ts := httptest.NewServer(h.srv)
	t.Cleanup(ts.Close)
	ctx := testtools.NewBrowser(t)
	consoleErrors := testtools.ConsoleErrors(t, ctx)
	browserDo(t, ctx, chromedp.EmulateViewport(1440, 900))
	signInOnPage(t, ctx, ts.URL, "lead@example.test", harnessPassword)
	// Comments open on the latest closed wave (2), whose comments can be
	// read, not on the open wave 3, whose comments wait for its close.
	browserDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-nav="surveys"][aria-current="page"]`)),
		chromedp.Navigate(ts.URL+"/app/results/"+h.seed.Survey.ID+"/comments"),
		chromedp.WaitVisible(chromedp.CSS(`#results-body[data-ready="true"] ul.comments`)))
	if w := browserEval[string](t, ctx, `document.querySelector('#wave-picker').value`); w != "2" {
		t.Errorf("comments open on wave %s, want the closed wave 2", w)
	}
	browserDo(t, ctx, chromedp.Navigate(ts.URL+"/app/results/"+h.seed.Survey.ID+"/plans"),
		chromedp.WaitVisible(chromedp.CSS(`#results-body[data-ready="true"] .add-focus`)))
	browserChecks(t, ctx, "plans (lead)")
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`.add-focus > summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#focus-title`)),
		chromedp.Click(chromedp.CSS(`#focus-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`section.focus .add-action > summary`)),
		chromedp.Click(chromedp.CSS(`section.focus .add-action > summary`)),
		chromedp.SetValue(chromedp.CSS(`.add-action select[id$="-suggestion"]`), "ally.affirm"),
	)
	browserEval[bool](t, ctx, `document.querySelector('.add-action select[id$="-suggestion"]').dispatchEvent(new Event('change'))`)
	browserDo(t, ctx,
		chromedp.SetValue(chromedp.CSS(`.add-action input[type=date]`), "2026-11-30"),
		chromedp.Click(chromedp.CSS(`.add-action button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`section.focus .edit-action > summary`)),
	)
	if got := browserEval[string](t, ctx, `document.querySelector('section.focus').textContent`); !strings.Contains(got, "Affirm the person targeted") {
		t.Errorf("the new action from the suggestion is not listed: %q", got)
	}
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`section.focus .edit-action > summary`)),
		chromedp.SetValue(chromedp.CSS(`.edit-action select[id$="-status"]`), "in_progress"),
		chromedp.Click(chromedp.CSS(`.edit-action button[type=submit]`)),
		// The plans are drawn again from the server after a save.
		chromedp.Poll[chromedp.Void](`[...document.querySelectorAll('section.focus td')].some((td) => td.textContent === 'In progress')`))
	// A bad edit is named on the page, not lost.
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`section.focus .edit-action > summary`)))
	browserEval[string](t, ctx, `document.querySelector('.edit-action input[id$="-title"]').value = ''`)
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`.edit-action button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.edit-action .error:not(:empty)`)))

	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#heard-form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#heard-link a`)))
	url := browserEval[string](t, ctx, `document.querySelector('#heard-link a').getAttribute('href')`)
	slug := url[strings.LastIndex(url, "/")+1:]
	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}

	// A browser that never signed in, on a phone.
	anon := testtools.NewBrowser(t)
	anonErrors := testtools.ConsoleErrors(t, anon)
	browserDo(t, anon, chromedp.EmulateViewport(360, 740), chromedp.Navigate(ts.URL+"/heard/"+slug),
		chromedp.WaitVisible(chromedp.CSS(`#heard-results`)))
	keys := browserEval[[]string](t, anon, `[...document.querySelectorAll('[data-number]')].map((e) => e.dataset.number)`)
	if strings.Join(keys, ",") != "respondents,participation,index,enps" {
		t.Errorf("the public page shows %v, want the four chosen numbers", keys)
	}
	if got := browserEval[string](t, anon, `document.querySelector('h1').textContent + ' | ' + document.querySelector('[data-number=respondents] span').textContent`); !strings.HasPrefix(got, "What we heard: ") || !strings.HasSuffix(got, "| People who answered") {
		t.Errorf("the public page's words: %q", got)
	}
	if got := browserEval[string](t, anon, `document.body.textContent`); !strings.Contains(got, "Affirm the person targeted") {
		t.Errorf("the public page does not list the action: %q", got)
	}
	browserChecks(t, anon, "what we heard")
	for _, e := range anonErrors() {
		t.Errorf("console (public page): %s", e)
	}
}

// TestHeatmapDrillDownInChromium follows a heatmap cell to its group's
// questions: the overview filtered to that group opens the competency's
// questions as stacked disagree / neutral / agree bars, reverse-scored ones
// marked.
func TestHeatmapDrillDownInChromium(t *testing.T) {
	h := newExportHarness(t, 150, 190)
	ts := httptest.NewServer(h.srv)
	t.Cleanup(ts.Close)
	ctx := testtools.NewBrowser(t)
	consoleErrors := testtools.ConsoleErrors(t, ctx)
	browserDo(t, ctx, chromedp.EmulateViewport(390, 844))
	signInOnPage(t, ctx, ts.URL, "lead@example.test", harnessPassword)
	browserDo(t, ctx, chromedp.WaitReady(chromedp.CSS(`#side-menu`)),
		chromedp.Navigate(ts.URL+"/app/results/"+h.seed.Survey.ID+"/heatmap?by=department"),
		chromedp.WaitVisible(chromedp.CSS(`#results-body[data-ready="true"] #heatmap`)))
	browserChecks(t, ctx, "heatmap")
	href := browserEval[string](t, ctx, `document.querySelector('#heatmap tr[data-row="belonging"] td.cell a').getAttribute('href')`)
	if !strings.Contains(href, "filter=department%3A") || !strings.HasSuffix(href, "#items-belonging") {
		t.Fatalf("drill-down link %q", href)
	}
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#heatmap tr[data-row="belonging"] td.cell a`)),
		chromedp.WaitVisible(chromedp.CSS(`#results-body[data-ready="true"] #items-belonging[open] svg.chart`)))
	if f := browserEval[string](t, ctx, `document.querySelector('#filter-picker').value`); !strings.HasPrefix(f, "department:") {
		t.Errorf("the drill-down shows population %q", f)
	}
	if !browserEval[bool](t, ctx, `[...document.querySelectorAll('details.items')].some((d) => d.textContent.includes('(reverse-scored)'))`) {
		t.Error("no reverse-scored question is marked")
	}
	browserChecks(t, ctx, "overview with questions")
	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}
}

// TestEveryResultsTabInChromium opens every results tab as a lead on a
// phone (390×844) and a desktop (1440×900): axe finds nothing and the page
// never scrolls sideways (wide tables scroll in their own box).
func TestEveryResultsTabInChromium(t *testing.T) {
	h := newExportHarness(t, 150, 190)
	ts := httptest.NewServer(h.srv)
	t.Cleanup(ts.Close)
	ctx := testtools.NewBrowser(t)
	consoleErrors := testtools.ConsoleErrors(t, ctx)
	signInOnPage(t, ctx, ts.URL, "lead@example.test", harnessPassword)
	browserDo(t, ctx, chromedp.WaitReady(chromedp.CSS(`#side-menu`)))
	for _, vp := range [][2]int64{{390, 844}, {1440, 900}} {
		browserDo(t, ctx, chromedp.EmulateViewport(vp[0], vp[1]))
		for _, tab := range []string{"summary", "overview", "heatmap", "gaps", "behaviours", "barriers", "trend", "comments", "plans"} {
			browserDo(t, ctx, chromedp.Navigate(ts.URL+"/app/results/"+h.seed.Survey.ID+"/"+tab),
				chromedp.WaitVisible(chromedp.CSS(`#results-body[data-ready="true"]`)))
			browserChecks(t, ctx, tab+" at "+strconv.FormatInt(vp[0], 10)+" px")
		}
	}
	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}
}
