package limits

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
)

// Rate is the respond routes' token bucket per client address. Addresses
// are kept only as keyed hashes (the key is random per process) and never
// leave memory: nothing is logged, written to disk or sent to the database
// (docs/anonymity.md). Replicas share the limit by each enforcing their
// share of it: the rate and burst divided by the live replicas (Replicas),
// so a client whose requests are spread over n replicas gets the
// configured rate in all.
type Rate struct {
	rate  float64
	burst float64
	clock func() time.Time
	key   []byte
	// replicas is the number of live replicas sharing the limit (≥ 1).
	replicas atomic.Int64

	mu        sync.Mutex
	buckets   map[[16]byte]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// sweepEvery is how often idle buckets are dropped.
const sweepEvery = time.Minute

// NewRate returns a limiter of rate requests per second with bursts of
// burst; rate ≤ 0 disables it (nil, whose Allow always allows).
func NewRate(rate float64, burst int, clock func() time.Time) *Rate {
	if rate <= 0 {
		return nil
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	r := &Rate{rate: rate, burst: float64(max(burst, 1)), clock: clock, key: key, buckets: map[[16]byte]*bucket{}}
	r.replicas.Store(1)
	return r
}

// SetReplicas sets how many replicas share the limit.
func (l *Rate) SetReplicas(n int) {
	if l != nil {
		l.replicas.Store(int64(max(n, 1)))
	}
}

// share is this replica's rate and burst.
func (l *Rate) share() (rate, burst float64) {
	n := float64(l.replicas.Load())
	return l.rate / n, math.Max(1, math.Floor(l.burst/n))
}

// Allow takes one token for addr and returns 0, or how long to wait.
func (l *Rate) Allow(addr string) time.Duration {
	if l == nil {
		return 0
	}
	mac := hmac.New(sha256.New, l.key)
	mac.Write([]byte(addr))
	var k [16]byte
	copy(k[:], mac.Sum(nil))

	rate, burst := l.share()
	now := l.clock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > sweepEvery {
		l.sweep(now, rate, burst)
	}
	b := l.buckets[k]
	if b == nil {
		b = &bucket{tokens: burst, last: now}
		l.buckets[k] = b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(burst, b.tokens+elapsed.Seconds()*rate)
		b.last = now
	}
	b.tokens = min(b.tokens, burst)
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) / rate * float64(time.Second))
	}
	b.tokens--
	return 0
}

// sweep drops buckets that have refilled completely: they hold no state.
func (l *Rate) sweep(now time.Time, rate, burst float64) {
	full := time.Duration(burst / rate * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.last) >= full {
			delete(l.buckets, k)
		}
	}
	l.lastSweep = now
}

// Replicas keeps this process's row in the replicas table and counts the
// live ones: those seen within ReplicaTimeout. Rows hold a random id and a
// time, nothing else.
type Replicas struct {
	db    *db.DB
	clock kernel.Clock
	id    string
}

// ReplicaTimeout is how long a replica that stopped beating still counts.
const ReplicaTimeout = 30 * time.Second

// NewReplicas returns the heartbeat of this process on d.
func NewReplicas(d *db.DB, clock kernel.Clock) *Replicas {
	if clock == nil {
		clock = kernel.SystemClock{}
	}
	return &Replicas{db: d, clock: clock, id: kernel.NewID()}
}

// Beat records that this replica is alive, forgets replicas that stopped,
// and returns how many are live.
func (r *Replicas) Beat(ctx context.Context) (int, error) {
	now := r.clock.Now().UTC().Truncate(time.Microsecond)
	g := r.db.Gorm.WithContext(ctx)
	err := g.Exec(`INSERT INTO replicas (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at`, r.id, now).Error
	if err != nil {
		return 0, err
	}
	if err := g.Exec("DELETE FROM replicas WHERE seen_at < ?", now.Add(-ReplicaTimeout)).Error; err != nil {
		return 0, err
	}
	var n int64
	err = g.Table("replicas").Where("seen_at >= ?", now.Add(-ReplicaTimeout)).Count(&n).Error
	return int(max(n, 1)), err
}

// Leave removes this replica's row, so the others take over its share at
// once.
func (r *Replicas) Leave(ctx context.Context) error {
	return r.db.Gorm.WithContext(ctx).Exec("DELETE FROM replicas WHERE id = ?", r.id).Error
}
