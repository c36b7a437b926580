package api

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/limits"
)

// captureLog points the server's log at a buffer.
func captureLog(s *Server) *lockedBuffer {
	b := &lockedBuffer{}
	s.log = slog.New(slog.NewTextHandler(b, nil))
	return b
}

// TestCancelledResultsRequestIsNoServerError asks for results with a
// context that is already cancelled, as the server's context is when the
// client half-closes or drops its connection: not a 500, no ERROR line.
func TestCancelledResultsRequestIsNoServerError(t *testing.T) {
	h := newExportHarness(t, 40, 40, 40)
	logs := captureLog(h.srv)
	for _, suffix := range []string{"results?wave=1&by=gender", "heatmap?wave=2&by=gender", "report.xlsx?wave=3"} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, h.path(suffix), nil)
		req.Header.Set("Authorization", "Bearer "+h.lead)
		rec := httptest.NewRecorder()
		h.srv.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != statusClientClosed {
			t.Errorf("%s: cancelled request answered %d", suffix, rec.Code)
		}
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a cancelled request logged an error:\n%s", logs)
	}
}

// TestHalfClosedConnectionIsNoServerError sends GET …/results over a raw
// socket and shuts down its writing side at once (shutdown(SHUT_WR)), which
// cancels the request's context on the server; whatever it answers, it is
// never a 500 and the log holds no ERROR line.
func TestHalfClosedConnectionIsNoServerError(t *testing.T) {
	h := newExportHarness(t, 40, 40, 40)
	logs := captureLog(h.srv)
	ts := httptest.NewServer(h.srv)
	defer ts.Close()
	for i := range 30 {
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		by := []string{"gender", "tenure", "department"}[i%3]
		req := "GET " + h.path("results?wave="+string(rune('1'+i%3))+"&by="+by) + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + h.lead + "\r\n\r\n"
		if _, err := conn.Write([]byte(req)); err != nil {
			t.Fatal(err)
		}
		if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err == nil {
			if res.StatusCode == http.StatusInternalServerError {
				t.Errorf("request %d: 500 after a half-close", i)
			}
			res.Body.Close()
		}
		conn.Close()
	}
	ts.Close() // waits for every handler to finish
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a half-closed request logged an error:\n%s", logs)
	}
}

// TestFailedSignInIsAuditedWhenTheClientLeaves: a wrong password sent by a
// client that is already gone is still counted and written to the audit log.
func TestFailedSignInIsAuditedWhenTheClientLeaves(t *testing.T) {
	h := newAuthHarness(t, Config{})
	h.user("ada@example.org", account.RoleAdmin)
	for range limits.AccountFailures {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/api/v1/auth/login",
			strings.NewReader(`{"email":"ada@example.org","password":"wrong password!"}`))
		req.Header.Set("Content-Type", "application/json")
		h.srv.ServeHTTP(httptest.NewRecorder(), req)
	}
	events, _, err := h.srv.accounts.Events(context.Background(), 50, "")
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, e := range events {
		if e.Action == "auth.login_failed" && e.Target == "ada@example.org" {
			failed++
		}
	}
	if failed != limits.AccountFailures {
		t.Errorf("%d failed sign-ins audited, want %d", failed, limits.AccountFailures)
	}
	rec := h.do("POST", "/api/v1/auth/login", `{"email":"ada@example.org","password":"`+harnessPassword+`"}`)
	wantProblem(t, rec, http.StatusTooManyRequests)
}

// TestNullBodyIsRefused: the body null is not an empty change.
func TestNullBodyIsRefused(t *testing.T) {
	h := newAuthHarness(t, Config{})
	admin := h.user("ada@example.org", account.RoleAdmin)
	lead := h.user("lin@example.org", account.RoleLead)
	b := h.signIn(admin.Email)
	rec := h.do("POST", "/api/v1/surveys", `{"title":"Pulse","items":["belonging.1"]}`, b.as())
	if rec.Code != http.StatusCreated {
		t.Fatalf("create survey: %d %s", rec.Code, rec.Body)
	}
	sv := decodeBody[struct {
		ID string `json:"id"`
	}](t, rec.Body.Bytes())
	for _, path := range []string{"/api/v1/users/" + lead.ID, "/api/v1/surveys/" + sv.ID} {
		for _, body := range []string{"null", " null\n"} {
			p := wantProblem(t, h.do("PATCH", path, body, b.as()), http.StatusUnprocessableEntity)
			if len(p.Errors) != 1 || p.Errors[0].Field != "body" {
				t.Errorf("PATCH %s %q: errors %+v, want one naming body", path, body, p.Errors)
			}
		}
	}
	events, _, err := h.srv.accounts.Events(context.Background(), 50, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Action == "user.update" || e.Action == "survey.update" {
			t.Errorf("a refused body was audited: %+v", e)
		}
	}
}

