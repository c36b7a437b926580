package api

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
)

// ProblemCode names a problem for machines; it never changes once
// published. The set is closed: api/openapi/base.json lists it.
type ProblemCode string

// The problem codes, one for each kind of problem problemFor makes.
const (
	CodeBadRequest           ProblemCode = "bad_request"
	CodeValidationFailed     ProblemCode = "validation_failed"
	CodeOutsideLattice       ProblemCode = "outside_lattice"
	CodeNotFound             ProblemCode = "not_found"
	CodeConflict             ProblemCode = "conflict"
	CodeWaveClosed           ProblemCode = "wave_closed"
	CodeWaveNotOpen          ProblemCode = "wave_not_open"
	CodeUnauthorized         ProblemCode = "unauthorized"
	CodeForbidden            ProblemCode = "forbidden"
	CodeRateLimited          ProblemCode = "rate_limited"
	CodeMethodNotAllowed     ProblemCode = "method_not_allowed"
	CodePayloadTooLarge      ProblemCode = "payload_too_large"
	CodeUnsupportedMediaType ProblemCode = "unsupported_media_type"
	CodeHTTP                 ProblemCode = "http_error"
	CodeUnavailable          ProblemCode = "unavailable"
	CodeInternal             ProblemCode = "internal"
)

// ProblemCodes lists every problem code, for the OpenAPI document's test.
var ProblemCodes = []ProblemCode{CodeBadRequest, CodeValidationFailed, CodeOutsideLattice, CodeNotFound, CodeConflict,
	CodeWaveClosed, CodeWaveNotOpen, CodeUnauthorized, CodeForbidden, CodeRateLimited, CodeMethodNotAllowed,
	CodePayloadTooLarge, CodeUnsupportedMediaType, CodeHTTP, CodeUnavailable, CodeInternal}

// Problem is an RFC 9457 problem details body with a stable code.
type Problem struct {
	Type     string              `json:"type"`
	Code     ProblemCode         `json:"code"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance,omitempty"`
	Errors   []kernel.FieldError `json:"errors,omitempty"`
}

// RetryAfterError asks the client to come back later (429).
type RetryAfterError struct {
	After time.Duration
}

// Error describes the wait.
func (e *RetryAfterError) Error() string { return fmt.Sprintf("retry after %s", e.After) }

// Unwrap matches kernel.ErrRateLimited.
func (e *RetryAfterError) Unwrap() error { return kernel.ErrRateLimited }

// retryDetail says how long to wait, in words, when the error knows.
func retryDetail(err error) string {
	var re *RetryAfterError
	if !errors.As(err, &re) {
		return "Too many attempts in a short time; wait a moment and try again."
	}
	secs := int(math.Ceil(re.After.Seconds()))
	if secs <= 1 {
		return "Too many attempts in a short time; try again in a second."
	}
	if secs < 120 {
		return fmt.Sprintf("Too many attempts in a short time; try again in %d seconds.", secs)
	}
	return fmt.Sprintf("Too many attempts in a short time; try again in %d minutes.", (secs+59)/60)
}

// problemFor maps an error to a problem. It is the only place where domain
// errors become HTTP statuses; anything unknown is a 500 with no detail.
func problemFor(err error) Problem {
	var ve *kernel.ValidationError
	var qe *kernel.QueryError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ve):
		return Problem{Type: "/problems/validation", Code: CodeValidationFailed, Title: "Some fields are invalid", Status: http.StatusUnprocessableEntity,
			Detail: "Correct the fields listed in errors and try again.", Errors: ve.Fields}
	case errors.As(err, &qe):
		return Problem{Type: "/problems/query-refused", Code: CodeOutsideLattice, Title: "This view is not allowed", Status: http.StatusBadRequest,
			Detail: qe.Message, Errors: []kernel.FieldError{{Field: qe.Field, Code: kernel.CodeNotAllowed, Message: qe.Message}}}
	case errors.Is(err, kernel.ErrNotFound):
		return Problem{Type: "/problems/not-found", Code: CodeNotFound, Title: "Not found", Status: http.StatusNotFound, Detail: unwrapDetail(err, kernel.ErrNotFound)}
	case errors.Is(err, kernel.ErrConflict):
		return Problem{Type: "/problems/conflict", Code: CodeConflict, Title: "Conflict", Status: http.StatusConflict, Detail: conflictDetail(err)}
	case errors.Is(err, kernel.ErrClosed):
		return Problem{Type: "/problems/closed", Code: CodeWaveClosed, Title: "This survey wave is closed", Status: http.StatusGone}
	case errors.Is(err, kernel.ErrNotOpen):
		return Problem{Type: "/problems/not-open", Code: CodeWaveNotOpen, Title: "This survey wave is not open yet", Status: http.StatusGone}
	case errors.Is(err, kernel.ErrUnauthorized):
		return Problem{Type: "/problems/unauthorized", Code: CodeUnauthorized, Title: "Sign in required", Status: http.StatusUnauthorized, Detail: unwrapDetail(err, kernel.ErrUnauthorized)}
	case errors.Is(err, kernel.ErrForbidden):
		return Problem{Type: "/problems/forbidden", Code: CodeForbidden, Title: "Your role does not allow this", Status: http.StatusForbidden, Detail: unwrapDetail(err, kernel.ErrForbidden)}
	case errors.Is(err, kernel.ErrRateLimited):
		return Problem{Type: "/problems/rate-limited", Code: CodeRateLimited, Title: "Too many requests", Status: http.StatusTooManyRequests,
			Detail: retryDetail(err)}
	case errors.As(err, &he):
		return httpProblem(he)
	case db.Unavailable(err):
		return Problem{Type: "/problems/unavailable", Code: CodeUnavailable, Title: "Briefly unavailable", Status: http.StatusServiceUnavailable,
			Detail: "The database cannot be reached at the moment. Nothing you sent was lost; please try again in a few seconds."}
	default:
		return Problem{Type: "/problems/internal", Code: CodeInternal, Title: "Internal error", Status: http.StatusInternalServerError,
			Detail: "Something went wrong on our side. Nothing you sent was lost; please try again."}
	}
}

