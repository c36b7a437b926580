package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/account"
)

// TestAdminCannotLockThemselvesOut has an admin, with another admin present,
// try to demote, disable and delete their own account, through the session
// and through an API token: each is refused with a problem that says why,
// while the same changes to the other admin go through.
func TestAdminCannotLockThemselvesOut(t *testing.T) {
	h := newAuthHarness(t, Config{})
	ada := h.user("ada@example.org", account.RoleAdmin)
	bo := h.user("bo@example.org", account.RoleAdmin)
	b := h.signIn("ada@example.org")
	rec := h.do("POST", "/api/v1/tokens", `{"name":"script"}`, b.as())
	if rec.Code != http.StatusCreated {
		t.Fatalf("token: %d %s", rec.Code, rec.Body)
	}
	token := withBearer(decodeBody[createTokenResponse](t, rec.Body.Bytes()).Secret)

	for _, as := range []reqOpt{b.as(), token} {
		for _, body := range []string{`{"role":"lead"}`, `{"role":"executive"}`, `{"disabled":true}`, `{"name":"Ada","disabled":true}`} {
			p := wantProblem(t, h.do("PATCH", "/api/v1/users/"+ada.ID, body, as), http.StatusConflict)
			if !strings.Contains(p.Detail, "your own account") {
				t.Errorf("PATCH %s: detail %q does not say why", body, p.Detail)
			}
		}
		p := wantProblem(t, h.do("DELETE", "/api/v1/users/"+ada.ID, "", as), http.StatusConflict)
		if !strings.Contains(p.Detail, "your own account") {
			t.Errorf("DELETE: detail %q does not say why", p.Detail)
		}
	}
	// Harmless changes to oneself still work.
	if rec := h.do("PATCH", "/api/v1/users/"+ada.ID, `{"name":"Ada L.","role":"admin","disabled":false}`, b.as()); rec.Code != http.StatusOK {
		t.Errorf("renaming oneself: %d %s", rec.Code, rec.Body)
	}
	me := decodeBody[meResponse](t, h.do("GET", "/api/v1/me", "", b.cookies()).Body.Bytes()).User
	if me.Role != account.RoleAdmin || me.Disabled || me.Name != "Ada L." {
		t.Errorf("after refused changes: %+v", me)
	}

	// The other admin may be demoted; then Ada is the last admin, and Bo,
	// made admin again, cannot take her rights away either.
	if rec := h.do("PATCH", "/api/v1/users/"+bo.ID, `{"role":"lead"}`, b.as()); rec.Code != http.StatusOK {
		t.Fatalf("demoting the other admin: %d %s", rec.Code, rec.Body)
	}
	if rec := h.do("PATCH", "/api/v1/users/"+bo.ID, `{"role":"admin"}`, b.as()); rec.Code != http.StatusOK {
		t.Fatalf("promoting again: %d %s", rec.Code, rec.Body)
	}
	bb := h.signIn("bo@example.org")
	if rec := h.do("PATCH", "/api/v1/users/"+ada.ID, `{"disabled":true}`, bb.as()); rec.Code != http.StatusOK {
		t.Fatalf("another admin disabling Ada: %d %s", rec.Code, rec.Body)
	}
	// Bo is now the last active admin and cannot remove himself.
	wantProblem(t, h.do("DELETE", "/api/v1/users/"+bo.ID, "", bb.as()), http.StatusConflict)
	wantProblem(t, h.do("PATCH", "/api/v1/users/"+bo.ID, `{"role":"lead"}`, bb.as()), http.StatusConflict)
}

// TestUsersAndTokensArePaged walks the users and the tokens with a small
// limit: every one appears once, and bad limits and cursors are 422
// problems naming the parameter.
func TestUsersAndTokensArePaged(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("admin@example.org", account.RoleAdmin)
	for i := range 4 {
		h.user(fmt.Sprintf("user%d@example.org", i), account.RoleExecutive)
	}
	b := h.signIn("admin@example.org")
	for i := range 5 {
		if rec := h.do("POST", "/api/v1/tokens", fmt.Sprintf(`{"name":"t%d"}`, i), b.as()); rec.Code != http.StatusCreated {
			t.Fatalf("token: %d %s", rec.Code, rec.Body)
		}
	}
	users := pageAll(t, h, b, "/api/v1/users", func(body []byte) ([]string, string) {
		page := decodeBody[usersResponse](t, body)
		var out []string
		for _, u := range page.Users {
			out = append(out, u.Email)
		}
		return out, page.NextCursor
	})
	if want := "admin@example.org user0@example.org user1@example.org user2@example.org user3@example.org"; strings.Join(users, " ") != want {
		t.Errorf("users %v, want %s", users, want)
	}
	tokens := pageAll(t, h, b, "/api/v1/tokens", func(body []byte) ([]string, string) {
		page := decodeBody[tokensResponse](t, body)
		var out []string
		for _, tok := range page.Tokens {
			out = append(out, tok.Name)
		}
		return out, page.NextCursor
	})
	if len(tokens) != 5 {
		t.Errorf("tokens %v, want all five once", tokens)
	}
	for _, path := range []string{"/api/v1/users", "/api/v1/tokens"} {
		for q, field := range map[string]string{"limit=0": "limit", "limit=501": "limit", "limit=x": "limit",
			"cursor=bogus!": "cursor", "cursor=AA": "cursor", "limit=1&limit=2": "limit"} {
			p := wantProblem(t, h.do("GET", path+"?"+q, "", b.cookies()), http.StatusUnprocessableEntity)
			if len(p.Errors) != 1 || p.Errors[0].Field != field {
				t.Errorf("GET %s?%s: errors %+v, want one on %s", path, q, p.Errors, field)
			}
		}
	}
}

// pageAll follows next_cursor from path with limit=2 and returns what read
// takes from each page, failing on a repeat.
func pageAll(t *testing.T, h *authHarness, b browser, path string, read func([]byte) ([]string, string)) []string {
	t.Helper()
	var all []string
	seen := map[string]bool{}
	cursor := ""
	for page := 0; ; page++ {
		if page > 10 {
			t.Fatalf("%s: paging does not end", path)
		}
		rec := h.do("GET", path+"?limit=2&cursor="+url.QueryEscape(cursor), "", b.cookies())
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		items, next := read(rec.Body.Bytes())
		if len(items) > 2 {
			t.Errorf("%s: page of %d with limit=2", path, len(items))
		}
		for _, it := range items {
			if seen[it] {
				t.Errorf("%s: %s on two pages", path, it)
			}
			seen[it] = true
		}
		all = append(all, items...)
		if next == "" {
			return all
		}
		cursor = next
	}
}
