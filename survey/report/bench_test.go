package report

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/db"
	"github.com/allypulse/allypulse/survey/report/internal/benchgen"
)

// BenchmarkResults100k times what the dashboard's overview and heatmap need
// for a closed wave of 100,000 responses × 30 items on SQLite: the whole
// wave's release plus the heatmap over the 50-group team dimension.
//
//   - cold: a fresh engine, so responses are read and decoded;
//   - decoded: decoded responses cached, aggregates computed afresh;
//   - warm: a repeat read with the same response count.
func BenchmarkResults100k(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "bench.db")
	id, err := benchgen.Generate(ctx, path, 100000, false)
	if err != nil {
		b.Fatal(err)
	}
	d, err := db.Open(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	store := survey.NewStore(d.Gorm)
	view := func(b *testing.B, e *Engine) {
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
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			view(b, New(store, survey.SystemClock{}))
		}
	})
	b.Run("decoded", func(b *testing.B) {
		e := New(store, survey.SystemClock{})
		view(b, e)
		for b.Loop() {
			e.cache.forgetResults()
			view(b, e)
		}
	})
	b.Run("warm", func(b *testing.B) {
		e := New(store, survey.SystemClock{})
		view(b, e)
		for b.Loop() {
			view(b, e)
		}
	})
}

// forgetResults drops memoised computations, keeping decoded waves.
func (c *waveCache) forgetResults() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, w := range c.waves {
		w.results = map[string]*computed{}
	}
}
