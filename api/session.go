package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/account"
)

// userJSON is a staff user as the API shows it.
type userJSON struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
}

func toUserJSON(u account.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Disabled: u.Disabled, CreatedAt: u.CreatedAt}
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type setupRequest struct {
	Token    string `json:"token"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

type userResponse struct {
	User userJSON `json:"user"`
}

type meResponse struct {
	User      userJSON `json:"user"`
	CSRFToken string   `json:"csrf_token"`
	// Via says how the request was authenticated: "session" or "token".
	Via string `json:"via"`
}

// clientKey identifies the client for the failed-login limit: the address
// the server's IP extractor trusts (clientip.go), so a client cannot pick
// its own key by sending a header.
func clientKey(c echo.Context) string { return c.RealIP() }

// loginWait refuses a sign-in attempt that must wait (limits.Login).
func (s *Server) loginWait(ctx context.Context, email, client string) error {
	wait, err := s.limiter.Wait(ctx, email, client)
	if err != nil {
		return err
	}
	if wait > 0 {
		return &RetryAfterError{After: wait}
	}
	return nil
}

// loginFailed counts a failed attempt; the request has failed already, so
// a counting error is logged.
func (s *Server) loginFailed(ctx context.Context, email, client string) {
	if err := s.limiter.Failed(ctx, email, client); err != nil {
		s.log.ErrorContext(ctx, "counting a failed sign-in", "err", err)
	}
}

func (s *Server) handleLogin(c echo.Context) error {
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	client := clientKey(c)
	// A client that disconnects must not escape the failure count or the
	// audit entry: the check runs to its end whatever the client does.
	ctx, cancel := detached(c)
	defer cancel()
	if err := s.loginWait(ctx, req.Email, client); err != nil {
		return err
	}
	u, err := s.accounts.Authenticate(ctx, req.Email, req.Password)
	if err != nil {
		if err == account.ErrBadCredentials {
			s.loginFailed(ctx, req.Email, client)
			s.auditAs(c, account.User{}, "auth.login_failed", strings.ToLower(strings.TrimSpace(req.Email)), "")
		}
		return err
	}
	if err := s.limiter.Succeeded(ctx, req.Email); err != nil {
		s.log.WarnContext(ctx, "clearing failed sign-ins", "err", err)
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.auditAs(c, u, "auth.login", u.Email, "")
	return c.JSON(http.StatusOK, userResponse{User: toUserJSON(u)})
}

// startSession creates a session row and sets both cookies.
func (s *Server) startSession(c echo.Context, u account.User) error {
	token, sess, err := s.accounts.CreateSession(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	s.setCookies(c, token, sess.CSRFToken, sess.ExpiresAt)
	// Sign-ins are rare enough to carry the housekeeping of old sessions.
	if _, err := s.accounts.DeleteExpiredSessions(c.Request().Context()); err != nil {
		s.log.WarnContext(c.Request().Context(), "deleting expired sessions", "err", err)
	}
	return nil
}

func (s *Server) setCookies(c echo.Context, token, csrf string, expires time.Time) {
	secure := strings.HasPrefix(s.cfg.BaseURL, "https://")
	maxAge := int(time.Until(expires).Seconds())
	if token == "" {
		maxAge = -1
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
	c.SetCookie(&http.Cookie{Name: csrfCookie, Value: csrf, Path: "/", MaxAge: maxAge,
		HttpOnly: false, Secure: secure, SameSite: http.SameSiteLaxMode})
}

func (s *Server) handleLogout(c echo.Context) error {
	if tok, ok := c.Get(tokenKey).(string); ok {
		if err := s.accounts.RevokeSession(c.Request().Context(), tok); err != nil {
			return err
		}
		s.audit(c, "auth.logout", "", "")
	}
	s.setCookies(c, "", "", time.Time{})
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) handleMe(c echo.Context) error {
	u, _ := actorOf(c)
	res := meResponse{User: toUserJSON(u), Via: "token"}
	if sess, ok := sessionOf(c); ok {
		res.CSRFToken, res.Via = sess.CSRFToken, "session"
	}
	return c.JSON(http.StatusOK, res)
}

// handleSetup creates the first admin from the one-time setup link and
// signs them in.
func (s *Server) handleSetup(c echo.Context) error {
	var req setupRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	client := clientKey(c)
	// Setup tokens cannot be guessed; the limit only stops a client from
	// hammering, so it is keyed by client alone.
	ctx, cancel := detached(c)
	defer cancel()
	if err := s.loginWait(ctx, "setup:"+client, client); err != nil {
		return err
	}
	u, err := s.accounts.Setup(ctx, req.Token,
		account.NewUser{Email: req.Email, Name: req.Name, Password: req.Password})
	if err != nil {
		if err == account.ErrSetupInvalid {
			s.loginFailed(ctx, "setup:"+client, client)
		}
		return err
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.auditAs(c, u, "auth.setup", u.Email, "first admin created")
	return c.JSON(http.StatusCreated, userResponse{User: toUserJSON(u)})
}
