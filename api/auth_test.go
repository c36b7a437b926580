package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/limits"
)

func decodeBody[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
	return v
}

func wantProblem(t *testing.T, rec interface {
	Result() *http.Response
}, status int) Problem {
	t.Helper()
	res := rec.Result()
	defer res.Body.Close()
	var p Problem
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
		t.Fatalf("status %d: body is not JSON: %v", res.StatusCode, err)
	}
	if res.StatusCode != status || p.Status != status {
		t.Fatalf("status %d (problem %d: %+v), want %d", res.StatusCode, p.Status, p, status)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	if p.Type == "" || p.Title == "" {
		t.Errorf("problem lacks type or title: %+v", p)
	}
	return p
}

func TestLoginAndMe(t *testing.T) {
	h := newAuthHarness(t, Config{})
	admin := h.user("ada@example.org", account.RoleAdmin)

	rec := h.do("POST", "/api/v1/auth/login", `{"email":"ADA@example.org","password":"`+harnessPassword+`"}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	got := decodeBody[userResponse](t, rec.Body.Bytes())
	if got.User.ID != admin.ID || got.User.Role != account.RoleAdmin {
		t.Errorf("login user = %+v", got.User)
	}
	var session, csrf *http.Cookie
	for _, c := range rec.Result().Cookies() {
		switch c.Name {
		case sessionCookie:
			session = c
		case csrfCookie:
			csrf = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure || session.MaxAge <= 0 {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure on http, with a lifetime", session)
	}
	if csrf == nil || csrf.HttpOnly || csrf.Value == "" {
		t.Errorf("csrf cookie %+v: want readable by script", csrf)
	}
	if strings.Contains(rec.Body.String(), "password") {
		t.Errorf("login response mentions the password: %s", rec.Body)
	}

	b := browser{session: session.Value, csrf: csrf.Value}
	rec = h.do("GET", "/api/v1/me", "", b.cookies())
	me := decodeBody[meResponse](t, rec.Body.Bytes())
	if rec.Code != http.StatusOK || me.User.Email != "ada@example.org" || me.CSRFToken != csrf.Value || me.Via != "session" {
		t.Errorf("me = %d %+v", rec.Code, me)
	}
	wantProblem(t, h.do("GET", "/api/v1/me", ""), http.StatusUnauthorized)
}

func TestSecureCookiesBehindHTTPS(t *testing.T) {
	h := newAuthHarness(t, Config{BaseURL: "https://pulse.example.org"})
	h.user("ada@example.org", account.RoleAdmin)
	rec := h.do("POST", "/api/v1/auth/login", `{"email":"ada@example.org","password":"`+harnessPassword+`"}`)
	cookies := rec.Result().Cookies()
	if len(cookies) != 2 {
		t.Fatalf("cookies %v", cookies)
	}
	for _, c := range cookies {
		if !c.Secure {
			t.Errorf("cookie %s is not Secure behind https", c.Name)
		}
	}
}

func TestWrongPasswordIs401Problem(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("ada@example.org", account.RoleAdmin)
	for _, body := range []string{
		`{"email":"ada@example.org","password":"wrong password!"}`,
		`{"email":"nobody@example.org","password":"wrong password!"}`,
	} {
		p := wantProblem(t, h.do("POST", "/api/v1/auth/login", body), http.StatusUnauthorized)
		if !strings.Contains(p.Detail, "wrong e-mail address or password") {
			t.Errorf("detail %q does not say what went wrong", p.Detail)
		}
	}
}

func TestRepeatedFailedLoginsAre429(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("ada@example.org", account.RoleAdmin)
	wrong := `{"email":"ada@example.org","password":"wrong password!"}`
	for range limits.AccountFailures {
		wantProblem(t, h.do("POST", "/api/v1/auth/login", wrong), http.StatusUnauthorized)
	}
	// Now even the right password waits: guessing must stop, not just fail.
	rec := h.do("POST", "/api/v1/auth/login", `{"email":"ada@example.org","password":"`+harnessPassword+`"}`)
	p := wantProblem(t, rec, http.StatusTooManyRequests)
	if !strings.Contains(p.Detail, "try again in") {
		t.Errorf("429 detail %q does not say when to try again", p.Detail)
	}
	secs, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	if err != nil || secs < 1 || secs > int(limits.FailureWindow.Seconds()) {
		t.Errorf("Retry-After %q", rec.Header().Get("Retry-After"))
	}

	// Per client: many accounts from one address are held back too. The
	// test client's address is public, so the X-Forwarded-For it sends is
	// ignored and cannot be used to pick a fresh key.
	for i := range limits.ClientFailures {
		h.do("POST", "/api/v1/auth/login", `{"email":"guess`+strconv.Itoa(i)+`@example.org","password":"wrong password!"}`,
			withHeader("X-Forwarded-For", "203.0.113.9"))
	}
	rec = h.do("POST", "/api/v1/auth/login", `{"email":"fresh@example.org","password":"wrong password!"}`)
	wantProblem(t, rec, http.StatusTooManyRequests)
}

func TestLogoutRevokesSession(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("ada@example.org", account.RoleAdmin)
	b := h.signIn("ada@example.org")
	if rec := h.do("GET", "/api/v1/users", "", b.cookies()); rec.Code != http.StatusOK {
		t.Fatalf("users before logout: %d", rec.Code)
	}
	rec := h.do("POST", "/api/v1/auth/logout", "", b.as())
	if rec.Code != http.StatusNoContent {
		t.Fatalf("logout: %d %s", rec.Code, rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge >= 0 || c.Value != "" {
			t.Errorf("logout leaves cookie %+v", c)
		}
	}
	// The old cookie, replayed, no longer works.
	wantProblem(t, h.do("GET", "/api/v1/users", "", b.cookies()), http.StatusUnauthorized)
	wantProblem(t, h.do("GET", "/api/v1/me", "", b.cookies()), http.StatusUnauthorized)
}

func TestRoles(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("ada@example.org", account.RoleAdmin)
	h.user("lee@example.org", account.RoleLead)
	h.user("eve@example.org", account.RoleExecutive)
	signedIn := map[string]browser{
		account.RoleAdmin:     h.signIn("ada@example.org"),
		account.RoleLead:      h.signIn("lee@example.org"),
		account.RoleExecutive: h.signIn("eve@example.org"),
	}
	adminRoutes := []struct{ method, path, body string }{
		{"GET", "/api/v1/users", ""},
		{"POST", "/api/v1/users", `{"email":"x@example.org","role":"lead","password":"0123456789"}`},
		{"PATCH", "/api/v1/users/someone", `{"name":"x"}`},
		{"DELETE", "/api/v1/users/someone", ""},
		{"GET", "/api/v1/tokens", ""},
		{"POST", "/api/v1/tokens", `{"name":"x"}`},
		{"DELETE", "/api/v1/tokens/some", ""},
		{"GET", "/api/v1/audit", ""},
	}
	for _, r := range adminRoutes {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			wantProblem(t, h.do(r.method, r.path, r.body), http.StatusUnauthorized)
			for _, role := range []string{account.RoleExecutive, account.RoleLead} {
				p := wantProblem(t, h.do(r.method, r.path, r.body, signedIn[role].as()), http.StatusForbidden)
				if p.Type != "/problems/forbidden" {
					t.Errorf("%s: problem %+v", role, p)
				}
			}
		})
	}
	if rec := h.do("GET", "/api/v1/me", "", signedIn[account.RoleExecutive].cookies()); rec.Code != http.StatusOK {
		t.Errorf("executive /me: %d", rec.Code)
	}
}

func TestCSRF(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("ada@example.org", account.RoleAdmin)
	b := h.signIn("ada@example.org")
	create := func(email string) string {
		return `{"email":"` + email + `","role":"lead","password":"0123456789"}`
	}
	p := wantProblem(t, h.do("POST", "/api/v1/users", create("a@example.org"), b.cookies()), http.StatusForbidden)
	if !strings.Contains(p.Detail, "CSRF") {
		t.Errorf("detail %q does not name CSRF", p.Detail)
	}
	wantProblem(t, h.do("POST", "/api/v1/users", create("a@example.org"), b.cookies(), withHeader(csrfHeader, "forged")), http.StatusForbidden)
	wantProblem(t, h.do("POST", "/api/v1/auth/logout", "", b.cookies()), http.StatusForbidden)
	// A forged pair: cookie and header agree but are not the session's.
	forged := browser{session: b.session, csrf: "forged"}
	wantProblem(t, h.do("POST", "/api/v1/users", create("a@example.org"), forged.as()), http.StatusForbidden)
	if rec := h.do("POST", "/api/v1/users", create("a@example.org"), b.as()); rec.Code != http.StatusCreated {
		t.Errorf("with the CSRF header: %d %s", rec.Code, rec.Body)
	}
	// Safe methods need no header.
	if rec := h.do("GET", "/api/v1/users", "", b.cookies()); rec.Code != http.StatusOK {
		t.Errorf("GET without header: %d", rec.Code)
	}
}

func TestBearerTokens(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("ada@example.org", account.RoleAdmin)
	b := h.signIn("ada@example.org")
	rec := h.do("POST", "/api/v1/tokens", `{"name":"BI"}`, b.as())
	if rec.Code != http.StatusCreated {
		t.Fatalf("create token: %d %s", rec.Code, rec.Body)
	}
	created := decodeBody[createTokenResponse](t, rec.Body.Bytes())
	if created.Secret == "" || created.Token.Role != account.RoleAdmin || created.Token.UserEmail != "ada@example.org" {
		t.Fatalf("created %+v", created)
	}
	// The secret is shown once: never in the list.
	rec = h.do("GET", "/api/v1/tokens", "", b.cookies())
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), created.Secret) || !strings.Contains(rec.Body.String(), created.Token.ID) {
		t.Errorf("token list: %d %s", rec.Code, rec.Body)
	}

	// Bearer works, needs no CSRF header, and is not a session.
	rec = h.do("GET", "/api/v1/me", "", withBearer(created.Secret))
	me := decodeBody[meResponse](t, rec.Body.Bytes())
	if rec.Code != http.StatusOK || me.Via != "token" || me.CSRFToken != "" {
		t.Errorf("me by token: %d %+v", rec.Code, me)
	}
	if rec := h.do("POST", "/api/v1/users", `{"email":"b@example.org","role":"lead","password":"0123456789"}`, withBearer(created.Secret)); rec.Code != http.StatusCreated {
		t.Errorf("POST by token: %d %s", rec.Code, rec.Body)
	}

	// A token with a stated lesser role acts with that role.
	rec = h.do("POST", "/api/v1/tokens", `{"name":"dashboard","role":"executive"}`, b.as())
	exec := decodeBody[createTokenResponse](t, rec.Body.Bytes())
	wantProblem(t, h.do("GET", "/api/v1/users", "", withBearer(exec.Secret)), http.StatusForbidden)
	if rec := h.do("GET", "/api/v1/me", "", withBearer(exec.Secret)); rec.Code != http.StatusOK {
		t.Errorf("executive token /me: %d", rec.Code)
	}

	// Revoked: refused.
	if rec := h.do("DELETE", "/api/v1/tokens/"+created.Token.ID, "", b.as()); rec.Code != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
	}
	wantProblem(t, h.do("GET", "/api/v1/me", "", withBearer(created.Secret)), http.StatusUnauthorized)
	wantProblem(t, h.do("GET", "/api/v1/me", "", withBearer("apt_madeup")), http.StatusUnauthorized)
	wantProblem(t, h.do("GET", "/api/v1/me", "", withHeader("Authorization", "Basic YTpi")), http.StatusUnauthorized)
	wantProblem(t, h.do("DELETE", "/api/v1/tokens/nope", "", b.as()), http.StatusNotFound)
	wantProblem(t, h.do("POST", "/api/v1/tokens", `{"name":""}`, b.as()), http.StatusUnprocessableEntity)
}

// TestNameLimitsCountCharacters checks that the name limits count
// characters, as their messages say, so a name in any script fits.
func TestNameLimitsCountCharacters(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("ada@example.org", account.RoleAdmin)
	b := h.signIn("ada@example.org")
	wide := func(n int) string { return strings.Repeat("é", n) } // two bytes each
	for _, c := range []struct {
		method, path, body string
		status             int
	}{
		{"POST", "/api/v1/users", `{"email":"li@example.org","name":"` + wide(150) + `","role":"lead","password":"0123456789"}`, http.StatusCreated},
		{"POST", "/api/v1/users", `{"email":"lu@example.org","name":"` + wide(201) + `","role":"lead","password":"0123456789"}`, http.StatusUnprocessableEntity},
		{"POST", "/api/v1/tokens", `{"name":"` + wide(80) + `","role":"lead"}`, http.StatusCreated},
		{"POST", "/api/v1/tokens", `{"name":"` + wide(101) + `","role":"lead"}`, http.StatusUnprocessableEntity},
	} {
		if rec := h.do(c.method, c.path, c.body, b.as()); rec.Code != c.status {
			t.Errorf("%s %s with %d bytes: %d, want %d: %s", c.method, c.path, len(c.body), rec.Code, c.status, rec.Body)
		}
	}
	users := decodeBody[usersResponse](t, h.do("GET", "/api/v1/users", "", b.as()).Body.Bytes()).Users
	for _, u := range users {
		if u.Email == "li@example.org" {
			rec := h.do("PATCH", "/api/v1/users/"+u.ID, `{"name":"`+wide(180)+`"}`, b.as())
			wantStatus(t, rec, http.StatusOK)
		}
	}
}

func TestUsersAdmin(t *testing.T) {
	h := newAuthHarness(t, Config{})
	admin := h.user("ada@example.org", account.RoleAdmin)
	b := h.signIn("ada@example.org")

	rec := h.do("POST", "/api/v1/users", `{"email":"lee@example.org","name":"Lee","role":"lead","password":"0123456789"}`, b.as())
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	lee := decodeBody[userResponse](t, rec.Body.Bytes()).User
	p := wantProblem(t, h.do("POST", "/api/v1/users", `{"email":"lee@example.org","role":"lead","password":"0123456789"}`, b.as()), http.StatusConflict)
	if p.Detail == "" {
		t.Errorf("conflict without a detail: %+v", p)
	}
	p = wantProblem(t, h.do("POST", "/api/v1/users", `{"email":"x@example.org","role":"boss","password":"short"}`, b.as()), http.StatusUnprocessableEntity)
	if len(p.Errors) != 2 || p.Errors[0].Field != "password" || p.Errors[1].Field != "role" {
		t.Errorf("validation errors %+v", p.Errors)
	}
	wantProblem(t, h.do("POST", "/api/v1/users", `{"email":"x@example.org","rol":"lead"}`, b.as()), http.StatusUnprocessableEntity)

	rec = h.do("PATCH", "/api/v1/users/"+lee.ID, `{"role":"executive","disabled":true}`, b.as())
	got := decodeBody[userResponse](t, rec.Body.Bytes()).User
	if rec.Code != http.StatusOK || got.Role != account.RoleExecutive || !got.Disabled {
		t.Errorf("patch: %d %+v", rec.Code, got)
	}
	// The last admin can be neither demoted, disabled nor deleted.
	wantProblem(t, h.do("PATCH", "/api/v1/users/"+admin.ID, `{"role":"lead"}`, b.as()), http.StatusConflict)
	wantProblem(t, h.do("PATCH", "/api/v1/users/"+admin.ID, `{"disabled":true}`, b.as()), http.StatusConflict)
	wantProblem(t, h.do("DELETE", "/api/v1/users/"+admin.ID, "", b.as()), http.StatusConflict)
	wantProblem(t, h.do("PATCH", "/api/v1/users/nope", `{"name":"x"}`, b.as()), http.StatusNotFound)
	if rec := h.do("DELETE", "/api/v1/users/"+lee.ID, "", b.as()); rec.Code != http.StatusNoContent {
		t.Errorf("delete: %d %s", rec.Code, rec.Body)
	}
	rec = h.do("GET", "/api/v1/users", "", b.cookies())
	list := decodeBody[usersResponse](t, rec.Body.Bytes())
	if len(list.Users) != 1 || list.Users[0].ID != admin.ID {
		t.Errorf("users after delete: %+v", list.Users)
	}
	if strings.Contains(rec.Body.String(), "argon2") || strings.Contains(rec.Body.String(), "hash") {
		t.Errorf("user list leaks a hash: %s", rec.Body)
	}

	// Every action above is in the audit log, newest first, with its actor.
	rec = h.do("GET", "/api/v1/audit?limit=3", "", b.cookies())
	page := decodeBody[auditResponse](t, rec.Body.Bytes())
	if rec.Code != http.StatusOK || len(page.Events) != 3 || page.NextCursor == "" {
		t.Fatalf("audit page: %d %s", rec.Code, rec.Body)
	}
	if e := page.Events[0]; e.Action != "user.delete" || e.Target != "lee@example.org" || e.ActorEmail != "ada@example.org" || e.At.IsZero() {
		t.Errorf("newest event %+v", e)
	}
	var actions []string
	cursor := ""
	for {
		rec := h.do("GET", "/api/v1/audit?limit=2&cursor="+cursor, "", b.cookies())
		page := decodeBody[auditResponse](t, rec.Body.Bytes())
		for _, e := range page.Events {
			actions = append(actions, e.Action)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	want := "user.delete user.update user.create auth.login"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("audit actions %q, want %q", got, want)
	}
	wantProblem(t, h.do("GET", "/api/v1/audit?limit=0", "", b.cookies()), http.StatusUnprocessableEntity)
	wantProblem(t, h.do("GET", "/api/v1/audit?cursor=bogus", "", b.cookies()), http.StatusUnprocessableEntity)
}

func TestSetupLink(t *testing.T) {
	h := newAuthHarness(t, Config{})
	secret, err := h.srv.accounts.CreateSetupToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantProblem(t, h.do("POST", "/api/v1/auth/setup", `{"token":"guess","email":"ada@example.org","password":"0123456789"}`), http.StatusUnauthorized)
	wantProblem(t, h.do("POST", "/api/v1/auth/setup", `{"token":"`+secret+`","email":"ada@example.org","password":"short"}`), http.StatusUnprocessableEntity)
	rec := h.do("POST", "/api/v1/auth/setup", `{"token":"`+secret+`","email":"ada@example.org","name":"Ada","password":"0123456789"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("setup: %d %s", rec.Code, rec.Body)
	}
	if u := decodeBody[userResponse](t, rec.Body.Bytes()).User; u.Role != account.RoleAdmin || u.Email != "ada@example.org" {
		t.Errorf("setup made %+v", u)
	}
	if len(rec.Result().Cookies()) != 2 {
		t.Errorf("setup does not sign in: cookies %v", rec.Result().Cookies())
	}
	wantProblem(t, h.do("POST", "/api/v1/auth/setup", `{"token":"`+secret+`","email":"eve@example.org","password":"0123456789"}`), http.StatusUnauthorized)
}

func TestProblemsNeverLeakInternals(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("ada@example.org", account.RoleAdmin)
	cases := []struct {
		name   string
		method string
		path   string
		body   string
		ct     string
		status int
	}{
		{"malformed json", "POST", "/api/v1/auth/login", `{"email":`, "application/json", http.StatusBadRequest},
		{"wrong type", "POST", "/api/v1/auth/login", `{"email":42,"password":"x"}`, "application/json", http.StatusUnprocessableEntity},
		{"unknown field", "POST", "/api/v1/auth/login", `{"email":"a","password":"b","admin":true}`, "application/json", http.StatusUnprocessableEntity},
		{"not json", "POST", "/api/v1/auth/login", `email=a`, "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType},
		{"too large", "POST", "/api/v1/auth/login", `{"email":"` + strings.Repeat("a", 2<<20) + `"}`, "application/json", http.StatusRequestEntityTooLarge},
		{"no route", "GET", "/api/v1/nothing-here", "", "", http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := h.do(tc.method, tc.path, tc.body, withHeader("Content-Type", tc.ct))
			wantProblem(t, rec, tc.status)
			assertNoInternals(t, rec.Body.String())
		})
	}

	// A body of unknown length (chunked) over the limit is a 413 too.
	chunked := func(r *http.Request) { r.ContentLength = -1 }
	rec := h.do("POST", "/api/v1/auth/login", `{"email":"`+strings.Repeat("a", 2<<20)+`"}`, chunked)
	wantProblem(t, rec, http.StatusRequestEntityTooLarge)

	// A failing database is a bare 500: no SQL, driver or file names.
	b := h.signIn("ada@example.org")
	if err := h.db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, opt := range []reqOpt{b.cookies(), withBearer("apt_whatever")} {
		rec := h.do("GET", "/api/v1/users", "", opt)
		p := wantProblem(t, rec, http.StatusInternalServerError)
		if p.Detail == "" || p.Type != "/problems/internal" {
			t.Errorf("500 problem %+v", p)
		}
		assertNoInternals(t, rec.Body.String())
	}
}

func assertNoInternals(t *testing.T, body string) {
	t.Helper()
	lower := strings.ToLower(body)
	for _, bad := range []string{"sql", "database", "gorm", ".go", "goroutine", "panic", "closed", "json: ", "/tmp/", "runtime."} {
		if strings.Contains(lower, bad) {
			t.Errorf("problem body leaks %q: %s", bad, body)
		}
	}
}
