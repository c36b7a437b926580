package api

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/account"
)

// routes registers every route in one readable list.
func (s *Server) routes() {
	e := s.e
	e.Pre(headAsGet)
	e.Use(s.recoverPanics, s.requestID, s.securityHeaders, s.accessLog, s.countRequests, s.limitBody, s.checkText)

	staff := []string{account.RoleAdmin, account.RoleLead, account.RoleExecutive}
	designers := []string{account.RoleAdmin, account.RoleLead}
	admin := []string{account.RoleAdmin}
	anyStaff := s.requireRole(staff...)
	design := s.requireRole(designers...)
	adminOnly := s.requireRole(admin...)

	// Operations.
	e.GET("/healthz", s.handleHealthz)
	e.GET("/readyz", s.handleReadyz)
	// /metrics is here only behind a token and when it has no listener of
	// its own (see metrics.go); otherwise this address answers 404.
	if s.cfg.MetricsToken != "" && s.cfg.MetricsAddr == "" {
		e.GET("/metrics", s.handleMetrics, s.requireMetricsToken)
	}
	e.GET("/api/openapi.json", s.handleOpenAPI)

	// Every /api/v1 route runs behind authenticate and checkCSRF. They are
	// given per route, not as echo.Group middleware: a group with middleware
	// registers a catch-all that answers a wrong method with 404 instead of
	// 405 and its Allow header.
	v1 := apiGroup{e: e, prefix: "/api/v1", mw: []echo.MiddlewareFunc{s.authenticate, s.checkCSRF}}

	// Staff accounts.
	v1.POST("/auth/login", s.handleLogin)
	v1.POST("/auth/logout", s.handleLogout)
	v1.POST("/auth/setup", s.handleSetup)
	v1.GET("/auth/methods", s.handleSignInMethods)
	v1.GET("/auth/oidc/start", s.handleOIDCStart)
	v1.GET("/auth/oidc/callback", s.handleOIDCCallback)
	v1.PUT("/auth/password-sign-in", s.handleSetPasswordSignIn, adminOnly)
	v1.GET("/me", s.handleMe, anyStaff)
	v1.POST("/me/password", s.handleChangePassword, anyStaff)
	v1.GET("/users", s.handleListUsers, adminOnly)
	v1.POST("/users", s.handleCreateUser, adminOnly)
	v1.PATCH("/users/:id", s.handleUpdateUser, adminOnly)
	v1.DELETE("/users/:id", s.handleDeleteUser, adminOnly)
	v1.GET("/tokens", s.handleListTokens, adminOnly)
	v1.POST("/tokens", s.handleCreateToken, adminOnly)
	v1.DELETE("/tokens/:id", s.handleRevokeToken, adminOnly)
	v1.GET("/audit", s.handleAudit, adminOnly)
	v1.POST("/retention/run", s.handleRunRetention, adminOnly)

	// Framework and survey design.
	v1.GET("/framework", s.handleFramework, design)
	v1.POST("/items", s.handleCreateItem, design)
	v1.GET("/surveys", s.handleListSurveys, anyStaff)
	v1.POST("/surveys", s.handleCreateSurvey, design)
	v1.GET("/templates", s.handleListTemplates, design)
	v1.POST("/templates/:key/surveys", s.handleCreateFromTemplate, design)
	v1.GET("/surveys/:id", s.handleGetSurvey, anyStaff)
	v1.PATCH("/surveys/:id", s.handleUpdateSurvey, design)
	v1.DELETE("/surveys/:id", s.handleDeleteSurvey, design)
	v1.POST("/surveys/:id/launch", s.handleLaunchSurvey, design)
	v1.POST("/surveys/:id/close", s.handleCloseSurvey, design)
	v1.POST("/surveys/:id/archive", s.handleArchiveSurvey, design)
	v1.GET("/surveys/:id/preview", s.handlePreviewSurvey, design)
	v1.GET("/surveys/:id/waves", s.handleListWaves, anyStaff)
	v1.GET("/surveys/:id/link", s.handleSurveyLink, design)
	v1.GET("/surveys/:id/retention", s.handleGetRetention, design)
	v1.PUT("/surveys/:id/retention", s.handleSetRetention, design)

	// Distribution.
	v1.POST("/surveys/:id/waves/:wave/invites", s.handleCreateInvites, design)
	v1.GET("/surveys/:id/waves/:wave/invites", s.handleListInviteBatches, design)
	v1.POST("/surveys/:id/waves/:wave/people", s.handleUploadPeople, design)
	v1.GET("/surveys/:id/waves/:wave/people", s.handlePeopleStatus, design)
	v1.POST("/surveys/:id/waves/:wave/mail", s.handleQueueMail, design)
	v1.GET("/surveys/:id/mail-templates/:kind", s.handleGetMailTemplate, design)
	v1.PUT("/surveys/:id/mail-templates/:kind", s.handleSetMailTemplate, design)
	v1.POST("/surveys/:id/mail-templates/:kind/preview", s.handlePreviewMailTemplate, design)

	// Respondents: public, no account, no logging of codes or addresses.
	v1.GET("/respond/:code", s.handleRespondForm)
	v1.GET("/respond-messages", s.handleRespondMessages)
	v1.POST("/respond/:code", s.handleRespondSubmit)
	v1.POST("/respond/:code/ballot", s.handleIssueBallot)
	v1.POST("/ballots", s.handleSubmitBallot)

	// Results: every number goes through the release step. Aggregates about
	// people are never kept by a browser or a shared cache.
	v1.GET("/surveys/:id/results", s.handleResults, anyStaff, privateNoStore)
	v1.GET("/surveys/:id/heatmap", s.handleHeatmap, anyStaff, privateNoStore)
	v1.GET("/surveys/:id/gaps", s.handleGaps, anyStaff, privateNoStore)
	v1.GET("/surveys/:id/behaviours", s.handleBehaviours, anyStaff, privateNoStore)
	v1.GET("/surveys/:id/trend", s.handleTrend, anyStaff, privateNoStore)
	v1.GET("/surveys/:id/comments", s.handleComments, design, privateNoStore)
	v1.GET("/surveys/:id/report.xlsx", s.handleReportXLSX, anyStaff, privateNoStore)
	v1.GET("/surveys/:id/report.pdf", s.handleReportPDF, anyStaff, privateNoStore)
	v1.GET("/surveys/:id/results.csv", s.handleResultsCSV, anyStaff, privateNoStore)

	// From results to action: the executive's summary, action plans and
	// the "What we heard" page (executives read, leads edit).
	v1.GET("/surveys/:id/summary", s.handleSummary, anyStaff, privateNoStore)
	v1.GET("/surveys/:id/plans", s.handleListPlans, anyStaff)
	v1.POST("/surveys/:id/plans", s.handleCreateFocus, design)
	v1.PATCH("/surveys/:id/plans/:focus", s.handleUpdateFocus, design)
	v1.DELETE("/surveys/:id/plans/:focus", s.handleDeleteFocus, design)
	v1.POST("/surveys/:id/plans/:focus/actions", s.handleCreateAction, design)
	v1.PATCH("/surveys/:id/plans/:focus/actions/:action", s.handleUpdateAction, design)
	v1.DELETE("/surveys/:id/plans/:focus/actions/:action", s.handleDeleteAction, design)
	v1.GET("/plan-owners", s.handleListOwners, design)
	v1.GET("/surveys/:id/waves/:wave/heard", s.handleGetHeard, design)
	v1.PUT("/surveys/:id/waves/:wave/heard", s.handlePublishHeard, design)
	v1.DELETE("/surveys/:id/waves/:wave/heard", s.handleUnpublishHeard, design)
	v1.GET("/heard/:slug", s.handlePublicHeard)

	// Pages: the employee survey page and the staff app.
	e.GET("/s/:code", s.handleRespondPage)
	e.GET("/heard/:slug", s.handleHeardPage)
	s.routeFrontend(e)
}

// privateNoStore marks an answer as one no cache may keep, on success and
// on error alike.
func privateNoStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "private, no-store")
		return next(c)
	}
}

// apiGroup registers routes under prefix, each behind mw and then its own
// middleware.
type apiGroup struct {
	e      *echo.Echo
	prefix string
	mw     []echo.MiddlewareFunc
}

func (g apiGroup) add(method, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	g.e.Add(method, g.prefix+path, h, append(slices.Clone(g.mw), m...)...)
}

func (g apiGroup) GET(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	g.add(http.MethodGet, path, h, m...)
}

func (g apiGroup) POST(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	g.add(http.MethodPost, path, h, m...)
}

func (g apiGroup) PUT(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	g.add(http.MethodPut, path, h, m...)
}

func (g apiGroup) PATCH(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	g.add(http.MethodPatch, path, h, m...)
}

func (g apiGroup) DELETE(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	g.add(http.MethodDelete, path, h, m...)
}
