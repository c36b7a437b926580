package limits

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
)

func migrated(t *testing.T, d *db.DB) *db.DB {
	t.Helper()
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}

// loginKinds are the limiter in memory, and the shared one on SQLite (the
// same SQL) and on PostgreSQL, where servers use it.
func loginKinds(t *testing.T, clock *kernel.ManualClock) map[string]Login {
	kinds := map[string]Login{
		"memory":         NewLogin(nil, clock),
		"shared, sqlite": &sharedLogin{db: testtools.OpenDB(t, db.SQLite), clock: clock},
	}
	pg := testtools.OpenDB(t, db.Postgres)
	kinds["shared, postgres"] = NewLogin(pg, clock)
	if _, ok := kinds["shared, postgres"].(*sharedLogin); !ok {
		t.Fatal("NewLogin on PostgreSQL is not the shared limiter")
	}
	if _, ok := NewLogin(testtools.OpenDB(t, db.SQLite), clock).(*memoryLogin); !ok {
		t.Fatal("NewLogin on SQLite is not the memory limiter")
	}
	return kinds
}

func TestLogin(t *testing.T) {
	ctx := context.Background()
	clock := kernel.NewManualClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	for name, l := range loginKinds(t, clock) {
		t.Run(name, func(t *testing.T) {
			wait := func(email, client string) time.Duration {
				t.Helper()
				w, err := l.Wait(ctx, email, client)
				if err != nil {
					t.Fatal(err)
				}
				return w
			}
			failed := func(email, client string) {
				t.Helper()
				if err := l.Failed(ctx, email, client); err != nil {
					t.Fatal(err)
				}
			}
			for i := range AccountFailures {
				if w := wait("ada@example.org", "10.0.0.1"); w != 0 {
					t.Fatalf("attempt %d must wait %v", i+1, w)
				}
				failed("ada@example.org", "10.0.0.1")
			}
			if w := wait(" ADA@example.org", "10.0.0.2"); w != FailureWindow {
				t.Errorf("account blocked from another client: wait %v, want %v", w, FailureWindow)
			}
			if w := wait("bo@example.org", "10.0.0.1"); w != 0 {
				t.Errorf("other account from the same client below the client limit: wait %v", w)
			}
			clock.Advance(time.Minute)
			if w := wait("ada@example.org", "10.0.0.1"); w != FailureWindow-time.Minute {
				t.Errorf("wait after a minute = %v", w)
			}
			clock.Advance(FailureWindow)
			if w := wait("ada@example.org", "10.0.0.1"); w != 0 {
				t.Errorf("wait after the window = %v", w)
			}
			// A new window starts from one.
			failed("ada@example.org", "10.0.0.1")
			if w := wait("ada@example.org", "10.0.0.5"); w != 0 {
				t.Errorf("one failure in a new window: wait %v", w)
			}

			for i := range ClientFailures {
				failed("guess"+strconv.Itoa(i)+"@example.org", "10.0.0.9")
			}
			if w := wait("new@example.org", "10.0.0.9"); w == 0 {
				t.Error("client over its limit is not held back")
			}
			if w := wait("new@example.org", "10.0.0.8"); w != 0 {
				t.Errorf("other client held back: %v", w)
			}

			// A good sign-in clears the account's count, not the client's.
			for range AccountFailures - 1 {
				failed("cy@example.org", "10.0.0.3")
			}
			if err := l.Succeeded(ctx, "cy@example.org"); err != nil {
				t.Fatal(err)
			}
			failed("cy@example.org", "10.0.0.4")
			if w := wait("cy@example.org", "10.0.0.4"); w != 0 {
				t.Errorf("count not cleared by a good sign-in: wait %v", w)
			}
			clock.Advance(2 * FailureWindow) // leaves the next subtest a clean slate
		})
	}
}

// TestSharedLoginCountsConcurrentFailures: failures recorded at once by
// several replicas all count.
func TestSharedLoginCountsConcurrentFailures(t *testing.T) {
	ctx := context.Background()
	dbs := testtools.PostgresReplicas(t, 4)
	migrated(t, dbs[0])
	clock := kernel.NewManualClock(time.Now().UTC())
	var wg sync.WaitGroup
	for i := range ClientFailures {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := NewLogin(dbs[i%len(dbs)], clock).Failed(ctx, "x"+strconv.Itoa(i)+"@example.org", "192.0.2.1"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if w, err := NewLogin(dbs[0], clock).Wait(ctx, "y@example.org", "192.0.2.1"); err != nil || w != FailureWindow {
		t.Errorf("after %d concurrent failures on 4 replicas: wait %v (%v), want %v", ClientFailures, w, err, FailureWindow)
	}
}

func TestRateSharedByReplicas(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	allowed := func(l *Rate, addr string) int {
		n := 0
		for range 100 {
			if l.Allow(addr) == 0 {
				n++
			}
		}
		return n
	}
	l := NewRate(10, 60, clock)
	if n := allowed(l, "198.51.100.1"); n != 60 {
		t.Errorf("one replica: %d allowed at once, want the burst of 60", n)
	}
	l = NewRate(10, 60, clock)
	l.SetReplicas(3)
	if n := allowed(l, "198.51.100.1"); n != 20 {
		t.Errorf("one of three replicas: %d allowed at once, want 20", n)
	}
	if w := l.Allow("198.51.100.1"); w != 300*time.Millisecond {
		t.Errorf("wait %v, want one token at 10/3 per second", w)
	}
	if NewRate(0, 60, clock).Allow("x") != 0 || (*Rate)(nil).Allow("x") != 0 {
		t.Error("a disabled limiter refused")
	}
}

func TestReplicasCountEachOther(t *testing.T) {
	ctx := context.Background()
	dbs := testtools.PostgresReplicas(t, 2)
	migrated(t, dbs[0])
	clock := kernel.NewManualClock(time.Now().UTC())
	a, b := NewReplicas(dbs[0], clock), NewReplicas(dbs[1], clock)
	count := func(r *Replicas) int {
		t.Helper()
		n, err := r.Beat(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(a); n != 1 {
		t.Errorf("alone: %d", n)
	}
	if n := count(b); n != 2 {
		t.Errorf("two: %d", n)
	}
	// b stops beating: after the timeout a counts itself alone again.
	clock.Advance(ReplicaTimeout + time.Second)
	if n := count(a); n != 1 {
		t.Errorf("after b stopped: %d", n)
	}
	count(b)
	if err := b.Leave(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(a); n != 1 {
		t.Errorf("after b left: %d", n)
	}
}
