package survey

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey/framework"
)

func bilingualDraft() Draft {
	d := NewDraft()
	d.Title = "Pulse"
	d.Items = []string{"belonging.1", "screen.witnessed", "ally.confront.self", "outcome.enps"}
	d.Demographics = []Demographic{{Key: "department", Label: "Department", Options: []string{"Sales", "Support"}}}
	d.Languages = []string{"en", "fr"}
	d.ThankYou = "Results on 12 May at the all-hands."
	return d
}

// TestLaunchRefusesTranslationGaps: a draft may be saved with texts missing
// in a language, but launch names each of them; once they are there it
// launches.
func TestLaunchRefusesTranslationGaps(t *testing.T) {
	ctx := context.Background()
	store := NewStore(openTestDB(t, false).Gorm)
	clock := kernel.ClockFunc(func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) })
	lc := NewLifecycle(store, clock, NewScheduler(store, clock, nil))
	sv, err := lc.Create(ctx, bilingualDraft(), "lead")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = lc.Launch(ctx, sv.ID)
	var ve *kernel.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("launch with gaps: %v, want a validation error", err)
	}
	var fields []string
	for _, f := range ve.Fields {
		fields = append(fields, f.Field)
	}
	want := []string{
		"translations.fr.comments.general", "translations.fr.demographics.department.label",
		"translations.fr.demographics.department.options[0]", "translations.fr.demographics.department.options[1]",
		"translations.fr.thank_you", "translations.fr.title",
	}
	if !slices.Equal(fields, want) {
		t.Errorf("gaps %v, want %v", fields, want)
	}
	if _, err := lc.Update(ctx, sv.ID, func(d *Draft) error {
		d.Translations = map[string]Translation{"fr": {
			Title: "Pouls", ThankYou: "Résultats le 12 mai.",
			Demographics: map[string]DemographicText{"department": {Label: "Service", Options: []string{"Ventes", "Support"}}},
			Comments:     map[string]string{"general": "Autre chose à partager ?"},
		}}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := lc.Launch(ctx, sv.ID); err != nil {
		t.Fatalf("launch without gaps: %v", err)
	}
}

func TestValidateLanguages(t *testing.T) {
	d := bilingualDraft()
	d.Languages = []string{"en", "it", "en"}
	_, err := ValidateDraft(d, framework.BuiltIn(), time.Now())
	var ve *kernel.ValidationError
	if !errors.As(err, &ve) || !ve.Has("languages[1]") || !ve.Has("languages[2]") {
		t.Errorf("languages en, it, en: %v", err)
	}
	d.Languages = nil
	got, err := ValidateDraft(d, framework.BuiltIn(), time.Now())
	if err != nil || !slices.Equal(got.Languages, []string{"en"}) {
		t.Errorf("no languages: %v %v, want English", got.Languages, err)
	}
}

// TestFormInFrench: the form in French words built-in items from the
// framework and the survey's own texts from its translation, while the
// values answered stay those of the design.
func TestFormInFrench(t *testing.T) {
	d, err := ValidateDraft(bilingualDraft(), framework.BuiltIn(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	d.Translations = map[string]Translation{"fr": {Title: "Pouls",
		Demographics: map[string]DemographicText{"department": {Label: "Service", Options: []string{"Ventes"}}}}}
	var sv Survey
	d.Apply(&sv)
	f := FormIn(sv, Wave{}, framework.BuiltIn(), "fr")
	if f.Language != "fr" || f.Title != "Pouls" || f.ThankYou != d.ThankYou {
		t.Errorf("form %q in %s, thank-you %q", f.Title, f.Language, f.ThankYou)
	}
	if got := f.Sections[0].Items[0].Text; got != "Je me sens pleinement membre de mon équipe." {
		t.Errorf("belonging.1 in French: %q", got)
	}
	screen := f.Sections[1].Items[0]
	if screen.Options[1] != "No" || screen.OptionLabels[1] != "Non" {
		t.Errorf("screen options %v labels %v", screen.Options, screen.OptionLabels)
	}
	dm := f.Demographics[0]
	if dm.Label != "Service" || !slices.Equal(dm.Options, []string{"Sales", "Support", PreferNotToSay}) ||
		!slices.Equal(dm.OptionLabels, []string{"Ventes", "Support", "Je préfère ne pas répondre"}) {
		t.Errorf("demographic %+v", dm)
	}
	if len(f.Languages) != 2 || f.Languages[1].Name != "Français" {
		t.Errorf("languages %+v", f.Languages)
	}
	if other := FormIn(sv, Wave{}, framework.BuiltIn(), "de"); other.Language != "en" || other.Title != "Pulse" {
		t.Errorf("a language not offered gave %s %q, want the first language", other.Language, other.Title)
	}
}

func TestEstimatedMinutes(t *testing.T) {
	for _, tc := range []struct{ q, c, want int }{{0, 0, 0}, {1, 0, 1}, {15, 1, 4}, {41 + 5, 2, 10}} {
		if got := EstimatedMinutes(tc.q, tc.c); got != tc.want {
			t.Errorf("EstimatedMinutes(%d, %d) = %d, want %d", tc.q, tc.c, got, tc.want)
		}
	}
}
