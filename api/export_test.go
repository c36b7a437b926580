package api

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/csvexport"
	"github.com/allypulse/allypulse/survey/report"
	"github.com/allypulse/allypulse/survey/xlsx"
	"github.com/allypulse/allypulse/survey/xlsx/xlsxtest"
)

// exportHarness is a Server over a seeded SQLite database with three closed
// waves, and API tokens for a lead and an executive.
type exportHarness struct {
	t          testing.TB
	srv        *Server
	db         *db.DB
	seed       xlsxtest.Seeded
	lead, exec string
}

func newExportHarness(t testing.TB, responses ...int) *exportHarness {
	t.Helper()
	return newExportHarnessSpec(t, xlsxtest.Spec{Responses: responses})
}

// newExportHarnessSpec seeds the survey of spec (its comments and seed
// filled in).
func newExportHarnessSpec(t testing.TB, spec xlsxtest.Spec) *exportHarness {
	t.Helper()
	d := testtools.OpenDB(t, db.SQLite)
	// The clock stands still at the real time of the test, so that browser
	// sessions made by the server are not already expired.
	now := time.Now().UTC().Truncate(time.Second)
	spec.Comments, spec.Seed = xlsxtest.HostileComments, 42
	seed := xlsxtest.Seed(t, d, now, spec)
	srv := New(Config{BaseURL: "http://allypulse.test"}, Deps{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Clock: kernel.ClockFunc(func() time.Time { return now })})
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	h := &exportHarness{t: t, srv: srv, db: d, seed: seed}
	h.lead = h.token("lead@example.test", account.RoleLead)
	h.exec = h.token("exec@example.test", account.RoleExecutive)
	return h
}

func (h *exportHarness) token(email, role string) string {
	h.t.Helper()
	ctx := context.Background()
	u, err := h.srv.accounts.CreateUser(ctx, account.NewUser{Email: email, Name: role, Role: role, Password: "correct horse battery"})
	if err != nil {
		h.t.Fatal(err)
	}
	_, secret, err := h.srv.accounts.CreateToken(ctx, u, "export test", role)
	if err != nil {
		h.t.Fatal(err)
	}
	return secret
}

// get sends a GET with the bearer token (none when token is "").
func (h *exportHarness) get(token, path string) *httptest.ResponseRecorder {
	h.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	return rec
}

// getJSON decodes a 200 JSON answer into out.
func (h *exportHarness) getJSON(token, path string, out any) {
	h.t.Helper()
	rec := h.get(token, path)
	if rec.Code != http.StatusOK {
		h.t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
		h.t.Fatalf("GET %s: %v", path, err)
	}
}

func (h *exportHarness) path(suffix string) string {
	return "/api/v1/surveys/" + h.seed.Survey.ID + "/" + suffix
}

// apiViews reads every view a workbook must agree with from the JSON API.
func (h *exportHarness) apiViews(token string, wave int, dims []string, comments bool) xlsxtest.Views {
	h.t.Helper()
	w := "wave=" + strconv.Itoa(wave)
	v := xlsxtest.Views{Design: h.seed.Survey.Design}
	h.getJSON(token, h.path("results?"+w), &v.Overall)
	for _, d := range dims {
		var r report.Release
		var hm report.Heatmap
		var g report.Gaps
		h.getJSON(token, h.path("results?"+w+"&by="+d), &r)
		h.getJSON(token, h.path("heatmap?"+w+"&by="+d), &hm)
		h.getJSON(token, h.path("gaps?"+w+"&by="+d), &g)
		v.Breakdowns, v.Heatmaps, v.Gaps = append(v.Breakdowns, r), append(v.Heatmaps, hm), append(v.Gaps, g)
	}
	h.getJSON(token, h.path("behaviours?"+w), &v.Behaviours)
	h.getJSON(token, h.path("trend"), &v.Trend)
	if comments {
		v.Comments = &report.Comments{}
		h.getJSON(token, h.path("comments?"+w), v.Comments)
	}
	return v
}

