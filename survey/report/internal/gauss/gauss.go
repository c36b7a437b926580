// Package gauss decides, in exact integer arithmetic, which linear
// combinations a set of published rows determines. It is the core of the
// release audit (docs/anonymity.md, "The release audit"): every released
// number is a row over unknowns (the counts or sums of atoms of respondents),
// the groups to protect are "primary" rows, and a primary is disclosed when
// it lies in the span of the published rows.
//
// The method follows Gaussian-elimination secondary suppression as used by
// statistical agencies: candidate rows are offered in priority order; each
// is reduced against an echelon basis of the rows already published; a
// candidate is published only if, together with everything published
// before, it determines no primary. With every primary kept reduced against
// the same basis, a new row r (reduced to r′) discloses a primary p (reduced
// to p′) exactly when p′ is a multiple of r′, so one candidate costs a hash
// look-up plus the update of the primaries that touch its pivot.
//
// Arithmetic is fraction-free over the integers: rows are kept primitive
// (entries divided by their gcd, first entry positive), so proportional rows
// are equal. Every product and difference is checked for overflow; a
// candidate whose exact arithmetic would not fit in 64 bits is refused,
// which can only hide more, never less.
package gauss

import (
	"errors"
	"math/bits"
	"sort"
)

// Vec is a sparse integer row: strictly increasing indices with non-zero
// values.
type Vec struct {
	I []int32
	V []int64
}

// Len is the number of non-zero entries.
func (v Vec) Len() int { return len(v.I) }

// at returns the entry at column c.
func (v Vec) at(c int32) int64 {
	k := sort.Search(len(v.I), func(i int) bool { return v.I[i] >= c })
	if k < len(v.I) && v.I[k] == c {
		return v.V[k]
	}
	return 0
}

var errOverflow = errors.New("gauss: exact arithmetic exceeds 64 bits")

// mul returns a·b or errOverflow.
func mul(a, b int64) (int64, error) {
	// Fast path: factors within ±2³¹ have a product within ±2⁶².
	if uint64(a+1<<31) < 1<<32 && uint64(b+1<<31) < 1<<32 {
		return a * b, nil
	}
	if a == 0 || b == 0 {
		return 0, nil
	}
	neg := (a < 0) != (b < 0)
	ua, ub := abs(a), abs(b)
	hi, lo := bits.Mul64(ua, ub)
	if hi != 0 || lo > 1<<62 {
		return 0, errOverflow
	}
	if neg {
		return -int64(lo), nil
	}
	return int64(lo), nil
}

