package api

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/account"
)

// setField sets an input's value as typing would, firing its input event.
func setField(t *testing.T, ctx context.Context, id, value string) {
	t.Helper()
	js, _ := json.Marshal(map[string]string{"id": id, "value": value})
	browserEval[bool](t, ctx, `(() => { const a = `+string(js)+`; const el = document.getElementById(a.id);
	  el.value = a.value; el.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`)
}

// TestBuilderInChromium builds a survey through the pages: picks items,
// adds a demographic, meets a validation error, saves, compares the live
// preview with the server's respondent form, and launches after the
// confirmation.
func TestBuilderInChromium(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("lead@example.org", account.RoleLead)
	ts := httptest.NewServer(h.srv)
	t.Cleanup(ts.Close)

	ctx := testtools.NewBrowser(t)
	consoleErrors := testtools.ConsoleErrors(t, ctx)
	browserDo(t, ctx, chromedp.EmulateViewport(1280, 900))
	signInOnPage(t, ctx, ts.URL, "lead@example.org", harnessPassword)
	browserDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`#new-survey`)),
		chromedp.Click(chromedp.CSS(`#new-survey`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)))

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
	if summary := browserEval[string](t, ctx, `document.querySelector('#errors').textContent`); !strings.Contains(summary, "anonymity.min_group_size") {
		t.Errorf("error summary %q", summary)
	}
	// The message is the field's description, so a screen reader reads it.
	if desc := browserEval[string](t, ctx, `(() => { const el = document.getElementById('f-anonymity-min_group_size'); return (el.getAttribute('aria-describedby') || '').split(' ').map(id => document.getElementById(id).textContent).join(' | '); })()`); !strings.Contains(desc, "anonymity.min_group_size:") {
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
	for _, want := range []string{"7 questions and their order", "demographic questions", "anonymity thresholds", "schedule"} {
		if !strings.Contains(frozen, want) {
			t.Errorf("frozen list %q lacks %q", frozen, want)
		}
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
