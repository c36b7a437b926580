package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
)

// designHarness is an auth harness with a signed-in lead.
type designHarness struct {
	*authHarness
	lead browser
}

func newDesignHarness(t *testing.T) *designHarness {
	h := newAuthHarness(t, Config{})
	h.user("lead@example.test", account.RoleLead)
	return &designHarness{authHarness: h, lead: h.signIn("lead@example.test")}
}

const minimalSurvey = `{"title":"Spring pulse","items":["belonging.1","voice.1","ally.confront.self","outcome.enps"],
 "demographics":[{"key":"department","label":"Department","options":["Sales","Engineering"]},
                 {"key":"gender","label":"Gender","options":["Woman","Man","Non-binary"],"sensitive":true}]}`

func wantStatus(t *testing.T, rec *httptest.ResponseRecorder, status int) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
}

func (h *designHarness) create(body string) surveyJSON {
	h.t.Helper()
	rec := h.do("POST", "/api/v1/surveys", body, h.lead.as())
	wantStatus(h.t, rec, http.StatusCreated)
	return decodeBody[surveyJSON](h.t, rec.Body.Bytes())
}

func TestCreateSurveyDefaults(t *testing.T) {
	h := newDesignHarness(t)
	sv := h.create(minimalSurvey)
	if sv.Status != survey.StatusDraft || sv.ID == "" {
		t.Errorf("created %+v", sv)
	}
	wantItems := []string{"belonging.1", "voice.1", framework.ScreenWitnessed, "ally.confront.self", "outcome.enps"}
	if !slices.Equal(sv.Items, wantItems) {
		t.Errorf("items = %q, want the screen added before the ally item: %q", sv.Items, wantItems)
	}
	for _, dm := range sv.Demographics {
		if dm.Options[len(dm.Options)-1] != survey.PreferNotToSay {
			t.Errorf("%s options = %q", dm.Key, dm.Options)
		}
	}
	if !sv.Demographics[1].Sensitive || sv.Demographics[0].Sensitive {
		t.Errorf("sensitive flags lost: %+v", sv.Demographics)
	}
	if sv.Anonymity != survey.DefaultAnonymity() || sv.PracticalGapPoints != 5 {
		t.Errorf("anonymity %+v gap %v", sv.Anonymity, sv.PracticalGapPoints)
	}
	if len(sv.Comments) != 1 || sv.Comments[0].Prompt != survey.DefaultCommentPrompt {
		t.Errorf("comments %+v", sv.Comments)
	}
	if sv.Schedule.Cadence != "once" || sv.Schedule.OpensAt != nil {
		t.Errorf("schedule %+v", sv.Schedule)
	}
}

func TestCreateSurveyValidation(t *testing.T) {
	h := newDesignHarness(t)
	body := `{"title":"","items":["belonging.1","nope","belonging.1"],
	 "demographics":[{"key":"team","label":"Team","options":[]},{"key":"team","label":"Again","options":["A","a"]}],
	 "anonymity":{"min_group_size":2,"min_sensitive_group_size":1},
	 "schedule":{"cadence":"daily","opens_at":"2020-01-01T00:00:00Z","wave_days":120},
	 "practical_gap_points":80}`
	rec := h.do("POST", "/api/v1/surveys", body, h.lead.as())
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	got := problemFields(t, rec)
	for _, f := range []string{"title", "items[1]", "items[2]", "demographics[0].options", "demographics[1].key",
		"demographics[1].options[1]", "anonymity.min_group_size", "anonymity.min_sensitive_group_size",
		"schedule.cadence", "schedule.opens_at", "schedule.wave_days", "practical_gap_points"} {
		if !slices.Contains(got, f) {
			t.Errorf("no error for %s; fields %q", f, got)
		}
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type %q", ct)
	}

	for body, field := range map[string]string{
		`{"title":"x","items":["belonging.1"],"anonymity":{"min_group_size":"five"}}`:          "anonymity.min_group_size",
		`{"title":"x","items":["belonging.1"],"colour":"red"}`:                                 "colour",
		`{"title":"x","items":["belonging.1"],"schedule":{"opens_at":"tomorrow"}}`:             "schedule.opens_at",
		`{"title":"x","items":["belonging.1"],"rotation":{"items":3}}`:                         "rotation.items",
		`{"title":"x","items":["belonging.1"],"expected_headcount":2147483648}`:                "expected_headcount",
		`{"title":"x","items":["belonging.1"],"schedule":{"opens_at":"9999-12-31T23:59:59Z"}}`: "schedule.opens_at",
	} {
		rec := h.do("POST", "/api/v1/surveys", body, h.lead.as())
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if got := problemFields(t, rec); !slices.Contains(got, field) {
			t.Errorf("%s: fields %q, want %s", body, got, field)
		}
	}
	wantStatus(t, h.do("POST", "/api/v1/surveys", `{"title":`, h.lead.as()), http.StatusBadRequest)
}

