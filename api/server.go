// Package api is the HTTP layer: echo routes, request and response types,
// middleware, and the one place that maps domain errors to problem+json.
package api

import (
	"cmp"
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/catalog"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/limits"
	"github.com/allypulse/allypulse/internal/mailer"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
	"github.com/allypulse/allypulse/survey/report"
)

// Config holds what the HTTP layer needs from the operator.
type Config struct {
	// BaseURL is the public URL used in survey links; an https URL makes
	// cookies Secure.
	BaseURL string
	// BodyLimit caps request bodies, e.g. "1M".
	BodyLimit string
	// RespondRate limits the respond routes per client address, in requests
	// per second with a burst of RespondBurst (0: 10/s; burst 0: the larger
	// of 60 and six seconds' worth; rate < 0: off).
	RespondRate  float64
	RespondBurst int
	// MetricsToken, when set, makes GET /metrics require
	// "Authorization: Bearer <MetricsToken>".
	MetricsToken string
	// MetricsAddr, when set, moves /metrics to its own listener
	// (MetricsHTTPServer) and off the main handler. With neither MetricsToken
	// nor MetricsAddr, /metrics is not served at all.
	MetricsAddr string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// names the client; empty: the socket address is the client.
	TrustedProxies []*net.IPNet
	// OIDC, when set, offers staff single sign-on (oidc.go).
	OIDC *OIDCConfig
	// Mail is the SMTP server invitations go through; without a host the
	// people page says that sending is not configured.
	Mail mailer.Config
	// MailEvery is how often the outbox sends what is due (default 5 s).
	MailEvery time.Duration
	// MailBackoff is the wait before a failed message is retried, doubled
	// after each attempt (default 1 min).
	MailBackoff time.Duration
}

// Server is the HTTP API and the embedded frontend.
type Server struct {
	cfg       Config
	e         *echo.Echo
	log       *slog.Logger
	clock     kernel.Clock
	db        *db.DB
	surveys   *survey.Store
	framework framework.Framework
	metrics   *metrics
	report    *report.Engine
	// accounts keeps staff users, sessions, tokens and the audit log;
	// limiter holds back repeated failed sign-ins.
	accounts *account.Store
	limiter  limits.Login
	// intake stores responses with group commit; respondLimit rate-limits
	// the respond routes in memory.
	intake       *survey.Intake
	respondLimit *limits.Rate
	// oidc is the single sign-on relying party; nil when not configured.
	oidc *oidcSignIn
	// outbox sends invitations and reminders in the background.
	outbox *survey.Outbox
	// assets are the embedded frontend files with their hashes.
	assets *assets
	// scheduler creates the waves of launched surveys (Start runs it).
	scheduler *survey.Scheduler
	// catalog holds the employee page's messages in every shipped language.
	catalog *catalog.Catalog
	// publishedResults returns the address of a survey's published "What
	// we heard" page, or "" while none is published; the employee page's
	// thank-you screen links to it. Nil: no such pages.
	publishedResults func(ctx context.Context, surveyID string) string
}

// Deps are the collaborators a Server is built from.
type Deps struct {
	DB    *db.DB
	Log   *slog.Logger
	Clock kernel.Clock
}

// New builds the server and registers every route.
func New(cfg Config, d Deps) *Server {
	if cfg.BodyLimit == "" {
		cfg.BodyLimit = "1M"
	}
	if d.Clock == nil {
		d.Clock = kernel.SystemClock{}
	}
	s := &Server{
		cfg:       cfg,
		e:         echo.New(),
		log:       d.Log,
		clock:     d.Clock,
		db:        d.DB,
		surveys:   survey.NewStore(d.DB.Gorm),
		framework: framework.BuiltIn(),
		metrics:   newMetrics(d.DB),
		accounts:  account.NewStore(d.DB.Gorm, d.Clock),
		limiter:   limits.NewLogin(d.DB, d.Clock),
		catalog:   catalog.MustLoad(),
	}
	if cfg.RespondRate == 0 {
		cfg.RespondRate = defaultRespondRate
	}
	if cfg.RespondBurst == 0 {
		cfg.RespondBurst = max(defaultRespondBurst, int(6*cfg.RespondRate))
	}
	s.respondLimit = limits.NewRate(cfg.RespondRate, cfg.RespondBurst, s.clock.Now)
	s.intake = survey.NewIntake(s.surveys, d.DB.SQL, s.clock, survey.IntakeConfig{Framework: s.surveys.Framework})
	s.outbox = survey.NewOutbox(s.surveys, mailer.New(cfg.Mail).Send, s.clock,
		survey.OutboxConfig{BaseURL: cfg.BaseURL, Backoff: cfg.MailBackoff}, s.auditMail)
	if cfg.OIDC != nil {
		s.oidc = &oidcSignIn{cfg: *cfg.OIDC, redirectURL: cfg.BaseURL + "/api/v1/auth/oidc/callback"}
	}
	s.scheduler = survey.NewScheduler(s.surveys, s.clock, s.log)
	s.scheduler.OnClosed = s.auditScheduledClose
	s.report = report.New(s.surveys, s.clock, report.WithFramework(s.surveys.Framework),
		report.WithBackgroundSnapshots(func(waveID string, err error) {
			s.log.Error("background snapshot failed; the next view retries", "wave", waveID, "err", err)
		}))
	s.publishedResults = s.heardURL
	a, err := loadAssets()
	if err != nil {
		panic(err) // the embedded files are part of the binary
	}
	s.assets = a
	s.e.HideBanner = true
	s.e.HidePort = true
	s.e.HTTPErrorHandler = s.handleError
	s.e.IPExtractor = ipExtractor(cfg.TrustedProxies)
	s.routes()
	return s
}

