package api

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/testtools"
)

func browserDo(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func browserEval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func signInOnPage(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	browserDo(t, ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#login-form`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Click(chromedp.CSS(`#login-form button[type=submit]`)))
}

// TestSignInInChromium signs in through the real page in Chromium, sees the
// navigation for the role, uses the admin pages, and signs out.
func TestSignInInChromium(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("ada@example.org", account.RoleAdmin)
	h.user("eve@example.org", account.RoleExecutive)
	ts := httptest.NewServer(h.srv)
	t.Cleanup(ts.Close)

	ctx := testtools.NewBrowser(t)
	consoleErrors := testtools.ConsoleErrors(t, ctx)
	browserDo(t, ctx, chromedp.EmulateViewport(1280, 900))

	// A wrong password says so on the page.
	signInOnPage(t, ctx, ts.URL, "ada@example.org", "not the password")
	browserDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#login-error:not(:empty)`)))
	if msg := browserEval[string](t, ctx, `document.querySelector('#login-error').textContent`); !strings.Contains(msg, "Wrong e-mail or password") {
		t.Errorf("wrong-password message %q", msg)
	}
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("sign-in page: %s", v)
	}

	signInOnPage(t, ctx, ts.URL, "ada@example.org", harnessPassword)
	browserDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Main]`)))
	nav := browserEval[[]string](t, ctx, `[...document.querySelectorAll('nav[aria-label=Main] a')].map(a => a.textContent)`)
	if got := strings.Join(nav, ","); got != "Summary,Surveys,Results,Reports,People,Audit" {
		t.Errorf("admin navigation %q", got)
	}
	if who := browserEval[string](t, ctx, `document.querySelector('.who').textContent`); !strings.Contains(who, "ada@example.org") {
		t.Errorf("signed-in user shown as %q", who)
	}
	if httpOnly := browserEval[bool](t, ctx, `!document.cookie.includes('allypulse_session')`); !httpOnly {
		t.Error("the session cookie is readable by script")
	}

	// People: create an API token; its secret is shown once.
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`a[data-nav=people]`)),
		chromedp.WaitVisible(chromedp.CSS(`#users tr[data-user="eve@example.org"]`)))
	if text := browserEval[string](t, ctx, `document.querySelector('main').innerText`); strings.Contains(text, "null") {
		t.Errorf("the people page prints a null:\n%s", text)
	}
	// One's own row offers no control the server would refuse.
	if n := browserEval[int](t, ctx, `document.querySelectorAll('#users tr[data-user="ada@example.org"] :is(select, button):not(:disabled)').length`); n != 0 {
		t.Errorf("own row offers %d controls that can only fail", n)
	}
	if n := browserEval[int](t, ctx, `document.querySelectorAll('#users tr[data-user="eve@example.org"] :is(select, button):not(:disabled)').length`); n != 4 {
		t.Errorf("another user's row offers %d controls, want 4", n)
	}
	browserDo(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#new-token-name`), "BI export"),
		chromedp.Click(chromedp.CSS(`#new-token button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#new-token-secret`)))
	secret := browserEval[string](t, ctx, `document.querySelector('#new-token-secret').value`)
	if !strings.HasPrefix(secret, account.TokenPrefix) {
		t.Fatalf("token secret on the page: %q", secret)
	}
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("people page: %s", v)
	}
	if rec := h.do("GET", "/api/v1/me", "", withBearer(secret)); rec.Code != 200 {
		t.Errorf("token from the page does not work: %d", rec.Code)
	}

	// Audit: the sign-in and the token are there.
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`a[data-nav=audit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#audit tr[data-action="token.create"]`)))
	actions := browserEval[[]string](t, ctx, `[...document.querySelectorAll('#audit tbody tr')].map(r => r.dataset.action)`)
	if got := strings.Join(actions, ","); got != "token.create,auth.login,auth.login_failed" {
		t.Errorf("audit rows %q", got)
	}
	// On a phone the table scrolls in its own box, not the whole page.
	browserDo(t, ctx, chromedp.EmulateViewport(390, 844))
	if over := browserEval[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth`); over {
		t.Error("the audit page is wider than a phone's screen")
	}
	browserDo(t, ctx, chromedp.EmulateViewport(1280, 900))

	// Sign out: back to the sign-in form, and the session is gone.
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#logout`)),
		chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	if status := browserEval[int](t, ctx, `fetch('/api/v1/me').then(r => r.status)`); status != 401 {
		t.Errorf("/me after signing out: %d", status)
	}

	// An executive sees no admin pages.
	signInOnPage(t, ctx, ts.URL, "eve@example.org", harnessPassword)
	browserDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Main]`)))
	nav = browserEval[[]string](t, ctx, `[...document.querySelectorAll('nav[aria-label=Main] a')].map(a => a.textContent)`)
	if got := strings.Join(nav, ","); strings.Contains(got, "People") || strings.Contains(got, "Audit") {
		t.Errorf("executive navigation %q", got)
	}

	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}
}

// TestSetupPageInChromium creates the first admin through the one-time
// setup link's page.
func TestSetupPageInChromium(t *testing.T) {
	h := newAuthHarness(t, Config{})
	secret, err := h.srv.accounts.CreateSetupToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h.srv)
	t.Cleanup(ts.Close)
	ctx := testtools.NewBrowser(t)
	consoleErrors := testtools.ConsoleErrors(t, ctx)
	browserDo(t, ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(ts.URL+"/app/setup?token="+secret),
		chromedp.WaitVisible(chromedp.CSS(`#setup-form`)))
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("setup page: %s", v)
	}
	browserDo(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#email`), "first@example.org"),
		chromedp.SendKeys(chromedp.CSS(`#name`), "First Admin"),
		chromedp.SendKeys(chromedp.CSS(`#password`), "a long passphrase"),
		chromedp.SendKeys(chromedp.CSS(`#confirm`), "a long passphrase"),
		chromedp.Click(chromedp.CSS(`#setup-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[data-nav=people]`)))
	if _, err := h.srv.accounts.Authenticate(context.Background(), "first@example.org", "a long passphrase"); err != nil {
		t.Errorf("the admin made on the page cannot sign in: %v", err)
	}
	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}
}
