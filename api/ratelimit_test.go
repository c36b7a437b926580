package api

import (
	"errors"
	"testing"
	"time"
)

func TestAddressLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newAddressLimiter(2, 3, func() time.Time { return now })
	for i := 0; i < 3; i++ {
		if err := l.allow("192.0.2.1"); err != nil {
			t.Fatalf("request %d within the burst: %v", i, err)
		}
	}
	var ra *RetryAfterError
	if err := l.allow("192.0.2.1"); !errors.As(err, &ra) || ra.After != 500*time.Millisecond {
		t.Fatalf("over the burst: %v", err)
	}
	if err := l.allow("192.0.2.2"); err != nil {
		t.Errorf("another address was limited: %v", err)
	}
	now = now.Add(time.Second)
	if err := l.allow("192.0.2.1"); err != nil {
		t.Errorf("after refilling: %v", err)
	}
	// Idle buckets are dropped, and addresses are kept only as keyed hashes.
	now = now.Add(time.Hour)
	_ = l.allow("192.0.2.3")
	if len(l.buckets) != 1 {
		t.Errorf("%d buckets kept after an hour idle, want 1", len(l.buckets))
	}
	if newAddressLimiter(-1, 0, time.Now).allow("x") != nil {
		t.Error("a disabled limiter refused a request")
	}
}
