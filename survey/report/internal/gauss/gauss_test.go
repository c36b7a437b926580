package gauss

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// inSpan decides membership with exact rationals, by plain elimination.
func inSpan(rows [][]int64, v []int64) bool {
	n := len(v)
	m := make([][]*big.Rat, 0, len(rows)+1)
	for _, r := range append(append([][]int64(nil), rows...), v) {
		row := make([]*big.Rat, n)
		for i := range row {
			row[i] = big.NewRat(r[i], 1)
		}
		m = append(m, row)
	}
	rank := func(m [][]*big.Rat) int {
		a := make([][]*big.Rat, len(m))
		for i := range m {
			a[i] = make([]*big.Rat, n)
			for j := range a[i] {
				a[i][j] = new(big.Rat).Set(m[i][j])
			}
		}
		r := 0
		for c := 0; c < n && r < len(a); c++ {
			p := -1
			for i := r; i < len(a); i++ {
				if a[i][c].Sign() != 0 {
					p = i
					break
				}
			}
			if p < 0 {
				continue
			}
			a[r], a[p] = a[p], a[r]
			for i := range a {
				if i == r || a[i][c].Sign() == 0 {
					continue
				}
				f := new(big.Rat).Quo(a[i][c], a[r][c])
				for j := range a[i] {
					a[i][j].Sub(a[i][j], new(big.Rat).Mul(f, a[r][j]))
				}
			}
			r++
		}
		return r
	}
	return rank(m) == rank(m[:len(m)-1])
}

func sparse(v []int64) Vec {
	var out Vec
	for i, x := range v {
		if x != 0 {
			out.I = append(out.I, int32(i))
			out.V = append(out.V, x)
		}
	}
	return out
}

// The greedy publication never leaves a primary in the span of what it
// published, and refuses a row only when that row would disclose one.
func TestOfferMatchesExactSpan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 3000; trial++ {
		n := 2 + rng.IntN(9)
		var prims [][]int64
		for i := 0; i < 1+rng.IntN(6); i++ {
			v := make([]int64, n)
			for j := range v {
				if rng.IntN(3) == 0 {
					v[j] = int64(1 + rng.IntN(3))
				}
			}
			prims = append(prims, v)
		}
		var pv []Vec
		for _, p := range prims {
			pv = append(pv, sparse(p))
		}
		b := New(n, pv)
		var published [][]int64
		for i := 0; i < 2+rng.IntN(12); i++ {
			v := make([]int64, n)
			for j := range v {
				if rng.IntN(2) == 0 {
					v[j] = int64(rng.IntN(5) - 1)
				}
			}
			rows := [][]int64{v}
			if rng.IntN(2) == 0 {
				w := make([]int64, n)
				for j := range w {
					if rng.IntN(2) == 0 {
						w[j] = int64(rng.IntN(3))
					}
				}
				rows = append(rows, w)
			}
			if rng.IntN(4) == 0 {
				rows = append(rows, v) // a repeated row adds nothing
			}
			var sv []Vec
			for _, r := range rows {
				sv = append(sv, sparse(r))
			}
			ch, err := b.Try(sv...)
			if err != nil {
				t.Fatal(err)
			}
			would := append(append([][]int64(nil), published...), rows...)
			discloses := false
			for _, p := range prims {
				nz := false
				for _, x := range p {
					nz = nz || x != 0
				}
				if nz && inSpan(would, p) && !inSpan(published, p) {
					discloses = true
				}
			}
			if discloses != (len(ch.Discloses) > 0) {
				t.Fatalf("trial %d: row %v discloses=%v, gauss says %v (published %v, prims %v)", trial, v, discloses, ch.Discloses, published, prims)
			}
			if !discloses {
				b.Commit(ch)
				published = would
			}
		}
	}
}
