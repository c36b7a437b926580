package api

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"
)

// Defaults of the respond routes' rate limit, per client address. They are
// generous because a whole office may share one address behind NAT; codes
// carry 160 random bits, so the limit guards against floods, not guessing.
const (
	defaultRespondRate  = 10 // requests per second
	defaultRespondBurst = 60
)

// addressLimiter is an in-memory token bucket per client address. Addresses
// are kept only as keyed hashes (the key is random per process) and never
// leave memory: nothing is logged or written to disk.
type addressLimiter struct {
	rate  float64
	burst float64
	clock func() time.Time
	key   []byte

	mu        sync.Mutex
	buckets   map[[16]byte]*addressBucket
	lastSweep time.Time
}

type addressBucket struct {
	tokens float64
	last   time.Time
}

// sweepEvery is how often idle buckets are dropped.
const sweepEvery = time.Minute

// newAddressLimiter returns a limiter; rate ≤ 0 disables it (nil).
func newAddressLimiter(rate float64, burst int, clock func() time.Time) *addressLimiter {
	if rate <= 0 {
		return nil
	}
	if burst < 1 {
		burst = 1
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return &addressLimiter{rate: rate, burst: float64(burst), clock: clock, key: key, buckets: map[[16]byte]*addressBucket{}}
}

// allow takes one token for addr, or returns a *RetryAfterError.
func (l *addressLimiter) allow(addr string) error {
	if l == nil {
		return nil
	}
	mac := hmac.New(sha256.New, l.key)
	mac.Write([]byte(addr))
	var k [16]byte
	copy(k[:], mac.Sum(nil))

	now := l.clock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > sweepEvery {
		l.sweep(now)
	}
	b := l.buckets[k]
	if b == nil {
		b = &addressBucket{tokens: l.burst, last: now}
		l.buckets[k] = b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+elapsed.Seconds()*l.rate)
		b.last = now
	}
	if b.tokens < 1 {
		wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
		return &RetryAfterError{After: wait}
	}
	b.tokens--
	return nil
}

// sweep drops buckets that have refilled completely: they hold no state.
func (l *addressLimiter) sweep(now time.Time) {
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.last) >= full {
			delete(l.buckets, k)
		}
	}
	l.lastSweep = now
}
