package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/account"
)

// TestWrongMethodIs405 sends methods a route does not take: the answer is a
// 405 problem with the Allow header, signed in or not, while an unknown
// path stays a 404.
func TestWrongMethodIs405(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("ada@example.org", account.RoleAdmin)
	b := h.signIn("ada@example.org")
	for _, c := range []struct {
		method, path string
		opts         []reqOpt
		allow        string
	}{
		{"PATCH", "/api/v1/auth/login", nil, "POST"},
		{"GET", "/api/v1/auth/logout", nil, "POST"},
		{"PUT", "/api/v1/users", []reqOpt{b.as()}, "GET"},
		{"DELETE", "/api/v1/me", []reqOpt{b.as()}, "GET"},
		{"PUT", "/api/v1/surveys/abc", []reqOpt{b.as()}, "PATCH"},
		{"DELETE", "/api/v1/respond/some-code", nil, "POST"},
		{"POST", "/healthz", nil, "GET"},
	} {
		rec := h.do(c.method, c.path, "", c.opts...)
		p := wantProblem(t, rec, http.StatusMethodNotAllowed)
		if p.Type != "/problems/method-not-allowed" {
			t.Errorf("%s %s: problem type %q", c.method, c.path, p.Type)
		}
		if allow := rec.Header().Get("Allow"); !strings.Contains(allow, c.allow) {
			t.Errorf("%s %s: Allow %q, want it to hold %s", c.method, c.path, allow, c.allow)
		}
	}
	wantProblem(t, h.do("GET", "/api/v1/nothing-here", "", b.as()), http.StatusNotFound)
}

// TestUnauthorizedNamesAScheme: every 401 carries WWW-Authenticate, as RFC
// 9110 requires, naming Bearer so that browsers show no dialog of their own.
func TestUnauthorizedNamesAScheme(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("ada@example.org", account.RoleAdmin)
	for _, opts := range [][]reqOpt{nil, {withBearer("apt_not-a-token")}, {withHeader("Authorization", "Basic YTpi")}} {
		rec := h.do("GET", "/api/v1/me", "", opts...)
		wantProblem(t, rec, http.StatusUnauthorized)
		if got := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("WWW-Authenticate %q, want a Bearer challenge", got)
		}
	}
	rec := h.do("POST", "/api/v1/auth/login", `{"email":"ada@example.org","password":"wrong password!"}`)
	wantProblem(t, rec, http.StatusUnauthorized)
	if rec.Header().Get("WWW-Authenticate") == "" {
		t.Error("a failed sign-in has no WWW-Authenticate")
	}
}

// TestHeadIsAnsweredLikeGet: HEAD gets GET's status and headers with no
// body on every route (uptime monitors and link checkers probe with HEAD),
// over a real connection so that net/http's own HEAD handling is in play.
func TestHeadIsAnsweredLikeGet(t *testing.T) {
	h := newAuthHarness(t, Config{})
	srv := httptest.NewServer(h.srv.Echo())
	defer srv.Close()
	for path, want := range map[string]int{
		"/healthz": http.StatusOK, "/readyz": http.StatusOK, "/": http.StatusOK,
		"/api/openapi.json": http.StatusOK, "/api/v1/me": http.StatusUnauthorized, "/api/v1/nothing-here": http.StatusNotFound,
	} {
		req, err := http.NewRequest(http.MethodHead, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want || len(body) != 0 {
			t.Errorf("HEAD %s: status %d with %d body bytes, want %d and none", path, res.StatusCode, len(body), want)
		}
	}
}