func TestSurveyLifecycle(t *testing.T) {
	h := newDesignHarness(t)
	sv := h.create(minimalSurvey)
	base := "/api/v1/surveys/" + sv.ID

	rec := h.do("PATCH", base, `{"title":"Renamed","anonymity":{"min_group_size":6},"schedule":{"cadence":"monthly","wave_days":10}}`, h.lead.as())
	wantStatus(t, rec, http.StatusOK)
	upd := decodeBody[surveyJSON](t, rec.Body.Bytes())
	if upd.Title != "Renamed" || upd.Anonymity.MinGroupSize != 6 || upd.Anonymity.MinSensitiveGroupSize != 10 ||
		upd.Schedule.Cadence != "monthly" || !slices.Equal(upd.Items, sv.Items) {
		t.Errorf("patched %+v", upd)
	}
	rec = h.do("PATCH", base, `{"anonymity":{"min_group_size":12}}`, h.lead.as())
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if got := problemFields(t, rec); !slices.Contains(got, "anonymity.min_sensitive_group_size") {
		t.Errorf("raising k above k_s: fields %q", got)
	}

	wantStatus(t, h.do("GET", base+"/link", "", h.lead.as()), http.StatusConflict)
	rec = h.do("GET", base+"/preview", "", h.lead.as())
	wantStatus(t, rec, http.StatusOK)
	form := decodeBody[survey.RespondentForm](t, rec.Body.Bytes())
	if form.Title != "Renamed" || form.MinGroupSize != 6 || len(form.Sections) == 0 || len(form.Demographics) != 2 {
		t.Errorf("preview %+v", form)
	}
	// Respondents are told which questions get the larger minimum group, but
	// nothing analysts use (reverse keying, sources, construct kinds).
	if strings.Contains(rec.Body.String(), "reverse") || strings.Contains(rec.Body.String(), "source") {
		t.Errorf("preview leaks design metadata: %s", rec.Body)
	}

	rec = h.do("POST", base+"/launch", "", h.lead.as())
	wantStatus(t, rec, http.StatusOK)
	launched := decodeBody[launchResponse](t, rec.Body.Bytes())
	if launched.Survey.Status != survey.StatusLaunched || launched.Link.Wave != 1 || launched.Link.Status != survey.WaveOpen ||
		!strings.HasPrefix(launched.Link.URL, "http://allypulse.test/s/") || launched.Survey.CurrentWave == nil {
		t.Errorf("launch %+v", launched)
	}

	rec = h.do("PATCH", base, `{"title":"Too late"}`, h.lead.as())
	wantStatus(t, rec, http.StatusConflict)
	if p := decodeBody[Problem](t, rec.Body.Bytes()); p.Detail != "survey is launched; only drafts can be edited" {
		t.Errorf("conflict detail %q", p.Detail)
	}
	wantStatus(t, h.do("POST", base+"/launch", "", h.lead.as()), http.StatusConflict)
	wantStatus(t, h.do("DELETE", base, "", h.lead.as()), http.StatusConflict)
	wantStatus(t, h.do("POST", base+"/archive", "", h.lead.as()), http.StatusConflict)

	rec = h.do("GET", base+"/link", "", h.lead.as())
	wantStatus(t, rec, http.StatusOK)
	if l := decodeBody[linkJSON](t, rec.Body.Bytes()); l.URL != launched.Link.URL {
		t.Errorf("link %+v, launch gave %+v", l, launched.Link)
	}
	rec = h.do("GET", base+"/waves", "", h.lead.as())
	wantStatus(t, rec, http.StatusOK)
	waves := decodeBody[waveList](t, rec.Body.Bytes())
	if len(waves.Waves) != 2 || waves.Waves[0].Status != survey.WaveOpen || waves.Waves[1].Status != survey.WaveScheduled {
		t.Fatalf("waves %+v", waves)
	}
	if r := waves.Waves[0].Responses; r == nil || !r.Suppressed || r.N != nil {
		t.Errorf("an empty wave's count must be suppressed, got %+v", r)
	}

	rec = h.do("POST", base+"/close", "", h.lead.as())
	wantStatus(t, rec, http.StatusOK)
	if got := decodeBody[surveyJSON](t, rec.Body.Bytes()); got.Status != survey.StatusClosed || got.CurrentWave.Status != survey.WaveClosed {
		t.Errorf("closed %+v", got)
	}
	wantStatus(t, h.do("POST", base+"/close", "", h.lead.as()), http.StatusConflict)
	rec = h.do("POST", base+"/archive", "", h.lead.as())
	wantStatus(t, rec, http.StatusOK)
	if got := decodeBody[surveyJSON](t, rec.Body.Bytes()); got.Status != survey.StatusArchived {
		t.Errorf("archived %+v", got)
	}

	// A draft can be deleted; then it is gone.
	other := h.create(minimalSurvey)
	wantStatus(t, h.do("DELETE", "/api/v1/surveys/"+other.ID, "", h.lead.as()), http.StatusNoContent)
	wantStatus(t, h.do("GET", "/api/v1/surveys/"+other.ID, "", h.lead.as()), http.StatusNotFound)

	events, _, err := h.srv.accounts.Events(context.Background(), 100, "")
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		if e.Target == sv.ID || e.Target == other.ID {
			actions = append(actions, e.Action)
			if e.ActorEmail != "lead@example.test" {
				t.Errorf("%s recorded for %q", e.Action, e.ActorEmail)
			}
		}
	}
	for _, a := range []string{"survey.create", "survey.update", "survey.launch", "survey.close", "survey.archive", "survey.delete"} {
		if !slices.Contains(actions, a) {
			t.Errorf("audit log lacks %s: %q", a, actions)
		}
	}
}