// conflictDetail exposes the message a domain attached to ErrConflict with
// fmt.Errorf("...: %w", ErrConflict); those messages are written for users.
func conflictDetail(err error) string { return unwrapDetail(err, kernel.ErrConflict) }

func unwrapDetail(err, sentinel error) string {
	if err == sentinel {
		return ""
	}
	msg := err.Error()
	suffix := ": " + sentinel.Error()
	if len(msg) > len(suffix) && msg[len(msg)-len(suffix):] == suffix {
		return msg[:len(msg)-len(suffix)]
	}
	return ""
}

func httpProblem(he *echo.HTTPError) Problem {
	p := Problem{Type: "about:blank", Code: CodeHTTP, Status: he.Code, Title: http.StatusText(he.Code)}
	switch he.Code {
	case http.StatusBadRequest:
		p.Type, p.Code, p.Title = "/problems/bad-request", CodeBadRequest, "Malformed request"
	case http.StatusUnauthorized:
		p.Type, p.Code = "/problems/unauthorized", CodeUnauthorized
	case http.StatusForbidden:
		p.Type, p.Code = "/problems/forbidden", CodeForbidden
	case http.StatusNotFound:
		p.Type, p.Code = "/problems/not-found", CodeNotFound
	case http.StatusMethodNotAllowed:
		p.Type, p.Code = "/problems/method-not-allowed", CodeMethodNotAllowed
	case http.StatusRequestEntityTooLarge:
		p.Type, p.Code, p.Detail = "/problems/too-large", CodePayloadTooLarge, "The request body is too large."
	case http.StatusUnsupportedMediaType:
		p.Type, p.Code, p.Detail = "/problems/unsupported-media-type", CodeUnsupportedMediaType, "Send application/json."
	case http.StatusTooManyRequests:
		p.Type, p.Code = "/problems/rate-limited", CodeRateLimited
	}
	if m, ok := he.Message.(string); ok && he.Code < 500 && p.Detail == "" {
		p.Detail = m
	}
	if he.Code >= 500 {
		p.Type, p.Code, p.Title, p.Detail = "/problems/internal", CodeInternal, "Internal error", ""
	}
	return p
}

// statusClientClosed is what the access log shows for a request whose client
// went away before the answer was ready (the status nginx uses for it).
const statusClientClosed = 499

// clientGone ends a request whose client disconnected or half-closed its
// connection while the server was working: the work stopped because its
// context was cancelled, which is no server error. Nothing is sent but the
// status, and the log says so at info level.
func (s *Server) clientGone(c echo.Context, err error) {
	s.log.InfoContext(c.Request().Context(), "request cancelled by the client", "route", c.Path(), "err", err)
	c.Response().WriteHeader(statusClientClosed)
}

// handleError is the echo HTTPErrorHandler: every error becomes problem+json.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := problemFor(err)
	p.Instance = c.Request().URL.Path
	if p.Status >= 500 && c.Request().Context().Err() != nil {
		s.clientGone(c, err)
		return
	}
	if p.Status >= 500 {
		s.log.ErrorContext(c.Request().Context(), "request failed", "route", c.Path(), "err", err)
	}
	var ra *RetryAfterError
	if errors.As(err, &ra) {
		secs := int(ra.After.Round(time.Second) / time.Second)
		if secs < 1 {
			secs = 1
		}
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	}
	if p.Status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "5")
	}
	if p.Status == http.StatusUnauthorized {
		// RFC 9110 asks a 401 to name a scheme; Bearer (not Basic) so that
		// browsers show no password dialog of their own.
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="allypulse"`)
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	if c.Request().Method == http.MethodHead {
		return
	}
	_ = c.JSON(p.Status, p) // header already written; echo skips a second WriteHeader
}
