package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const testMetricsToken = "metrics-token-0123456789"

// problemOf decodes a problem+json answer.
func problemOf(t *testing.T, rec *httptest.ResponseRecorder) Problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body %q: %v", rec.Body.String(), err)
	}
	return p
}

func TestMetricsOffByDefault(t *testing.T) {
	h := newAuthHarness(t, Config{})
	for _, method := range []string{"GET", "HEAD"} {
		rec := h.do(method, "/metrics", "")
		if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "allypulse_http") {
			t.Errorf("%s /metrics without token or address: %d %s", method, rec.Code, rec.Body)
		}
	}
	if p := problemOf(t, h.do("GET", "/metrics", "")); p.Status != http.StatusNotFound {
		t.Errorf("problem %+v", p)
	}
	if h.srv.MetricsHTTPServer() != nil {
		t.Error("a metrics listener without ALLYPULSE_METRICS_ADDR")
	}
}

func TestMetricsToken(t *testing.T) {
	h := newAuthHarness(t, Config{MetricsToken: testMetricsToken})
	for name, hdr := range map[string]string{
		"no header":         "",
		"wrong token":       "Bearer " + testMetricsToken + "x",
		"prefix of token":   "Bearer " + testMetricsToken[:10],
		"empty token":       "Bearer ",
		"basic scheme":      "Basic " + testMetricsToken,
		"token, no scheme":  testMetricsToken,
		"other case prefix": "Bearer " + strings.ToUpper(testMetricsToken),
	} {
		var opts []reqOpt
		if hdr != "" {
			opts = append(opts, withHeader("Authorization", hdr))
		}
		rec := h.do("GET", "/metrics", "", opts...)
		if rec.Code != http.StatusUnauthorized || strings.Contains(rec.Body.String(), "allypulse_http") {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body)
			continue
		}
		if p := problemOf(t, rec); p.Status != http.StatusUnauthorized || p.Type != "/problems/unauthorized" {
			t.Errorf("%s: problem %+v", name, p)
		}
		if rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s: 401 without WWW-Authenticate", name)
		}
	}
	rec := h.do("GET", "/metrics", "", withBearer(testMetricsToken))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics with the token: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	// The bearer scheme is case-insensitive (RFC 9110), the token is not.
	if rec := h.do("GET", "/metrics", "", withHeader("Authorization", "bearer "+testMetricsToken)); rec.Code != http.StatusOK {
		t.Errorf("lower-case scheme: %d", rec.Code)
	}
}

func TestMetricsExposeRoutesLatencyAndPool(t *testing.T) {
	h := newAuthHarness(t, Config{MetricsToken: testMetricsToken})
	h.do("GET", "/healthz", "")
	h.do("GET", "/healthz", "")
	h.do("GET", "/api/v1/me", "")
	scrape := func() string {
		rec := h.do("GET", "/metrics", "", withBearer(testMetricsToken))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /metrics: %d", rec.Code)
		}
		return rec.Body.String()
	}
	body := scrape()
	for _, want := range []string{
		`allypulse_http_requests_total{method="GET",route="/healthz",status="200"} 2`,
		`allypulse_http_requests_total{method="GET",route="/api/v1/me",status="401"} 1`,
		`allypulse_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="+Inf"} 2`,
		`allypulse_http_request_duration_seconds_count{method="GET",route="/api/v1/me"} 1`,
		`go_sql_max_open_connections{db_name="sqlite"}`,
		`go_sql_open_connections{db_name="sqlite"}`,
		`go_sql_wait_count_total{db_name="sqlite"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// Routes are labelled by pattern: a respondent's code never appears.
	h.do("GET", "/api/v1/respond/secretcode123", "")
	if body := scrape(); strings.Contains(body, "secretcode123") ||
		!strings.Contains(body, `route="/api/v1/respond/:code"`) {
		t.Errorf("respond route not labelled by its pattern")
	}
}

// TestMetricsNameNoSurveyOrWave: submissions to a survey and reads of its
// results leave no label with the survey's id, a wave or a code, and no
// path that is not a route pattern, so nothing counts one survey's
// submissions.
func TestMetricsNameNoSurveyOrWave(t *testing.T) {
	e := newRespondEnv(t, Config{MetricsToken: testMetricsToken})
	codes := e.invites(5, map[string]string{"department": "Sales"})
	for _, c := range codes[:3] {
		if rec := e.answer(t, c, submissionJSON(t, fullAnswers())); rec.Code != http.StatusCreated {
			t.Fatalf("submit: %d %s", rec.Code, rec.Body)
		}
	}
	e.do(http.MethodGet, "/api/v1/respond/"+e.wave.Slug, "", "")
	e.do(http.MethodGet, "/s/"+e.wave.Slug, "", "")
	e.do(http.MethodGet, "/api/v1/surveys/"+e.survey.ID+"/results?wave=1", "", "")
	e.do(http.MethodGet, "/api/v1/surveys/"+e.survey.ID+"/waves/1/invites", "", "")
	e.do(http.MethodGet, "/no/such/"+e.survey.ID, "", "")
	rec := e.do(http.MethodGet, "/metrics", "", "", "Authorization", "Bearer "+testMetricsToken)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d", rec.Code)
	}
	body := rec.Body.String()
	secrets := append([]string{e.survey.ID, e.wave.ID, e.wave.Slug, "Sales", "department"}, codes...)
	for _, s := range secrets {
		if strings.Contains(body, s) {
			t.Errorf("/metrics holds %q", s)
		}
	}
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if _, rest, ok := strings.Cut(line, `route="`); ok {
			route, _, _ := strings.Cut(rest, `"`)
			if route != "unmatched" && !registeredRoute(e.srv, route) {
				t.Errorf("label route=%q is not a route pattern", route)
			}
		}
		name, _, _ := strings.Cut(line, "{")
		if strings.Contains(name, "survey") || strings.Contains(name, "wave") || strings.Contains(name, "response") {
			t.Errorf("a metric per survey, wave or response: %s", line)
		}
	}
	if !strings.Contains(body, `route="/api/v1/ballots",status="201"} 3`) {
		t.Errorf("submissions are not counted together under the route pattern:\n%s", body)
	}
}