// TestReportXLSXMatchesAPI downloads the workbook as a lead and checks it
// against the JSON API for the same view: every number, every suppressed
// cell, the comments (hostile ones inert), the hygiene rules, the file name
// and the audit record; then LibreOffice's reading of the same file.
func TestReportXLSXMatchesAPI(t *testing.T) {
	h := newExportHarness(t, 150, 190, 230)
	dims := []string{"department", "gender"}
	rec := h.get(h.lead, h.path("report.xlsx?wave=3&by=department,gender"))
	if rec.Code != http.StatusOK {
		t.Fatalf("report.xlsx: %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != mimeXLSX {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename="inclusion-pulse-2026-wave-3.xlsx"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	data := rec.Body.Bytes()
	views := h.apiViews(h.lead, 3, dims, true)
	if views.Comments == nil || len(views.Comments.Items) == 0 {
		t.Fatal("the comments view should hold comments")
	}
	for _, problem := range xlsxtest.CompareExact(xlsxtest.MustRead(t, data), views) {
		t.Error(problem)
	}
	rep, err := xlsxtest.Check(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range rep.Violations {
		t.Error(v)
	}
	if want := h.seed.Waves[2].ClosesAt.Format(time.RFC3339); rep.Props.Created != want || rep.Props.Modified != want {
		t.Errorf("document time %s/%s, want the wave's close %s", rep.Props.Created, rep.Props.Modified, want)
	}
	h.wantAudit("report.download", "xlsx wave=3 by=department,gender")

	path := filepath.Join(t.TempDir(), "report.xlsx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, problem := range xlsxtest.Compare(xlsxtest.Grid(testtools.XLSXToCSV(t, path)), views) {
		t.Error("LibreOffice: " + problem)
	}
}

// wantAudit checks that the newest audit event is the download.
func (h *exportHarness) wantAudit(action, detail string) {
	h.t.Helper()
	events, _, err := h.srv.accounts.Events(context.Background(), 5, "")
	if err != nil {
		h.t.Fatal(err)
	}
	for _, e := range events {
		if e.Action == action && e.Target == h.seed.Survey.ID && e.Detail == detail {
			return
		}
	}
	h.t.Errorf("no audit event %s %q among %+v", action, detail, events)
}

// TestReportXLSXForExecutive: executives download the same numbers, without
// the comments their role does not read.
func TestReportXLSXForExecutive(t *testing.T) {
	h := newExportHarness(t, 120, 140)
	rec := h.get(h.exec, h.path("report.xlsx?by=location"))
	if rec.Code != http.StatusOK {
		t.Fatalf("report.xlsx as executive: %d %s", rec.Code, rec.Body)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "wave-2.xlsx") {
		t.Errorf("the latest wave should be named: %q", cd)
	}
	views := h.apiViews(h.exec, 2, []string{"location"}, false)
	for _, problem := range xlsxtest.CompareExact(xlsxtest.MustRead(t, rec.Body.Bytes()), views) {
		t.Error(problem)
	}
	if rec := h.get(h.exec, h.path("comments?wave=2")); rec.Code != http.StatusForbidden {
		t.Errorf("executives should not read comments through the API either: %d", rec.Code)
	}
}

// TestResultsCSVMatchesAPI checks every row of results.csv against
// /results for the same view.
func TestResultsCSVMatchesAPI(t *testing.T) {
	h := newExportHarness(t, 200)
	rec := h.get(h.lead, h.path("results.csv?wave=1&by=department"))
	if rec.Code != http.StatusOK {
		t.Fatalf("results.csv: %d %s", rec.Code, rec.Body)
	}
	if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename="inclusion-pulse-2026-wave-1.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	recs, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rel report.Release
	h.getJSON(h.lead, h.path("results?wave=1&by=department"), &rel)
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	type rowKey struct{ section, key, group string }
	rows := map[rowKey][]string{}
	for _, r := range recs[1:] {
		rows[rowKey{r[col["section"]], r[col["key"]], r[col["group"]]}] = r
	}
	checked := 0
	check := func(section, key, group string, c report.Cell, k int) {
		t.Helper()
		r, ok := rows[rowKey{section, xlsx.Neutralise(key), xlsx.Neutralise(group)}]
		if !ok {
			t.Errorf("no CSV row %s/%s/%s", section, key, group)
			return
		}
		checked++
		if c.Suppressed {
			if r[col["status"]] != xlsx.SuppressedText(c, k) || r[col["n"]] != "" || r[col["score"]] != "" || r[col["value"]] != "" {
				t.Errorf("suppressed %s/%s/%s: %q", section, key, group, r)
			}
			return
		}
		for name, v := range map[string]*float64{"score": c.Score, "favourable": c.Favourable, "neutral": c.Neutral,
			"unfavourable": c.Unfavourable, "mean": c.Mean, "value": c.Value} {
			want := ""
			if v != nil {
				want = strconv.FormatFloat(*v, 'f', -1, 64)
			}
			if r[col[name]] != want {
				t.Errorf("%s/%s/%s %s = %q, want %q", section, key, group, name, r[col[name]], want)
			}
		}
		if c.N > 0 && r[col["n"]] != strconv.Itoa(c.N) {
			t.Errorf("%s/%s/%s n = %q, want %d", section, key, group, r[col["n"]], c.N)
		}
		// Low/High bound the favourable share (also of eNPS, whose Value has
		// no interval), or the Value of a gap.
		lo, hi, other := "favourable_low", "favourable_high", "value_low"
		if c.Favourable == nil && c.Value != nil {
			lo, hi, other = "value_low", "value_high", "favourable_low"
		}
		for name, v := range map[string]*float64{lo: c.Low, hi: c.High} {
			if v != nil && r[col[name]] != strconv.FormatFloat(*v, 'f', -1, 64) {
				t.Errorf("%s/%s/%s %s = %q, want %g", section, key, group, name, r[col[name]], *v)
			}
		}
		if c.Low != nil && r[col[other]] != "" {
			t.Errorf("%s/%s/%s %s = %q, want empty", section, key, group, other, r[col[other]])
		}
	}
	k, kg := rel.Thresholds.K, rel.Thresholds.K
	check("respondents", "respondents", csvexport.AllRespondents, rel.Respondents, k)
	for _, row := range append([]report.Row{rel.Index, rel.ENPS}, rel.Competencies...) {
		check("results", row.Key, csvexport.AllRespondents, row.Overall, k)
		for i, c := range row.Groups {
			check("results", row.Key, rel.Groups[i].Option, c, kg)
		}
	}
	for _, it := range rel.Items {
		check("item", it.Key, csvexport.AllRespondents, it.Overall, k)
	}
	for _, g := range rel.Gaps {
		for i, c := range g.Groups {
			check("gap", g.Key, rel.Groups[i].Option, c, kg)
		}
	}
	if checked < 50 {
		t.Errorf("only %d rows checked", checked)
	}
	// The engine rounds once (one decimal on the 0-100 scale for shares,
	// scores, points; two for means): the CSV prints exactly that.
	places := map[string]int{"score": 1, "favourable": 3, "favourable_low": 3, "favourable_high": 3, "neutral": 3,
		"unfavourable": 3, "mean": 2, "value": 1, "value_low": 1, "value_high": 1}
	for _, r := range recs[1:] {
		for name, most := range places {
			if r[col["section"]] == "participation" && name == "value" {
				most = 3 // a share
			}
			f := r[col[name]]
			if i := strings.IndexByte(f, '.'); i >= 0 && len(f)-i-1 > most {
				t.Errorf("%s/%s/%s %s = %s: more than %d decimals", r[col["section"]], r[col["key"]], r[col["group"]], name, f, most)
			}
		}
	}
	h.wantAudit("results.download", "csv wave=1 by=department")
}

// TestExportRefusals: bad queries are 400 naming the parameter, unknown
// surveys 404, anonymous callers 401.
func TestExportRefusals(t *testing.T) {
	h := newExportHarness(t, 30)
	cases := []struct {
		token, path string
		status      int
	}{
		{h.lead, h.path("report.xlsx?by=nope"), http.StatusBadRequest},
		{h.lead, h.path("report.xlsx?by=department,department"), http.StatusBadRequest},
		{h.lead, h.path("report.xlsx?wave=abc"), http.StatusBadRequest},
		{h.lead, h.path("report.xlsx?filter=department:Sales"), http.StatusBadRequest},
		{h.lead, h.path("results.csv?by=department,gender"), http.StatusBadRequest},
		{h.lead, h.path("report.xlsx?wave=9"), http.StatusNotFound},
		{h.lead, "/api/v1/surveys/nope/report.xlsx", http.StatusNotFound},
		{h.lead, "/api/v1/surveys/nope/results.csv", http.StatusNotFound},
		{"", h.path("report.xlsx"), http.StatusUnauthorized},
		{"", h.path("results.csv"), http.StatusUnauthorized},
	}
	for _, c := range cases {
		rec := h.get(c.token, c.path)
		if rec.Code != c.status {
			t.Errorf("GET %s: %d, want %d: %s", c.path, rec.Code, c.status, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); rec.Code >= 400 && ct != "application/problem+json" {
			t.Errorf("GET %s: error Content-Type %q", c.path, ct)
		}
	}
	// The problem says which parameter is wrong and how.
	details := map[string]string{
		h.path("report.xlsx?wave=9"):                "this survey has no wave 9",
		h.path("results.csv?wave=9"):                "this survey has no wave 9",
		h.path("report.xlsx?by=department,nope"):    `"nope" is not a dimension of this survey`,
		h.path("results.csv?by=nope"):               `"nope" is not a dimension of this survey`,
		h.path("report.xlsx?by=department,,tenure"): "a dimension is empty",
	}
	for path, want := range details {
		var p Problem
		if err := json.Unmarshal(h.get(h.exec, path).Body.Bytes(), &p); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		if p.Detail != want {
			t.Errorf("GET %s: detail %q, want %q", path, p.Detail, want)
		}
	}
}

// xlsxtestCompare checks a downloaded workbook against the lead's API views
// and the hygiene rules.
func xlsxtestCompare(t testing.TB, h *exportHarness, data []byte, wave int, dims []string) []string {
	t.Helper()
	problems := xlsxtest.CompareExact(xlsxtest.MustRead(t, data), h.apiViews(h.lead, wave, dims, true))
	rep, err := xlsxtest.Check(data)
	if err != nil {
		return append(problems, err.Error())
	}
	return append(problems, rep.Violations...)
}

// TestExportsOpenAPI: the served document describes both downloads with
// the media types the handlers send and the parameters they accept.
func TestExportsOpenAPI(t *testing.T) {
	raw, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for path, mime := range map[string]string{
		"/api/v1/surveys/{id}/report.xlsx": mimeXLSX,
		"/api/v1/surveys/{id}/results.csv": strings.Split(mimeCSV, ";")[0],
	} {
		var op struct {
			Parameters []struct{ Name, In string }
			Responses  map[string]struct {
				Content map[string]any
			}
		}
		if err := json.Unmarshal(doc.Paths[path]["get"], &op); err != nil {
			t.Errorf("no GET %s in the OpenAPI document: %v", path, err)
			continue
		}
		if _, ok := op.Responses["200"].Content[mime]; !ok {
			t.Errorf("GET %s: 200 should be %s", path, mime)
		}
		var names []string
		for _, p := range op.Parameters {
			names = append(names, p.In+":"+p.Name)
		}
		if got := strings.Join(names, ","); got != "path:id,query:wave,query:by" {
			t.Errorf("GET %s parameters %s", path, got)
		}
		for _, code := range []string{"400", "401", "403", "404"} {
			if _, ok := op.Responses[code]; !ok {
				t.Errorf("GET %s: no %s response", path, code)
			}
		}
	}
}

// TestReportXLSXOpenWave: while a wave is open the workbook shows the
// published snapshot, the same as the API, and its document time is the
// wave's opening.
func TestReportXLSXOpenWave(t *testing.T) {
	h := newExportHarnessSpec(t, xlsxtest.Spec{Responses: []int{150, 170}, OpenLast: true})
	// Without a wave, the report is the newest closed wave's, never the
	// open wave's partial results.
	if rec := h.get(h.lead, h.path("report.xlsx?by=department")); rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "wave-1") {
		t.Errorf("report.xlsx without a wave: %d %q, want wave 1", rec.Code, rec.Header().Get("Content-Disposition"))
	}
	rec := h.get(h.lead, h.path("report.xlsx?wave=2&by=department"))
	if rec.Code != http.StatusOK {
		t.Fatalf("report.xlsx: %d %s", rec.Code, rec.Body)
	}
	views := h.apiViews(h.lead, 2, []string{"department"}, true)
	if views.Overall.Final || views.Overall.WaveStatus != survey.WaveOpen {
		t.Fatalf("wave 2 should be open, got %+v", views.Overall.Meta)
	}
	for _, problem := range xlsxtest.CompareExact(xlsxtest.MustRead(t, rec.Body.Bytes()), views) {
		t.Error(problem)
	}
	rep, err := xlsxtest.Check(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if want := h.seed.Waves[1].OpensAt.Format(time.RFC3339); rep.Props.Created != want {
		t.Errorf("document time %s, want the open wave's opening %s", rep.Props.Created, want)
	}
}
