package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/limits"
)

// fieldNames lists the fields a problem names.
func fieldNames(p Problem) string {
	var names []string
	for _, f := range p.Errors {
		names = append(names, f.Field)
	}
	return strings.Join(names, ",")
}

// TestChangeOwnPassword changes a password through POST /api/v1/me/password:
// this session stays, the others end, the old password stops working and
// the audit log says so without the secret.
func TestChangeOwnPassword(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("lead@example.org", account.RoleLead)
	h.user("ada@example.org", account.RoleAdmin)
	admin := h.signIn("ada@example.org")
	here := h.signIn("lead@example.org")
	phone := h.signIn("lead@example.org")

	const next = "a brand new passphrase"
	body := `{"current_password":"` + harnessPassword + `","new_password":"` + next + `"}`
	// A cookie request without the CSRF header is refused, as everywhere.
	wantProblem(t, h.do("POST", "/api/v1/me/password", body, here.cookies()), http.StatusForbidden)

	if rec := h.do("POST", "/api/v1/me/password", body, here.as()); rec.Code != http.StatusNoContent {
		t.Fatalf("change: %d %s", rec.Code, rec.Body)
	}
	if rec := h.do("GET", "/api/v1/me", "", here.cookies()); rec.Code != http.StatusOK {
		t.Errorf("the session that changed the password ended: %d", rec.Code)
	}
	wantProblem(t, h.do("GET", "/api/v1/me", "", phone.cookies()), http.StatusUnauthorized)
	if rec := h.do("GET", "/api/v1/me", "", admin.cookies()); rec.Code != http.StatusOK {
		t.Errorf("another user's session ended: %d", rec.Code)
	}
	ctx := context.Background()
	if _, err := h.srv.accounts.Authenticate(ctx, "lead@example.org", harnessPassword); err == nil {
		t.Error("the old password still signs in")
	}
	if _, err := h.srv.accounts.Authenticate(ctx, "lead@example.org", next); err != nil {
		t.Errorf("the new password does not sign in: %v", err)
	}

	events, _, err := h.srv.accounts.Events(ctx, 10, "")
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, e := range events {
		if e.Action == "user.password_change" {
			found = true
			if e.ActorEmail != "lead@example.org" || e.Target != "lead@example.org" {
				t.Errorf("audit entry %+v", e)
			}
		}
		if strings.Contains(e.Detail, next) || strings.Contains(e.Detail, harnessPassword) {
			t.Errorf("audit entry %+v holds a password", e)
		}
	}
	if !found {
		t.Errorf("no user.password_change entry in %+v", events)
	}
}

// TestChangeOwnPasswordRefusals: a wrong current password, a weak new one,
// an API token, and the failed-login limit the wrong guesses count towards.
func TestChangeOwnPasswordRefusals(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("ada@example.org", account.RoleAdmin)
	b := h.signIn("ada@example.org")
	other := h.signIn("ada@example.org")
	change := func(current, next string) Problem {
		t.Helper()
		return wantProblem(t, h.do("POST", "/api/v1/me/password",
			`{"current_password":"`+current+`","new_password":"`+next+`"}`, b.as()), http.StatusUnprocessableEntity)
	}

	if got := fieldNames(change("not my password", "a brand new passphrase")); got != "current_password" {
		t.Errorf("wrong current password names %q", got)
	}
	if got := fieldNames(change(harnessPassword, "short")); got != "new_password" {
		t.Errorf("weak new password names %q", got)
	}
	if got := fieldNames(change(harnessPassword, "            ")); got != "new_password" {
		t.Errorf("blank new password names %q", got)
	}
	if got := fieldNames(change("", "")); got != "current_password,new_password" {
		t.Errorf("empty form names %q", got)
	}
	p := wantProblem(t, h.do("POST", "/api/v1/me/password", `{"current_password":1}`, b.as()), http.StatusUnprocessableEntity)
	if got := fieldNames(p); got != "current_password" {
		t.Errorf("a number for current_password names %q", got)
	}
	// Nothing changed and no session ended.
	if _, err := h.srv.accounts.Authenticate(context.Background(), "ada@example.org", harnessPassword); err != nil {
		t.Errorf("a refused change altered the password: %v", err)
	}
	if rec := h.do("GET", "/api/v1/me", "", other.cookies()); rec.Code != http.StatusOK {
		t.Errorf("a refused change ended another session: %d", rec.Code)
	}

	// An API token cannot change its owner's password.
	rec := h.do("POST", "/api/v1/tokens", `{"name":"script","role":"admin"}`, b.as())
	if rec.Code != http.StatusCreated {
		t.Fatalf("token: %d %s", rec.Code, rec.Body)
	}
	secret := between(rec.Body.String(), `"secret":"`, `"`)
	wantProblem(t, h.do("POST", "/api/v1/me/password",
		`{"current_password":"`+harnessPassword+`","new_password":"a brand new passphrase"}`, withBearer(secret)), http.StatusForbidden)

	// Two wrong guesses so far; three more reach the account's limit, after
	// which even the right password waits, here and on the sign-in page.
	for range limits.AccountFailures - 2 {
		change("still not it", "a brand new passphrase")
	}
	wantProblem(t, h.do("POST", "/api/v1/me/password",
		`{"current_password":"`+harnessPassword+`","new_password":"a brand new passphrase"}`, b.as()), http.StatusTooManyRequests)
	wantProblem(t, h.do("POST", "/api/v1/auth/login",
		`{"email":"ada@example.org","password":"`+harnessPassword+`"}`), http.StatusTooManyRequests)
}

func between(s, start, end string) string {
	_, after, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(after, end)
	return v
}