// TestRefusedPatchChangesNothing checks that a PATCH answered 422 because one
// field could not be read stores none of its other fields, and that the
// answer lists that field together with the draft's other problems.
func TestRefusedPatchChangesNothing(t *testing.T) {
	h := newDesignHarness(t)
	sv := h.create(minimalSurvey)
	base := "/api/v1/surveys/" + sv.ID
	for _, tc := range []struct {
		body   string
		fields []string
	}{
		{`{"title":"Renamed","items":["voice.1"],"schedule":{"opens_at":"next monday"}}`, []string{"schedule.opens_at"}},
		{`{"title":"Renamed","rotation":"weekly"}`, []string{"rotation"}},
		{`{"title":"","rotation":{"cover_every":"2"},"schedule":{"opens_at":5}}`, []string{"rotation.cover_every", "schedule.opens_at", "title"}},
		{`{"schedule":{"cadence":"weekly","wave_days":5,"opens_at":"2020-01-01"},"rotation":{"x":1}}`, []string{"rotation.x", "schedule.opens_at"}},
	} {
		rec := h.do("PATCH", base, tc.body, h.lead.as())
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if got := problemFields(t, rec); !slices.Equal(got, tc.fields) {
			t.Errorf("%s: fields %q, want %q", tc.body, got, tc.fields)
		}
		rec = h.do("POST", "/api/v1/surveys", tc.body, h.lead.as())
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if got := problemFields(t, rec); !slices.Contains(got, tc.fields[0]) {
			t.Errorf("create %s: fields %q, want %s among them", tc.body, got, tc.fields[0])
		}
	}
	rec := h.do("GET", base, "", h.lead.as())
	wantStatus(t, rec, http.StatusOK)
	got := decodeBody[surveyJSON](t, rec.Body.Bytes())
	if got.Title != sv.Title || !slices.Equal(got.Items, sv.Items) || got.Schedule.Cadence != sv.Schedule.Cadence || got.Rotation != nil {
		t.Errorf("a refused PATCH changed the draft: %+v", got)
	}
	// Creating with an unreadable field creates nothing.
	rec = h.do("GET", "/api/v1/surveys", "", h.lead.as())
	if list := decodeBody[surveyList](t, rec.Body.Bytes()); len(list.Surveys) != 1 {
		t.Errorf("%d surveys after refused creations, want 1", len(list.Surveys))
	}
}

