package api

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/survey"
)

// TestTemplates: a lead lists the three templates and makes a draft from
// one; the draft is a survey like any other, with its wave plan.
func TestTemplates(t *testing.T) {
	h := newDesignHarness(t)
	rec := h.do("GET", "/api/v1/templates", "", h.lead.as())
	wantStatus(t, rec, http.StatusOK)
	list := decodeBody[templateList](t, rec.Body.Bytes())
	var keys []string
	for _, tpl := range list.Templates {
		keys = append(keys, tpl.Key)
		if tpl.Name == "" || tpl.Description == "" || len(tpl.Draft.Items) == 0 || tpl.WavePlan.Minutes < 1 {
			t.Errorf("template %+v", tpl)
		}
	}
	if !slices.Equal(keys, []string{"baseline", "pulse", "allies"}) {
		t.Fatalf("templates = %q", keys)
	}
	valid := newOpenAPIValidator(t)
	if _, err := valid.check(httptest.NewRequest("GET", "/api/v1/templates", nil), rec); err != nil {
		t.Error(err)
	}
	pulse := list.Templates[1]
	if pulse.Draft.PulseItems != 15 || pulse.Draft.Schedule.Cadence != survey.CadenceMonthly || pulse.WavePlan.Questions > 15+len(pulse.Draft.Demographics) {
		t.Errorf("pulse template %+v plan %+v", pulse.Draft, pulse.WavePlan)
	}

	rec = h.do("POST", "/api/v1/templates/pulse/surveys", `{"title":"June pulse"}`, h.lead.as())
	wantStatus(t, rec, http.StatusCreated)
	if _, err := valid.check(httptest.NewRequest("POST", "/api/v1/templates/pulse/surveys", nil), rec); err != nil {
		t.Error(err)
	}
	sv := decodeBody[surveyJSON](t, rec.Body.Bytes())
	if sv.Status != survey.StatusDraft || sv.Title != "June pulse" || sv.PulseItems != 15 || !slices.Equal(sv.Items, pulse.Draft.Items) {
		t.Errorf("draft from template: %+v", sv)
	}
	if sv.WavePlan == nil || *sv.WavePlan != pulse.WavePlan {
		t.Errorf("wave plan %+v, want the template's %+v", sv.WavePlan, pulse.WavePlan)
	}
	rec = h.do("POST", "/api/v1/surveys/"+sv.ID+"/launch", "", h.lead.as())
	wantStatus(t, rec, http.StatusOK)
	launched := decodeBody[launchResponse](t, rec.Body.Bytes())
	if w := launched.Survey.CurrentWave; w == nil || w.Items > 15 {
		t.Errorf("first wave of the pulse: %+v", w)
	}

	rec = h.do("POST", "/api/v1/templates/baseline/surveys", `{}`, h.lead.as())
	wantStatus(t, rec, http.StatusCreated)
	if b := decodeBody[surveyJSON](t, rec.Body.Bytes()); b.Title != list.Templates[0].Draft.Title || b.Schedule.Cadence != survey.CadenceOnce || b.PulseItems != 0 {
		t.Errorf("baseline draft %+v", b)
	}

	for _, tc := range []struct {
		path, body string
		status     int
		field      string
	}{
		{"/api/v1/templates/nope/surveys", `{}`, http.StatusNotFound, ""},
		{"/api/v1/templates/pulse/surveys", `{"title":""}`, http.StatusUnprocessableEntity, "title"},
		{"/api/v1/templates/pulse/surveys", `{"title":7}`, http.StatusUnprocessableEntity, "title"},
		{"/api/v1/templates/pulse/surveys", `{"items":[]}`, http.StatusUnprocessableEntity, "items"},
		{"/api/v1/templates/pulse/surveys", `null`, http.StatusUnprocessableEntity, "body"},
	} {
		rec := h.do("POST", tc.path, tc.body, h.lead.as())
		if rec.Code != tc.status {
			t.Errorf("%s %s: %d, want %d: %s", tc.path, tc.body, rec.Code, tc.status, rec.Body)
			continue
		}
		if tc.field != "" && !slices.Contains(problemFields(t, rec), tc.field) {
			t.Errorf("%s %s: fields %q, want %s", tc.path, tc.body, problemFields(t, rec), tc.field)
		}
	}

	h.user("exec@example.test", account.RoleExecutive)
	exec := h.signIn("exec@example.test")
	if rec := h.do("GET", "/api/v1/templates", "", exec.as()); rec.Code != http.StatusForbidden {
		t.Errorf("executive lists templates: %d", rec.Code)
	}
}

// TestPulseItemsValidation: the limit is checked like every other field and
// named in the problem.
func TestPulseItemsValidation(t *testing.T) {
	h := newDesignHarness(t)
	items := `["belonging.1","belonging.2","belonging.3","authenticity.1","authenticity.2","voice.1","voice.2","fairness.1","fairness.2","decisions.1","decisions.2","courage.1","courage.2","barrier.penalty","barrier.wrong","outcome.enps","outcome.stay"]`
	for _, tc := range []struct {
		limit string
		ok    bool
	}{{`"ten"`, false}, {`-3`, false}, {`2`, false}, {`1000`, false}, {`0`, true}, {`10`, true}, {`null`, true}} {
		body := `{"title":"P","items":` + items + `,"schedule":{"cadence":"monthly"},"pulse_items":` + tc.limit + `}`
		rec := h.do("POST", "/api/v1/surveys", body, h.lead.as())
		switch {
		case tc.ok && rec.Code != http.StatusCreated:
			t.Errorf("pulse_items %s: %d %s", tc.limit, rec.Code, rec.Body)
		case !tc.ok && (rec.Code != http.StatusUnprocessableEntity || !slices.Contains(problemFields(t, rec), "pulse_items")):
			t.Errorf("pulse_items %s: %d %s, want 422 naming pulse_items", tc.limit, rec.Code, rec.Body)
		}
	}
	sv := h.create(`{"title":"P","items":` + items + `,"schedule":{"cadence":"monthly"}}`)
	if sv.PulseItems != survey.DefaultPulseItems {
		t.Errorf("default pulse_items = %d", sv.PulseItems)
	}
	rec := h.do("GET", "/api/v1/surveys/"+sv.ID, "", h.lead.as())
	got := decodeBody[surveyJSON](t, rec.Body.Bytes())
	if got.WavePlan == nil || got.WavePlan.Questions != 15 || got.WavePlan.Minutes != survey.EstimatedMinutes(15, 1) {
		t.Errorf("wave plan %+v", got.WavePlan)
	}
}
