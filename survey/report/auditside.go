package report

import (
	"math/bits"
	"slices"

	"github.com/allypulse/allypulse/survey/report/internal/gauss"
)

// splitCounts draws a random vector orthogonal to every one of a family's
// count rows (docs/anonymity.md, "How the pattern is chosen"), as
// gauss.SplitNullVector does: a random vector orthogonal to the rows that
// leave alone who answered none of the family's items (the side), then
// completed on the side so that it is orthogonal to the others too.
//
// Only two kinds of row touch the side: a cell's count, which holds each
// of its demographic atoms' side atoms (one per set of the family's
// outcomes they answered), and its count of who answered an outcome, which
// holds those with that outcome. So the completion splits: per kind, one
// amount per demographic atom, orthogonal to the kind's cells (a small
// system over demographic atoms each), then spread over each atom's side
// atoms, which always allow it. A row of any other shape there sends the
// completion back to gauss.SplitNullVector. It returns nil when no
// completion exists, and whether it completed by kind. The small systems
// come from shared when fl is its prime (they are the same for every
// family that publishes the same cells).
func splitCounts(fl gauss.Field, fr *familyRows, rows []gauss.Vec, shared *sharedSystems) ([]uint64, bool) {
	fx := fr.fx
	nitems := len(fr.f.items)
	items := uint32(1)<<nitems - 1
	side := func(c int32) bool { return fx.pat[c]&items == 0 }
	general := func() ([]uint64, bool) {
		h, _ := gauss.SplitNullVector(fl, len(fx.size), rows, side)
		return h, false
	}
	outcomes := len(fr.f.outcomes)
	// kind 0: counts; kind 1+o: who answered outcome o.
	kindOf := map[int64]int{fr.kind("count"): 0}
	for o := range outcomes {
		kindOf[fr.kind(answeredKind(nitems+o))] = 1 + o
	}
	var touch, rest []gauss.Vec
	for _, r := range rows {
		if containsSide(r, side) {
			touch = append(touch, r)
		} else {
			rest = append(rest, r)
		}
	}
	h := gauss.NullVector(fl, len(fx.size), rest)
	ndelta := len(fx.byDelta)
	sys := make([][]gauss.Vec, 1+outcomes)
	rhs := make([][]uint64, 1+outcomes)
	ones := make([]int64, ndelta)
	for i := range ones {
		ones[i] = 1
	}
	for _, r := range touch {
		k, ok := kindOf[r.Label]
		if !ok {
			return general()
		}
		// Side atoms a demographic atom must bring to a row of kind k.
		want := 1 << outcomes
		if k > 0 {
			want /= 2
		}
		var v gauss.Vec
		var s uint64
		last, seen := int32(-1), 0
		for j, c := range r.I {
			if !side(c) {
				s = fl.Add(s, fl.Mul(fl.Of(r.V[j]), h[c]))
				continue
			}
			if r.V[j] != 1 || (k > 0 && fx.pat[c]&(1<<(nitems+k-1)) == 0) {
				return general()
			}
			if dl := fx.delta[c]; dl != last {
				if last >= 0 && seen != want {
					return general()
				}
				v.I = append(v.I, dl)
				last, seen = dl, 0
			}
			seen++
		}
		if seen != want {
			return general()
		}
		v.V = ones[:len(v.I):len(v.I)]
		sys[k] = append(sys[k], v)
		rhs[k] = append(rhs[k], fl.Sub(0, s))
	}
	g := make([][]uint64, len(sys))
	for k := range sys {
		var sv *gauss.Solver
		if shared != nil && shared.field == fl {
			sv = shared.solver(ndelta, sys[k])
		} else {
			sv = gauss.NewSolver(fl, ndelta, sys[k])
		}
		var ok bool
		if g[k], ok = sv.Solve(rhs[k]); !ok {
			return nil, true
		}
	}
	// Spread each demographic atom's amounts over its side atoms u(o), o
	// the set of outcomes answered: Σ_o u(o) = g_0 and, per outcome i,
	// Σ_{o ∋ i} u(o) = g_{1+i}. Sets of two or more outcomes are free.
	u := make([]uint64, 1<<outcomes)
	col := make([]int32, 1<<outcomes)
	for dl, ids := range fx.byDelta {
		for o := range col {
			col[o] = -1
		}
		for _, id := range ids {
			if side(id) {
				col[fx.pat[id]>>nitems] = id
			}
		}
		if slices.Contains(col, -1) {
			return general()
		}
		for o := range u {
			if bits.OnesCount(uint(o)) >= 2 {
				u[o] = fl.Random()
			}
		}
		for i := range outcomes {
			x := g[1+i][dl]
			for o := range u {
				if o&(1<<i) != 0 && bits.OnesCount(uint(o)) >= 2 {
					x = fl.Sub(x, u[o])
				}
			}
			u[1<<i] = x
		}
		x := g[0][dl]
		for o := 1; o < len(u); o++ {
			x = fl.Sub(x, u[o])
		}
		u[0] = x
		for o, id := range col {
			h[id] = u[o]
		}
	}
	return h, true
}

// containsSide reports whether row r has a column on the side.
func containsSide(r gauss.Vec, side func(int32) bool) bool {
	for _, c := range r.I {
		if side(c) {
			return true
		}
	}
	return false
}
