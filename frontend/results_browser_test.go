package frontend_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/allypulse/allypulse/api"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/demo"
	"github.com/allypulse/allypulse/survey/report"
)

// dashboardEnv seeds the demo into a fresh SQLite file and serves the whole
// app on a real listener for Chromium.
func dashboardEnv(t *testing.T) (base, surveyID string) {
	t.Helper()
	return dashboardEnvAt(t, time.Now())
}

// dashboardEnvAt is dashboardEnv with the demo laid out as if seeded at
// seeded: its wave 3 is open then, and the server runs on the real clock.
func dashboardEnvAt(t *testing.T, seeded time.Time) (base, surveyID string) {
	t.Helper()
	ctx := context.Background()
	d := testtools.OpenDB(t, db.SQLite)
	res, err := demo.Seed(ctx, d, demo.Options{Now: seeded})
	if err != nil {
		t.Fatal(err)
	}
	// As `serve --demo` does (its background warm-up and the server's
	// Prepare), the demo's releases are computed before anyone looks: the
	// release audit takes seconds a wave, more on a loaded machine.
	store := survey.NewStore(d.Gorm)
	engine := report.New(store, kernel.SystemClock{}, report.WithFramework(store.Framework))
	waves, err := store.Waves(ctx, res.SurveyID)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range waves {
		if w.Status(time.Now()) == survey.WaveScheduled {
			continue
		}
		if _, err := engine.Release(ctx, res.SurveyID, report.Query{Wave: w.Number}); err != nil {
			t.Fatal(err)
		}
	}
	srv := api.New(api.Config{}, api.Deps{DB: d, Log: slog.New(slog.DiscardHandler), Clock: kernel.SystemClock{}})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.Shutdown(context.Background())
	})
	return ts.URL, res.SurveyID
}

func do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// signIn signs in on the app's own form.
func signIn(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	do(t, ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/app/results"),
		chromedp.WaitVisible(chromedp.CSS(`#login-form`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), demo.Password),
		chromedp.Click(chromedp.CSS(`#login-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Main]`)))
}

// openTab loads one dashboard view and waits until its tab has rendered.
func openTab(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`#results-body[data-ready=true]`)))
	if msg := eval[string](t, ctx, `[...document.querySelectorAll('main .error')].map(e => e.textContent).join(' | ')`); msg != "" {
		t.Errorf("%s shows an error: %s", url, msg)
	}
	if dir := os.Getenv("ALLYPULSE_SCREENSHOTS"); dir != "" {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err == nil {
			name := strings.NewReplacer("/", "_", "?", "_", "=", "_", ":", "_").Replace(url[strings.Index(url, "/app/"):])
			_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		}
	}
}

func checkAxe(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("%s: axe: %s", page, v)
	}
}

