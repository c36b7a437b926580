package survey

import (
	"fmt"
	"strings"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey/framework"
)

// Template keys.
const (
	TemplateBaseline = "baseline"
	TemplatePulse    = "pulse"
	TemplateAllies   = "allies"
)

// Template is a ready-made survey a lead starts from: a draft to adjust
// before launch, never a survey of its own.
type Template struct {
	Key         string
	Name        string
	Description string
	Draft       Draft
}

// Templates returns the built-in templates in the order the builder offers
// them: the full inclusion baseline, asked once; the monthly pulse that
// follows it, 15 questions a wave; and a quarterly check-in on ally
// behaviours. Their items come from the framework fw, so a template never
// names an item the bank does not hold.
func Templates(fw framework.Framework) []Template {
	competencies := kindItems(fw, framework.KindCompetency)
	access := kindItems(fw, framework.KindAccess)
	barriers := kindItems(fw, framework.KindBarrier)
	outcomes := kindItems(fw, framework.KindOutcome)
	var ally, advocate []string
	for _, k := range kindItems(fw, framework.KindBehaviour) {
		it, _ := fw.Item(k)
		if it.Construct == "ally" {
			ally = append(ally, k)
		} else {
			advocate = append(advocate, k)
		}
	}
	cat := func(lists ...[]string) []string {
		var out []string
		for _, l := range lists {
			out = append(out, l...)
		}
		return out
	}

	baseline := templateDraft(
		"Inclusion baseline",
		"A one-time survey of how included people feel here, how often allies and advocates act, and what holds them back.",
		cat(competencies, ally, advocate, access, barriers, outcomes), CadenceOnce, 14, 0)
	baseline.Comments = append(baseline.Comments, CommentPrompt{Key: "one_change", Prompt: "What one change would make this a more inclusive place to work?"})

	pulse := templateDraft(
		"Monthly inclusion pulse",
		"A short monthly check on how included people feel here.",
		cat(competencies, access, barriers, outcomes), CadenceMonthly, 7, DefaultPulseItems)

	allies := templateDraft(
		"Ally behaviours check-in",
		"A few questions about what people did, and saw colleagues do, when bias happened, and what holds people back.",
		cat(ally, barriers), CadenceQuarterly, 14, 0)

	return []Template{
		{Key: TemplateBaseline, Name: "Full inclusion baseline",
			Description: "Every competency, ally and advocate behaviour, development access, barriers and outcomes, asked once. Run it first, then follow it with pulses.",
			Draft:       baseline},
		{Key: TemplatePulse, Name: "Monthly 15-question pulse",
			Description: "Every competency in every wave and the outcomes, with the other questions taking turns, 15 questions a month.",
			Draft:       pulse},
		{Key: TemplateAllies, Name: "Ally behaviours check-in",
			Description: "The seven ally behaviours, as done and as seen, after the screen question, and the barriers to allyship, every quarter.",
			Draft:       allies},
	}
}

// TemplateByKey returns the template with key, or kernel.ErrNotFound.
func TemplateByKey(key string, fw framework.Framework) (Template, error) {
	for _, t := range Templates(fw) {
		if t.Key == strings.TrimSpace(key) {
			return t, nil
		}
	}
	return Template{}, fmt.Errorf("template %q: %w", key, kernel.ErrNotFound)
}

// templateDraft is a draft with the defaults, the demographic questions
// every organisation can use as they are (tenure, level, gender), and a
// thank-you note the lead is expected to make precise.
func templateDraft(title, intro string, items []string, cadence string, waveDays, pulseItems int) Draft {
	d := NewDraft()
	d.Title = title
	d.Intro = intro
	d.Items = items
	d.Schedule = Schedule{Cadence: cadence, WaveDays: waveDays}
	d.PulseItems = pulseItems
	d.Demographics = []Demographic{
		{Key: "tenure", Label: "How long have you worked here?", Options: []string{"Less than 1 year", "1 to 3 years", "3 to 5 years", "More than 5 years"}},
		{Key: "level", Label: "Which best describes your role?", Options: []string{"Individual contributor", "Manager", "Senior leader"}},
		{Key: "gender", Label: "Gender", Options: []string{"Woman", "Man", "Non-binary", "I describe myself another way"}, Sensitive: true},
	}
	d.ThankYou = "We will share what we heard with everyone within a month of the survey closing."
	return d
}

// kindItems returns the framework's built-in items of one construct kind
// that a survey can ask (free text goes to comment prompts).
func kindItems(fw framework.Framework, kind string) []string {
	var out []string
	for _, it := range fw.Items {
		c, _ := fw.Construct(it.Construct)
		if c.Kind == kind && !it.Custom && it.Scale != framework.ScaleText {
			out = append(out, it.Key)
		}
	}
	return out
}
