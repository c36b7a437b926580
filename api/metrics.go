package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/allypulse/allypulse/internal/db"
)

// metrics is the server's own Prometheus registry (no global registry).
//
// What it holds is operational only: requests and latency by route pattern,
// method and status, the Go runtime, the process and the database pool. No
// label names a survey, a wave, a code or a path as requested, so nothing
// here counts the submissions of one survey or wave; the respond routes are
// counted together for every survey. Even so, the live request counts show
// when submissions arrive, so /metrics is off unless the operator protects
// it with a token (Config.MetricsToken) or moves it to a private listener
// (Config.MetricsAddr).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(d *db.DB) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "allypulse_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "allypulse_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
	}
	m.reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(d.SQL, d.Dialect))
	return m
}

// countRequests records every request by route pattern (never the raw path,
// which for respond routes holds a code).
func (s *Server) countRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		s.metrics.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(c.Response().Status)).Inc()
		s.metrics.latency.WithLabelValues(route, c.Request().Method).Observe(time.Since(start).Seconds())
		return nil
	}
}

func (s *Server) handleMetrics(c echo.Context) error {
	promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}).ServeHTTP(c.Response(), c.Request())
	return nil
}

// requireMetricsToken lets a request through only with
// "Authorization: Bearer <MetricsToken>" when a token is configured. Both
// sides are hashed before the constant-time comparison, so neither the
// token's content nor its length shows in the timing.
func (s *Server) requireMetricsToken(next echo.HandlerFunc) echo.HandlerFunc {
	want := sha256.Sum256([]byte(s.cfg.MetricsToken))
	return func(c echo.Context) error {
		if s.cfg.MetricsToken == "" {
			return next(c)
		}
		scheme, token, _ := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
		got := sha256.Sum256([]byte(strings.TrimSpace(token)))
		if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			return echo.NewHTTPError(http.StatusUnauthorized, "Use Authorization: Bearer <metrics token> (ALLYPULSE_METRICS_TOKEN).")
		}
		return next(c)
	}
}

// MetricsHTTPServer is the listener of its own for /metrics at
// Config.MetricsAddr, or nil when metrics share the main address or are
// off. It serves /metrics only (behind the token when one is set); anything
// else is a 404.
func (s *Server) MetricsHTTPServer() *http.Server {
	if s.cfg.MetricsAddr == "" {
		return nil
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Pre(headAsGet)
	e.Use(s.recoverPanics, s.securityHeaders)
	e.GET("/metrics", s.handleMetrics, s.requireMetricsToken)
	return &http.Server{
		Addr:              s.cfg.MetricsAddr,
		Handler:           e,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
}
