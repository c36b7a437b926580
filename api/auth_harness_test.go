package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/testtools"
)

// authHarness is a Server on a fresh SQLite file, driven through
// ServeHTTP, for the account and auth tests.
type authHarness struct {
	t   *testing.T
	srv *Server
	db  *db.DB
}

const harnessPassword = "correct horse battery"

func newAuthHarness(t *testing.T, cfg Config) *authHarness {
	t.Helper()
	d := testtools.OpenDB(t, db.SQLite)
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://allypulse.test"
	}
	srv := New(cfg, Deps{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return &authHarness{t: t, srv: srv, db: d}
}

func (h *authHarness) user(email, role string) account.User {
	h.t.Helper()
	u, err := h.srv.accounts.CreateUser(context.Background(),
		account.NewUser{Email: email, Name: strings.Split(email, "@")[0], Role: role, Password: harnessPassword})
	if err != nil {
		h.t.Fatal(err)
	}
	return u
}

// reqOpt adjusts a request: cookies, headers.
type reqOpt func(*http.Request)

func withHeader(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }

func withBearer(secret string) reqOpt { return withHeader("Authorization", "Bearer "+secret) }

// browser holds the cookies of a signed-in browser.
type browser struct {
	session, csrf string
}

// cookies sends the session and CSRF cookies without the CSRF header.
func (b browser) cookies() reqOpt {
	return func(r *http.Request) {
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: b.session})
		r.AddCookie(&http.Cookie{Name: csrfCookie, Value: b.csrf})
	}
}

// browserOf keeps the session and CSRF cookies a sign-in response set.
func browserOf(rec *httptest.ResponseRecorder) browser {
	var b browser
	for _, c := range rec.Result().Cookies() {
		switch c.Name {
		case sessionCookie:
			b.session = c.Value
		case csrfCookie:
			b.csrf = c.Value
		}
	}
	return b
}

// as sends the cookies and the CSRF header, as app.js does.
func (b browser) as() reqOpt {
	return func(r *http.Request) {
		b.cookies()(r)
		r.Header.Set(csrfHeader, b.csrf)
	}
}

func (h *authHarness) do(method, path, body string, opts ...reqOpt) *httptest.ResponseRecorder {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, o := range opts {
		o(req)
	}
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	return rec
}

// signIn logs in through the API and returns the browser's cookies.
func (h *authHarness) signIn(email string) browser {
	h.t.Helper()
	rec := h.do("POST", "/api/v1/auth/login", `{"email":"`+email+`","password":"`+harnessPassword+`"}`)
	if rec.Code != http.StatusOK {
		h.t.Fatalf("login %s: %d %s", email, rec.Code, rec.Body)
	}
	b := browserOf(rec)
	if b.session == "" || b.csrf == "" {
		h.t.Fatalf("login set cookies %v", rec.Result().Cookies())
	}
	return b
}