// ServeHTTP lets the server be used as an http.Handler (and in tests through
// httptest without a listener).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.e.ServeHTTP(w, r) }

// Echo exposes the router, for route listing in tests.
func (s *Server) Echo() *echo.Echo { return s.e }

// Start runs background work (the wave scheduler, retention) until ctx
// ends.
func (s *Server) Start(ctx context.Context) {
	go s.scheduler.Run(ctx, schedulerInterval)
	go s.runRetention(ctx)
	if db.IsPostgres(s.db.Gorm) {
		go s.shareRespondLimit(ctx)
	}
	go s.prepareReleases(ctx)
	go s.outbox.Run(ctx, cmp.Or(s.cfg.MailEvery, 5*time.Second))
}

// Outbox is the e-mail sender, for tests that drive it by hand.
func (s *Server) Outbox() *survey.Outbox { return s.outbox }

// auditMail records what a run of the outbox sent.
func (s *Server) auditMail(ctx context.Context, action, target, detail string) {
	if err := s.accounts.Record(ctx, account.Event{ActorEmail: "mailer", Action: action, Target: target, Detail: detail}); err != nil {
		s.log.ErrorContext(ctx, "audit log write failed", "action", action, "err", err)
	}
}

// prepareReleases computes, every prepareInterval, the releases views would
// otherwise wait for: closed waves' final releases and live waves' due
// snapshots (report.Engine.Prepare).
func (s *Server) prepareReleases(ctx context.Context) {
	t := time.NewTicker(prepareInterval)
	defer t.Stop()
	for {
		if err := s.report.Prepare(ctx); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "preparing releases", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// prepareInterval is how often releases are prepared ahead of views.
const prepareInterval = time.Minute

// replicaBeat is how often a replica on PostgreSQL says it is alive and
// learns how many share the respond limit.
const replicaBeat = 10 * time.Second

// shareRespondLimit keeps this replica's share of the respond limit in
// step with the number of live replicas until ctx ends.
func (s *Server) shareRespondLimit(ctx context.Context) {
	r := limits.NewReplicas(s.db, s.clock)
	t := time.NewTicker(replicaBeat)
	defer t.Stop()
	for {
		n, err := r.Beat(ctx)
		if err == nil {
			s.respondLimit.SetReplicas(n)
		} else if ctx.Err() == nil {
			s.log.WarnContext(ctx, "replica heartbeat", "err", err)
		}
		select {
		case <-ctx.Done():
			leave, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			_ = r.Leave(leave)
			cancel()
			return
		case <-t.C:
		}
	}
}

// schedulerInterval is how often the wave scheduler looks for due waves.
const schedulerInterval = 30 * time.Second

// HTTPServer wraps the handler with timeouts suited to the API.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
}

// Shutdown stops background work that must finish cleanly (the intake's
// pending group commit) after the HTTP server stopped taking requests.
func (s *Server) Shutdown(ctx context.Context) {
	if err := s.intake.Close(ctx); err != nil {
		s.log.Error("response intake did not finish", "err", err)
	}
	// A snapshot being audited in the background is stored before the
	// database closes, or abandoned when ctx ends (the next view retakes it).
	done := make(chan struct{})
	go func() { s.report.Settle(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		s.log.Warn("background snapshot still running at shutdown")
	}
}
