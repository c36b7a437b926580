package demo

import (
	"time"

	"github.com/allypulse/allypulse/survey"
)

// Title is the demo pulse's title; BaselineTitle the one-off baseline's
// that came before it.
const (
	Title         = "Inclusion pulse"
	BaselineTitle = "Inclusion baseline"
)

// Comment prompt keys of the demo survey.
const (
	promptGeneral = survey.DefaultCommentKey
	promptChange  = "one_change"
)

// competencyItems are the agreement items of the six competencies asked.
var competencyItems = []string{
	"belonging.1", "belonging.2", "belonging.3", "belonging.4",
	"authenticity.1", "authenticity.2", "authenticity.3",
	"voice.1", "voice.2", "voice.3",
	"fairness.1", "fairness.2", "fairness.3",
	"decisions.1", "decisions.2", "decisions.3",
	"courage.1", "courage.2", "courage.3",
}

// allyBehaviours are gated by the opportunity screen; advocateBehaviours are
// asked of everyone.
var (
	allyBehaviours     = []string{"ally.confront", "ally.amplify", "ally.deescalate", "ally.affirm"}
	advocateBehaviours = []string{"advocate.process", "advocate.hiring"}
	accessItems        = []string{"access.mentor", "access.sponsor", "access.advocate"}
	barrierItems       = []string{"barrier.penalty", "barrier.wrong", "barrier.fatigue", "barrier.performative"}
)

// Draft returns the demo pulse as a DEI lead would design it after the
// baseline: the baseline's questions, at most survey.DefaultPulseItems a
// wave (every competency and the outcomes each month, the others by turns),
// as a monthly pulse whose first wave opens at opensAt. The employee page
// states the privacy promise itself, so the intro does not repeat it.
func Draft(opensAt time.Time) survey.Draft {
	d := design()
	d.Title = Title
	d.Intro = "A short monthly pulse on how included people feel at Northwind."
	d.Schedule = survey.Schedule{Cadence: survey.CadenceMonthly, OpensAt: opensAt, WaveDays: 14}
	d.PulseItems = survey.DefaultPulseItems
	d.Translations = map[string]survey.Translation{"fr": french("Baromètre de l’inclusion",
		"Un court baromètre mensuel sur le sentiment d’inclusion chez Northwind.")}
	return d
}

// BaselineDraft returns the demo's baseline, asked once before the pulses
// start: six competencies, ally and advocate behaviours from both sides,
// development access, barriers and the two outcomes, every question at once.
func BaselineDraft(opensAt time.Time) survey.Draft {
	d := design()
	d.Title = BaselineTitle
	d.Intro = "Our first full look at how included people feel at Northwind. The monthly pulses that follow ask a few of these questions each time."
	d.Schedule = survey.Schedule{Cadence: survey.CadenceOnce, OpensAt: opensAt, WaveDays: 14}
	d.Translations = map[string]survey.Translation{"fr": french("État des lieux de l’inclusion",
		"Notre premier regard complet sur le sentiment d’inclusion chez Northwind. Les baromètres mensuels qui suivent reprennent à chaque fois quelques-unes de ces questions.")}
	return d
}

// design holds what the baseline and the pulse share: the items, five
// demographics (gender and ethnicity sensitive), two comment prompts and
// the thank-you note.
func design() survey.Draft {
	d := survey.NewDraft()
	items := append([]string(nil), competencyItems...)
	for _, b := range append(append([]string(nil), allyBehaviours...), advocateBehaviours...) {
		items = append(items, b+".self", b+".experienced")
	}
	items = append(items, accessItems...)
	items = append(items, barrierItems...)
	items = append(items, "outcome.enps", "outcome.stay")
	d.Items = items

	depts := make([]string, len(departments))
	for i, dp := range departments {
		depts[i] = dp.name
	}
	d.Demographics = []survey.Demographic{
		{Key: DimDepartment, Label: "Department", Options: depts},
		{Key: DimLocation, Label: "Location", Options: options(locations)},
		{Key: DimTenure, Label: "Time at Northwind", Options: options(tenures)},
		{Key: DimGender, Label: "Gender", Options: options(genders), Sensitive: true},
		{Key: DimEthnicity, Label: "Ethnicity", Options: options(ethnicities), Sensitive: true},
	}
	d.Comments = []survey.CommentPrompt{
		{Key: promptGeneral, Prompt: survey.DefaultCommentPrompt},
		{Key: promptChange, Prompt: "What one change would make Northwind a more inclusive place to work?"},
	}
	d.ExpectedHeadcount = Headcount()
	d.Languages = []string{"en", "fr"}
	d.ThankYou = "We share what we heard at the all-hands meeting two weeks after each survey closes."
	return d
}
