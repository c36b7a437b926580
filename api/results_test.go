package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
)

// resultsHarness is a Server over a fresh SQLite file with one launched
// survey and an open wave of 40 responses, and a lead's API token.
type resultsHarness struct {
	t     *testing.T
	srv   *Server
	sv    survey.Survey
	token string
}

func newResultsHarness(t *testing.T) *resultsHarness {
	t.Helper()
	ctx := context.Background()
	d := testtools.OpenDB(t, db.SQLite)
	now := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	store := survey.NewStore(d.Gorm)
	sv := survey.Survey{ID: kernel.NewID(), Title: "Pulse", Status: survey.StatusLaunched,
		Design: survey.Design{
			Items: []string{"belonging.1", "belonging.3", "voice.1", "outcome.enps"},
			Demographics: []survey.Demographic{
				{Key: "dept", Label: "Department", Options: []string{"Sales", "Engineering", survey.PreferNotToSay}},
				{Key: "gender", Label: "Gender", Options: []string{"Woman", "Man", survey.PreferNotToSay}, Sensitive: true},
				{Key: "ethnicity", Label: "Ethnicity", Options: []string{"A", "B", survey.PreferNotToSay}, Sensitive: true},
			},
		},
		Anonymity: survey.DefaultAnonymity(), PracticalGapPoints: 5,
		Schedule:  survey.Schedule{Cadence: survey.CadenceOnce, OpensAt: now.Add(-time.Hour), WaveDays: 14},
		CreatedAt: now, UpdatedAt: now}
	if err := store.CreateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	w, err := store.CreateWave(ctx, survey.Wave{ID: kernel.NewID(), SurveyID: sv.ID, Number: 1, OpensAt: now.Add(-time.Hour),
		ClosesAt: now.Add(14 * 24 * time.Hour), Slug: kernel.NewSecret(), Items: sv.Design.Items})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40; i++ {
		demo := []byte{byte(1 + i%2), byte(1 + i%3), 0}
		if i == 0 {
			demo[0] = 3 // one person preferred not to say
		}
		answers := []byte{survey.EncodeAnswer(1 + i%5), survey.EncodeAnswer(4), survey.EncodeAnswer(2 + i%4), survey.EncodeAnswer(i % 11)}
		row := map[string]any{"wave_id": w.ID, "id": kernel.NewID(), "demo": demo, "answers": answers}
		if err := d.Gorm.Table("responses").Create(row).Error; err != nil {
			t.Fatal(err)
		}
	}
	srv := New(Config{BaseURL: "http://allypulse.test"}, Deps{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Clock: kernel.ClockFunc(func() time.Time { return now })})
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	u, err := srv.accounts.CreateUser(ctx, account.NewUser{Email: "lead@example.test", Name: "Lead", Role: account.RoleLead, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := srv.accounts.CreateToken(ctx, u, "results test", account.RoleLead)
	if err != nil {
		t.Fatal(err)
	}
	return &resultsHarness{t: t, srv: srv, sv: sv, token: token}
}

func (h *resultsHarness) get(path string) *httptest.ResponseRecorder {
	h.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+h.token)
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	return rec
}

// Views outside the closed lattice are refused with a problem naming the
// parameter at fault.
func TestResultsRefuseOutsideLattice(t *testing.T) {
	h := newResultsHarness(t)
	base := "/api/v1/surveys/" + h.sv.ID
	// A parameter a view does not take is refused with the list of the ones
	// it does take (suffix), not the list of another view.
	for _, c := range []struct{ path, field, suffix string }{
		{"/results?by=nope", "by", ""},
		{"/results?by=dept&by=gender", "by", ""},
		{"/results?filter=dept", "filter", ""},
		{"/results?filter=dept:Nope", "filter", ""},
		{"/results?filter=nope:Sales", "filter", ""},
		{"/results?filter=dept:Sales&filter=gender:Woman", "filter", ""},
		{"/results?filter=gender:Woman&by=ethnicity", "by", ""},
		{"/results?filter=dept:Sales&by=dept", "by", ""},
		{"/results?wave=abc", "wave", ""},
		{"/results?wave=0", "wave", ""},
		{"/results?from=2026-01-01", "from", "(allowed: wave, by, filter)"},
		{"/results?filter=dept:Sales%7Cdept:Engineering", "filter", ""},
		{"/heatmap?by=dept,gender", "by", ""},
		{"/gaps?by=nope", "by", ""},
		{"/behaviours?by=dept", "by", "(allowed: wave, filter)"},
		{"/trend?wave=1", "wave", "(allowed: by, filter)"},
		{"/comments?filter=gender:Woman", "filter", ""},
		{"/comments?by=dept", "by", "(allowed: wave, filter)"},
	} {
		rec := h.get(base + c.path)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d %s", c.path, rec.Code, rec.Body)
			continue
		}
		var p Problem
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || len(p.Errors) != 1 || p.Errors[0].Field != c.field ||
			!strings.HasSuffix(p.Errors[0].Message, c.suffix) {
			t.Errorf("%s: problem %s, want field %q, message ending %q", c.path, rec.Body, c.field, c.suffix)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("%s: content type %q", c.path, ct)
		}
	}
}

// Every results view answers with the engine's JSON; a suppressed cell has
// nothing but its flag and reason.
func TestResultsViews(t *testing.T) {
	h := newResultsHarness(t)
	base := "/api/v1/surveys/" + h.sv.ID
	for _, path := range []string{"/results", "/results?by=dept", "/results?wave=1&by=gender&filter=dept:Sales",
		"/heatmap?by=dept", "/gaps?by=dept", "/behaviours", "/trend?by=dept", "/comments"} {
		rec := h.get(base + path)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
	var r struct {
		Respondents struct{ N int } `json:"respondents"`
		Groups      []struct {
			Option string         `json:"option"`
			Count  map[string]any `json:"count"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(h.get(base+"/results?by=dept").Body.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.Respondents.N != 40 || len(r.Groups) != 4 {
		t.Fatalf("results: %+v", r)
	}
	for _, g := range r.Groups {
		if g.Count["suppressed"] == true && len(g.Count) != 2 {
			t.Errorf("suppressed group %s carries %v", g.Option, g.Count)
		}
	}
	if rec := h.get("/api/v1/surveys/nope/results"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown survey: %d", rec.Code)
	}
	if rec := h.get(base + "/results?wave=7"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown wave: %d", rec.Code)
	}
}

// A survey with no wave to show yet (a draft) still reports its own
// anonymity thresholds in the trend, never zeros.
func TestTrendOfDraftKeepsThresholds(t *testing.T) {
	h := newDesignHarness(t)
	sv := h.create(minimalSurvey)
	rec := h.do("GET", "/api/v1/surveys/"+sv.ID+"/trend", "", h.lead.as())
	wantStatus(t, rec, http.StatusOK)
	tr := decodeBody[report.Trend](t, rec.Body.Bytes())
	a := survey.DefaultAnonymity()
	if tr.Thresholds.K != a.MinGroupSize || tr.Thresholds.KS != a.MinSensitiveGroupSize || tr.Thresholds.KC != a.MinCommentGroupSize {
		t.Errorf("thresholds %+v, want the survey's %+v", tr.Thresholds, a)
	}
}
