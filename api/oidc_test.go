package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/account"
)

// dummyOIDC is a configuration whose provider is never contacted.
var dummyOIDC = &OIDCConfig{Issuer: "http://127.0.0.1:9", ClientID: "x", ClientSecret: "y",
	AllowedDomains: []string{"example.org"}, RoleClaim: "groups", RoleValues: map[string][]string{account.RoleAdmin: {"a"}}}

// TestPasswordSignInCanBeTurnedOff: only once an admin signs in with
// single sign-on; then a password sign-in is refused before its
// credentials are looked at, and the sign-in page is told.
func TestPasswordSignInCanBeTurnedOff(t *testing.T) {
	h := newAuthHarness(t, Config{OIDC: dummyOIDC})
	h.user("ada@example.org", account.RoleAdmin)
	h.user("lin@example.org", account.RoleLead)
	ada, lin := h.signIn("ada@example.org"), h.signIn("lin@example.org")
	if got := h.do("GET", "/api/v1/auth/methods", "").Body.String(); got != `{"password":true,"sso":true}`+"\n" {
		t.Errorf("methods: %s", got)
	}
	wantProblem(t, h.do("PUT", "/api/v1/auth/password-sign-in", `{"enabled":false}`, lin.as()), http.StatusForbidden)
	for body, field := range map[string]string{`{}`: "enabled", `null`: "body", `{"enabled":"no"}`: "enabled"} {
		p := wantProblem(t, h.do("PUT", "/api/v1/auth/password-sign-in", body, ada.as()), http.StatusUnprocessableEntity)
		if len(p.Errors) != 1 || p.Errors[0].Field != field {
			t.Errorf("%s: %+v", body, p.Errors)
		}
	}
	p := wantProblem(t, h.do("PUT", "/api/v1/auth/password-sign-in", `{"enabled":false}`, ada.as()), http.StatusConflict)
	if !strings.Contains(p.Detail, "single sign-on") {
		t.Errorf("refusal without an SSO admin: %q", p.Detail)
	}

	_, _, err := h.srv.accounts.SignInExternal(context.Background(), account.ExternalUser{
		Issuer: dummyOIDC.Issuer, Subject: "s-1", Email: "sso-admin@example.org", Name: "Sso", Role: account.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	if rec := h.do("PUT", "/api/v1/auth/password-sign-in", `{"enabled":false}`, ada.as()); rec.Code != http.StatusOK || rec.Body.String() != `{"password":false,"sso":true}`+"\n" {
		t.Fatalf("turning it off: %d %s", rec.Code, rec.Body)
	}
	p = wantProblem(t, h.do("POST", "/api/v1/auth/login", `{"email":"ada@example.org","password":"`+harnessPassword+`"}`), http.StatusForbidden)
	if !strings.Contains(p.Detail, "password sign-in is turned off") {
		t.Errorf("password sign-in while off: %q", p.Detail)
	}
	// The sessions that exist go on; an admin can turn it on again.
	if rec := h.do("PUT", "/api/v1/auth/password-sign-in", `{"enabled":true}`, ada.as()); rec.Code != http.StatusOK {
		t.Fatalf("turning it on: %d %s", rec.Code, rec.Body)
	}
	// A user made by single sign-on has no password: refused like a wrong one.
	wantProblem(t, h.do("POST", "/api/v1/auth/login", `{"email":"sso-admin@example.org","password":""}`), http.StatusUnauthorized)
	wantProblem(t, h.do("POST", "/api/v1/auth/login", `{"email":"sso-admin@example.org","password":"anything at all"}`), http.StatusUnauthorized)
}

// TestSingleSignOnRoutesWithoutSetup: without configuration the routes are
// not there; a callback that was not started here goes back to the sign-in
// page with its reason.
func TestSingleSignOnRoutesWithoutSetup(t *testing.T) {
	h := newAuthHarness(t, Config{})
	wantProblem(t, h.do("GET", "/api/v1/auth/oidc/start", ""), http.StatusNotFound)
	wantProblem(t, h.do("GET", "/api/v1/auth/oidc/callback?code=x&state=y", ""), http.StatusNotFound)
	h.user("ada@example.org", account.RoleAdmin)
	p := wantProblem(t, h.do("PUT", "/api/v1/auth/password-sign-in", `{"enabled":false}`, h.signIn("ada@example.org").as()), http.StatusConflict)
	if !strings.Contains(p.Detail, "ALLYPULSE_OIDC_ISSUER") {
		t.Errorf("detail %q", p.Detail)
	}

	h = newAuthHarness(t, Config{OIDC: dummyOIDC})
	rec := h.do("GET", "/api/v1/auth/oidc/callback?code=x&state=y", "")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/?sso_error=state" {
		t.Errorf("callback without a started sign-in: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	// The provider cannot be reached: the person is told, not shown a 500.
	rec = h.do("GET", "/api/v1/auth/oidc/start", "")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/?sso_error=unavailable" {
		t.Errorf("start with the provider down: %d %q", rec.Code, rec.Header().Get("Location"))
	}
}
