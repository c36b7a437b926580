package main

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
)

// loadItems are the 30 items of the temporary survey: every competency, the
// ally screen with gated items, access, barriers and outcomes.
var loadItems = []string{
	"belonging.1", "belonging.2", "belonging.3", "belonging.4", "authenticity.1", "authenticity.2", "authenticity.3",
	"voice.1", "voice.2", "voice.3", "fairness.1", "fairness.2", "fairness.3", "decisions.1", "decisions.2", "decisions.3",
	"courage.1", "courage.2", "courage.3", framework.ScreenWitnessed, "ally.confront.self", "ally.confront.experienced",
	"ally.affirm.self", "ally.affirm.experienced", "access.mentor", "access.sponsor", "barrier.penalty", "barrier.wrong",
	"outcome.enps", "outcome.stay",
}

// temporarySurvey creates a launched survey whose only wave is open for a day.
func temporarySurvey(ctx context.Context, store *survey.Store) (survey.Survey, survey.Wave, error) {
	now := time.Now().UTC()
	sv := survey.Survey{
		ID: kernel.NewID(), Title: "allyload " + now.Format(time.RFC3339), Status: survey.StatusLaunched,
		Design: survey.Design{
			Items: loadItems,
			Demographics: []survey.Demographic{
				{Key: "department", Label: "Department", Options: []string{"Sales", "Engineering", "Operations", "Finance", survey.PreferNotToSay}},
				{Key: "tenure", Label: "Time here", Options: []string{"Under a year", "1-3 years", "Over 3 years", survey.PreferNotToSay}},
				{Key: "gender", Label: "Gender", Options: []string{"Woman", "Man", "Non-binary", survey.PreferNotToSay}, Sensitive: true},
			},
			Comments: []survey.CommentPrompt{{Key: "general", Prompt: "What one thing would make this a more inclusive place to work?"}},
		},
		Anonymity:          survey.DefaultAnonymity(),
		Schedule:           survey.Schedule{Cadence: survey.CadenceOnce, OpensAt: now.Add(-time.Minute), WaveDays: 1},
		PracticalGapPoints: survey.DefaultPracticalGapPoints, CreatedAt: now, UpdatedAt: now, LaunchedAt: &now,
	}
	if err := store.CreateSurvey(ctx, sv); err != nil {
		return survey.Survey{}, survey.Wave{}, err
	}
	w, err := store.CreateWave(ctx, survey.Wave{ID: kernel.NewID(), SurveyID: sv.ID, Number: 1, OpensAt: now.Add(-time.Minute),
		ClosesAt: now.Add(24 * time.Hour), Slug: kernel.NewSecret(), Items: loadItems})
	return sv, w, err
}

var loadComments = []string{
	"More mentoring for new starters would help a lot.",
	"Meetings are better since we rotate who chairs them.",
	"Promotion criteria are still unclear to many of us.",
}

// realisticBodies makes n submissions of the form: most items answered on
// their scale, a few skipped or "No opportunity", the screen answered Yes or
// No (No skips its items), demographics mostly given, a comment on one in ten.
func realisticBodies(form survey.RespondentForm, n int) ([][]byte, error) {
	out := make([][]byte, n)
	for i := range out {
		answers := map[string]any{}
		screenNo := map[string]bool{}
		for _, sec := range form.Sections {
			for _, it := range sec.Items {
				if it.GatedBy != "" && screenNo[it.GatedBy] {
					continue
				}
				switch {
				case len(it.Options) > 0:
					o := rand.IntN(len(it.Options))
					answers[it.Key] = it.Options[o]
					screenNo[it.Key] = o == 1
				case rand.IntN(20) == 0:
					// skipped
				case it.AllowsNA && rand.IntN(10) == 0:
					answers[it.Key] = survey.NotApplicableAnswer
				case len(it.Points) > 0:
					answers[it.Key] = it.Points[rand.IntN(len(it.Points))].Value
				}
			}
		}
		demo := map[string]string{}
		for _, d := range form.Demographics {
			if rand.IntN(10) > 0 {
				demo[d.Key] = d.Options[rand.IntN(len(d.Options))]
			}
		}
		comments := map[string]string{}
		for _, c := range form.Comments {
			if rand.IntN(10) == 0 {
				comments[c.Key] = loadComments[rand.IntN(len(loadComments))]
			}
		}
		b, err := json.Marshal(map[string]any{"answers": answers, "demographics": demo, "comments": comments})
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}
