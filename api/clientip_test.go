package api

import (
	"context"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/limits"
)

func withPeer(addr string) reqOpt { return func(r *http.Request) { r.RemoteAddr = addr } }

func cidr(t *testing.T, s string) *net.IPNet {
	t.Helper()
	_, n, err := net.ParseCIDR(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSpoofedForwardedForIsIgnored: with no trusted proxy, an
// X-Forwarded-For header reaches neither the log nor the limits, even from
// a loopback or private peer.
func TestSpoofedForwardedForIsIgnored(t *testing.T) {
	for _, peer := range []string{"203.0.113.9", "127.0.0.1", "10.0.0.2"} {
		h := newAuthHarness(t, Config{})
		logs := captureLog(h.srv)
		h.user("ada@example.org", account.RoleAdmin)
		// Each guess claims another address; the limit still counts them
		// all against the peer.
		for i := range limits.ClientFailures {
			h.do("POST", "/api/v1/auth/login", `{"email":"guess`+strconv.Itoa(i)+`@example.org","password":"wrong password!"}`,
				withPeer(peer+":4000"), withHeader("X-Forwarded-For", "198.51.100."+strconv.Itoa(i+1)), withHeader("X-Real-Ip", "198.51.100.200"))
		}
		rec := h.do("POST", "/api/v1/auth/login", `{"email":"fresh@example.org","password":"wrong password!"}`,
			withPeer(peer+":4000"), withHeader("X-Forwarded-For", "192.0.2.1"))
		wantProblem(t, rec, http.StatusTooManyRequests)
		if strings.Contains(logs.String(), "198.51.100.") || strings.Contains(logs.String(), "192.0.2.1") {
			t.Errorf("peer %s: a forwarded address reached the log", peer)
		}
		if !strings.Contains(logs.String(), "remote="+peer) {
			t.Errorf("peer %s: the log does not name the peer:\n%s", peer, logs)
		}
		assertAuditAddresses(t, h, peer)
	}
}

// TestTrustedProxyNamesTheClient: a listed proxy's X-Forwarded-For names
// the client; the same header from a peer outside the list does not.
func TestTrustedProxyNamesTheClient(t *testing.T) {
	h := newAuthHarness(t, Config{TrustedProxies: []*net.IPNet{cidr(t, "10.0.0.0/8")}})
	logs := captureLog(h.srv)
	h.do("GET", "/healthz", "", withPeer("10.1.2.3:5000"), withHeader("X-Forwarded-For", "192.0.2.50, 10.9.9.9"))
	if !strings.Contains(logs.String(), "remote=192.0.2.50") {
		t.Errorf("the trusted proxy's client is not logged:\n%s", logs)
	}
	h.do("GET", "/healthz", "", withPeer("172.16.0.4:5000"), withHeader("X-Forwarded-For", "192.0.2.99"))
	if strings.Contains(logs.String(), "192.0.2.99") || !strings.Contains(logs.String(), "remote=172.16.0.4") {
		t.Errorf("an untrusted peer chose its logged address:\n%s", logs)
	}
	// Clients behind the proxy are limited one by one, not as the proxy.
	h.user("ada@example.org", account.RoleAdmin)
	for i := range limits.ClientFailures {
		h.do("POST", "/api/v1/auth/login", `{"email":"guess`+strconv.Itoa(i)+`@example.org","password":"wrong password!"}`,
			withPeer("10.1.2.3:5000"), withHeader("X-Forwarded-For", "192.0.2.50"))
	}
	wantProblem(t, h.do("POST", "/api/v1/auth/login", `{"email":"x@example.org","password":"wrong password!"}`,
		withPeer("10.1.2.3:5000"), withHeader("X-Forwarded-For", "192.0.2.50")), http.StatusTooManyRequests)
	wantProblem(t, h.do("POST", "/api/v1/auth/login", `{"email":"x@example.org","password":"wrong password!"}`,
		withPeer("10.1.2.3:5000"), withHeader("X-Forwarded-For", "192.0.2.51")), http.StatusUnauthorized)
	assertAuditAddresses(t, h, "192.0.2.50", "192.0.2.51")
}

// assertAuditAddresses checks that every failed sign-in in the audit log
// names one of want as its client address.
func assertAuditAddresses(t *testing.T, h *authHarness, want ...string) {
	t.Helper()
	events, _, err := h.srv.accounts.Events(context.Background(), 500, "")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Action != "auth.login_failed" {
			continue
		}
		n++
		if !slices.Contains(want, e.ClientAddress) {
			t.Errorf("audit entry %s for %s names %q, want one of %v", e.Action, e.Target, e.ClientAddress, want)
		}
	}
	if n == 0 {
		t.Error("no failed sign-in was audited")
	}
}
