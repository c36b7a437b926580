package api

import (
	"net/http"
	"strings"
	"testing"
)

func TestMetricsExposeRoutesLatencyAndPool(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.do("GET", "/healthz", "")
	h.do("GET", "/healthz", "")
	h.do("GET", "/api/v1/me", "")
	rec := h.do("GET", "/metrics", "")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	body := rec.Body.String()
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
	if body := h.do("GET", "/metrics", "").Body.String(); strings.Contains(body, "secretcode123") ||
		!strings.Contains(body, `route="/api/v1/respond/:code"`) {
		t.Errorf("respond route not labelled by its pattern")
	}
}
