package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
)

// setField sets an input's value as typing would, firing its input event.
func setField(t *testing.T, ctx context.Context, id, value string) {
	t.Helper()
	js, _ := json.Marshal(map[string]string{"id": id, "value": value})
	browserEval[bool](t, ctx, `(() => { const a = `+string(js)+`; const el = document.getElementById(a.id);
	  el.value = a.value; el.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`)
}

// openBuilder signs a lead in on a page of the given size and opens a new
// survey in the builder.
func openBuilder(t *testing.T, width, height int64) (*authHarness, *httptest.Server, context.Context, func() []string) {
	t.Helper()
	h := newAuthHarness(t, Config{})
	h.user("lead@example.org", account.RoleLead)
	ts := httptest.NewServer(h.srv)
	t.Cleanup(ts.Close)

	ctx := testtools.NewBrowser(t)
	consoleErrors := testtools.ConsoleErrors(t, ctx)
	browserDo(t, ctx, chromedp.EmulateViewport(width, height))
	signInOnPage(t, ctx, ts.URL, "lead@example.org", harnessPassword)
	browserDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`#new-survey`)),
		chromedp.Click(chromedp.CSS(`#new-survey`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)))
	return h, ts, ctx, consoleErrors
}

// TestBuilderInChromium builds a survey through the pages: picks items,
// adds a demographic, meets a validation error, saves, compares the live
// preview with the server's respondent form, and launches after the
// confirmation.
func TestBuilderInChromium(t *testing.T) {
	h, _, ctx, consoleErrors := openBuilder(t, 1280, 900)

	// Sources are shown with the constructs.
	if src := browserEval[string](t, ctx, `document.querySelector('#construct-voice .source').textContent`); !strings.Contains(src, "Edmondson") {
		t.Errorf("voice source shown as %q", src)
	}

	setField(t, ctx, "f-title", "Autumn inclusion pulse")
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#family-behaviour > summary`)),
		chromedp.Click(chromedp.CSS(`#family-outcome > summary`)),
		chromedp.WaitVisible(chromedp.CSS(`[id="item-outcome.enps"]`)))
	picked := []string{"belonging.1", "belonging.2", "voice.1", "ally.confront.self", "outcome.enps"}
	for _, k := range picked {
		browserDo(t, ctx, chromedp.Click(chromedp.CSS(`[id="item-`+k+`"]`)))
	}
	// A custom question joins its competency, chosen.
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#family-custom > summary`)))
	setField(t, ctx, "f-custom-text", "I can count on my team when work gets hard.")
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#add-custom`)),
		chromedp.WaitVisible(chromedp.CSS(`#construct-belonging label.check:last-of-type input:checked`)))
	custom := browserEval[string](t, ctx, `document.querySelector('#construct-belonging label.check:last-of-type input').value`)
	if title := browserEval[string](t, ctx, `document.querySelector('#f-title').value`); title != "Autumn inclusion pulse" {
		t.Errorf("title lost when adding a custom question: %q", title)
	}
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#add-demographic`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-demographics-0-label`)))
	setField(t, ctx, "f-demographics-0-label", "Department")
	setField(t, ctx, "f-demographics-0-options", "Sales\nEngineering")
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#f-demographics-0-sensitive`)))
	setField(t, ctx, "f-anonymity-min_group_size", "2")

	// The live preview already shows the respondent's form, with the screen
	// question before the ally item and "Prefer not to say" added.
	browserDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`#preview fieldset[data-key="screen.witnessed"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#pv-d-department`)))
	live := browserEval[string](t, ctx, `document.querySelector('#preview').dataset.items`)
	liveTitles := browserEval[string](t, ctx, `[...document.querySelectorAll('#preview h2')].map(h => h.textContent).join(' | ')`)
	if want := "belonging.1 belonging.2 " + custom + " voice.1 screen.witnessed ally.confront.self outcome.enps"; live != want {
		t.Errorf("live preview items %q, want %q", live, want)
	}
	demo := browserEval[[]string](t, ctx, `[...document.querySelectorAll('#pv-d-department label')].map(l => l.textContent)`)
	if !slices.Equal(demo, []string{"Sales", "Engineering", survey.PreferNotToSay}) {
		t.Errorf("preview demographic options %q", demo)
	}

	// k = 2 is refused next to the field.
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#save-draft`)),
		chromedp.WaitVisible(chromedp.CSS(`.field-error[data-field="anonymity.min_group_size"]`)))
	// The summary names the field by its label, not by its API path.
	if summary := browserEval[string](t, ctx, `document.querySelector('#errors').textContent`); !strings.Contains(summary, "Smallest group whose results are shown: must be at least 3") || strings.Contains(summary, "anonymity.") {
		t.Errorf("error summary %q", summary)
	}
	// The message is the field's description, so a screen reader reads it.
	if desc := browserEval[string](t, ctx, `(() => { const el = document.getElementById('f-anonymity-min_group_size'); return (el.getAttribute('aria-describedby') || '').split(' ').map(id => document.getElementById(id).textContent).join(' | '); })()`); !strings.Contains(desc, "Must be at least 3.") {
		t.Errorf("k field described as %q; want its error message", desc)
	}
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("builder page: %s", v)
	}
	// The summary's link moves to the field and keeps the unsaved draft.
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#errors a[href="#f-anonymity-min_group_size"]`)))
	if got := browserEval[string](t, ctx, `document.activeElement.id + ' | ' + document.getElementById('f-title').value`); got != "f-anonymity-min_group_size | Autumn inclusion pulse" {
		t.Errorf("after following the error link: %q", got)
	}
	setField(t, ctx, "f-anonymity-min_group_size", "6")
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#save-draft`)),
		chromedp.WaitVisible(chromedp.CSS(`#save-status.saved`)))
	id := browserEval[string](t, ctx, `location.pathname.split('/')[3]`)
	if head := browserEval[string](t, ctx, `document.querySelector('main h1').textContent + ' | ' + document.querySelector('#builder-back').getAttribute('href')`); head != "Edit survey | /app/surveys/"+browserEval[string](t, ctx, `location.pathname.split('/')[3]`) {
		t.Errorf("after the first save the page reads %q; want it to edit the saved draft", head)
	}
	sv, err := h.srv.surveys.GetSurvey(context.Background(), id)
	if err != nil {
		t.Fatalf("saved survey %q: %v", id, err)
	}
	if sv.Status != survey.StatusDraft || sv.Anonymity.MinGroupSize != 6 || !sv.Design.Demographics[0].Sensitive || sv.Title != "Autumn inclusion pulse" {
		t.Errorf("stored draft %+v", sv)
	}

	// After saving, the preview is the server's respondent form, and it
	// shows what the live preview showed.
	server := browserEval[string](t, ctx, `fetch('/api/v1/surveys/`+id+`/preview').then(r => r.json()).then(f => f.sections.flatMap(s => s.items.map(i => i.key)).join(' '))`)
	shown := browserEval[string](t, ctx, `document.querySelector('#preview').dataset.items`)
	if server != live || shown != server {
		t.Errorf("server form %q, preview %q, live preview %q", server, shown, live)
	}
	// Sections carry respondents' headings, not analysts' construct names.
	serverTitles := browserEval[string](t, ctx, `fetch('/api/v1/surveys/`+id+`/preview').then(r => r.json()).then(f => f.sections.map(s => s.title).join(' | '))`)
	if !strings.HasPrefix(liveTitles, serverTitles) || !strings.Contains(serverTitles, "Overall") || strings.Contains(serverTitles, "Outcomes") {
		t.Errorf("section titles: server %q, live preview %q", serverTitles, liveTitles)
	}
	texts := browserEval[[]string](t, ctx, `[...document.querySelectorAll('#preview fieldset.q legend')].map(l => l.textContent)`)
	fw, err := h.srv.surveys.Framework(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range strings.Fields(server) {
		it, _ := fw.Item(k)
		if !slices.Contains(texts, it.Text) {
			t.Errorf("preview lacks the text of %s", k)
		}
	}

	// Launch: the dialog says what becomes frozen.
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#launch`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open] #frozen-list`)))
	frozen := browserEval[string](t, ctx, `document.querySelector('#frozen-list').textContent`)
	for _, want := range []string{"7 questions and their order", "the 1 demographic question and", "the 1 comment prompt", "anonymity thresholds", "schedule"} {
		if !strings.Contains(frozen, want) {
			t.Errorf("frozen list %q lacks %q", frozen, want)
		}
	}
	if strings.Contains(frozen, "1 comment prompts") || strings.Contains(frozen, "1 demographic questions") {
		t.Errorf("frozen list %q counts one thing in the plural", frozen)
	}
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("launch dialog: %s", v)
	}
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#dialog-confirm`)),
		chromedp.WaitVisible(chromedp.CSS(`#survey-status`)),
		chromedp.WaitVisible(chromedp.CSS(`#waves-table`)),
		chromedp.WaitVisible(chromedp.CSS(`#distribution #dist-link`)))
	if st := browserEval[string](t, ctx, `document.querySelector('#survey-status').textContent`); st != "launched" {
		t.Errorf("status on the page %q", st)
	}
	sv, _ = h.srv.surveys.GetSurvey(context.Background(), id)
	waves, _ := h.srv.surveys.Waves(context.Background(), id)
	if sv.Status != survey.StatusLaunched || len(waves) != 1 || waves[0].Status(h.srv.clock.Now()) != survey.WaveOpen {
		t.Errorf("after launch: status %s, waves %+v", sv.Status, waves)
	}
	link := browserEval[string](t, ctx, `document.querySelector('#dist-link').value`)
	if !strings.HasSuffix(link, "/s/"+waves[0].Slug) {
		t.Errorf("link on the page %q, wave slug %q", link, waves[0].Slug)
	}
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("survey page: %s", v)
	}

	// The list shows it with its wave.
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`a[data-nav=surveys]`)),
		chromedp.WaitVisible(chromedp.CSS(`#survey-table tr[data-id="`+id+`"]`)))
	row := browserEval[string](t, ctx, `document.querySelector('#survey-table tr[data-id="`+id+`"]').textContent`)
	if !strings.Contains(row, "launched") || !strings.Contains(row, "Wave 1: open until") {
		t.Errorf("list row %q", row)
	}
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("survey list: %s", v)
	}
	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}
}

