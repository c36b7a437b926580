package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

type ctxKey int

const requestIDKey ctxKey = iota

// recoverPanics turns a panic into a 500 without leaking it to the client.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic", "route", c.Path(), "panic", fmt.Sprint(r))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}

// requestID gives every request an id, echoed in X-Request-Id.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := kernel.NewID()
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		ctx := context.WithValue(c.Request().Context(), requestIDKey, id)
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

// securityHeaders sets a strict CSP and the usual hardening headers.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if strings.HasPrefix(s.cfg.BaseURL, "https://") {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}

// isRespondPath reports whether a path belongs to respondents; such requests
// are logged without their code, body or client address (docs/anonymity.md,
// "Collection"). The page's own files and messages count too: their address
// at the moment a survey page opens would say who opened one.
func isRespondPath(p string) bool {
	return strings.HasPrefix(p, "/api/v1/respond/") || strings.HasPrefix(p, "/s/") || p == "/api/v1/ballots" ||
		strings.HasPrefix(p, "/static/") || p == "/api/v1/respond-messages"
}

// accessLog writes one slog line per request. For respond routes it logs the
// route pattern only, never the path with the code, nor the client address.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req := c.Request()
		status := c.Response().Status
		attrs := []slog.Attr{
			slog.String("method", req.Method),
			slog.String("route", c.Path()),
			slog.Int("status", status),
			slog.Duration("duration", time.Since(start)),
			slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
		}
		if !isRespondPath(req.URL.Path) {
			attrs = append(attrs, slog.String("path", req.URL.Path), slog.String("remote", c.RealIP()))
		}
		s.log.LogAttrs(req.Context(), slog.LevelInfo, "http", attrs...)
		return nil
	}
}

// checkText refuses path parameters and query values that are not valid
// UTF-8 or hold a NUL character: no identifier or option looks like that,
// and PostgreSQL cannot even compare such text. Such an id names nothing
// (404); such a query value is a 422 naming the parameter.
func (s *Server) checkText(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		const msg = "must be valid UTF-8 text without NUL characters"
		for _, v := range c.ParamValues() {
			if !cleanText(v) {
				return kernel.ErrNotFound
			}
		}
		for name, values := range c.QueryParams() {
			if !cleanText(name) {
				return kernel.Invalid("query", msg)
			}
			for _, v := range values {
				if !cleanText(v) {
					return kernel.Invalid(name, msg)
				}
			}
		}
		return next(c)
	}
}

func cleanText(v string) bool {
	return utf8.ValidString(v) && !strings.ContainsRune(v, 0)
}

// limitBody refuses bodies above the configured limit with 413.
func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return middleware.BodyLimit(s.cfg.BodyLimit)(next)
}

// bindJSON decodes a JSON body strictly: the content type must be JSON,
// unknown fields are refused, and decoding errors name the field.
func bindJSON(c echo.Context, dst any) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if !strings.HasPrefix(strings.ToLower(ct), echo.MIMEApplicationJSON) {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "Send the body as application/json.")
	}
	return decodeJSON(c.Request().Body, dst)
}
