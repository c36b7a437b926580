// Package limits holds back repeated failed sign-ins and floods of survey
// submissions. On SQLite (one process) both live in memory; replicas on
// PostgreSQL count failed sign-ins in a shared table with atomic upserts,
// and split the submission limit between them (respond.go).
package limits

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
)

// Failed-sign-in limits: after this many failures within the window,
// further attempts wait until the window of the first failure ends. The
// per-client limit is higher, since several people may share one address.
const (
	AccountFailures = 5
	ClientFailures  = 20
	FailureWindow   = 15 * time.Minute
)

// Login counts failed sign-ins per account and per client.
type Login interface {
	// Wait returns how long a sign-in for email from client must wait;
	// zero means it may go ahead.
	Wait(ctx context.Context, email, client string) (time.Duration, error)
	// Failed records a failed sign-in.
	Failed(ctx context.Context, email, client string) error
	// Succeeded clears the account's failures after a good sign-in; the
	// client's stay, so one good account cannot launder guesses at others.
	Succeeded(ctx context.Context, email string) error
}

// NewLogin returns the limiter for d: shared by every replica on
// PostgreSQL, in memory on SQLite.
func NewLogin(d *db.DB, clock kernel.Clock) Login {
	if clock == nil {
		clock = kernel.SystemClock{}
	}
	if d != nil && db.IsPostgres(d.Gorm) {
		return &sharedLogin{db: d, clock: clock}
	}
	return &memoryLogin{clock: clock, entries: map[string]*failures{}}
}

func accountKey(email string) string { return "a:" + strings.ToLower(strings.TrimSpace(email)) }
func clientKey(client string) string { return "c:" + client }

// waitFor is how long to wait given a key's count and window start.
func waitFor(count int, start time.Time, limit int, now time.Time) time.Duration {
	end := start.Add(FailureWindow)
	if count < limit || !now.Before(end) {
		return 0
	}
	return end.Sub(now)
}

// memoryLogin keeps the counts in the process. A restart forgets them,
// which only helps an attacker once per restart.
type memoryLogin struct {
	mu      sync.Mutex
	clock   kernel.Clock
	entries map[string]*failures
}

type failures struct {
	count int
	start time.Time
}

func (l *memoryLogin) Wait(_ context.Context, email, client string) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	var wait time.Duration
	for key, limit := range map[string]int{accountKey(email): AccountFailures, clientKey(client): ClientFailures} {
		if f := l.entries[key]; f != nil {
			wait = max(wait, waitFor(f.count, f.start, limit, now))
		}
	}
	return wait, nil
}

func (l *memoryLogin) Failed(_ context.Context, email, client string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	if len(l.entries) > 100000 {
		for k, f := range l.entries {
			if !now.Before(f.start.Add(FailureWindow)) {
				delete(l.entries, k)
			}
		}
	}
	for _, key := range []string{accountKey(email), clientKey(client)} {
		f := l.entries[key]
		if f == nil || !now.Before(f.start.Add(FailureWindow)) {
			f = &failures{start: now}
			l.entries[key] = f
		}
		f.count++
	}
	return nil
}

func (l *memoryLogin) Succeeded(_ context.Context, email string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, accountKey(email))
	return nil
}

// sharedLogin keeps the counts in login_failures, keyed by a hash of the
// account or client key, so that every replica sees every failure. Each
// failure is one atomic upsert per key: concurrent failures on several
// replicas all count.
type sharedLogin struct {
	db    *db.DB
	clock kernel.Clock
}

func (l *sharedLogin) now() time.Time { return l.clock.Now().UTC().Truncate(time.Microsecond) }

func (l *sharedLogin) Wait(ctx context.Context, email, client string) (time.Duration, error) {
	limits := map[string]int{kernel.HashSecret(accountKey(email)): AccountFailures, kernel.HashSecret(clientKey(client)): ClientFailures}
	keys := make([]string, 0, len(limits))
	for k := range limits {
		keys = append(keys, k)
	}
	var rows []struct {
		Key         string
		Count       int
		WindowStart time.Time
	}
	err := l.db.Gorm.WithContext(ctx).Table("login_failures").Select("key, count, window_start").Where("key IN ?", keys).Find(&rows).Error
	if err != nil {
		return 0, err
	}
	now := l.now()
	var wait time.Duration
	for _, r := range rows {
		wait = max(wait, waitFor(r.Count, r.WindowStart, limits[r.Key], now))
	}
	return wait, nil
}

// upsertFailure starts a new window for a key whose window has ended, and
// otherwise adds one to its count.
const upsertFailure = `INSERT INTO login_failures (key, count, window_start) VALUES (?, 1, ?)
ON CONFLICT (key) DO UPDATE SET
  count = CASE WHEN login_failures.window_start <= ? THEN 1 ELSE login_failures.count + 1 END,
  window_start = CASE WHEN login_failures.window_start <= ? THEN excluded.window_start ELSE login_failures.window_start END`

func (l *sharedLogin) Failed(ctx context.Context, email, client string) error {
	now := l.now()
	ended := now.Add(-FailureWindow)
	g := l.db.Gorm.WithContext(ctx)
	for _, key := range []string{accountKey(email), clientKey(client)} {
		if err := g.Exec(upsertFailure, kernel.HashSecret(key), now, ended, ended).Error; err != nil {
			return err
		}
	}
	// Failures are rare: each one also sweeps the windows that ended.
	return g.Exec("DELETE FROM login_failures WHERE window_start <= ?", ended).Error
}

func (l *sharedLogin) Succeeded(ctx context.Context, email string) error {
	return l.db.Gorm.WithContext(ctx).Exec("DELETE FROM login_failures WHERE key = ?", kernel.HashSecret(accountKey(email))).Error
}
