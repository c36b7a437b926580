package report

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
	"github.com/allypulse/allypulse/survey/report/internal/benchgen"
)

// benchDBEnv names an existing database written by survey/report/benchdb, so
// the benchmark runs on the same file as the sqlite3 shell comparison.
const benchDBEnv = "ALLYPULSE_BENCH_DB"

// benchStore opens the benchmark database: the file in ALLYPULSE_BENCH_DB,
// or a fresh one with 100,000 responses in a temporary directory.
func benchStore(b *testing.B, open bool) (*survey.Store, *db.DB, string) {
	return benchStoreOf(b, 100000, open)
}

// benchStoreOf is benchStore with n responses (the file in
// ALLYPULSE_BENCH_DB is used for 100,000 only).
func benchStoreOf(b *testing.B, n int, open bool) (*survey.Store, *db.DB, string) {
	b.Helper()
	ctx := context.Background()
	path := os.Getenv(benchDBEnv)
	var id string
	if path == "" || open || n != 100000 {
		path = filepath.Join(b.TempDir(), "bench.db")
		var err error
		if id, err = benchgen.Generate(ctx, path, n, false, open); err != nil {
			b.Fatal(err)
		}
	}
	d, err := db.Open(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = d.Close() })
	store := survey.NewStore(d.Gorm)
	if id == "" {
		svs, err := store.ListSurveys(ctx, "", 1)
		if err != nil || len(svs) == 0 {
			b.Fatalf("no survey in %s: %v", path, err)
		}
		id = svs[0].ID
	}
	return store, d, id
}

// overviewAndHeatmap is what the dashboard's first two pages need: the
// whole wave's release and the heatmap over the 50-group team dimension.
func overviewAndHeatmap(b *testing.B, e *Engine, id string) {
	ctx := context.Background()
	if _, err := e.Release(ctx, id, Query{}); err != nil {
		b.Fatal(err)
	}
	h, err := e.Heatmap(ctx, id, Query{By: "team"})
	if err != nil {
		b.Fatal(err)
	}
	if len(h.Groups) != benchgen.Teams+2 {
		b.Fatalf("%d groups", len(h.Groups))
	}
}

// BenchmarkResults100k times the overview and the heatmap for a closed wave
// of 100,000 responses × 30 items on SQLite:
//
//   - cold: a fresh engine, so responses are counted, read and decoded;
//   - decoded: decoded responses cached, aggregates computed afresh;
//   - warm: a repeat read with the same response count.
func BenchmarkResults100k(b *testing.B) {
	store, d, id := benchStore(b, false)
	for _, audit := range []bool{true, false} {
		name, opts := "first", []Option(nil)
		if !audit {
			name, opts = "first-no-audit", []Option{withoutAudit()}
		}
		// first: the wave's one release is computed (with the audit) and
		// stored, as at the first view after it closes.
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := d.Gorm.Exec("DELETE FROM report_snapshots").Error; err != nil {
					b.Fatal(err)
				}
				overviewAndHeatmap(b, New(store, kernel.SystemClock{}, opts...), id)
			}
		})
	}
	// cold: a fresh engine (a restarted replica) reads the stored release.
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			overviewAndHeatmap(b, New(store, kernel.SystemClock{}), id)
		}
	})
	b.Run("warm", func(b *testing.B) {
		e := New(store, kernel.SystemClock{})
		overviewAndHeatmap(b, e, id)
		for b.Loop() {
			overviewAndHeatmap(b, e, id)
		}
	})
}

// BenchmarkSnapshot100k times the same views on an open wave of 100,000
// responses, where results come from a stored snapshot of the whole lattice:
//
//   - first: the first view takes the snapshot (every table, every cell);
//   - stored: a fresh engine (another replica) reads the stored snapshot.
func BenchmarkSnapshot100k(b *testing.B) {
	store, d, id := benchStore(b, true)
	for _, audit := range []bool{true, false} {
		name, opts := "first", []Option(nil)
		if !audit {
			name, opts = "first-no-audit", []Option{withoutAudit()}
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := d.Gorm.Exec("DELETE FROM report_snapshots").Error; err != nil {
					b.Fatal(err)
				}
				overviewAndHeatmap(b, New(store, kernel.SystemClock{}, opts...), id)
			}
		})
	}
	b.Run("stored", func(b *testing.B) {
		for b.Loop() {
			overviewAndHeatmap(b, New(store, kernel.SystemClock{}), id)
		}
	})
}

// BenchmarkAggregate100k times the aggregation alone on a decoded wave (no
// database): the whole-wave plan, the plan with the 50-team margin, and the
// population statistics (reliability, drivers) of the whole wave.
func BenchmarkAggregate100k(b *testing.B) {
	store, _, id := benchStore(b, false)
	l, data := benchWave(b, store, id)
	invited := invitations{}.fn(l)
	wave, lattice := newPlan(l, nil, true), newPlan(l, allDims(l), true)
	b.Run("wave", func(b *testing.B) {
		for b.Loop() {
			compute(wave, l, data, invited, nil, true, nil)
		}
	})
	// The whole lattice (every margin and allowed cross table, every metric,
	// reliability and drivers of every population), as a release computes
	// it, with the audit and without.
	b.Run("lattice", func(b *testing.B) {
		for b.Loop() {
			compute(lattice, l, data, invited, popCells(lattice), true, nil)
		}
	})
	b.Run("lattice-no-audit", func(b *testing.B) {
		for b.Loop() {
			compute(lattice, l, data, invited, popCells(lattice), false, nil)
		}
	})
	b.Run("population", func(b *testing.B) {
		c := compute(wave, l, data, invited, nil, false, nil)
		members := memberLists(wave, data, []int{0})[0]
		for b.Loop() {
			populationStats(l, populationSums(l, data, members), len(members), c.cells[0], popHidden{})
		}
	})
}

// benchWave reads the survey's first wave as the engine decodes it.
func benchWave(b *testing.B, store *survey.Store, id string) (*layout, *waveData) {
	b.Helper()
	ctx := context.Background()
	sv, err := store.GetSurvey(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	ws, err := store.Waves(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	l := newLayout(sv, ws[0], framework.BuiltIn())
	cw, err := New(store, kernel.SystemClock{}).load(ctx, &l, -1)
	if err != nil {
		b.Fatal(err)
	}
	return &l, cw.data
}

// BenchmarkLattice10k times the audited and unaudited release of the whole
// lattice for a closed wave of 10,000 responses: small enough that many
// atoms hold a handful of people, so many groups need protecting.
func BenchmarkLattice10k(b *testing.B) {
	store, _, id := benchStoreOf(b, 10000, false)
	l, data := benchWave(b, store, id)
	invited := invitations{}.fn(l)
	lattice := newPlan(l, allDims(l), true)
	for _, audit := range []bool{true, false} {
		name := "audit"
		if !audit {
			name = "no-audit"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				compute(lattice, l, data, invited, popCells(lattice), audit, nil)
			}
		})
	}
}
