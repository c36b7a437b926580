package survey

import (
	"context"
	"os"
	"testing"

	"github.com/allypulse/allypulse/internal/testtools"
)

// BenchmarkIntakeSubmit measures Submit with group commit from 64 concurrent
// submitters (32 per CPU on this 2-core machine), without HTTP. Run with
//
//	go test ./survey/ -run '^$' -bench IntakeSubmit -benchtime 20000x
func BenchmarkIntakeSubmit(b *testing.B) {
	backends := []bool{false}
	if os.Getenv(testtools.PostgresEnv) != "" {
		backends = append(backends, true)
	}
	for _, pg := range backends {
		b.Run(backendName(pg), func(b *testing.B) {
			f := newIntakeFixture(b, pg)
			ctx := context.Background()
			sub := goodSubmission()
			b.SetParallelism(32)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := f.intake.Submit(ctx, f.wave.Slug, sub); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
		})
	}
}
