package demo

import (
	"time"

	"github.com/allypulse/allypulse/survey"
)

// Title is the demo survey's title.
const Title = "Inclusion pulse"

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

// Draft returns the demo survey as a DEI lead would design it: six
// competencies, ally and advocate behaviours from both sides, development
// access, barriers, the two outcomes, five demographics (gender and
// ethnicity sensitive) and two comment prompts, as a monthly pulse whose
// first wave opens at opensAt.
func Draft(opensAt time.Time) survey.Draft {
	d := survey.NewDraft()
	d.Title = Title
	d.Intro = "A five-minute pulse on how included people feel at Northwind, asked every month. " +
		"Results are shown only for groups of at least five people."
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
	d.Schedule = survey.Schedule{Cadence: survey.CadenceMonthly, OpensAt: opensAt, WaveDays: 14}
	d.ExpectedHeadcount = Headcount()
	// Every question in every wave, as the demo was designed before pulse
	// limits existed.
	d.PulseItems = 0
	return d
}