// TestDashboardOnDemoData signs in as the demo lead, opens every dashboard
// tab with no console errors, checks that the tiny Legal department is
// rendered as suppressed in the heatmap, runs axe on the picker and every
// tab, and checks that an executive sees the same pages without design
// controls and a note instead of comments.
func TestDashboardOnDemoData(t *testing.T) {
	base, id := dashboardEnv(t)
	ctx := testtools.NewBrowser(t)
	consoleErrors := testtools.ConsoleErrors(t, ctx)
	signIn(t, ctx, base, demo.Credentials()[1].Email)

	do(t, ctx, chromedp.Navigate(base+"/app/results"), chromedp.WaitVisible(chromedp.CSS(`a[data-survey="`+id+`"]`)))
	checkAxe(t, ctx, "survey picker")

	views := base + "/app/results/" + id + "/"
	openTab(t, ctx, views+"overview")
	if n := eval[int](t, ctx, `document.querySelectorAll('.kpi[data-kpi]').length`); n != 3 {
		t.Errorf("overview shows %d headline numbers; want index, eNPS and participation", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('svg.chart').length`); n == 0 {
		t.Error("overview draws no competency chart")
	}
	// One stacked disagree / neutral / agree bar per competency, whose
	// table's three shares add up to 100 % (give or take rounding).
	shares := eval[[]string](t, ctx, `[...document.querySelectorAll('[aria-labelledby=p-answers-by-competency] tbody tr')].map(tr =>
		[...tr.querySelectorAll('td')].slice(0, 3).map(td => parseFloat(td.textContent)).reduce((a, b) => a + b, 0).toFixed(0))`)
	if len(shares) != 6 {
		t.Errorf("answers by competency: %d rows, want the 6 competencies", len(shares))
	}
	for _, sum := range shares {
		if sum != "99" && sum != "100" && sum != "101" {
			t.Errorf("a competency's disagree, neutral and agree add up to %s%%", sum)
		}
	}
	checkAxe(t, ctx, "overview")

	// A group's label keeps its names: "time at Northwind", not "time at northwind".
	openTab(t, ctx, views+"heatmap?by="+demo.DimTenure)
	if head := eval[string](t, ctx, `[...document.querySelectorAll('#results-body h2')].map(h => h.textContent).join(' | ')`); !strings.Contains(head, "Scores by time at Northwind") {
		t.Errorf("heatmap headings %q", head)
	}
	openTab(t, ctx, views+"heatmap?by="+demo.DimDepartment)
	// Every cell in the Legal column is hatched and says why.
	legal := eval[[]string](t, ctx, `(() => {
		const heads = [...document.querySelectorAll('#heatmap thead th')];
		const col = heads.findIndex(th => th.dataset.group === 'Legal');
		if (col < 0) return ['no Legal column'];
		return [...document.querySelectorAll('#heatmap tbody tr')].map(tr => {
			const td = tr.children[col];
			return td.classList.contains('heat-suppressed') && td.title.length > 0 && /fewer than|withheld/.test(td.textContent) ? '' : tr.dataset.row + ': ' + td.className + ' ' + td.textContent;
		}).filter(Boolean);
	})()`)
	if len(legal) > 0 {
		t.Errorf("Legal cells not rendered as suppressed: %v", legal)
	}
	// Keyboard users reach a suppressed cell and read its rule on focus.
	tip := eval[string](t, ctx, `(() => {
		const td = document.querySelector('#heatmap td.heat-suppressed');
		if (td.tabIndex !== 0) return 'not focusable';
		td.focus();
		const tip = document.getElementById(td.getAttribute('aria-describedby'));
		return tip && tip.offsetParent !== null ? tip.textContent : 'rule not shown on focus';
	})()`)
	if !strings.Contains(tip, "respondents") && !strings.Contains(tip, "protect another group") {
		t.Errorf("a focused suppressed cell does not show its rule: %q", tip)
	}
	// A wide table scrolls in its own box; the page itself does not.
	if over := eval[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth`); over {
		t.Error("the heatmap page is wider than the window")
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#heatmap td.cell[class*="heat-above"], #heatmap td.cell[class*="heat-below"]').length`); n == 0 {
		t.Error("the heatmap colours no cell above or below the organisation")
	}
	checkAxe(t, ctx, "heatmap")

	openTab(t, ctx, views+"heatmap?by="+demo.DimGender)
	openTab(t, ctx, views+"heatmap?by="+demo.DimGender+"&filter="+demo.DimDepartment+":Engineering")
	if n := eval[int](t, ctx, `document.querySelectorAll('#heatmap tbody tr').length`); n == 0 {
		t.Error("the filtered heatmap has no rows")
	}
	// Two sensitive dimensions are refused by the API with a note, not an error.
	openTab(t, ctx, views+"heatmap?by="+demo.DimGender+"&filter="+demo.DimEthnicity+":White")
	if n := eval[int](t, ctx, `document.querySelectorAll('#view-refused').length`); n != 1 {
		t.Error("a sensitive × sensitive view is not explained")
	}
	openTab(t, ctx, views+"gaps?by="+demo.DimEthnicity)
	checkAxe(t, ctx, "gaps")
	if n := eval[int](t, ctx, `document.querySelectorAll('#gaps td[data-flagged]').length`); n == 0 {
		t.Error("no flagged gap by ethnicity; the demo's built-in gaps should show")
	}
	// Changing a picker loads the new view in place: the page is titled after
	// the survey and the keyboard focus stays on the picker.
	if title := eval[string](t, ctx, `document.title`); !strings.HasSuffix(title, " · Allypulse") || title == " · Allypulse" {
		t.Errorf("dashboard page title %q", title)
	}
	eval[bool](t, ctx, `(() => { const s = document.getElementById('by-picker'); s.focus(); s.value = s.options[0].value; s.dispatchEvent(new Event('change')); return true; })()`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#results-body[data-ready=true]`)))
	if got := eval[string](t, ctx, `location.search + ' ' + document.activeElement.id`); !strings.Contains(got, "by="+demo.DimDepartment) || !strings.HasSuffix(got, " by-picker") {
		t.Errorf("after choosing a breakdown: %q; want the department view with the focus on the picker", got)
	}
	openTab(t, ctx, views+"behaviours")
	checkAxe(t, ctx, "behaviours")
	openTab(t, ctx, views+"barriers?by="+demo.DimGender)
	checkAxe(t, ctx, "barriers")
	openTab(t, ctx, views+"trend")
	checkAxe(t, ctx, "trend")
	if n := eval[int](t, ctx, `document.querySelectorAll('svg.chart path[stroke]').length`); n == 0 {
		t.Error("the trend chart draws no line")
	}
	openTab(t, ctx, views+"trend?by="+demo.DimLocation)
	openTab(t, ctx, views+"comments?wave=2")
	checkAxe(t, ctx, "comments")
	if n := eval[int](t, ctx, `document.querySelectorAll('ul.comments li').length`); n == 0 {
		t.Error("the lead sees no comments")
	}
	// The open wave 3 keeps its comments until it closes, and says so in words.
	openTab(t, ctx, views+"comments?wave=3")
	if note := eval[string](t, ctx, `document.querySelector('#comments-withheld')?.textContent ?? ''`); !strings.Contains(note, "released when the wave closes") {
		t.Errorf("open wave comments note = %q, want it to say they are released when the wave closes", note)
	}
	openTab(t, ctx, views+"overview?wave=1")

	// The executive: same pages, no design controls, no comments.
	do(t, ctx, chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	signIn(t, ctx, base, demo.Credentials()[2].Email)
	openTab(t, ctx, views+"overview")
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-design-control]').length`); n != 0 {
		t.Error("the executive sees design controls")
	}
	openTab(t, ctx, views+"comments")
	if n := eval[int](t, ctx, `document.querySelectorAll('#comments-forbidden').length`); n != 1 {
		t.Error("the executive does not get the note about comments")
	}

	if errs := consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestDashboardOpensOnReleasedWave seeds the demo five weeks in the past, so
// its wave 3 has closed with responses and wave 4 has just opened with none.
// The dashboard and the reports page open on wave 3, not on the empty wave,
// and wave 4 can still be chosen.
func TestDashboardOpensOnReleasedWave(t *testing.T) {
	base, id := dashboardEnvAt(t, time.Now().AddDate(0, 0, -35))
	ctx := testtools.NewBrowser(t)
	consoleErrors := testtools.ConsoleErrors(t, ctx)
	signIn(t, ctx, base, demo.Credentials()[2].Email)

	openTab(t, ctx, base+"/app/results/"+id+"/overview")
	waves := eval[[]string](t, ctx, `[...document.querySelectorAll('#wave-picker option')].map(o => o.value + ' ' + o.textContent.split(' · ').pop())`)
	if len(waves) != 4 || waves[3] != "4 open, partial results" {
		t.Fatalf("wave picker offers %q; want waves 1 to 4 with wave 4 open", waves)
	}
	if got := eval[string](t, ctx, `document.getElementById('wave-picker').value`); got != "3" {
		t.Errorf("the dashboard opens on wave %s; want 3, the newest with results", got)
	}
	// Choosing the open wave still shows it, by its number in the address.
	eval[bool](t, ctx, `(() => { const s = document.getElementById('wave-picker'); s.value = '4'; s.dispatchEvent(new Event('change')); return true; })()`)
	do(t, ctx, chromedp.Poll[chromedp.Void](`location.search.includes('wave=4') && !!document.querySelector('#results-body[data-ready=true]')`))
	if got := eval[string](t, ctx, `new URLSearchParams(location.search).get('wave') + ' ' + document.getElementById('wave-picker').value`); got != "4 4" {
		t.Errorf("after choosing wave 4: %q", got)
	}
	checkAxe(t, ctx, "overview of the empty wave")

	do(t, ctx, chromedp.Navigate(base+"/app/reports"), chromedp.WaitVisible(chromedp.CSS(`select[name=wave]`)))
	if got := eval[string](t, ctx, `document.querySelector('select[name=wave]').value + ' ' + document.querySelector('a[data-export=xlsx]').getAttribute('href')`); !strings.HasPrefix(got, "3 ") || !strings.Contains(got, "wave=3") {
		t.Errorf("reports page offers %q; want wave 3", got)
	}
	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}
}

// TestDashboardTabsFitAPhone opens every dashboard tab on a 375 px wide
// phone as the executive: wide tables scroll in their own box, and nothing
// (not even the hidden "flagged" texts of the gaps table) widens the page.
func TestDashboardTabsFitAPhone(t *testing.T) {
	base, id := dashboardEnv(t)
	ctx := testtools.NewBrowser(t)
	consoleErrors := testtools.ConsoleErrors(t, ctx)
	signIn(t, ctx, base, demo.Credentials()[2].Email)
	do(t, ctx, chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile))
	for _, tab := range []string{"overview", "heatmap", "gaps", "behaviours", "barriers", "trend", "comments"} {
		openTab(t, ctx, base+"/app/results/"+id+"/"+tab)
		if n := eval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); n > 0 {
			t.Errorf("%s: the page scrolls sideways by %d px at 375 px", tab, n)
		}
		// Charts reflow: their words stay readable on the phone.
		for _, p := range testtools.ChartProblems(t, ctx) {
			t.Errorf("%s at 375 px: chart words %s", tab, p)
		}
	}
	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}
}
