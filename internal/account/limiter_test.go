package account_test

import (
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/account"
)

func TestLoginLimiter(t *testing.T) {
	clock := newTestClock()
	l := account.NewLoginLimiter(clock)
	for i := range account.AccountFailures {
		if w := l.Wait("ada@example.org", "10.0.0.1"); w != 0 {
			t.Fatalf("attempt %d must wait %v", i+1, w)
		}
		l.Failed("ada@example.org", "10.0.0.1")
	}
	if w := l.Wait("ADA@example.org", "10.0.0.2"); w != account.FailureWindow {
		t.Errorf("account blocked from another client: wait %v, want %v", w, account.FailureWindow)
	}
	if w := l.Wait("bo@example.org", "10.0.0.1"); w != 0 {
		t.Errorf("other account from the same client below the client limit: wait %v", w)
	}
	clock.Advance(time.Minute)
	if w := l.Wait("ada@example.org", "10.0.0.1"); w != account.FailureWindow-time.Minute {
		t.Errorf("wait after a minute = %v", w)
	}
	clock.Advance(account.FailureWindow)
	if w := l.Wait("ada@example.org", "10.0.0.1"); w != 0 {
		t.Errorf("wait after the window = %v", w)
	}

	// Per client: many accounts from one address.
	for i := range account.ClientFailures {
		l.Failed(string(rune('a'+i))+"@example.org", "10.0.0.9")
	}
	if w := l.Wait("new@example.org", "10.0.0.9"); w == 0 {
		t.Error("client over its limit is not held back")
	}
	if w := l.Wait("new@example.org", "10.0.0.8"); w != 0 {
		t.Errorf("other client held back: %v", w)
	}

	// A good sign-in clears the account's count.
	l.Failed("cy@example.org", "10.0.0.3")
	l.Succeeded("cy@example.org")
	for range account.AccountFailures - 1 {
		l.Failed("cy@example.org", "10.0.0.4")
	}
	if w := l.Wait("cy@example.org", "10.0.0.4"); w != 0 {
		t.Errorf("failures before a good sign-in still count: wait %v", w)
	}
}