func registeredRoute(s *Server, path string) bool {
	for _, r := range s.Echo().Routes() {
		if r.Path == path {
			return true
		}
	}
	return false
}

// TestMetricsOnTheirOwnAddress: with a metrics address, /metrics leaves the
// main handler and its own listener serves it, and nothing else.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	for _, token := range []string{"", testMetricsToken} {
		h := newAuthHarness(t, Config{MetricsAddr: "127.0.0.1:0", MetricsToken: token})
		h.do("GET", "/healthz", "")
		for _, opts := range [][]reqOpt{nil, {withBearer(testMetricsToken)}} {
			if rec := h.do("GET", "/metrics", "", opts...); rec.Code != http.StatusNotFound {
				t.Errorf("token %q: main address answered /metrics with %d", token, rec.Code)
			}
		}
		ms := h.srv.MetricsHTTPServer()
		if ms == nil || ms.Addr != "127.0.0.1:0" {
			t.Fatalf("token %q: metrics server %+v", token, ms)
		}
		get := func(path string, hdr ...string) *httptest.ResponseRecorder {
			req := httptest.NewRequest("GET", path, nil)
			for i := 0; i+1 < len(hdr); i += 2 {
				req.Header.Set(hdr[i], hdr[i+1])
			}
			rec := httptest.NewRecorder()
			ms.Handler.ServeHTTP(rec, req)
			return rec
		}
		if token != "" {
			if rec := get("/metrics"); rec.Code != http.StatusUnauthorized || problemOf(t, rec).Status != http.StatusUnauthorized {
				t.Errorf("metrics address without the token: %d %s", rec.Code, rec.Body)
			}
			if rec := get("/metrics", "Authorization", "Bearer wrong-token-0123456789"); rec.Code != http.StatusUnauthorized {
				t.Errorf("metrics address with a wrong token: %d", rec.Code)
			}
		}
		rec := get("/metrics", "Authorization", "Bearer "+token)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `allypulse_http_requests_total{method="GET",route="/healthz",status="200"} 1`) {
			t.Errorf("token %q: metrics address: %d %s", token, rec.Code, rec.Body)
		}
		for _, path := range []string{"/healthz", "/api/v1/me", "/"} {
			if rec := get(path); rec.Code != http.StatusNotFound {
				t.Errorf("metrics address serves %s: %d", path, rec.Code)
			}
		}
	}
}

// TestMetricsListenerServes runs the metrics server on a real port.
func TestMetricsListenerServes(t *testing.T) {
	h := newAuthHarness(t, Config{MetricsAddr: "127.0.0.1:0", MetricsToken: testMetricsToken})
	ms := h.srv.MetricsHTTPServer()
	srv := httptest.NewUnstartedServer(ms.Handler)
	srv.Config = ms
	srv.Start()
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+testMetricsToken)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET /metrics over TCP: %d", res.StatusCode)
	}
}