func TestSurveyUnknownIDs(t *testing.T) {
	h := newDesignHarness(t)
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/api/v1/surveys/nosuch", ""},
		{"PATCH", "/api/v1/surveys/nosuch", `{"title":"x"}`},
		{"DELETE", "/api/v1/surveys/nosuch", ""},
		{"POST", "/api/v1/surveys/nosuch/launch", ""},
		{"POST", "/api/v1/surveys/nosuch/close", ""},
		{"POST", "/api/v1/surveys/nosuch/archive", ""},
		{"GET", "/api/v1/surveys/nosuch/preview", ""},
		{"GET", "/api/v1/surveys/nosuch/waves", ""},
		{"GET", "/api/v1/surveys/nosuch/link", ""},
	} {
		if rec := h.do(r.method, r.path, r.body, h.lead.as()); rec.Code != http.StatusNotFound {
			t.Errorf("%s %s: %d %s", r.method, r.path, rec.Code, rec.Body)
		}
	}
}

// TestNumberFieldMessages checks that a number of the wrong kind is
// explained in words a person understands.
func TestNumberFieldMessages(t *testing.T) {
	h := newDesignHarness(t)
	for body, want := range map[string]kernel.FieldError{
		`{"title":"x","items":["belonging.1"],"anonymity":{"min_group_size":2.5}}`:                             {Field: "anonymity.min_group_size", Code: kernel.CodeInvalid, Message: "must be a whole number, not 2.5"},
		`{"title":"x","items":["belonging.1"],"anonymity":{"min_group_size":1e3}}`:                             {Field: "anonymity.min_group_size", Code: kernel.CodeInvalid, Message: "must be a whole number, not 1e3"},
		`{"title":"x","items":["belonging.1"],"expected_headcount":99999999999999999999}`:                      {Field: "expected_headcount", Code: kernel.CodeOutOfRange, Message: "is out of range"},
		`{"title":"x","items":["belonging.1"],"anonymity":{"min_group_size":"five"}}`:                          {Field: "anonymity.min_group_size", Code: kernel.CodeInvalid, Message: "must be a whole number, not string"},
		`{"title":"x","items":["belonging.1"],"practical_gap_points":"5"}`:                                     {Field: "practical_gap_points", Code: kernel.CodeInvalid, Message: "must be a number, not string"},
		`{"title":"x","items":["belonging.1"],"schedule":{"cadence":"weekly"},"rotation":5}`:                   {Field: "rotation", Code: kernel.CodeInvalid, Message: "must be an object, not number"},
		`{"title":"x","items":["belonging.1"],"schedule":{"cadence":"weekly"},"rotation":{"cover_every":"2"}}`: {Field: "rotation.cover_every", Code: kernel.CodeInvalid, Message: "must be a whole number, not string"},
	} {
		rec := h.do("POST", "/api/v1/surveys", body, h.lead.as())
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		var p Problem
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || len(p.Errors) != 1 || p.Errors[0] != want {
			t.Errorf("%s: %s, want %+v", body, rec.Body, want)
		}
	}
}

