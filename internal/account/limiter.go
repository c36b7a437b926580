package account

import (
	"sync"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
)

// Failed-login limits: after this many failures within the window, further
// attempts wait until the window of the first failure ends. The per-client
// limit is higher, since several people may share one address.
const (
	AccountFailures = 5
	ClientFailures  = 20
	FailureWindow   = 15 * time.Minute
)

// LoginLimiter counts failed sign-ins per account and per client, in
// memory. A restart forgets the counts, which only helps an attacker once
// per restart.
type LoginLimiter struct {
	mu      sync.Mutex
	clock   kernel.Clock
	entries map[string]*failures
}

type failures struct {
	count int
	start time.Time
}

// NewLoginLimiter returns an empty limiter.
func NewLoginLimiter(clock kernel.Clock) *LoginLimiter {
	if clock == nil {
		clock = kernel.SystemClock{}
	}
	return &LoginLimiter{clock: clock, entries: map[string]*failures{}}
}

func accountKey(email string) string { return "a:" + normalEmail(email) }
func clientKey(client string) string { return "c:" + client }

// Wait returns how long a sign-in for email from client must wait; zero
// means it may go ahead.
func (l *LoginLimiter) Wait(email, client string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	wait := l.waitLocked(accountKey(email), AccountFailures, now)
	if w := l.waitLocked(clientKey(client), ClientFailures, now); w > wait {
		wait = w
	}
	return wait
}

func (l *LoginLimiter) waitLocked(key string, max int, now time.Time) time.Duration {
	f := l.entries[key]
	if f == nil {
		return 0
	}
	end := f.start.Add(FailureWindow)
	if !now.Before(end) {
		delete(l.entries, key)
		return 0
	}
	if f.count < max {
		return 0
	}
	return end.Sub(now)
}

// Failed records a failed sign-in.
func (l *LoginLimiter) Failed(email, client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	if len(l.entries) > 100000 {
		l.pruneLocked(now)
	}
	for _, key := range []string{accountKey(email), clientKey(client)} {
		f := l.entries[key]
		if f == nil || !now.Before(f.start.Add(FailureWindow)) {
			f = &failures{start: now}
			l.entries[key] = f
		}
		f.count++
	}
}

// Succeeded clears the account's failures after a good sign-in; the
// client's stay, so one good account cannot launder guesses at others.
func (l *LoginLimiter) Succeeded(email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, accountKey(email))
}

func (l *LoginLimiter) pruneLocked(now time.Time) {
	for k, f := range l.entries {
		if !now.Before(f.start.Add(FailureWindow)) {
			delete(l.entries, k)
		}
	}
}
