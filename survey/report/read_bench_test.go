package report

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report/internal/benchgen"
)

// BenchmarkRead100k measures reading a wave's blobs as one concatenated
// value (survey.Store.ReadWave) and the response count that validates the
// cache.
func BenchmarkRead100k(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "bench.db")
	id, err := benchgen.Generate(ctx, path, 100000, false, false)
	if err != nil {
		b.Fatal(err)
	}
	d, err := db.Open(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	store := survey.NewStore(d.Gorm)
	ws, err := store.Waves(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	items, dims := len(benchgen.Items()), len(benchgen.Design().Demographics)
	b.Run("count", func(b *testing.B) {
		for b.Loop() {
			if _, err := store.CountResponses(ctx, ws[0].ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("concatenated", func(b *testing.B) {
		for b.Loop() {
			if w, err := store.ReadWave(ctx, ws[0].ID, dims, items, 100000); err != nil || w.N != 100000 {
				b.Fatal(err)
			}
		}
	})
}
