package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/survey/account"
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

// TestProbesAnswerHead: uptime monitors and load balancers that probe with
// HEAD get the same status as GET.
func TestProbesAnswerHead(t *testing.T) {
	h := newAuthHarness(t, Config{})
	for _, path := range []string{"/healthz", "/readyz"} {
		if rec := h.do("HEAD", path, ""); rec.Code != http.StatusOK {
			t.Errorf("HEAD %s: status %d, want 200", path, rec.Code)
		}
	}
}