// TestNestedFieldErrorsNameTheirPlace checks that an unknown key or a value
// of the wrong type inside an object or a list is named by its full place in
// the body, not by its bare name (k) or without its index (demographics.sensitive).
func TestNestedFieldErrorsNameTheirPlace(t *testing.T) {
	h := newDesignHarness(t)
	dept := `{"key":"dept","label":"Department","options":["A","B"]}`
	for body, want := range map[string]kernel.FieldError{
		`{"title":"x","items":["belonging.1"],"anonymity":{"k":5}}`:                                                {Field: "anonymity.k", Code: kernel.CodeUnknown, Message: "is not a known field"},
		`{"title":"x","items":["belonging.1"],"schedule":{"cadence":"weekly","timezone":"Europe/Paris"}}`:          {Field: "schedule.timezone", Code: kernel.CodeUnknown, Message: "is not a known field"},
		`{"title":"x","items":["belonging.1"],"demographics":[` + dept + `,{"key":"site","label":"Site","x":1}]}`:  {Field: "demographics[1].x", Code: kernel.CodeUnknown, Message: "is not a known field"},
		`{"title":"x","items":["belonging.1"],"demographics":[` + dept + `,{"key":"site","sensitive":"yes"}]}`:     {Field: "demographics[1].sensitive", Code: kernel.CodeInvalid, Message: "must be true or false, not string"},
		`{"title":"x","items":["belonging.1"],"demographics":[{"key":"site","options":["North",7]}]}`:              {Field: "demographics[0].options[1]", Code: kernel.CodeInvalid, Message: "must be a string, not number"},
		`{"title":"x","items":["belonging.1","voice.1",3]}`:                                                        {Field: "items[2]", Code: kernel.CodeInvalid, Message: "must be a string, not number"},
		`{"title":"x","items":["belonging.1"],"comments":[{"key":"a","prompt":"b","extra":true}]}`:                 {Field: "comments[0].extra", Code: kernel.CodeUnknown, Message: "is not a known field"},
		`{"title":"x","items":["belonging.1"],"schedule":{"cadence":"weekly"},"rotation":{"cover_every":2,"x":1}}`: {Field: "rotation.x", Code: kernel.CodeUnknown, Message: "is not a known field"},
		`{"title":"x","items":["belonging.1"],"bogus":1}`:                                                          {Field: "bogus", Code: kernel.CodeUnknown, Message: "is not a known field"},
	} {
		rec := h.do("POST", "/api/v1/surveys", body, h.lead.as())
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		var p Problem
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || len(p.Errors) != 1 || p.Errors[0] != want {
			t.Errorf("%s: %s, want %+v", body, rec.Body, want)
		}
	}
	rec := h.do("POST", "/api/v1/items", `{"text":"We share credit.","scale":"agree5","new_construct":{"key":"credit","name":"Credit","kind":"outcome"}}`, h.lead.as())
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if got := problemFields(t, rec); !slices.Equal(got, []string{"new_construct.kind"}) {
		t.Errorf("custom item: fields %q, want new_construct.kind", got)
	}
}

