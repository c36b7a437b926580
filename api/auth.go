package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/kernel"
)

// Cookie names: the session cookie is HttpOnly; the CSRF cookie is readable
// by the page's script, which echoes it in the X-CSRF-Token header.
const (
	sessionCookie = "allypulse_session"
	csrfCookie    = "allypulse_csrf"
	csrfHeader    = "X-CSRF-Token"
)

// Keys of what authenticate leaves in the echo context.
const (
	actorKey   = "allypulse.actor"
	sessionKey = "allypulse.session"
	tokenKey   = "allypulse.session_token"
)

// actorOf returns the signed-in staff user of the request. For an API token
// the user's Role is the token's role.
func actorOf(c echo.Context) (account.User, bool) {
	u, ok := c.Get(actorKey).(account.User)
	return u, ok
}

// sessionOf returns the browser session of a cookie-authenticated request.
func sessionOf(c echo.Context) (account.Session, bool) {
	s, ok := c.Get(sessionKey).(account.Session)
	return s, ok
}

// authenticate finds the actor from an Authorization: Bearer token or the
// session cookie. A bad bearer token is refused outright (the script must
// learn it is broken); a stale cookie just leaves the request anonymous, so
// the sign-in page still works. Respondent routes are never authenticated:
// a staff member answering a survey stays as anonymous as anyone else.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if isRespondPath(c.Request().URL.Path) {
			return next(c)
		}
		ctx := c.Request().Context()
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			scheme, secret, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") {
				return unauthorized("Use Authorization: Bearer <API token>.")
			}
			u, _, err := s.accounts.TokenUser(ctx, strings.TrimSpace(secret))
			if err != nil {
				return err
			}
			c.Set(actorKey, u)
			return next(c)
		}
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			u, sess, err := s.accounts.SessionUser(ctx, ck.Value)
			switch {
			case err == nil:
				c.Set(actorKey, u)
				c.Set(sessionKey, sess)
				c.Set(tokenKey, ck.Value)
			case !errors.Is(err, kernel.ErrUnauthorized):
				return err
			}
		}
		return next(c)
	}
}

func unauthorized(detail string) error {
	return &echo.HTTPError{Code: http.StatusUnauthorized, Message: detail}
}

// csrfExempt lists the routes that need no CSRF header: signing in and the
// first-admin setup create the session, so there is none to protect yet.
var csrfExempt = []string{"/api/v1/auth/login", "/api/v1/auth/setup"}

// checkCSRF is the double-submit check: a state-changing request made with
// the session cookie must carry X-CSRF-Token equal to the allypulse_csrf
// cookie and to the session's own token. Bearer-token requests carry no
// ambient credentials and are exempt.
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		sess, ok := sessionOf(c)
		if !ok || slices.Contains(csrfExempt, c.Path()) {
			return next(c)
		}
		header := c.Request().Header.Get(csrfHeader)
		ck, err := c.Cookie(csrfCookie)
		if header == "" || err != nil || ck.Value != header || header != sess.CSRFToken {
			return &echo.HTTPError{Code: http.StatusForbidden,
				Message: "Missing or wrong CSRF token: send the allypulse_csrf cookie's value in the X-CSRF-Token header."}
		}
		return next(c)
	}
}

// requireRole is the one place where roles are checked: 401 when nobody is
// signed in, 403 when the actor's role is not among roles.
func (s *Server) requireRole(roles ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u, ok := actorOf(c)
			if !ok {
				return kernel.ErrUnauthorized
			}
			if !slices.Contains(roles, u.Role) {
				return kernel.ErrForbidden
			}
			return next(c)
		}
	}
}

// audit records a staff action by the request's actor. A failure to write
// the log is logged and does not undo the action that already happened.
func (s *Server) audit(c echo.Context, action, target, detail string) {
	u, _ := actorOf(c)
	s.auditAs(c, u, action, target, detail)
}

// auditAs records an action by u. The write does not depend on the client
// waiting for the answer: a security record such as a failed sign-in must
// be kept even when the client has already disconnected.
func (s *Server) auditAs(c echo.Context, u account.User, action, target, detail string) {
	ctx, cancel := detached(c)
	defer cancel()
	err := s.accounts.Record(ctx, account.Event{ActorID: u.ID, ActorEmail: u.Email,
		Action: action, Target: target, Detail: detail, ClientAddress: c.RealIP()})
	if err != nil {
		s.log.ErrorContext(ctx, "audit log write failed", "action", action, "err", err)
	}
}

// detachedTimeout bounds work that goes on after its client left.
const detachedTimeout = 10 * time.Second

// detached returns the request's context without its cancellation, for
// work that must finish even when the client disconnects (sign-in checks,
// their limits and audit entries), bounded by detachedTimeout.
func detached(c echo.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(c.Request().Context()), detachedTimeout)
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// handleChangePassword lets a signed-in staff member change their own
// password. Their other sessions end; this one stays. A wrong current
// password counts as a failed sign-in of the account, so the form cannot
// be used to guess it faster than the sign-in page allows.
func (s *Server) handleChangePassword(c echo.Context) error {
	tok, ok := c.Get(tokenKey).(string)
	if !ok {
		return &echo.HTTPError{Code: http.StatusForbidden,
			Message: "Change your password while signed in with a browser session, not with an API token."}
	}
	var req changePasswordRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	u, _ := actorOf(c)
	client := clientKey(c)
	ctx, cancel := detached(c)
	defer cancel()
	if err := s.loginWait(ctx, u.Email, client); err != nil {
		return err
	}
	err := s.accounts.ChangePassword(ctx, u.ID, tok, req.CurrentPassword, req.NewPassword)
	if account.WrongCurrentPassword(err) {
		s.loginFailed(ctx, u.Email, client)
	}
	if err != nil {
		return err
	}
	s.audit(c, "user.password_change", u.Email, "other sessions signed out")
	return c.NoContent(http.StatusNoContent)
}
