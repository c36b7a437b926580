package survey_test

import (
	"errors"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
)

// TestTemplates: every template is a valid draft as it is; the baseline asks
// every question once, the pulse at most 15 a wave with every competency in
// every wave, and the ally check-in the ally behaviours after their screen.
func TestTemplates(t *testing.T) {
	fw := framework.BuiltIn()
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	list := survey.Templates(fw)
	if len(list) != 3 || list[0].Key != survey.TemplateBaseline || list[1].Key != survey.TemplatePulse || list[2].Key != survey.TemplateAllies {
		t.Fatalf("templates = %+v", list)
	}
	for _, tpl := range list {
		d, err := survey.ValidateDraft(tpl.Draft, fw, now)
		if err != nil {
			t.Fatalf("%s: %v", tpl.Key, err)
		}
		var sv survey.Survey
		d.Apply(&sv)
		plan := survey.PlanOf(sv.Design, fw)
		switch tpl.Key {
		case survey.TemplateBaseline:
			if d.Schedule.Cadence != survey.CadenceOnce || len(survey.WaveItems(sv.Design, 1, fw)) != len(d.Items) || len(d.Items) < 50 {
				t.Errorf("baseline: %s, %d items, wave 1 %d", d.Schedule.Cadence, len(d.Items), len(survey.WaveItems(sv.Design, 1, fw)))
			}
		case survey.TemplatePulse:
			if d.Schedule.Cadence != survey.CadenceMonthly || sv.Design.PulseItems != 15 || len(d.Items) <= 15 {
				t.Errorf("pulse: %s, limit %d, %d items", d.Schedule.Cadence, sv.Design.PulseItems, len(d.Items))
			}
			for n := 1; n <= 12; n++ {
				if got := survey.WaveItems(sv.Design, n, fw); len(got) > 15 {
					t.Errorf("pulse wave %d asks %d", n, len(got))
				}
			}
			if plan.Minutes > 5 || plan.CoverWaves > survey.PulseCoverWaves {
				t.Errorf("pulse plan = %+v", plan)
			}
		case survey.TemplateAllies:
			if d.Items[0] != framework.ScreenWitnessed {
				t.Errorf("ally check-in starts with %s, want the screen", d.Items[0])
			}
		}
		if d.ThankYou == "" || len(d.Demographics) == 0 {
			t.Errorf("%s: thank-you %q, %d demographics", tpl.Key, d.ThankYou, len(d.Demographics))
		}
	}
	if _, err := survey.TemplateByKey("nope", fw); !errors.Is(err, kernel.ErrNotFound) {
		t.Errorf("unknown template: %v", err)
	}
}
