package report

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/allypulse/allypulse/survey/report/internal/gauss"
)

// itemNull's vector is orthogonal to every value row a family can release
// (each item's sum, the score, the pooled count, over any set of
// demographic atoms) on random populations, and it is found on most of
// them: a screen that silently failed would only cost time, so this test
// is what shows it works.
func TestItemNullIsOrthogonalToValueRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	found := 0
	const trials = 300
	for trial := 0; trial < trials; trial++ {
		nitems, ndelta := 1+rng.IntN(4), 3+rng.IntN(12)
		a := &auditAtoms{size: make([]int, ndelta)}
		var entries []auditEntry
		for dl := 0; dl < ndelta; dl++ {
			for r := 0; r < 1+rng.IntN(6); r++ {
				var bits byte
				for b := 0; b < nitems; b++ {
					if rng.IntN(4) > 0 {
						bits |= 1 << b
					}
				}
				entries = append(entries, auditEntry{answered: []byte{bits}, n: 1})
				a.of = append(a.of, int32(dl))
				a.size[dl]++
			}
		}
		items := make([]int, nitems)
		for b := range items {
			items[b] = b
		}
		fa := newFamilyAtoms(entries, a, items, 0)
		var sets [][]int32
		for range 1 + rng.IntN(2*ndelta) {
			var set []int32
			for dl := 0; dl < ndelta; dl++ {
				if rng.IntN(2) == 0 {
					set = append(set, int32(dl))
				}
			}
			if len(set) > 0 {
				sets = append(sets, set)
			}
		}
		L := lcmUpTo(nitems)
		full := uint64(1)<<nitems - 1
		f := gauss.RandomField()
		// The second draw reads the spaces of the first from the cache.
		cache := &sharedSystems{field: f}
		for _, withScore := range []bool{true, false} {
			h := itemNull(f, sets, ndelta, fa, nitems, L, withScore, itemSpaces(f, sets, ndelta, fa, nitems, cache))
			if h == nil {
				continue
			}
			found++
			for _, set := range sets {
				var rows []gauss.Vec
				score, pooled := gauss.Vec{}, gauss.Vec{}
				for b := 0; b < nitems; b++ {
					var v gauss.Vec
					for _, dl := range set {
						for _, id := range fa.byDelta[dl] {
							if fa.pat[id]&(1<<b) == 0 {
								continue
							}
							col := fa.valCol(id, b)
							v.I, v.V = append(v.I, col), append(v.V, 1)
							pooled.I, pooled.V = append(pooled.I, col), append(pooled.V, 1)
							if valid, ok := scorable(fa.pat[id], full); ok {
								score.I, score.V = append(score.I, col), append(score.V, L/int64(valid))
							}
						}
					}
					rows = append(rows, v)
				}
				rows = append(rows, pooled)
				if withScore {
					rows = append(rows, score)
				}
				for k := range rows {
					sortVec(&rows[k])
					if got := f.Dot(rows[k], h); got != 0 {
						t.Fatalf("trial %d (score %v): row %d over set %v not orthogonal", trial, withScore, k, set)
					}
				}
			}
			if !slices.ContainsFunc(h, func(x uint64) bool { return x != 0 }) && fa.nvals > 0 && len(sets) < ndelta/2 {
				t.Fatalf("trial %d: zero vector where the rows leave room", trial)
			}
		}
	}
	if found < trials {
		t.Fatalf("itemNull found a vector in %d of %d tries", found, 2*trials)
	}
}