// TestHostileTextIsRefused checks that text PostgreSQL cannot store (NUL,
// invalid UTF-8) is refused with a 422 naming the field, in bodies, path
// parameters and query strings alike, on every database.
func TestHostileTextIsRefused(t *testing.T) {
	h := newDesignHarness(t)
	for _, r := range []struct{ method, path, body, field string }{
		{"POST", "/api/v1/surveys", `{"title":"a\u0000b","items":["belonging.1"]}`, "title"},
		{"POST", "/api/v1/surveys", `{"title":"t","items":["belonging.1"],"demographics":[{"key":"team","label":"Team","options":["A","B\u0000"]}]}`, "demographics[0].options[1]"},
		{"POST", "/api/v1/respond/nosuch", `{"answers":{"belonging.1":3},"comments":{"general":"hi\u0000"}}`, "comments.general"},
		{"POST", "/api/v1/auth/login", `{"email":"\u0000","password":"x"}`, "email"},
		// Invalid UTF-8, raw or as an unpaired surrogate escape, which
		// encoding/json would store as U+FFFD.
		{"POST", "/api/v1/surveys", "{\"title\":\"a\xffb\",\"items\":[\"belonging.1\"]}", "title"},
		{"POST", "/api/v1/surveys", `{"title":"t","items":["belonging.1"],"demographics":[{"key":"team","label":"Team","options":["A","B\udc00"]}]}`, "demographics[0].options[1]"},
		{"POST", "/api/v1/respond/nosuch", `{"answers":{"belonging.1":3},"comments":{"general":"hi \ud83d"}}`, "comments.general"},
		{"POST", "/api/v1/respond/nosuch", "{\"answers\":{\"belonging.1\":3},\"comments\":{\"gen\xe9ral\":\"hi\"}}", "comments"},
		{"GET", "/api/v1/surveys?cursor=%00", "", "cursor"},
		{"GET", "/api/v1/surveys?cursor=%ff", "", "cursor"},
		{"GET", "/api/v1/surveys/x/results?wave=%00", "", "wave"},
	} {
		rec := h.do(r.method, r.path, r.body, h.lead.as())
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s %s %s: %d %s", r.method, r.path, r.body, rec.Code, rec.Body)
			continue
		}
		if got := problemFields(t, rec); !slices.Contains(got, r.field) {
			t.Errorf("%s %s %s: fields %q, want %s", r.method, r.path, r.body, got, r.field)
		}
	}
	// A parameter given twice is refused rather than half read.
	admin := h.user("root@example.test", account.RoleAdmin)
	root := h.signIn(admin.Email)
	sv := h.create(minimalSurvey)
	for path, field := range map[string]string{
		"/api/v1/surveys?limit=1&limit=2":                  "limit",
		"/api/v1/surveys?cursor=a&cursor=":                 "cursor",
		"/api/v1/audit?limit=5&limit=6":                    "limit",
		"/api/v1/surveys/" + sv.ID + "/link?wave=1&wave=2": "wave",
	} {
		rec := h.do("GET", path, "", root.as())
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if got := problemFields(t, rec); !slices.Contains(got, field) {
			t.Errorf("%s: fields %q, want %s", path, got, field)
		}
	}
	// An id that is not text names nothing.
	for _, path := range []string{"/api/v1/surveys/%00", "/api/v1/surveys/%00/waves", "/api/v1/respond/%00", "/api/v1/surveys/%00/preview"} {
		wantStatus(t, h.do("GET", path, "", h.lead.as()), http.StatusNotFound)
	}
	// An escaped backslash before "u0000" is ordinary text.
	wantStatus(t, h.do("POST", "/api/v1/surveys", `{"title":"a\\u0000b","items":["belonging.1"]}`, h.lead.as()), http.StatusCreated)
	// A surrogate pair is one character, stored as such.
	rec := h.do("POST", "/api/v1/surveys", `{"title":"a\ud83d\ude00 \\ud800","items":["belonging.1"]}`, h.lead.as())
	wantStatus(t, rec, http.StatusCreated)
	if !strings.Contains(rec.Body.String(), `"title":"a😀 \\ud800"`) {
		t.Errorf("title with an emoji and an escaped backslash: %s", rec.Body)
	}
}

