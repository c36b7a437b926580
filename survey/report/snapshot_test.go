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

// With background snapshots, a view of a live wave whose next snapshot is
// due gets the current one at once; the next is stored once, however many
// views asked for it, and shows the same numbers as an engine that takes
// snapshots on the request path.
func TestBackgroundSnapshots(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend, attackDesign())
			var failures []error
			var mu sync.Mutex
			bg := New(f.store, f.engine.clock, WithBackgroundSnapshots(func(_ string, err error) {
				mu.Lock()
				defer mu.Unlock()
				failures = append(failures, err)
			}))
			ctx := context.Background()
			f.add(f.wave, grp(12, 4, "dept", "Sales", "site", "North")...)
			f.add(f.wave, grp(12, 2, "dept", "Engineering", "site", "South")...)
			r, err := bg.Release(ctx, f.sv.ID, Query{By: "dept"})
			if err != nil {
				t.Fatal(err)
			}
			if r.Snapshot != 1 {
				t.Fatalf("first view: snapshot %d, want 1 (taken before answering)", r.Snapshot)
			}
			f.add(f.wave, grp(10, 5, "dept", "Sales", "site", "South")...)
			for range 8 {
				r, err := bg.Release(ctx, f.sv.ID, Query{By: "dept"})
				if err != nil {
					t.Fatal(err)
				}
				if r.Snapshot != 1 && r.Snapshot != 2 {
					t.Fatalf("snapshot %d", r.Snapshot)
				}
			}
			bg.Settle()
			if len(failures) > 0 {
				t.Fatal(failures)
			}
			var stored int64
			if err := f.db.Gorm.Model(&snapshotRow{}).Where("wave_id = ?", f.wave.ID).Count(&stored).Error; err != nil {
				t.Fatal(err)
			}
			if stored != 2 {
				t.Fatalf("%d snapshots stored, want 2", stored)
			}
			got, err := bg.Release(ctx, f.sv.ID, Query{By: "dept"})
			if err != nil {
				t.Fatal(err)
			}
			// The same wave, replayed on a synchronous engine.
			g := newFixture(t, backend, attackDesign())
			g.add(g.wave, grp(12, 4, "dept", "Sales", "site", "North")...)
			g.add(g.wave, grp(12, 2, "dept", "Engineering", "site", "South")...)
			if _, err := g.engine.Release(ctx, g.sv.ID, Query{By: "dept"}); err != nil {
				t.Fatal(err)
			}
			g.add(g.wave, grp(10, 5, "dept", "Sales", "site", "South")...)
			want, err := g.engine.Release(ctx, g.sv.ID, Query{By: "dept"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Snapshot != 2 || want.Snapshot != 2 {
				t.Fatalf("snapshots %d and %d, want 2", got.Snapshot, want.Snapshot)
			}
			strip := func(r *Release) string {
				c := *r
				c.Meta = Meta{}
				for i := range c.Groups {
					c.Groups[i].Count.AsOf = nil
				}
				b, _ := json.Marshal(c)
				return string(b)
			}
			if a, b := strip(got), strip(want); a != b {
				t.Errorf("background and synchronous snapshots differ:\n%s\n%s", a, b)
			}
		})
	}
}

// Prepare takes what a view would wait for, and nothing a view would not
// have taken: no snapshot of an open wave nobody looked at, the next one of
// a live wave someone did, and a closed wave's final release.
func TestPrepare(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend, attackDesign())
			bg := New(f.store, f.engine.clock, WithBackgroundSnapshots(func(_ string, err error) { t.Error(err) }))
			ctx := context.Background()
			stored := func() (n int64, final bool) {
				t.Helper()
				if err := f.db.Gorm.Model(&snapshotRow{}).Where("wave_id = ?", f.wave.ID).Count(&n).Error; err != nil {
					t.Fatal(err)
				}
				var last snapshotRow
				if n > 0 {
					if err := f.db.Gorm.Select("final").Where("wave_id = ?", f.wave.ID).Order("number DESC").Take(&last).Error; err != nil {
						t.Fatal(err)
					}
				}
				return n, last.Final
			}
			prepare := func() {
				t.Helper()
				if err := bg.Prepare(ctx); err != nil {
					t.Fatal(err)
				}
				bg.Settle()
			}
			f.add(f.wave, grp(12, 4, "dept", "Sales", "site", "North")...)
			prepare()
			if n, _ := stored(); n != 0 {
				t.Fatalf("an open wave nobody looked at got %d snapshots", n)
			}
			if _, err := bg.Release(ctx, f.sv.ID, Query{}); err != nil {
				t.Fatal(err)
			}
			f.add(f.wave, grp(12, 2, "dept", "Engineering", "site", "South")...)
			prepare()
			if n, final := stored(); n != 2 || final {
				t.Fatalf("after growth: %d snapshots (final %v), want 2 live ones", n, final)
			}
			f.closeWave(f.wave)
			prepare()
			if n, final := stored(); n != 3 || !final {
				t.Fatalf("after close: %d snapshots (final %v), want the final third", n, final)
			}
			prepare()
			if n, _ := stored(); n != 3 {
				t.Fatalf("a second Prepare stored more: %d", n)
			}
		})
	}
}
