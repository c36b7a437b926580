package report

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
)

// Concurrent views on two engines (two replicas) over one open wave: they
// race to take the first snapshot and must all answer the same.
func TestConcurrentReplicasAgree(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend, attackDesign())
			f.add(f.wave, concat(grp(20, 4, "dept", "Sales", "site", "North"), grp(15, 2, "dept", "Engineering", "site", "South"))...)
			engines := []*Engine{f.engine, New(f.store, f.engine.clock)}
			bodies := make([]string, 8)
			var wg sync.WaitGroup
			for i := range bodies {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := engines[i%2].Release(context.Background(), f.sv.ID, Query{By: "dept"})
					if err != nil {
						t.Error(err)
						return
					}
					b, _ := json.Marshal(r)
					bodies[i] = string(b)
				}()
			}
			wg.Wait()
			for i := range bodies {
				if bodies[i] != bodies[0] {
					t.Fatalf("view %d differs:\n%s\n%s", i, bodies[0], bodies[i])
				}
			}
		})
	}
}