func TestSurveyRoles(t *testing.T) {
	h := newDesignHarness(t)
	sv := h.create(minimalSurvey)
	h.user("exec@example.test", account.RoleExecutive)
	exec := h.signIn("exec@example.test")
	for _, r := range []struct{ method, path, body string }{
		{"POST", "/api/v1/surveys", minimalSurvey},
		{"PATCH", "/api/v1/surveys/" + sv.ID, `{"title":"x"}`},
		{"DELETE", "/api/v1/surveys/" + sv.ID, ""},
		{"POST", "/api/v1/surveys/" + sv.ID + "/launch", ""},
		{"POST", "/api/v1/items", `{"text":"x","scale":"agree5","construct":"belonging"}`},
		{"GET", "/api/v1/framework", ""},
	} {
		if rec := h.do(r.method, r.path, r.body, exec.as()); rec.Code != http.StatusForbidden {
			t.Errorf("executive %s %s: %d", r.method, r.path, rec.Code)
		}
		if rec := h.do(r.method, r.path, r.body); rec.Code != http.StatusUnauthorized {
			t.Errorf("anonymous %s %s: %d", r.method, r.path, rec.Code)
		}
	}
	wantStatus(t, h.do("GET", "/api/v1/surveys", "", exec.as()), http.StatusOK)
	wantStatus(t, h.do("GET", "/api/v1/surveys/"+sv.ID, "", exec.as()), http.StatusOK)
	if rec := h.do("GET", "/api/v1/surveys/"+sv.ID, ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("anonymous read: %d", rec.Code)
	}
	if got := h.do("GET", "/api/v1/surveys/"+sv.ID, "", exec.as()); decodeBody[surveyJSON](t, got.Body.Bytes()).Title != "Spring pulse" {
		t.Errorf("survey changed by refused requests: %s", got.Body)
	}
}

