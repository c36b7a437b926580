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
	"hash/maphash"
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
type Basis struct {
	// pivot[c] is the basis row whose leading column is c, or -1.
	pivot []int32
	rows  []Vec
	prims []Vec
	// byCol lists, per column, primaries whose residual may touch it.
	byCol map[int32][]int32
	// byHash finds primaries by the hash of their residual.
	byHash map[uint64][]int32
	seed   maphash.Seed
	// gone marks primaries whose residual is zero (disclosed by forced rows).
	gone []bool
}

// New returns an empty basis over n columns that protects prims.
func New(n int, prims []Vec) *Basis {
	b := &Basis{pivot: make([]int32, n), byCol: map[int32][]int32{}, byHash: map[uint64][]int32{},
		seed: maphash.MakeSeed(), gone: make([]bool, len(prims))}
	for i := range b.pivot {
		b.pivot[i] = -1
	}
	for i, p := range prims {
		p = primitive(Vec{I: append([]int32(nil), p.I...), V: append([]int64(nil), p.V...)})
		b.prims = append(b.prims, p)
		b.index(int32(i))
	}
	return b
}

func (b *Basis) hash(v Vec) uint64 {
	var h maphash.Hash
	h.SetSeed(b.seed)
	var buf [12]byte
	for k := range v.I {
		c, x := uint32(v.I[k]), uint64(v.V[k])
		buf[0], buf[1], buf[2], buf[3] = byte(c), byte(c>>8), byte(c>>16), byte(c>>24)
		for s := 0; s < 8; s++ {
			buf[4+s] = byte(x >> (8 * s))
		}
		h.Write(buf[:])
	}
	return h.Sum64()
}

func (b *Basis) index(i int32) {
	p := b.prims[i]
	if p.Len() == 0 {
		b.gone[i] = true
		return
	}
	for _, c := range p.I {
		b.byCol[c] = append(b.byCol[c], i)
	}
	h := b.hash(p)
	b.byHash[h] = append(b.byHash[h], i)
}

// reduce eliminates every pivot column from v.
func (b *Basis) reduce(v Vec) (Vec, error) {
	v = primitive(Vec{I: append([]int32(nil), v.I...), V: append([]int64(nil), v.V...)})
	for k := 0; k < len(v.I); {
		c := v.I[k]
		r := b.pivot[c]
		if r < 0 {
			k++
			continue
		}
		row := b.rows[r]
		var err error
		// row's leading entry is at c; entries before c in v stay put.
		v, err = combine(row.V[0], v, v.V[k], row)
		if err != nil {
			return Vec{}, err
		}
		// Columns before c are unchanged; continue from the same position.
		k = sort.Search(len(v.I), func(i int) bool { return v.I[i] > c })
	}
	return v, nil
}

// Disclosed reports whether a primary's residual is already zero.
func (b *Basis) Disclosed(i int) bool { return b.gone[i] }

// Primaries is the number of primaries.
func (b *Basis) Primaries() int { return len(b.prims) }

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
		rr, err := local.reduce(r)
		if err != nil {
			return nil, err
		}
		if rr.Len() == 0 {
			continue
		}
		h := b.hash(rr)
		for _, i := range b.byHash[h] {
			if p := local.prim(i); !b.gone[i] && equal(p, rr) {
				ch.Discloses = append(ch.Discloses, int(i))
			}
		}
		for i, p := range ch.updated {
			if equal(p, rr) && !b.gone[i] {
				ch.Discloses = append(ch.Discloses, int(i))
			}
		}
		// Update the primaries that touch the new pivot.
		c := rr.I[0]
		for _, i := range b.byCol[c] {
			p := local.prim(i)
			x := p.at(c)
			if x == 0 {
				continue
			}
			np, err := combine(rr.V[0], p, x, rr)
			if err != nil {
				return nil, err
			}
			ch.updated[i] = np
		}
		for i, p := range ch.updated {
			if x := p.at(c); x != 0 {
				np, err := combine(rr.V[0], p, x, rr)
				if err != nil {
					return nil, err
				}
				ch.updated[i] = np
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
		b.prims[i] = p
		b.index(i)
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
