package gauss

import (
	"math/big"
	"math/rand/v2"
	"slices"
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
		f := RandomField()
		b := New(f, n, rowsIn(f, pv), nil)
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
			got := b.Try(rowsIn(f, sv)...)
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
			if discloses != (len(got) > 0) {
				t.Fatalf("trial %d: row %v discloses=%v, gauss says %v (published %v, prims %v)", trial, v, discloses, got, published, prims)
			}
			if !discloses {
				b.Commit()
				published = would
			} else {
				b.Rollback()
			}
		}
	}
}

// Spanned agrees with exact rational elimination on which primaries lie in
// the span of a set of rows, and NullVector is orthogonal to every row.
func TestSpannedMatchesExactSpan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 2000; trial++ {
		n := 2 + rng.IntN(10)
		random := func(dense int, lo, hi int) []int64 {
			v := make([]int64, n)
			for j := range v {
				if rng.IntN(dense) == 0 {
					v[j] = int64(lo + rng.IntN(hi-lo+1))
				}
			}
			return v
		}
		var rows [][]int64
		var rv []Vec
		for i := 0; i < rng.IntN(n+2); i++ {
			r := random(2, -2, 3)
			rows = append(rows, r)
			rv = append(rv, sparse(r))
		}
		var prims [][]int64
		var pv []Vec
		for i := 0; i < 1+rng.IntN(8); i++ {
			p := random(3, 1, 3)
			if i%3 == 2 && len(rows) > 1 { // a combination of rows: in the span
				for j := range p {
					p[j] = 2*rows[0][j] - rows[1][j]
				}
			}
			prims = append(prims, p)
			pv = append(pv, sparse(p))
		}
		f := RandomField()
		got := Spanned(f, n, rv, pv)
		for i, p := range prims {
			if want := inSpan(rows, p); got[i] != want {
				t.Fatalf("trial %d: primary %v in span of %v: got %v, want %v", trial, p, rows, got[i], want)
			}
		}
		h := NullVector(f, n, rv)
		for _, r := range rv {
			if f.Dot(r, h) != 0 {
				t.Fatalf("trial %d: null vector not orthogonal to %v", trial, r)
			}
		}
	}
}

// A Rollback leaves the basis as it was: the same later questions get the
// same answers as on a basis that never saw the rows taken back.
func TestRollbackRestores(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 500; trial++ {
		n := 3 + rng.IntN(8)
		var pv []Vec
		for i := 0; i < 1+rng.IntN(5); i++ {
			v := make([]int64, n)
			for j := range v {
				if rng.IntN(3) == 0 {
					v[j] = 1
				}
			}
			pv = append(pv, sparse(v))
		}
		f := RandomField()
		a, b := New(f, n, rowsIn(f, pv), nil), New(f, n, rowsIn(f, pv), nil)
		for step := 0; step < 10; step++ {
			v := make([]int64, n)
			for j := range v {
				v[j] = int64(rng.IntN(3) - 1)
			}
			if rng.IntN(3) == 0 {
				a.Try(f.Row(sparse(v)), f.Row(sparse(v)))
				a.Rollback()
				continue
			}
			x, y := a.Try(f.Row(sparse(v))), b.Try(f.Row(sparse(v)))
			if !slices.Equal(x, y) {
				t.Fatalf("trial %d step %d: %v after rollbacks, %v without", trial, step, x, y)
			}
			if len(x) == 0 {
				a.Commit()
				b.Commit()
			} else {
				a.Rollback()
				b.Rollback()
			}
		}
	}
}

// Field arithmetic agrees with big integers modulo the same prime.
func TestFieldMatchesBigIntegers(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 20; trial++ {
		f := RandomField()
		q := new(big.Int).SetUint64(f.q)
		if !q.ProbablyPrime(20) || f.q < 1<<60 || f.q >= 1<<61 {
			t.Fatalf("%d is not a prime of 61 bits", f.q)
		}
		back := func(x uint64) *big.Int { return new(big.Int).SetUint64(f.mul(x, 1)) } // out of Montgomery form
		for k := 0; k < 1000; k++ {
			a, b := rng.Int64()>>rng.IntN(63), -rng.Int64()>>rng.IntN(63)
			want := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
			want.Mod(want, q)
			if got := back(f.mul(f.of(a), f.of(b))); got.Cmp(want) != 0 {
				t.Fatalf("%d·%d mod %d: got %v, want %v", a, b, f.q, got, want)
			}
			if a%int64(f.q) != 0 {
				if got := back(f.mul(f.inv(f.of(a)), f.of(a))); got.Int64() != 1 {
					t.Fatalf("%d·%d⁻¹ = %v", a, a, got)
				}
			}
			sum := new(big.Int).Add(big.NewInt(a), big.NewInt(b))
			if got := back(f.add(f.of(a), f.of(b))); got.Cmp(sum.Mod(sum, q)) != 0 {
				t.Fatalf("%d+%d: got %v", a, b, got)
			}
		}
	}
}