func TestSurveyListPagination(t *testing.T) {
	h := newDesignHarness(t)
	made := map[string]bool{}
	for i := range 5 {
		made[h.create(fmt.Sprintf(`{"title":"Survey %d","items":["belonging.1"]}`, i)).ID] = true
	}
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		rec := h.do("GET", "/api/v1/surveys?limit=2&cursor="+cursor, "", h.lead.as())
		wantStatus(t, rec, http.StatusOK)
		page := decodeBody[surveyList](t, rec.Body.Bytes())
		if len(page.Surveys) > 2 {
			t.Fatalf("page of %d", len(page.Surveys))
		}
		for _, sv := range page.Surveys {
			if seen[sv.ID] {
				t.Errorf("%s on two pages", sv.ID)
			}
			seen[sv.ID] = true
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if len(seen) != len(made) {
		t.Errorf("saw %d surveys, made %d", len(seen), len(made))
	}
	wantStatus(t, h.do("GET", "/api/v1/surveys?limit=0", "", h.lead.as()), http.StatusUnprocessableEntity)
	wantStatus(t, h.do("GET", "/api/v1/surveys?cursor=bogus", "", h.lead.as()), http.StatusUnprocessableEntity)
}

func TestFrameworkAPI(t *testing.T) {
	h := newDesignHarness(t)
	rec := h.do("GET", "/api/v1/framework", "", h.lead.as())
	wantStatus(t, rec, http.StatusOK)
	fw := decodeBody[framework.Framework](t, rec.Body.Bytes())
	if err := fw.Validate(); err != nil {
		t.Fatalf("served framework invalid: %v", err)
	}
	perConstruct := map[string]int{}
	pairs := map[string][]string{}
	for _, it := range fw.Items {
		perConstruct[it.Construct]++
		if _, ok := fw.Scale(it.Scale); !ok {
			t.Errorf("item %s has unknown scale %s", it.Key, it.Scale)
		}
		if it.Perspective != "" {
			pairs[it.Behaviour] = append(pairs[it.Behaviour], it.Perspective)
		}
	}
	competencies := 0
	for _, c := range fw.Constructs {
		if c.Source == "" {
			t.Errorf("construct %s cites no source", c.Key)
		}
		if c.Kind == framework.KindCompetency {
			competencies++
			if perConstruct[c.Key] < 2 {
				t.Errorf("competency %s has %d items", c.Key, perConstruct[c.Key])
			}
		}
	}
	if competencies != 7 {
		t.Errorf("%d competencies, want 7", competencies)
	}
	for b, ps := range pairs {
		slices.Sort(ps)
		if !slices.Equal(ps, []string{"experienced", "self"}) {
			t.Errorf("behaviour %s perspectives %q", b, ps)
		}
	}

	// A custom item in a new competency joins the framework and can be chosen.
	rec = h.do("POST", "/api/v1/items", `{"text":"My team shares credit fairly.","scale":"agree5",
	 "new_construct":{"key":"credit","name":"Credit sharing","description":"Who gets credit."}}`, h.lead.as())
	wantStatus(t, rec, http.StatusCreated)
	it := decodeBody[framework.Item](t, rec.Body.Bytes())
	if it.Construct != "credit" || !it.Custom || it.Key == "" {
		t.Errorf("custom item %+v", it)
	}
	fw = decodeBody[framework.Framework](t, h.do("GET", "/api/v1/framework", "", h.lead.as()).Body.Bytes())
	if _, ok := fw.Item(it.Key); !ok {
		t.Errorf("custom item %s not in the framework", it.Key)
	}
	h.create(`{"title":"With custom","items":["` + it.Key + `","belonging.1"]}`)
	rec = h.do("POST", "/api/v1/items", `{"key":"`+it.Key+`","text":"","scale":"text","construct":"ally"}`, h.lead.as())
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	got := problemFields(t, rec)
	for _, f := range []string{"key", "text", "scale", "construct"} {
		if !slices.Contains(got, f) {
			t.Errorf("custom item: no error for %s (%q)", f, got)
		}
	}
}

// FuzzCreateSurvey sends arbitrary bodies to POST /surveys: the answer is
// always a 201 or a problem (400, 413, 415 or 422), never a 500, and a 201
// survey satisfies the design's invariants.
func FuzzCreateSurvey(f *testing.F) {
	for _, seed := range []string{
		minimalSurvey,
		`{"title":"x","items":["belonging.1"]}`,
		`{"title":"x","items":["ally.confront.self","screen.witnessed"],"schedule":{"cadence":"weekly","wave_days":6}}`,
		`{"title":"x","items":["belonging.1","belonging.2","voice.1","voice.2"],"schedule":{"cadence":"monthly"},"rotation":{"items_per_wave":2,"cover_every":2}}`,
		`{"title":"x","items":["belonging.1"],"rotation":null,"schedule":{"opens_at":null}}`,
		`{"title":"x","items":[],"anonymity":{"min_group_size":-1}}`,
		`{"demographics":[{"key":"a","label":"A","options":["Prefer not to say"]}]}`,
		`[]`, `null`, `{"title":1}`, `{"items":"belonging.1"}`,
	} {
		f.Add(seed)
	}
	srv, lead := fuzzServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		h := &designHarness{authHarness: &authHarness{t: t, srv: srv}, lead: lead}
		rec := h.do("POST", "/api/v1/surveys", body, h.lead.as())
		switch rec.Code {
		case http.StatusCreated:
			sv := decodeBody[surveyJSON](t, rec.Body.Bytes())
			if sv.Anonymity.MinGroupSize < survey.FloorK || sv.Anonymity.MinSensitiveGroupSize < sv.Anonymity.MinGroupSize {
				t.Errorf("thresholds below floors: %+v", sv.Anonymity)
			}
			for _, dm := range sv.Demographics {
				if !slices.Contains(dm.Options, survey.PreferNotToSay) {
					t.Errorf("%s lacks Prefer not to say", dm.Key)
				}
			}
			if len(sv.Items) == 0 || sv.Title == "" {
				t.Errorf("empty survey accepted: %s", rec.Body)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity:
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%d with content type %q", rec.Code, ct)
			}
		default:
			t.Errorf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
	})
}

// fuzzServer builds one server with a signed-in lead for every fuzz input.
func fuzzServer(f *testing.F) (*Server, browser) {
	ctx := context.Background()
	d := testtools.OpenDB(f, db.SQLite)
	srv := New(Config{BaseURL: "http://allypulse.test"}, Deps{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if _, err := srv.accounts.CreateUser(ctx, account.NewUser{Email: "lead@example.test", Role: account.RoleLead, Password: harnessPassword}); err != nil {
		f.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"email":"lead@example.test","password":"`+harnessPassword+`"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	b := browserOf(rec)
	if b.session == "" {
		f.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	return srv, b
}
