package report

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
)

// Stored cells come back exactly, including shares and bounds of 0.
func TestSnapshotCellsRoundTrip(t *testing.T) {
	zero, one := 0.0, 1.0
	in := []cellValues{{Key: "dept=0", Respondents: 7, Count: Cell{N: 7},
		Items: []Cell{{N: 7, Favourable: &zero, Low: &zero, High: &one, Distribution: []int{0, 7}}, {Suppressed: true, Reason: ReasonTooFew}},
		Gaps:  map[string][]Cell{"*": {{N: 7, Value: &zero}}},
		AsOf:  &AsOf{Snapshot: 2}}}
	b, err := encodeCells(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := decodeCells(b)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := json.Marshal(in)
	y, _ := json.Marshal(out)
	if string(x) != string(y) {
		t.Fatalf("round trip changed the cells:\n%s\n%s", x, y)
	}
}

// Many viewers opening an open wave at the moment its snapshot is due all
// get the one snapshot that is stored, on every database: the views that
// arrive together share one computation and read what it stored.
func TestSnapshotDueForManyViewersAtOnce(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend, attackDesign())
			f.add(f.wave, grp(12, 4, "dept", "Sales", "site", "North")...)
			f.add(f.wave, grp(12, 2, "dept", "Engineering", "site", "South")...)
			const viewers = 16
			bodies := make([]string, viewers)
			errs := make([]error, viewers)
			var wg sync.WaitGroup
			for i := range viewers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := f.engine.Release(context.Background(), f.sv.ID, Query{By: "dept"})
					if err != nil {
						errs[i] = err
						return
					}
					if r.Snapshot != 1 {
						errs[i] = fmt.Errorf("snapshot %d, want 1", r.Snapshot)
					}
					b, _ := json.Marshal(r)
					bodies[i] = string(b)
				}()
			}
			wg.Wait()
			for i := range viewers {
				if errs[i] != nil {
					t.Fatalf("viewer %d: %v", i, errs[i])
				}
				if bodies[i] != bodies[0] {
					t.Fatalf("viewers %d and 0 saw different releases:\n%s\n%s", i, bodies[i], bodies[0])
				}
			}
			var stored int64
			if err := f.db.Gorm.Model(&snapshotRow{}).Where("wave_id = ?", f.wave.ID).Count(&stored).Error; err != nil {
				t.Fatal(err)
			}
			if stored != 1 {
				t.Errorf("%d snapshots stored, want 1", stored)
			}
		})
	}
}
