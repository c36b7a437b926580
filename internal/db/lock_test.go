package db_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/testtools"
)

// TestReplicasMigrateTogether starts several processes' worth of pools on
// one empty PostgreSQL schema and migrates them at the same moment, as
// replicas started together do. Each used to run the first migration at
// once, and all but one stopped with "duplicate key value violates unique
// constraint"; now they take turns and the migrations are applied once.
func TestReplicasMigrateTogether(t *testing.T) {
	for round := range 3 { // the race is lost often, not always
		t.Run(fmt.Sprint("round ", round), func(t *testing.T) {
			migrateTogether(t, testtools.PostgresReplicas(t, 8))
		})
	}
}

func migrateTogether(t *testing.T, dbs []*db.DB) {
	ctx := context.Background()
	replicas := len(dbs)
	applied := make([]int, replicas)
	errs := make([]error, replicas)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, d := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			applied[i], errs[i] = d.Migrate(ctx)
		}()
	}
	close(start)
	wg.Wait()
	total := 0
	for i := range dbs {
		if errs[i] != nil {
			t.Errorf("replica %d: %v", i, errs[i])
		}
		total += applied[i]
	}
	st, err := dbs[0].MigrationStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if total != len(st) {
		t.Errorf("the replicas applied %d migrations between them; want each of the %d once", total, len(st))
	}
	for i, d := range dbs {
		if err := d.Ready(ctx); err != nil {
			t.Errorf("replica %d not ready: %v", i, err)
		}
	}
}