// TestBuilderErrorsNameFields checks that the builder's error summary names
// each field by what the page calls it (with its demographic question) in
// page order, never by the API's JSON path.
func TestBuilderErrorsNameFields(t *testing.T) {
	_, _, ctx, consoleErrors := openBuilder(t, 375, 800)
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#add-demographic`)),
		chromedp.Click(chromedp.CSS(`#add-demographic`)))
	setField(t, ctx, "f-demographics-1-label", "Gender")
	setField(t, ctx, "f-schedule-wave_days", "200")
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#save-draft`)),
		chromedp.WaitVisible(chromedp.CSS(`#errors li`)))
	got := browserEval[[]string](t, ctx, `[...document.querySelectorAll('#errors li')].map(li => li.textContent)`)
	want := []string{
		"Title: is required",
		"Questions: choose at least one item",
		"Demographic question 1, question: is required",
		"Demographic question 1, key (used in reports and filters): ",
		"Demographic question 1, options, one per line: add at least one option",
		"Demographic question 2 (“Gender”), options, one per line: add at least one option",
		"Days each wave stays open: must be between 1 and 90",
	}
	if len(got) != len(want) {
		t.Fatalf("error summary %q; want %d lines like %q", got, len(want), want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("summary line %d is %q; want it to start %q", i+1, got[i], want[i])
		}
		if strings.ContainsAny(got[i], "[]") || strings.Contains(got[i], "demographics") || strings.Contains(got[i], "schedule.") {
			t.Errorf("summary line %q shows an API field name", got[i])
		}
	}
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("builder with errors: %s", v)
	}
	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}
}

