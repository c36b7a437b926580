package api

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
)

// TestBuilderTemplatesAndLanguages: a lead starts a new survey from the
// monthly pulse template, sees the estimated minutes per wave, meets a pulse
// limit too small, offers the survey in French, sees what is missing, is
// refused the launch with every gap shown next to its field, translates,
// and launches. axe-core finds nothing at each step.
func TestBuilderTemplatesAndLanguages(t *testing.T) {
	for _, size := range [][2]int64{{1280, 900}, {360, 740}} {
		builderTemplatesAndLanguages(t, size[0], size[1])
	}
}

func builderTemplatesAndLanguages(t *testing.T, width, height int64) {
	h, _, ctx, consoleErrors := openBuilder(t, width, height)
	axe := func(where string) {
		t.Helper()
		for _, v := range testtools.RunAxe(t, ctx) {
			t.Errorf("%dpx, %s: %s", width, where, v)
		}
	}
	text := func(sel string) string {
		t.Helper()
		return browserEval[string](t, ctx, `(document.querySelector('`+sel+`') || {}).textContent || ''`)
	}

	// The choice: blank or one of the three templates, each with its time.
	choices := browserEval[[]string](t, ctx, `[...document.querySelectorAll('#start-from input[name="start-from"]')].map(i => i.value)`)
	if strings.Join(choices, " ") != "blank baseline pulse allies" {
		t.Fatalf("start choices %q", choices)
	}
	if plan := text(`label[for="start-pulse"] .template-plan`); !strings.Contains(plan, "minutes a wave") {
		t.Errorf("pulse template plan %q", plan)
	}
	axe("start choice")
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#start-pulse`)),
		chromedp.Click(chromedp.CSS(`#use-template`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-pulse_items`)))
	if got := browserEval[string](t, ctx, `document.getElementById('f-title').value + ' | ' + document.getElementById('f-pulse_items').value + ' | ' + document.activeElement.id + ' | ' + document.getElementById('start-pulse').checked`); got != "Monthly inclusion pulse | 15 | f-title | true" {
		t.Errorf("after choosing the pulse template: %q", got)
	}
	if st := text(`#start-status`); !strings.Contains(st, "Monthly 15-question pulse") {
		t.Errorf("start status %q", st)
	}
	// 15 questions and 3 demographics at 10 s, one comment at a minute.
	if est := text(`#wave-estimate`); !strings.Contains(est, "about 4 minutes: 18 questions and 1 comment box.") {
		t.Errorf("live estimate %q", est)
	}

	// A limit too small for every competency is named next to its field.
	setField(t, ctx, "f-pulse_items", "5")
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#save-draft`)),
		chromedp.WaitVisible(chromedp.CSS(`.field-error[data-field="pulse_items"]`)))
	if summary := text(`#errors`); !strings.Contains(summary, "Questions per wave, at most: must be at least") {
		t.Errorf("error summary %q", summary)
	}
	axe("pulse limit refused")
	setField(t, ctx, "f-pulse_items", "15")
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#save-draft`)),
		chromedp.WaitVisible(chromedp.CSS(`#save-status.saved`)))
	if est := text(`#wave-estimate`); !strings.Contains(est, "As saved: Each wave takes about 4 minutes") || !strings.Contains(est, "Every question is asked at least once every") {
		t.Errorf("saved estimate %q", est)
	}

	// French: what is missing is counted and marked.
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#lang-fr`)),
		chromedp.WaitVisible(chromedp.CSS(`#translation-fr`)))
	gaps := text(`#translation-gaps`)
	if !strings.Contains(gaps, "Français:") || !strings.Contains(gaps, "texts missing") {
		t.Errorf("gaps %q", gaps)
	}
	setField(t, ctx, "f-translations-fr-title", "Baromètre mensuel")
	axe("translations")

	// Launch is refused with each gap next to its field.
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#launch`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open] #dialog-confirm`)),
		chromedp.Click(chromedp.CSS(`#dialog-confirm`)),
		chromedp.WaitVisible(chromedp.CSS(`.field-error[data-field="translations.fr.thank_you"]`)))
	shown := browserEval[[]string](t, ctx, `[...document.querySelectorAll('.field-error')].map(e => e.dataset.field)`)
	for _, want := range []string{"translations.fr.intro", "translations.fr.demographics.tenure.label", "translations.fr.demographics.tenure.options[0]", "translations.fr.comments.general"} {
		if !strings.Contains(strings.Join(shown, " "), want) {
			t.Errorf("launch gaps shown %q lack %s", shown, want)
		}
	}
	if strings.Contains(strings.Join(shown, " "), "translations.fr.title") {
		t.Errorf("the translated title is reported missing: %q", shown)
	}
	if summary := text(`#errors`); !strings.Contains(summary, "is missing") {
		t.Errorf("launch error summary %q", summary)
	}
	axe("launch refused")
	id := browserEval[string](t, ctx, `location.pathname.split('/')[3]`)
	if sv, err := h.srv.surveys.GetSurvey(context.Background(), id); err != nil || sv.Status != survey.StatusDraft {
		t.Fatalf("after a refused launch: %v %+v", err, sv.Status)
	}

	// Every text translated: the list says so and the launch goes through.
	fill := browserEval[[]string](t, ctx, `[...document.querySelectorAll('#translation-fr input, #translation-fr textarea')].map(e => e.id)`)
	for _, fid := range fill {
		if strings.HasSuffix(fid, "-options") {
			n := browserEval[int](t, ctx, `document.getElementById('`+fid+`-source').textContent.split('\n').length`)
			setField(t, ctx, fid, strings.TrimSuffix(strings.Repeat("Option FR\n", n), "\n"))
			continue
		}
		setField(t, ctx, fid, "Texte en français")
	}
	if gaps := text(`#translation-gaps`); gaps != "Français: every text is translated." {
		t.Errorf("gaps after translating: %q", gaps)
	}
	if flags := browserEval[int](t, ctx, `[...document.querySelectorAll('#translation-fr .gap-flag')].filter(f => !f.hidden).length`); flags != 0 {
		t.Errorf("%d texts still marked missing", flags)
	}
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#launch`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open] #dialog-confirm`)),
		chromedp.Click(chromedp.CSS(`#dialog-confirm`)),
		chromedp.WaitVisible(chromedp.CSS(`#survey-status`)))
	sv, err := h.srv.surveys.GetSurvey(context.Background(), id)
	if err != nil || sv.Status != survey.StatusLaunched || sv.Design.PulseItems != 15 || len(sv.Design.Languages) != 2 {
		t.Errorf("launched %+v %v", sv.Design.Languages, err)
	}
	waves, _ := h.srv.surveys.Waves(context.Background(), id)
	for _, w := range waves {
		if len(w.Items) > 15 {
			t.Errorf("wave %d asks %d questions", w.Number, len(w.Items))
		}
	}
	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}
}