func abs(a int64) uint64 {
	if a < 0 {
		return uint64(-a)
	}
	return uint64(a)
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// combine returns the primitive form of a·x − b·y.
func combine(a int64, x Vec, b int64, y Vec) (Vec, error) {
	out := Vec{I: make([]int32, 0, len(x.I)+len(y.I)), V: make([]int64, 0, len(x.I)+len(y.I))}
	i, j := 0, 0
	for i < len(x.I) || j < len(y.I) {
		var c int32
		var vx, vy int64
		switch {
		case j >= len(y.I) || (i < len(x.I) && x.I[i] < y.I[j]):
			c, vx = x.I[i], x.V[i]
			i++
		case i >= len(x.I) || y.I[j] < x.I[i]:
			c, vy = y.I[j], y.V[j]
			j++
		default:
			c, vx, vy = x.I[i], x.V[i], y.V[j]
			i++
			j++
		}
		p, err := mul(a, vx)
		if err != nil {
			return Vec{}, err
		}
		q, err := mul(b, vy)
		if err != nil {
			return Vec{}, err
		}
		d := p - q
		if (p >= 0) != (q >= 0) && (d >= 0) != (p >= 0) {
			return Vec{}, errOverflow
		}
		if d != 0 {
			out.I = append(out.I, c)
			out.V = append(out.V, d)
		}
	}
	return primitive(out), nil
}

// primitive divides v by the gcd of its entries and makes its first entry
// positive, so that proportional rows become equal.
func primitive(v Vec) Vec {
	if len(v.V) == 0 {
		return v
	}
	var g uint64
	for _, x := range v.V {
		g = gcd(g, abs(x))
		if g == 1 {
			break
		}
	}
	s := int64(g)
	if v.V[0] < 0 {
		s = -s
	}
	if s != 1 {
		for k := range v.V {
			v.V[k] /= s
		}
	}
	return v
}

// Basis is an echelon basis of published rows with the residuals of the
// primaries reduced against it.
//
// Columns are renumbered internally so that those touched by the fewest
// primaries come first: a pivot is a row's first column, so pivots then
// fall where few primaries need updating, which keeps the work and the
// fill-in of the primaries small. The order of columns changes nothing
// about which combinations are determined.
type Basis struct {
	// perm maps a caller's column to the internal one.
	perm []int32
	// pivot[c] is the basis row whose leading column is c, or -1.
	pivot []int32
	rows  []Vec
	prims []Vec
	// byCol lists, per column, primaries whose residual touches it (and
	// some whose residual touched it once).
	byCol [][]int32
	// gone marks primaries whose residual is zero (disclosed by forced rows).
	gone []bool
	// val and nz are a dense scratch row and its non-zero columns.
	val []int64
	nz  []uint64
}

// New returns an empty basis over n columns that protects prims.
func New(n int, prims []Vec) *Basis {
	load := make([]int, n)
	for _, p := range prims {
		for _, c := range p.I {
			load[c]++
		}
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	sort.SliceStable(order, func(a, b int) bool { return load[order[a]] < load[order[b]] })
	b := &Basis{perm: make([]int32, n), pivot: make([]int32, n), byCol: make([][]int32, n), gone: make([]bool, len(prims))}
	for newCol, oldCol := range order {
		b.perm[oldCol] = int32(newCol)
	}
	for i := range b.pivot {
		b.pivot[i] = -1
	}
	for i, p := range prims {
		p = primitive(b.internal(p))
		b.prims = append(b.prims, p)
		if p.Len() == 0 {
			b.gone[i] = true
		}
		for _, c := range p.I {
			b.byCol[c] = append(b.byCol[c], int32(i))
		}
	}
	return b
}

// internal copies v into the internal column numbering, sorted.
func (b *Basis) internal(v Vec) Vec {
	out := Vec{I: make([]int32, len(v.I)), V: append([]int64(nil), v.V...)}
	for k, c := range v.I {
		out.I[k] = b.perm[c]
	}
	sort.Sort(byIndex(out))
	return out
}

type byIndex Vec

func (v byIndex) Len() int           { return len(v.I) }
func (v byIndex) Less(a, b int) bool { return v.I[a] < v.I[b] }
func (v byIndex) Swap(a, b int) {
	v.I[a], v.I[b] = v.I[b], v.I[a]
	v.V[a], v.V[b] = v.V[b], v.V[a]
}

// reduce eliminates every pivot column from v (internal numbering). It
// works in a dense scratch row, so one elimination step costs the length of
// the basis row, not of v.
func (b *Basis) reduce(v Vec) (Vec, error) {
	if b.val == nil {
		b.val = make([]int64, len(b.pivot))
		b.nz = make([]uint64, (len(b.pivot)+63)/64)
	}
	for k, c := range v.I {
		b.set(c, v.V[k])
	}
	err := b.eliminate(firstIndex(v))
	out := b.gather()
	if err != nil {
		return Vec{}, err
	}
	return primitive(out), nil
}

func firstIndex(v Vec) int32 {
	if len(v.I) == 0 {
		return -1
	}
	return v.I[0]
}

func (b *Basis) set(c int32, x int64) {
	b.val[c] = x
	if x != 0 {
		b.nz[c/64] |= 1 << (c % 64)
	} else {
		b.nz[c/64] &^= 1 << (c % 64)
	}
}

// next returns the first non-zero column at or after c, or -1.
func (b *Basis) next(c int32) int32 {
	if c < 0 {
		return -1
	}
	for w := int(c / 64); w < len(b.nz); w++ {
		word := b.nz[w]
		if w == int(c/64) {
			word &^= (1 << (c % 64)) - 1
		}
		if word != 0 {
			return int32(w*64 + bits.TrailingZeros64(word))
		}
	}
	return -1
}

// eliminate clears the scratch row's pivot columns from column c on.
func (b *Basis) eliminate(c int32) error {
	for c = b.next(c); c >= 0; c = b.next(c + 1) {
		r := b.pivot[c]
		if r < 0 {
			continue
		}
		row := b.rows[r]
		a, x := row.V[0], b.val[c]
		if a != 1 {
			// Fraction-free: scale the scratch row by the pivot's lead.
			for d := b.next(0); d >= 0; d = b.next(d + 1) {
				y, err := mul(b.val[d], a)
				if err != nil {
					return err
				}
				b.val[d] = y
			}
		}
		for k, col := range row.I {
			p, err := mul(x, row.V[k])
			if err != nil {
				return err
			}
			old := b.val[col]
			d := old - p
			if (old >= 0) != (p >= 0) && (d >= 0) != (old >= 0) {
				return errOverflow
			}
			b.set(col, d)
		}
	}
	return nil
}

// gather reads the scratch row out and clears it.
func (b *Basis) gather() Vec {
	var out Vec
	for c := b.next(0); c >= 0; c = b.next(c + 1) {
		out.I = append(out.I, c)
		out.V = append(out.V, b.val[c])
		b.val[c] = 0
	}
	clear(b.nz)
	return out
}

// Change is a pending addition of rows, applied by Commit.
type Change struct {
	rows    []Vec
	updated map[int32]Vec
	// Discloses lists the primaries the rows would determine.
	Discloses []int
}

// Try reduces rows against the basis and reports the primaries that adding
// all of them would disclose. The basis is unchanged until Commit. An error
// means the exact arithmetic did not fit: the caller must not publish rows.
func (b *Basis) Try(rows ...Vec) (*Change, error) {
	ch := &Change{updated: map[int32]Vec{}}
	local := &overlay{b: b, ch: ch}
	for _, r := range rows {
		rr, err := local.reduce(b.internal(r))
		if err != nil {
			return nil, err
		}
		if rr.Len() == 0 {
			continue
		}
		// A primary is disclosed when its residual is a multiple of rr (both
		// primitive, so equal); such a residual touches rr's pivot. Every
		// primary touching the pivot is then reduced by rr.
		c := rr.I[0]
		update := func(i int32, p Vec) error {
			x := p.at(c)
			if x == 0 {
				return nil
			}
			if !b.gone[i] && equal(p, rr) {
				ch.Discloses = append(ch.Discloses, int(i))
			}
			np, err := combine(rr.V[0], p, x, rr)
			if err != nil {
				return err
			}
			ch.updated[i] = np
			return nil
		}
		for _, i := range b.byCol[c] {
			if _, ok := ch.updated[i]; ok {
				continue // handled below with its pending residual
			}
			if err := update(i, b.prims[i]); err != nil {
				return nil, err
			}
		}
		for i, p := range ch.updated {
			if err := update(i, p); err != nil {
				return nil, err
			}
		}
		ch.rows = append(ch.rows, rr)
	}
	sort.Ints(ch.Discloses)
	ch.Discloses = dedupe(ch.Discloses)
	return ch, nil
}

// Commit applies a change made by Try on this basis.
func (b *Basis) Commit(ch *Change) {
	for _, r := range ch.rows {
		b.pivot[r.I[0]] = int32(len(b.rows))
		b.rows = append(b.rows, r)
	}
	for i, p := range ch.updated {
		old := b.prims[i]
		// Register the columns the residual gained.
		k := 0
		for _, c := range p.I {
			for k < len(old.I) && old.I[k] < c {
				k++
			}
			if k >= len(old.I) || old.I[k] != c {
				b.byCol[c] = append(b.byCol[c], i)
			}
		}
		b.prims[i] = p
		if p.Len() == 0 {
			b.gone[i] = true
		}
	}
}

// overlay reads the basis with a pending change on top.
type overlay struct {
	b  *Basis
	ch *Change
}

func (o *overlay) prim(i int32) Vec {
	if p, ok := o.ch.updated[i]; ok {
		return p
	}
	return o.b.prims[i]
}

func (o *overlay) reduce(v Vec) (Vec, error) {
	v, err := o.b.reduce(v)
	if err != nil {
		return Vec{}, err
	}
	// Pending rows are reduced against the basis and the pending rows
	// before them, so one pass in order leaves no pivot column behind.
	for _, r := range o.ch.rows {
		if x := v.at(r.I[0]); x != 0 {
			v, err = combine(r.V[0], v, x, r)
			if err != nil {
				return Vec{}, err
			}
		}
	}
	return v, nil
}

func equal(a, b Vec) bool {
	if len(a.I) != len(b.I) {
		return false
	}
	for k := range a.I {
		if a.I[k] != b.I[k] || a.V[k] != b.V[k] {
			return false
		}
	}
	return true
}

func dedupe(s []int) []int {
	out := s[:0]
	for k, x := range s {
		if k == 0 || x != s[k-1] {
			out = append(out, x)
		}
	}
	return out
}
