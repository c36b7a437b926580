package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/crypto"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/testtools"
)

// testProvider is an OpenID Provider built with zitadel/oidc's op package
// and its example storage and login page, with staff whose ID tokens carry
// e-mail and groups, and faults a test can give one user: an ID token for
// another audience, with a forged nonce, or a code that has expired.
type testProvider struct {
	*storage.Storage
	mu     sync.Mutex
	users  map[string]*testPerson // by subject
	issuer string
}

type testPerson struct {
	user   *storage.User
	groups []string
	fault  string // "", "audience", "nonce" or "expired"
}

const (
	opClientID     = "allypulse-test"
	opClientSecret = "allypulse-test-secret"
	opPassword     = "op password 1"
)

// personStore is the provider's user list, for the example storage.
type personStore struct{ p *testProvider }

func (s personStore) GetUserByID(id string) *storage.User {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	if u := s.p.users[id]; u != nil {
		return u.user
	}
	return nil
}

func (s personStore) GetUserByUsername(name string) *storage.User {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	for _, u := range s.p.users {
		if u.user.Username == name {
			return u.user
		}
	}
	return nil
}

func (personStore) ExampleClientID() string { return "service" }

// startProvider serves the provider on a loopback port; redirect is the
// relying party's callback.
func startProvider(t *testing.T, redirect string) *testProvider {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &testProvider{users: map[string]*testPerson{}, issuer: "http://" + ln.Addr().String()}
	clients := map[string]*storage.Client{opClientID: storage.WebClient(opClientID, opClientSecret, redirect)}
	p.Storage = storage.NewStorageWithClients(personStore{p}, clients)
	router := exampleop.SetupServer(p.issuer, p, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	srv := &http.Server{Handler: p.reissueForOtherAudience(router)}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return p
}

// person adds someone who can sign in at the provider.
func (p *testProvider) person(username, email string, groups []string, fault string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	id := "sub-" + username
	p.users[id] = &testPerson{user: &storage.User{ID: id, Username: username, Password: opPassword,
		FirstName: strings.ToUpper(username[:1]) + username[1:], LastName: "Tester", Email: email, EmailVerified: true},
		groups: groups, fault: fault}
}

func (p *testProvider) setGroups(username string, groups []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.users["sub-"+username].groups = groups
}

// SetUserinfoFromRequest puts subject, e-mail, name and groups into the ID
// token (in place of the example storage's own claims).
func (p *testProvider) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, _ []string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.users[req.GetSubject()]
	if u == nil {
		return nil
	}
	info.Subject = u.user.ID
	info.Email, info.EmailVerified = u.user.Email, oidc.Bool(u.user.EmailVerified)
	info.Name = u.user.FirstName + " " + u.user.LastName
	info.AppendClaims("groups", u.groups)
	return nil
}

// AuthRequestByCode applies the "nonce" and "expired" faults at the token
// endpoint.
func (p *testProvider) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	ar, err := p.Storage.AuthRequestByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	switch p.fault(ar.GetSubject()) {
	case "expired":
		return nil, oidc.ErrInvalidGrant().WithDescription("the authorization code has expired")
	case "nonce":
		return forgedNonce{ar}, nil
	}
	return ar, nil
}

func (p *testProvider) fault(subject string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if u := p.users[subject]; u != nil {
		return u.fault
	}
	return ""
}

type forgedNonce struct{ op.AuthRequest }

func (forgedNonce) GetNonce() string { return "a-nonce-from-another-sign-in" }

// reissueForOtherAudience applies the "audience" fault: the token
// endpoint's ID token is signed again, with the provider's own key, for
// another client only, as a token obtained by another application would be.
func (p *testProvider) reissueForOtherAudience(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth/token" {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var res map[string]any
		if rec.Code == http.StatusOK && json.Unmarshal(body, &res) == nil {
			if raw, ok := res["id_token"].(string); ok {
				if reissued, ok := p.otherAudience(r.Context(), raw); ok {
					res["id_token"] = reissued
					body, _ = json.Marshal(res)
				}
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

func (p *testProvider) otherAudience(ctx context.Context, raw string) (string, bool) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return "", false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", false
	}
	var claims oidc.IDTokenClaims
	if err := json.Unmarshal(payload, &claims); err != nil || p.fault(claims.Subject) != "audience" {
		return "", false
	}
	claims.Audience, claims.AuthorizedParty = oidc.Audience{"another-application"}, "another-application"
	key, err := p.Storage.SigningKey(ctx)
	if err != nil {
		return "", false
	}
	signer, err := op.SignerFromKey(key)
	if err != nil {
		return "", false
	}
	token, err := crypto.Sign(&claims, signer)
	return token, err == nil
}

// ssoSignIn clears the browser's cookies, clicks "Sign in with single
// sign-on", signs in at the provider's page and waits until the app shows
// either its navigation or an error.
func ssoSignIn(t *testing.T, ctx context.Context, base, username string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	browserDo(t, ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#sso`)),
		chromedp.Click(chromedp.CSS(`#sso`)),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), username),
		chromedp.SendKeys(chromedp.CSS(`#password`), opPassword),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Main], #login-error:not(:empty)`)))
}

