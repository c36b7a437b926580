package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/survey/report"
	"github.com/allypulse/allypulse/survey/summary"
	"github.com/allypulse/allypulse/survey/xlsx/xlsxtest"
)

// send makes a request with a JSON body and a bearer token.
func (h *exportHarness) send(token, method, path, body string) *httptest.ResponseRecorder {
	h.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	return rec
}

// wantStatus fails unless rec has status code.
func wantCode(t *testing.T, rec *httptest.ResponseRecorder, code int, what string) {
	t.Helper()
	if rec.Code != code {
		t.Fatalf("%s: %d %s, want %d", what, rec.Code, rec.Body, code)
	}
}

// wantField checks a 422 problem+json that names field.
func wantField(t *testing.T, rec *httptest.ResponseRecorder, field, what string) {
	t.Helper()
	if rec.Code != http.StatusUnprocessableEntity || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
		t.Errorf("%s: %d %s %s, want 422 problem+json", what, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		return
	}
	p := decodeBody[Problem](t, rec.Body.Bytes())
	for _, f := range p.Errors {
		if f.Field == field {
			return
		}
	}
	t.Errorf("%s: errors %+v do not name %q", what, p.Errors, field)
}

func TestActionPlansRolesValidationAndConflicts(t *testing.T) {
	h := newExportHarness(t, 120, 160)
	admin := h.token("admin@example.test", account.RoleAdmin)
	plans := h.path("plans")

	focusBody := `{"wave": 1, "source": {"kind": "competency", "metric": "belonging"}, "title": "Belonging in every team"}`
	wantCode(t, h.send(h.exec, "POST", plans, focusBody), http.StatusForbidden, "executive creates a focus area")
	wantCode(t, h.send("", "POST", plans, focusBody), http.StatusUnauthorized, "anonymous creates a focus area")
	rec := h.send(h.lead, "POST", plans, focusBody)
	wantCode(t, rec, http.StatusCreated, "lead creates a focus area")
	var f focusJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	if f.MetricName == "" || len(f.Suggestions) == 0 {
		t.Errorf("focus area without metric name or suggestions: %+v", f)
	}
	wantCode(t, h.send(admin, "POST", plans, `{"wave": 2, "source": {"kind": "gap", "metric": "belonging", "dimension": "department", "option": "Sales"}, "title": "Sales"}`),
		http.StatusCreated, "admin creates a gap focus area")

	// Progress is the released cell of each wave from the focus area's own.
	var list plansResponse
	h.getJSON(h.exec, plans, &list)
	if len(list.FocusAreas) != 2 {
		t.Fatalf("executive reads %d focus areas, want 2", len(list.FocusAreas))
	}
	got := list.FocusAreas[0]
	if got.ID != f.ID {
		got = list.FocusAreas[1]
	}
	if len(got.Progress) != 2 {
		t.Fatalf("progress over %d waves, want 2 (waves 1 and 2)", len(got.Progress))
	}
	for _, p := range got.Progress {
		var rel report.Release
		h.getJSON(h.lead, h.path("results?wave="+strconv.Itoa(p.Wave)), &rel)
		for _, c := range rel.Competencies {
			if c.Key == "belonging" && !cellsEqual(c.Overall, p.Cell) {
				t.Errorf("wave %d: progress %+v, released %+v", p.Wave, p.Cell, c.Overall)
			}
		}
	}

	// Bad input: 422 naming the field, 400 for malformed JSON.
	for _, tc := range []struct{ body, field string }{
		{`{"wave": 1, "source": {"kind": "competency", "metric": "belonging"}, "title": "  "}`, "title"},
		{`{"wave": 9, "source": {"kind": "competency", "metric": "belonging"}, "title": "x"}`, "wave"},
		{`{"wave": 0, "source": {"kind": "competency", "metric": "belonging"}, "title": "x"}`, "wave"},
		{`{"wave": 1, "source": {"kind": "mood", "metric": "belonging"}, "title": "x"}`, "source.kind"},
		{`{"wave": 1, "source": {"kind": "competency", "metric": "nope"}, "title": "x"}`, "source.metric"},
		{`{"wave": 1, "source": {"kind": "gap", "metric": "belonging"}, "title": "x"}`, "source.dimension"},
		{`{"wave": 1, "source": {"kind": "gap", "metric": "belonging", "dimension": "department", "option": "Mars"}, "title": "x"}`, "source.option"},
		{`{"wave": 1, "source": {"kind": "competency", "metric": "belonging", "option": "Sales"}, "title": "x"}`, "source.option"},
		{`{"wave": "one", "source": {"kind": "competency", "metric": "belonging"}, "title": "x"}`, "wave"},
		{`{"wave": 1, "source": {"kind": "competency", "metric": "belonging"}, "title": "x", "owner": "y"}`, "owner"},
		{`{"wave": 1, "source": {"kind": "competency", "metric": "belonging"}, "title": "` + strings.Repeat("x", 201) + `"}`, "title"},
	} {
		wantField(t, h.send(h.lead, "POST", plans, tc.body), tc.field, tc.body)
	}
	wantCode(t, h.send(h.lead, "POST", plans, `{"wave": 1,`), http.StatusBadRequest, "malformed JSON")

	actions := plans + "/" + f.ID + "/actions"
	leadUser, err := h.srv.accounts.UserByEmail(t.Context(), "lead@example.test")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ body, field string }{
		{`{"title": ""}`, "title"},
		{`{"title": "x", "due": "2026-13-01"}`, "due"},
		{`{"title": "x", "status": "someday"}`, "status"},
		{`{"title": "x", "owner_id": "nobody"}`, "owner_id"},
		{`{"title": "x", "suggestion": "ally.shout"}`, "suggestion"},
	} {
		wantField(t, h.send(h.lead, "POST", actions, tc.body), tc.field, tc.body)
	}
	wantCode(t, h.send(h.exec, "POST", actions, `{"title": "x"}`), http.StatusForbidden, "executive adds an action")
	rec = h.send(h.lead, "POST", actions, `{"title": "Name biased remarks in team meetings", "owner_id": "`+leadUser.ID+`", "due": "2026-09-30", "suggestion": "ally.confront"}`)
	wantCode(t, rec, http.StatusCreated, "lead adds an action")
	a := decodeBody[actionJSON](t, rec.Body.Bytes())
	if a.Status != "planned" || a.OwnerName == "" || a.Revision != 0 {
		t.Errorf("new action %+v", a)
	}

	// Edits carry the revision they were made from; a stale one is 409.
	one := actions + "/" + a.ID
	wantField(t, h.send(h.lead, "PATCH", one, `{"status": "done"}`), "revision", "edit without revision")
	wantCode(t, h.send(h.lead, "PATCH", one, `{"status": "in_progress", "revision": 0}`), http.StatusOK, "first edit")
	wantCode(t, h.send(admin, "PATCH", one, `{"status": "done", "revision": 0}`), http.StatusConflict, "edit from an old revision")
	wantCode(t, h.send(h.exec, "PATCH", one, `{"status": "done", "revision": 1}`), http.StatusForbidden, "executive edits")
	wantCode(t, h.send(h.lead, "PATCH", plans+"/"+f.ID, `{"title": "Belonging", "revision": 3}`), http.StatusConflict, "stale focus edit")
	wantCode(t, h.send(h.lead, "PATCH", plans+"/"+f.ID, `{"title": "Belonging", "revision": 0}`), http.StatusOK, "focus edit")
	wantCode(t, h.send(h.lead, "PATCH", plans+"/nope", `{"title": "Belonging", "revision": 0}`), http.StatusNotFound, "unknown focus")

	// The summary lists the action under way.
	var sum summary.Summary
	h.getJSON(h.exec, h.path("summary"), &sum)
	if len(sum.Actions.UnderWay) != 1 || sum.Actions.UnderWay[0].Status != "in_progress" {
		t.Errorf("summary actions %+v", sum.Actions)
	}
	h.wantAudit("plan.action.update", "focus="+f.ID+" action="+a.ID+" status=in_progress")

	wantCode(t, h.send(h.exec, "DELETE", one, ``), http.StatusForbidden, "executive deletes")
	wantCode(t, h.send(h.lead, "DELETE", one, ``), http.StatusNoContent, "lead deletes an action")
	wantCode(t, h.send(h.lead, "DELETE", plans+"/"+f.ID, ``), http.StatusNoContent, "lead deletes a focus area")
	wantCode(t, h.send(h.lead, "DELETE", plans+"/"+f.ID, ``), http.StatusNotFound, "deleted twice")
}

