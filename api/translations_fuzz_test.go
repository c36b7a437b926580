package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/allypulse/allypulse/survey"
)

// FuzzSurveyTranslations sends survey bodies with languages, translations,
// a thank-you note and a pulse limit through create and launch: a body is
// stored or refused with a named 400, 413, 415 or 422, never a 500; what is
// stored keeps translations of offered languages only; a launch either goes
// through with nothing missing, the form then worded in every language, or
// is refused with a 422 naming each missing text under translations.LANG.
func FuzzSurveyTranslations(f *testing.F) {
	for _, seed := range []string{
		`{"title":"T","items":["belonging.1"],"languages":["en","fr"],"translations":{"fr":{"title":"T fr"}}}`,
		`{"title":"T","intro":"I","thank_you":"Soon","items":["belonging.1","outcome.enps"],"languages":["en","de","es"],
		  "demographics":[{"key":"team","label":"Team","options":["A","B"]}],"comments":[{"key":"general","prompt":"More?"}],
		  "translations":{"de":{"title":"T","intro":"I","thank_you":"Bald","demographics":{"team":{"label":"Team","options":["A","B"]}},"comments":{"general":"Mehr?"}},
		  "es":{"title":"T","demographics":{"team":{"label":"Equipo","options":["A"]}}}}}`,
		`{"title":"T","items":["belonging.1"],"languages":["fr","en"],"translations":{"en":{"title":"T"},"de":{"title":"x"}}}`,
		`{"title":"T","items":["belonging.1"],"languages":["xx","fr","fr","de","es","en"]}`,
		`{"title":"T","items":["belonging.1"],"translations":{"fr":{"items":{"belonging.1":"\u0000"},"demographics":{"x":{"options":[1]}}}}}`,
		`{"title":"T","items":["belonging.1"],"translations":{"fr":null},"languages":null,"thank_you":7}`,
		`{"title":"T","items":["belonging.1","belonging.2","voice.1","voice.2","outcome.enps"],"schedule":{"cadence":"monthly"},"pulse_items":3}`,
		`{"title":"T","items":["belonging.1"],"pulse_items":-1,"translations":[]}`,
		`{"title":"T","items":["belonging.1"],"languages":["en","fr"],"translations":{"fr":{"title":"` + strings.Repeat("é", 300) + `"}}}`,
	} {
		f.Add(seed)
	}
	srv, lead := fuzzServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		h := &designHarness{authHarness: &authHarness{t: t, srv: srv}, lead: lead}
		rec := h.do("POST", "/api/v1/surveys", body, h.lead.as())
		switch rec.Code {
		case http.StatusCreated:
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity:
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("%d with content type %q", rec.Code, ct)
			}
			return
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		sv := decodeBody[surveyJSON](t, rec.Body.Bytes())
		if len(sv.Languages) == 0 {
			t.Fatalf("stored without a language: %s", rec.Body)
		}
		for lang := range sv.Translations {
			if !slices.Contains(sv.Languages[1:], lang) {
				t.Fatalf("translation %s kept for languages %q", lang, sv.Languages)
			}
		}
		rec = h.do("POST", "/api/v1/surveys/"+sv.ID+"/launch", "", h.lead.as())
		switch rec.Code {
		case http.StatusOK:
			stored, err := srv.surveys.GetSurvey(t.Context(), sv.ID)
			if err != nil {
				t.Fatal(err)
			}
			fw, err := srv.surveys.Framework(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if gaps := survey.TranslationGaps(survey.DraftOf(stored), fw); len(gaps) > 0 {
				t.Fatalf("launched with gaps %v", gaps)
			}
			waves, err := srv.surveys.Waves(t.Context(), sv.ID)
			if err != nil || len(waves) == 0 {
				t.Fatalf("waves %v %v", waves, err)
			}
			for _, lang := range stored.Design.SurveyLanguages() {
				form := survey.FormIn(stored, waves[0], fw, lang)
				if form.Language != lang || form.Title == "" || !utf8.ValidString(form.Title) {
					t.Fatalf("form in %s: language %s, title %q", lang, form.Language, form.Title)
				}
				for _, dm := range form.Demographics {
					if dm.Label == "" {
						t.Fatalf("form in %s: demographic %s without a label", lang, dm.Key)
					}
				}
			}
		case http.StatusUnprocessableEntity:
			for _, field := range problemFields(t, rec) {
				if !strings.HasPrefix(field, "translations.") && !strings.HasPrefix(field, "schedule.") {
					t.Fatalf("launch refused naming %q: %s", field, rec.Body)
				}
			}
		default:
			t.Fatalf("launch: status %d: %s", rec.Code, rec.Body)
		}
	})
}