// TestSingleSignOnInChromium drives the real redirect flow through an
// in-process OpenID Provider: sign-in with role mapping (and an update at
// the next sign-in), then a wrong audience, a wrong nonce, an expired code,
// a disallowed domain and a missing role, each refused with its message
// and audited.
func TestSingleSignOnInChromium(t *testing.T) {
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	p := startProvider(t, base+"/api/v1/auth/oidc/callback")
	h := newAuthHarness(t, Config{BaseURL: base, OIDC: &OIDCConfig{
		Issuer: p.issuer, ClientID: opClientID, ClientSecret: opClientSecret,
		AllowedDomains: []string{"example.org"}, RoleClaim: "groups",
		RoleValues: map[string][]string{account.RoleAdmin: {"pulse-admins"}, account.RoleLead: {"pulse-leads"}, account.RoleExecutive: {"pulse-execs"}},
	}})
	ts.Config.Handler = h.srv
	ts.Start()
	t.Cleanup(ts.Close)

	p.person("ada", "Ada@Example.org", []string{"staff", "pulse-admins"}, "")
	p.person("lin", "lin@example.org", []string{"pulse-leads"}, "")
	p.person("aud", "aud@example.org", []string{"pulse-admins"}, "audience")
	p.person("non", "non@example.org", []string{"pulse-admins"}, "nonce")
	p.person("exp", "exp@example.org", []string{"pulse-admins"}, "expired")
	p.person("mal", "mal@elsewhere.example", []string{"pulse-admins"}, "")
	p.person("nor", "nor@example.org", []string{"staff"}, "")

	ctx := testtools.NewBrowser(t)
	browserDo(t, ctx, chromedp.EmulateViewport(1280, 900))

	me := func() map[string]any {
		t.Helper()
		return browserEval[map[string]any](t, ctx, `fetch('/api/v1/me').then(r => r.json()).then(j => j.user)`)
	}
	ssoSignIn(t, ctx, base, "ada")
	if u := me(); u["email"] != "ada@example.org" || u["role"] != account.RoleAdmin || u["name"] != "Ada Tester" {
		t.Errorf("ada signed in as %v", u)
	}
	// The audit page shows the sign-in with the address it came from.
	browserDo(t, ctx, chromedp.Navigate(base+"/app/audit"), chromedp.WaitVisible(chromedp.CSS(`#audit tr[data-action="auth.login"]`)))
	if row := browserEval[string](t, ctx, `document.querySelector('#audit tr[data-action="auth.login"]').textContent`); !strings.Contains(row, "ada@example.org127.0.0.1") {
		t.Errorf("audit row of the sign-in: %q", row)
	}
	// Ada, an admin through single sign-on, turns password sign-in off on
	// the People page; the sign-in page then offers single sign-on only.
	browserDo(t, ctx, chromedp.Navigate(base+"/app/people"), chromedp.WaitVisible(chromedp.CSS(`#password-sign-in`)),
		chromedp.Click(chromedp.CSS(`#password-sign-in`)), chromedp.WaitVisible(chromedp.CSS(`#people-message`)))
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("people page: %s", v)
	}
	if on := browserEval[bool](t, ctx, `fetch('/api/v1/auth/methods').then(r => r.json()).then(m => m.password)`); on {
		t.Error("password sign-in is still on")
	}
	browserDo(t, ctx, chromedp.Evaluate[chromedp.Void](`fetch('/api/v1/auth/logout', {method: 'POST', headers: {'X-CSRF-Token': document.cookie.match(/allypulse_csrf=([^;]+)/)[1]}})`, chromedp.EvalAwaitPromise),
		chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`#sso`)))
	if n := browserEval[int](t, ctx, `document.querySelectorAll('#email, #password').length`); n != 0 {
		t.Errorf("the sign-in page still asks for a password (%d fields)", n)
	}
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("sign-in page with single sign-on: %s", v)
	}
	ssoSignIn(t, ctx, base, "lin")
	if u := me(); u["role"] != account.RoleLead {
		t.Errorf("lin signed in as %v", u)
	}
	// The provider moves lin to the executives: the next sign-in follows.
	p.setGroups("lin", []string{"pulse-execs"})
	ssoSignIn(t, ctx, base, "lin")
	if u := me(); u["role"] != account.RoleExecutive {
		t.Errorf("lin after the group change: %v", u)
	}
	// A session from single sign-on is a session like any other: CSRF
	// is required for changes.
	if code := browserEval[int](t, ctx, `fetch('/api/v1/auth/logout', {method: 'POST'}).then(r => r.status)`); code != http.StatusForbidden {
		t.Errorf("logout without the CSRF header: %d", code)
	}

	for _, c := range []struct{ user, want string }{
		{"aud", "wrong audience"},
		{"non", "nonce mismatch"},
		{"exp", "expired or was already used"},
		{"mal", "domain is not allowed"},
		{"nor", "has no Allypulse role"},
	} {
		ssoSignIn(t, ctx, base, c.user)
		msg := browserEval[string](t, ctx, `(document.querySelector('#login-error') || {}).textContent || 'signed in'`)
		if !strings.Contains(msg, c.want) {
			t.Errorf("%s: the page says %q, want %q", c.user, msg, c.want)
		}
	}

	users, _, err := h.srv.accounts.Users(context.Background(), 50, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 {
		t.Errorf("users created: %+v, want ada and lin only", users)
	}
	events, _, err := h.srv.accounts.Events(context.Background(), 100, "")
	if err != nil {
		t.Fatal(err)
	}
	var logins, refusals []string
	for _, e := range events {
		switch e.Action {
		case "auth.login":
			logins = append(logins, e.Target+" "+e.Detail)
		case "auth.login_failed":
			refusals = append(refusals, e.Detail)
		}
	}
	if len(logins) != 3 || !strings.Contains(logins[0], "single sign-on") {
		t.Errorf("sign-ins audited: %q", logins)
	}
	all := strings.Join(refusals, "\n")
	for _, want := range []string{"another client", "nonce", "refused the code", "elsewhere.example is not allowed", "maps to no role"} {
		if !strings.Contains(all, want) {
			t.Errorf("no audited refusal says %q:\n%s", want, all)
		}
	}
}