// TestSummaryIsTheLatestClosedWave checks that the summary shows the
// latest closed wave, never the open one, with released cells only.
func TestSummaryIsTheLatestClosedWave(t *testing.T) {
	h := newExportHarnessSpec(t, xlsxtest.Spec{Responses: []int{150, 170, 160}, OpenLast: true})
	var sum summary.Summary
	h.getJSON(h.exec, h.path("summary"), &sum)
	if sum.Wave != 2 || sum.Partial || sum.LiveWave != 3 || sum.PreviousWave != 1 {
		t.Fatalf("summary of wave %d (partial %v, live %d, previous %d), want wave 2, not partial, live 3, previous 1",
			sum.Wave, sum.Partial, sum.LiveWave, sum.PreviousWave)
	}
	var rel, prev report.Release
	h.getJSON(h.exec, h.path("results?wave=2"), &rel)
	h.getJSON(h.exec, h.path("results?wave=1"), &prev)
	if !cellsEqual(sum.Index.Cell, rel.Index.Overall) || !cellsEqual(sum.ENPS.Cell, rel.ENPS.Overall) {
		t.Errorf("headline cells differ from the release: %+v %+v", sum.Index.Cell, rel.Index.Overall)
	}
	if sum.Index.Change != nil && rel.Index.Overall.Score != nil && prev.Index.Overall.Score != nil {
		want := *rel.Index.Overall.Score - *prev.Index.Overall.Score
		if d := *sum.Index.Change - want; d > 0.051 || d < -0.051 {
			t.Errorf("index change %v, want %v", *sum.Index.Change, want)
		}
	}
	if len(sum.Gaps) > 3 {
		t.Errorf("%d gaps, want at most 3", len(sum.Gaps))
	}
	for _, g := range sum.Gaps {
		if !g.Cell.Flagged || g.Cell.Value == nil || *g.Cell.Value >= 0 {
			t.Errorf("gap %+v is not a flagged shortfall", g)
		}
	}
	if len(sum.Trend) != 3 || !sum.Trend[2].Partial {
		t.Errorf("trend %+v, want 3 waves with the last partial", sum.Trend)
	}
	wantCode(t, h.get(h.exec, h.path("summary?wave=3")), http.StatusOK, "the open wave on request")
	rec := h.get(h.exec, h.path("summary?wave=x"))
	wantCode(t, rec, http.StatusBadRequest, "bad wave")
	rec = h.get(h.exec, h.path("summary?by=department"))
	wantCode(t, rec, http.StatusBadRequest, "unknown parameter")
}