func rowsIn(f Field, vs []Vec) []Row {
	out := make([]Row, len(vs))
	for i, v := range vs {
		out[i] = f.Row(v)
	}
	return out
}

// In the coordinates of a Space, the greedy publication gives the same
// answers as over the original columns: rows and primaries are offered as
// coordinates, and checked against exact rational elimination.
func TestCoordinatesKeepTheAnswers(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for trial := 0; trial < 1500; trial++ {
		n := 2 + rng.IntN(10)
		var rows [][]int64
		var rv []Vec
		for i := 0; i < 1+rng.IntN(12); i++ {
			r := make([]int64, n)
			for j := range r {
				if rng.IntN(2) == 0 {
					r[j] = int64(rng.IntN(4) - 1)
				}
			}
			rows = append(rows, r)
			rv = append(rv, sparse(r))
		}
		f := RandomField()
		sp := NewSpace(f, n, rv)
		var prims [][]int64
		var pc []Row
		for i := 0; i < 1+rng.IntN(6); i++ {
			p := make([]int64, n)
			for j := range p {
				if rng.IntN(3) == 0 {
					p[j] = 1
				}
			}
			if i%2 == 1 { // a sum of two rows: in the span
				a, b := rows[rng.IntN(len(rows))], rows[rng.IntN(len(rows))]
				for j := range p {
					p[j] = a[j] + b[j]
				}
			}
			co, ok := sp.Coords(sparse(p))
			if ok != inSpan(rows, p) {
				t.Fatalf("trial %d: %v in span of %v: Coords says %v", trial, p, rows, ok)
			}
			if ok {
				prims = append(prims, p)
				pc = append(pc, co)
			}
		}
		b := New(f, sp.Dim(), pc, nil)
		var published [][]int64
		for _, r := range rows {
			co, ok := sp.Coords(sparse(r))
			if !ok {
				t.Fatalf("trial %d: a row outside its own span", trial)
			}
			got := b.Try(co)
			would := append(slices.Clone(published), r)
			discloses := false
			for _, p := range prims {
				nz := slices.ContainsFunc(p, func(x int64) bool { return x != 0 })
				if nz && inSpan(would, p) && !inSpan(published, p) {
					discloses = true
				}
			}
			if discloses != (len(got) > 0) {
				t.Fatalf("trial %d: row %v discloses=%v, in coordinates %v", trial, r, discloses, got)
			}
			if discloses {
				b.Rollback()
			} else {
				b.Commit()
				published = would
			}
		}
	}
}