// pickedOrder is the builder's list of chosen items, in order.
const pickedOrder = `[...document.querySelectorAll('#picked-order li')].map(li => li.dataset.key).join(' ')`

// TestBuilderReorderAndUnsavedChanges moves chosen questions with the
// keyboard, checks that the saved survey and its preview keep that order,
// and that leaving with unsaved changes asks first, by link, by Back and by
// reload.
func TestBuilderReorderAndUnsavedChanges(t *testing.T) {
	h, ts, ctx, consoleErrors := openBuilder(t, 1280, 900)

	// An untouched new survey can be left without a question.
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`a[data-nav=results]`)),
		chromedp.WaitVisible(chromedp.CSS(`main p.note`)))
	if p := browserEval[string](t, ctx, `location.pathname + (document.querySelector('dialog[open]') ? ' (asked)' : '')`); p != "/app/results" {
		t.Fatalf("leaving an untouched builder: at %q", p)
	}
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`a[data-nav=surveys]`)),
		chromedp.WaitVisible(chromedp.CSS(`#new-survey`)),
		chromedp.Click(chromedp.CSS(`#new-survey`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)))

	setField(t, ctx, "f-title", "Order test")
	// Picked in another order, they join in the framework's order.
	for _, k := range []string{"voice.1", "belonging.2", "belonging.1"} {
		browserDo(t, ctx, chromedp.Click(chromedp.CSS(`[id="item-`+k+`"]`)))
	}
	if got := browserEval[string](t, ctx, pickedOrder); got != "belonging.1 belonging.2 voice.1" {
		t.Fatalf("picked order %q", got)
	}
	// voice.1 goes up twice with the keyboard; the focus stays on it.
	browserDo(t, ctx, chromedp.Focus(chromedp.CSS(`#picked-order li[data-key="voice.1"] button[data-move=up]`)))
	browserDo(t, ctx, chromedp.KeyEvent(kb.Enter))
	browserDo(t, ctx, chromedp.KeyEvent(" "))
	if got := browserEval[string](t, ctx, pickedOrder); got != "voice.1 belonging.1 belonging.2" {
		t.Errorf("after moving voice.1 up twice: %q", got)
	}
	// At the top its up button is disabled, so the focus is on its down button.
	if f := browserEval[string](t, ctx, `document.activeElement.closest('li').dataset.key + ' ' + document.activeElement.dataset.move`); f != "voice.1 down" {
		t.Errorf("focus after the move on %q", f)
	}
	if st := browserEval[string](t, ctx, `document.getElementById('picked-order-status').textContent`); !strings.Contains(st, "is now question 1 of 3") {
		t.Errorf("move announced as %q", st)
	}
	// The live preview follows (after its short delay).
	browserDo(t, ctx, chromedp.Poll[chromedp.Void](`document.querySelector('#preview').dataset.items === 'voice.1 belonging.1 belonging.2'`))
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("builder with chosen questions: %s", v)
	}

	// Leaving by a link asks; staying keeps the page and its input.
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`a[data-nav=results]`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open] #dialog-cancel`)))
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("leave dialog: %s", v)
	}
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#dialog-cancel`)))
	if got := browserEval[string](t, ctx, `location.pathname + ' | ' + document.getElementById('f-title').value`); got != "/app/surveys/new | Order test" {
		t.Errorf("after staying: %q", got)
	}
	// Back asks too, and staying keeps the address.
	browserEval[bool](t, ctx, `history.back(), true`)
	browserDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(`dialog[open] #dialog-cancel`)))
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#dialog-cancel`)))
	if got := browserEval[string](t, ctx, `location.pathname + ' | ' + document.getElementById('f-title').value`); got != "/app/surveys/new | Order test" {
		t.Errorf("after Back and staying: %q", got)
	}
	// A reload asks the browser's own question.
	asked := make(chan string, 1)
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			select {
			case asked <- string(ev.Type):
			default:
			}
			// Stay on the page.
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	browserEval[bool](t, ctx, `location.reload(), true`)
	select {
	case typ := <-asked:
		if typ != "beforeunload" {
			t.Errorf("reload asked a %q dialog", typ)
		}
	case <-time.After(30 * time.Second):
		t.Errorf("reload with unsaved changes did not ask")
	}

	// Saved, the order is kept by the server and the page leaves freely.
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#save-draft`)),
		chromedp.WaitVisible(chromedp.CSS(`#save-status.saved`)))
	id := browserEval[string](t, ctx, `location.pathname.split('/')[3]`)
	sv, err := h.srv.surveys.GetSurvey(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sv.Design.Items, " "); got != "voice.1 belonging.1 belonging.2" {
		t.Errorf("saved items %q", got)
	}
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#builder-back`)),
		chromedp.WaitVisible(chromedp.CSS(`#survey-status`)))
	// Editing again shows the saved order; leaving after a change asks, and
	// agreeing leaves.
	browserDo(t, ctx,
		chromedp.Navigate(ts.URL+"/app/surveys/"+id+"/edit"),
		chromedp.WaitVisible(chromedp.CSS(`#picked-order li`)))
	if got := browserEval[string](t, ctx, pickedOrder); got != "voice.1 belonging.1 belonging.2" {
		t.Errorf("reopened draft order %q", got)
	}
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#picked-order li[data-key="belonging.2"] button[data-move=up]`)))
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#builder-back`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open] #dialog-confirm`)),
		chromedp.Click(chromedp.CSS(`#dialog-confirm`)),
		chromedp.WaitVisible(chromedp.CSS(`#survey-status`)))
	sv, _ = h.srv.surveys.GetSurvey(context.Background(), id)
	if got := strings.Join(sv.Design.Items, " "); got != "voice.1 belonging.1 belonging.2" {
		t.Errorf("after leaving without saving, stored items %q", got)
	}
	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}
}

// TestBuilderFocusNotUnderActions tabs through the builder's fields: none
// may end up hidden under the sticky Save/Launch bar at the bottom.
func TestBuilderFocusNotUnderActions(t *testing.T) {
	for _, size := range [][2]int64{{1280, 700}, {360, 740}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			builderFocusNotUnderActions(t, size[0], size[1])
		})
	}
}

func builderFocusNotUnderActions(t *testing.T, width, height int64) {
	_, _, ctx, _ := openBuilder(t, width, height)
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#add-demographic`)))
	hidden := browserEval[[]string](t, ctx, `(() => {
	  const bar = document.querySelector('.sticky-actions');
	  const out = [];
	  window.scrollTo(0, 0);
	  for (const el of document.querySelectorAll('main input, main textarea, main select')) {
	    if (bar.contains(el) || el.closest('.preview-col') || el.offsetParent === null) continue;
	    el.focus();
	    const r = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
	    if (r.bottom > b.top && r.top < b.bottom) out.push(el.id);
	  }
	  return out;
	})()`)
	if len(hidden) > 0 {
		t.Errorf("focused fields under the sticky actions: %v", hidden)
	}
}
