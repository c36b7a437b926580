package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/testtools"
)

// TestChangePasswordInChromium changes one's own password on "Your
// account", signs in again with the new one, and has an admin reset
// another user's password on the People page.
func TestChangePasswordInChromium(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("lead@example.org", account.RoleLead)
	h.user("ada@example.org", account.RoleAdmin)
	h.user("eve@example.org", account.RoleExecutive)
	elsewhere := h.signIn("lead@example.org")
	eve := h.signIn("eve@example.org")
	ts := httptest.NewServer(h.srv)
	t.Cleanup(ts.Close)

	ctx := testtools.NewBrowser(t)
	consoleErrors := testtools.ConsoleErrors(t, ctx)
	browserDo(t, ctx, chromedp.EmulateViewport(1280, 900))
	signInOnPage(t, ctx, ts.URL, "lead@example.org", harnessPassword)
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#account-link`)),
		chromedp.WaitVisible(chromedp.CSS(`#password-form`)))
	if cur := browserEval[string](t, ctx, `document.querySelector('#account-link').getAttribute('aria-current')`); cur != "page" {
		t.Errorf("the account link is not marked current: %q", cur)
	}
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("account page: %s", v)
	}
	fieldError := func(id string) string {
		return browserEval[string](t, ctx, `document.querySelector('#`+id+`-error').textContent`)
	}

	// A wrong current password is named next to its field.
	const next = "a brand new passphrase"
	browserDo(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#current-password`), "not my password"),
		chromedp.SendKeys(chromedp.CSS(`#new-password`), next),
		chromedp.SendKeys(chromedp.CSS(`#repeat-password`), next),
		chromedp.Click(chromedp.CSS(`#password-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#current-password-error:not(:empty)`)))
	if msg := fieldError("current-password"); !strings.Contains(msg, "not your current password") {
		t.Errorf("wrong current password says %q", msg)
	}
	// Two different new passwords are caught before sending.
	browserDo(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#current-password`), harnessPassword),
		chromedp.SetValue(chromedp.CSS(`#repeat-password`), next+"!"),
		chromedp.Click(chromedp.CSS(`#password-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#repeat-password-error:not(:empty)`)))
	if msg := fieldError("current-password"); msg != "" {
		t.Errorf("an old error stays: %q", msg)
	}
	// A weak new password is named next to its field.
	browserDo(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#new-password`), "short"),
		chromedp.SetValue(chromedp.CSS(`#repeat-password`), "short"),
		chromedp.Click(chromedp.CSS(`#password-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#new-password-error:not(:empty)`)))
	if msg := fieldError("new-password"); !strings.Contains(msg, "at least 10") {
		t.Errorf("weak new password says %q", msg)
	}

	browserDo(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#new-password`), next),
		chromedp.SetValue(chromedp.CSS(`#repeat-password`), next),
		chromedp.Click(chromedp.CSS(`#password-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#password-done:not(:empty)`)))
	if status := browserEval[int](t, ctx, `fetch('/api/v1/me').then(r => r.status)`); status != 200 {
		t.Errorf("this browser was signed out by its own change: %d", status)
	}
	if rec := h.do("GET", "/api/v1/me", "", elsewhere.cookies()); rec.Code != http.StatusUnauthorized {
		t.Errorf("the other session still works after the change: %d", rec.Code)
	}

	// Sign out and in again with the new password.
	browserDo(t, ctx,
		chromedp.Click(chromedp.CSS(`#logout`)),
		chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	signInOnPage(t, ctx, ts.URL, "lead@example.org", next)
	browserDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Main]`)))
	browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	// An admin resets Eve's password on the People page; Eve is signed out.
	signInOnPage(t, ctx, ts.URL, "ada@example.org", harnessPassword)
	browserDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`a[data-nav=people]`)),
		chromedp.Click(chromedp.CSS(`a[data-nav=people]`)),
		chromedp.Click(chromedp.CSS(`#users button[data-action=reset-password][data-user="eve@example.org"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#reset-form`)))
	if text := browserEval[string](t, ctx, `document.querySelector('#reset-form').innerText`); !strings.Contains(text, "signs eve@example.org out everywhere") {
		t.Errorf("the reset dialog does not warn about signing out:\n%s", text)
	}
	for _, v := range testtools.RunAxe(t, ctx) {
		t.Errorf("reset dialog: %s", v)
	}
	const reset = "reset by the admin"
	browserDo(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#reset-password`), "short"),
		chromedp.SendKeys(chromedp.CSS(`#reset-repeat`), "short"),
		chromedp.Click(chromedp.CSS(`#reset-confirm`)),
		chromedp.WaitVisible(chromedp.CSS(`#reset-password-error:not(:empty)`)),
		chromedp.SetValue(chromedp.CSS(`#reset-password`), reset),
		chromedp.SetValue(chromedp.CSS(`#reset-repeat`), reset),
		chromedp.Click(chromedp.CSS(`#reset-confirm`)),
		chromedp.WaitVisible(chromedp.CSS(`#people-message`)))
	if msg := browserEval[string](t, ctx, `document.querySelector('#people-message').textContent`); !strings.Contains(msg, "signed out everywhere") {
		t.Errorf("after the reset the page says %q", msg)
	}
	if rec := h.do("GET", "/api/v1/me", "", eve.cookies()); rec.Code != http.StatusUnauthorized {
		t.Errorf("Eve's session works after the reset: %d", rec.Code)
	}
	if _, err := h.srv.accounts.Authenticate(context.Background(), "eve@example.org", reset); err != nil {
		t.Errorf("Eve cannot sign in with the reset password: %v", err)
	}

	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}
}