// TestStaticPathsThatAreNotUTF8 are not found, as problem+json.
func TestStaticPathsThatAreNotUTF8(t *testing.T) {
	h := newAuthHarness(t, Config{})
	for _, p := range []string{"/static/%ff", "/static/pages/%c3%28.js", "/static/%ff%fe/app.js", "/static/..%2fembed.go", "/static/"} {
		rec := h.do("GET", p, "")
		if rec.Code != http.StatusNotFound || rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %s: %d %s %q", p, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
	}
}

// TestStaticAssetsAreRevalidatedOrCachedForLong: every asset has an ETag
// and answers 304 to it; the pages link versioned addresses, which are
// immutable for a year.
func TestStaticAssetsAreRevalidatedOrCachedForLong(t *testing.T) {
	h := newAuthHarness(t, Config{})
	rec := h.do("GET", "/static/app.js", "")
	etag := rec.Header().Get("ETag")
	if rec.Code != http.StatusOK || etag == "" || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("GET /static/app.js: %d ETag %q Cache-Control %q", rec.Code, etag, rec.Header().Get("Cache-Control"))
	}
	rec = h.do("GET", "/static/app.js", "", withHeader("If-None-Match", etag))
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("revalidation: %d with %d bytes", rec.Code, rec.Body.Len())
	}
	for page, links := range map[string][]string{"/": {"app.css", "app.js"}, "/s/abc": {"respond.css", "respond.js"}} {
		body := h.do("GET", page, "").Body.String()
		for _, name := range links {
			i := strings.Index(body, `"/static/`+name+`?v=`)
			if i < 0 {
				t.Errorf("%s does not link a versioned %s:\n%s", page, name, body)
				continue
			}
			link := strings.Trim(body[i:i+strings.Index(body[i+1:], `"`)+2], `"`)
			rec := h.do("GET", link, "")
			if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != immutableCache {
				t.Errorf("GET %s: %d Cache-Control %q", link, rec.Code, rec.Header().Get("Cache-Control"))
			}
			if got := h.do("GET", "/static/"+name+"?v=stale", ""); got.Header().Get("Cache-Control") != "no-cache" {
				t.Errorf("a stale version of %s is cached: %q", name, got.Header().Get("Cache-Control"))
			}
		}
	}
}

// TestAggregatesAreNotCached: every results and export answer, success or
// refusal, says private, no-store.
func TestAggregatesAreNotCached(t *testing.T) {
	h := newExportHarness(t, 40, 40, 40)
	for _, suffix := range []string{"results?wave=1", "heatmap?wave=1&by=gender", "gaps?wave=1&by=gender",
		"behaviours?wave=1", "trend", "comments?wave=1", "report.xlsx?wave=1", "results.csv?wave=1", "results?wave=99", "summary"} {
		rec := h.get(h.lead, h.path(suffix))
		if got := rec.Header().Get("Cache-Control"); got != "private, no-store" {
			t.Errorf("GET %s: %d Cache-Control %q", suffix, rec.Code, got)
		}
	}
}

// TestReenabledUserGetsNoOldTokensBack: disabling revokes a user's API
// tokens for good; enabling them again does not bring the tokens back.
func TestReenabledUserGetsNoOldTokensBack(t *testing.T) {
	h := newAuthHarness(t, Config{})
	ada := h.user("ada@example.org", account.RoleAdmin)
	bea := h.user("bea@example.org", account.RoleAdmin)
	_, secret, err := h.srv.accounts.CreateToken(context.Background(), bea, "script", "")
	if err != nil {
		t.Fatal(err)
	}
	if rec := h.do("GET", "/api/v1/me", "", withBearer(secret)); rec.Code != http.StatusOK {
		t.Fatalf("token before: %d", rec.Code)
	}
	b := h.signIn(ada.Email)
	for _, body := range []string{`{"disabled":true}`, `{"disabled":false}`} {
		if rec := h.do("PATCH", "/api/v1/users/"+bea.ID, body, b.as()); rec.Code != http.StatusOK {
			t.Fatalf("PATCH %s: %d %s", body, rec.Code, rec.Body)
		}
	}
	wantProblem(t, h.do("GET", "/api/v1/me", "", withBearer(secret)), http.StatusUnauthorized)
	h.signIn(bea.Email) // the password works again
}