// Solve finds a solution of a consistent system, whatever its rank, and
// refuses one whose right-hand side contradicts a dependency of its rows;
// so does one Solver asked for several right-hand sides in turn.
func TestSolve(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 2000; trial++ {
		n := 1 + rng.IntN(10)
		f := RandomField()
		var rows []Vec
		for i := 0; i < 1+rng.IntN(n+2); i++ {
			r := make([]int64, n)
			for j := range r {
				if rng.IntN(2) == 0 {
					r[j] = int64(rng.IntN(7) - 3)
				}
			}
			rows = append(rows, sparse(r))
		}
		x0 := make([]uint64, n)
		for j := range x0 {
			x0[j] = rng.Uint64N(f.q)
		}
		rhs := make([]uint64, len(rows))
		for k, r := range rows {
			rhs[k] = f.Dot(r, x0)
		}
		x, ok := Solve(f, n, rows, rhs)
		if !ok {
			t.Fatalf("trial %d: consistent system refused", trial)
		}
		for k, r := range rows {
			if f.Dot(r, x) != rhs[k] {
				t.Fatalf("trial %d: row %d not solved", trial, k)
			}
		}
		// The sum of the first row and itself, with a right-hand side off
		// by one: no solution.
		if rows[0].Len() > 0 {
			double := Vec{I: rows[0].I, V: make([]int64, len(rows[0].V))}
			for k, v := range rows[0].V {
				double.V[k] = 2 * v
			}
			bad := f.add(f.add(rhs[0], rhs[0]), f.one)
			if _, ok := Solve(f, n, append(slices.Clone(rows), double), append(slices.Clone(rhs), bad)); ok {
				t.Fatalf("trial %d: inconsistent system solved", trial)
			}
			// One Solver, several right-hand sides in turn: each is
			// answered as if it were the first.
			sv := NewSolver(f, n, append(slices.Clone(rows), double))
			for rep := 0; rep < 3; rep++ {
				for j := range x0 {
					x0[j] = rng.Uint64N(f.q)
				}
				good := make([]uint64, len(rows)+1)
				for k, r := range append(slices.Clone(rows), double) {
					good[k] = f.Dot(r, x0)
				}
				x, ok := sv.Solve(good)
				if !ok {
					t.Fatalf("trial %d, rhs %d: consistent system refused by a reused solver", trial, rep)
				}
				for k, r := range append(slices.Clone(rows), double) {
					if f.Dot(r, x) != good[k] {
						t.Fatalf("trial %d, rhs %d: row %d not solved by a reused solver", trial, rep, k)
					}
				}
				good[len(rows)] = f.add(good[len(rows)], f.one)
				if _, ok := sv.Solve(good); ok {
					t.Fatalf("trial %d, rhs %d: inconsistent system solved by a reused solver", trial, rep)
				}
			}
		}
	}
}

// SplitNullVector, when it succeeds, is orthogonal to every row and tells
// apart exactly the primaries outside the span, like NullVector; on rows
// whose side part is a cell indicator times a few fixed weights (the shape
// it is for) it succeeds.
func TestSplitNullVectorMatchesExactSpan(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	succeeded := 0
	for trial := 0; trial < 2000; trial++ {
		// Columns: cells × (rest patterns, then side patterns); a row is a
		// set of cells times one of a few pattern weights.
		cells, restP, sideP := 2+rng.IntN(4), 1+rng.IntN(3), 1+rng.IntN(3)
		per := restP + sideP
		n := cells * per
		kinds := make([][]int64, 1+rng.IntN(4))
		for k := range kinds {
			kinds[k] = make([]int64, per)
			for p := range kinds[k] {
				if rng.IntN(2) == 0 {
					kinds[k][p] = int64(1 + rng.IntN(3))
				}
			}
		}
		var rows [][]int64
		var rv []Vec
		for i := 0; i < 1+rng.IntN(2*cells+2); i++ {
			w := kinds[rng.IntN(len(kinds))]
			r := make([]int64, n)
			for c := 0; c < cells; c++ {
				if rng.IntN(2) == 0 {
					copy(r[c*per:], w)
				}
			}
			rows = append(rows, r)
			rv = append(rv, sparse(r))
		}
		var prims [][]int64
		var pv []Vec
		for i := 0; i < 1+rng.IntN(6); i++ {
			p := make([]int64, n)
			for j := range p {
				if rng.IntN(3) == 0 {
					p[j] = 1
				}
			}
			if i%3 == 2 && len(rows) > 1 {
				for j := range p {
					p[j] = rows[0][j] + 2*rows[1][j]
				}
			}
			prims = append(prims, p)
			pv = append(pv, sparse(p))
		}
		f := RandomField()
		h, ok := SplitNullVector(f, n, rv, func(c int32) bool { return int(c)%per >= restP })
		if !ok {
			continue
		}
		succeeded++
		for _, r := range rv {
			if f.Dot(r, h) != 0 {
				t.Fatalf("trial %d: split null vector not orthogonal to %v", trial, r)
			}
		}
		for i, p := range prims {
			if got, want := f.Dot(pv[i], h) == 0, inSpan(rows, p); got != want {
				t.Fatalf("trial %d: primary %v in span of %v: got %v, want %v", trial, p, rows, got, want)
			}
		}
	}
	if succeeded < 1000 {
		t.Fatalf("split succeeded in %d of 2000 trials", succeeded)
	}
}
