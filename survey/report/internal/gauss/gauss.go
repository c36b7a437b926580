// Package gauss decides which linear combinations a set of published rows
// determines. It is the core of the release audit (docs/anonymity.md, "The
// release audit"): every released number is a row over unknowns (the
// counts or sums of atoms of respondents), the groups to protect are
// "primary" rows, and a primary is disclosed when it lies in the span of
// the published rows.
//
// The method follows Gaussian-elimination secondary suppression as used by
// statistical agencies: candidate rows are offered in priority order; each
// is reduced against a basis of the rows already published; a candidate is
// published only if, together with everything published before, it
// determines no primary. Every primary is kept reduced against the same
// basis, so a new row discloses a primary exactly when it reduces that
// primary to zero.
//
// Arithmetic is exact, modulo a prime q of 61 bits drawn at random for each
// audit (Field). Rows hold small integers, so the span over the rationals
// and the span modulo q agree unless q divides one of a few nonzero
// integers of at most some forty thousand digits fixed by the rows; a random
// q of 61 bits does so with a probability below 10⁻¹³ per question
// (docs/anonymity.md, "How exact the audit is"). The audit asks its
// questions with one prime and checks its final answer with another
// (survey/report/auditsystems.go), so a wrong answer needs both to fail.
//
// The basis is in echelon form: each row has 1 at its pivot column and 0 at
// the pivots of every row before it, so a row is reduced by eliminating
// pivots oldest first. A new row's pivot is the column where the fewest
// primaries need updating and the fewest later rows will need eliminating,
// which keeps both sparse.
package gauss

import (
	"cmp"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"slices"
	"sort"
)

// Vec is a sparse integer row: strictly increasing indices with non-zero
// values.
type Vec struct {
	I []int32
	V []int64
	// Group, when not zero, names rows over nearly the same columns (one
	// cell's counts of different kinds): a Space takes a group's rows one
	// after the other (see spanBasis).
	Group int64
	// Label is the caller's name for the row; this package ignores it.
	Label int64
}

// Len is the number of non-zero entries.
func (v Vec) Len() int { return len(v.I) }

// Field is arithmetic modulo a prime q < 2⁶¹, in Montgomery form (x is
// held as x·2⁶⁴ mod q), so a product needs no division.
type Field struct {
	q    uint64
	qinv uint64 // −q⁻¹ mod 2⁶⁴
	r2   uint64 // 2¹²⁸ mod q
	one  uint64 // 1 in Montgomery form: 2⁶⁴ mod q
}

// RandomField draws a prime in [2⁶⁰, 2⁶¹) at random.
func RandomField() Field {
	for {
		c := rand.Uint64()>>4 | 1<<60 | 1
		if new(big.Int).SetUint64(c).ProbablyPrime(0) { // exact below 2⁶⁴
			return FieldOf(c)
		}
	}
}

// FieldOf is arithmetic modulo q, which must be a prime below 2⁶¹.
func FieldOf(q uint64) Field {
	inv := q // Newton's iteration for q⁻¹ mod 2⁶⁴; q·q ≡ 1 mod 8
	for range 5 {
		inv *= 2 - q*inv
	}
	_, one := bits.Div64(1, 0, q)
	_, r2 := bits.Div64(one, 0, q)
	return Field{q: q, qinv: -inv, r2: r2, one: one}
}

// mul is the Montgomery product a·b·2⁻⁶⁴ mod q.
func (f Field) mul(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	m := lo * f.qinv
	mh, ml := bits.Mul64(m, f.q)
	_, carry := bits.Add64(lo, ml, 0)
	t := hi + mh + carry
	if t >= f.q {
		t -= f.q
	}
	return t
}

func (f Field) sub(a, b uint64) uint64 {
	if a >= b {
		return a - b
	}
	return a + f.q - b
}

func (f Field) add(a, b uint64) uint64 {
	s := a + b
	if s >= f.q {
		s -= f.q
	}
	return s
}

// of is x in Montgomery form.
func (f Field) of(x int64) uint64 {
	var r uint64
	if x >= 0 {
		r = uint64(x) % f.q
	} else {
		r = f.sub(0, uint64(-x)%f.q)
	}
	return f.mul(r, f.r2)
}

func (f Field) inv(a uint64) uint64 {
	r, e := f.one, f.q-2
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = f.mul(r, a)
		}
		a = f.mul(a, a)
	}
	return r
}

// Row is a sparse row modulo q, columns increasing (but in the rows of a
// basis that only spans, see gather).
type Row struct {
	c []int32
	v []uint64
}

func (r Row) at(c int32) uint64 {
	k := sort.Search(len(r.c), func(i int) bool { return r.c[i] >= c })
	if k < len(r.c) && r.c[k] == c {
		return r.v[k]
	}
	return 0
}

// Basis is an echelon basis of published rows, with the residuals of the
// primaries reduced against it.
type Basis struct {
	f Field
	// pivot[c] is the basis row whose pivot is column c, or -1.
	pivot []int32
	rows  []Row
	// piv is each basis row's pivot column.
	piv   []int32
	prims []Row
	gone  []bool
	// primsAt lists, per column, the primaries that touch it (and some that
	// touched it once); nil without primaries.
	primsAt [][]int32
	// load is, per column, how many rows are expected to touch it.
	load []int32
	// queued has bit i set while basis row i waits to be subtracted in
	// a reduction; rows are taken oldest first, and a row only brings in
	// younger ones, so a scan from the last row taken finds the next.
	queued []uint64
	scan   int // the first word of queued that may have a bit set
	// val and mark are a dense scratch row; touched lists its columns.
	val     []uint64
	mark    []bool
	touched []int32
	// undo is the log of a pending Try.
	undo    []undo
	pending bool
	// spanOnly is set when the basis only spans rows (no primaries): its
	// pivots are then chosen for sparsity alone (see add).
	spanOnly bool
}

// undo restores one change: a primary (kind 1) to old, a basis row (kind 2)
// removed, or a primary's gone flag (kind 3) cleared.
type undo struct {
	kind int
	i    int32
	old  Row
}

// New returns an empty basis over n columns that protects prims. expect
// are rows that may be offered later (nil if unknown); they only guide the
// choice of pivots.
func New(f Field, n int, prims []Row, expect []Row) *Basis {
	b := &Basis{f: f, pivot: make([]int32, n), load: make([]int32, n),
		val: make([]uint64, n), mark: make([]bool, n), gone: make([]bool, len(prims))}
	for _, v := range expect {
		for _, c := range v.c {
			b.load[c]++
		}
	}
	for i := range b.pivot {
		b.pivot[i] = -1
	}
	if len(prims) > 0 {
		b.primsAt = make([][]int32, n)
	}
	for i, r := range prims {
		b.prims = append(b.prims, r)
		b.gone[i] = len(r.c) == 0
		for _, c := range r.c {
			b.primsAt[c] = append(b.primsAt[c], int32(i))
		}
	}
	return b
}

// Row converts v into a row modulo q.
func (f Field) Row(v Vec) Row { return f.row(v, nil) }

// row converts v, sharing its columns (rows are never written to once
// built) and, when every value is 1, taking its values from ones when that
// is long enough.
func (f Field) row(v Vec, ones []uint64) Row {
	unit := len(ones) >= len(v.I)
	for _, x := range v.V {
		unit = unit && x == 1
	}
	if unit {
		return Row{c: v.I, v: ones[:len(v.I):len(v.I)]}
	}
	vals := make([]uint64, len(v.I))
	for k := range v.I {
		vals[k] = f.of(v.V[k])
		if vals[k] == 0 { // q divides the value: drop the column
			r := Row{}
			for k, c := range v.I {
				if x := f.of(v.V[k]); x != 0 {
					r.c, r.v = append(r.c, c), append(r.v, x)
				}
			}
			return r
		}
	}
	return Row{c: v.I, v: vals}
}

// Len is the number of non-zero entries.
func (r Row) Len() int { return len(r.c) }

// reduce eliminates every pivot column from v, oldest pivot first: the row
// of a pivot is zero at every older pivot, so each step can only bring in
// younger ones.
//
// With coords, it also returns the multiple of each basis row it
// subtracted: v's coordinates in the basis when the residual is zero.
func (b *Basis) reduce(v Row, coords bool) (Row, Row) {
	for len(b.queued)*64 < len(b.rows) {
		b.queued = append(b.queued, 0)
	}
	b.scan = 0
	for k, c := range v.c {
		b.addAt(c, v.v[k])
		b.queue(c)
	}
	var co Row
	for b.scan < len(b.queued) {
		w := b.scan
		if b.queued[w] == 0 {
			b.scan++
			continue
		}
		bit := bits.TrailingZeros64(b.queued[w])
		b.queued[w] &^= 1 << bit
		i := int32(w*64 + bit)
		c := b.piv[i]
		x := b.val[c]
		if x == 0 {
			continue
		}
		if coords {
			co.c, co.v = append(co.c, i), append(co.v, x)
		}
		r := b.rows[i]
		for k, col := range r.c {
			b.addAt(col, b.f.sub(0, b.f.mul(x, r.v[k])))
			b.queue(col)
		}
	}
	return b.gather(), co
}

// queue marks column c's pivot row, if any, to be subtracted.
func (b *Basis) queue(c int32) {
	if i := b.pivot[c]; i >= 0 {
		b.queued[i/64] |= 1 << (i % 64)
		b.scan = min(b.scan, int(i/64))
	}
}

func (b *Basis) addAt(c int32, x uint64) {
	if !b.mark[c] {
		b.mark[c] = true
		b.touched = append(b.touched, c)
	}
	b.val[c] = b.f.add(b.val[c], x)
}

// gather reads the scratch row out and clears it. Only the touched
// columns are visited, and only the nonzero ones are sorted (when they
// need to be): after a reduction every pivot column it touched is zero, so
// the residual is usually much shorter than what it touched.
func (b *Basis) gather() Row {
	cols := b.touched[:0] // the nonzero touched columns, in place
	for _, c := range b.touched {
		b.mark[c] = false
		if b.val[c] != 0 {
			cols = append(cols, c)
		}
	}
	// A basis that only spans never needs its rows' columns in order
	// (nothing merges them or searches them), so they are left in the
	// order the reduction met them.
	if !b.spanOnly {
		slices.Sort(cols)
	}
	out := Row{c: make([]int32, len(cols)), v: make([]uint64, len(cols))}
	for k, c := range cols {
		out.c[k], out.v[k] = c, b.val[c]
		b.val[c] = 0
	}
	b.touched = b.touched[:0]
	return out
}

// axpy returns r − x·w and the columns of w that r did not have.
func (b *Basis) axpy(r Row, x uint64, w Row) (Row, []int32) {
	out := Row{c: make([]int32, 0, len(r.c)+len(w.c)), v: make([]uint64, 0, len(r.c)+len(w.c))}
	var gained []int32
	i, j := 0, 0
	for i < len(r.c) || j < len(w.c) {
		switch {
		case j >= len(w.c) || (i < len(r.c) && r.c[i] < w.c[j]):
			out.c, out.v = append(out.c, r.c[i]), append(out.v, r.v[i])
			i++
		case i >= len(r.c) || w.c[j] < r.c[i]:
			out.c, out.v = append(out.c, w.c[j]), append(out.v, b.f.sub(0, b.f.mul(x, w.v[j])))
			gained = append(gained, w.c[j])
			j++
		default:
			if d := b.f.sub(r.v[i], b.f.mul(x, w.v[j])); d != 0 {
				out.c, out.v = append(out.c, r.c[i]), append(out.v, d)
			}
			i++
			j++
		}
	}
	return out, gained
}

// Try adds rows to the basis and returns the primaries that they disclose
// (that were not disclosed before). The caller then calls Commit to keep
// the rows or Rollback to take them back, before anything else.
func (b *Basis) Try(rows ...Row) []int {
	if b.pending {
		panic("gauss: Try before Commit or Rollback")
	}
	b.pending = true
	var disclosed []int
	for _, v := range rows {
		w, _ := b.reduce(v, false)
		if len(w.c) == 0 {
			continue // determined by what is published already
		}
		disclosed = append(disclosed, b.add(w)...)
	}
	slices.Sort(disclosed)
	return disclosed
}

// Commit keeps the rows of the last Try.
func (b *Basis) Commit() {
	b.undo = b.undo[:0]
	b.pending = false
}

// Rollback takes back the rows of the last Try.
func (b *Basis) Rollback() {
	for k := len(b.undo) - 1; k >= 0; k-- {
		u := b.undo[k]
		switch u.kind {
		case 1:
			b.prims[u.i] = u.old
		case 2:
			b.pivot[b.piv[u.i]] = -1
			b.rows, b.piv = b.rows[:u.i], b.piv[:u.i]
		case 3:
			b.gone[u.i] = false
		}
	}
	b.undo = b.undo[:0]
	b.pending = false
}

// add makes the reduced row w a basis row and updates the primaries that
// touch its pivot.
func (b *Basis) add(w Row) []int {
	// The pivot is the column where the fewest primaries need updating
	// and the fewest later rows will need eliminating.
	k := 0
	cost := func(c int32) int {
		if b.primsAt == nil {
			return int(b.load[c])
		}
		return len(b.primsAt[c]) + int(b.load[c])
	}
	for i, c := range w.c {
		if cost(c) < cost(w.c[k]) {
			k = i
		}
	}
	if b.spanOnly {
		// Without primaries, the column the most rows touch (the
		// largest of them on a tie): later rows then lose that column in one
		// step. On the audit's systems this keeps the basis four to five
		// times sparser than the fewest-rows rule (docs/benchmarks.md).
		for i, c := range w.c {
			if l, best := b.load[c], b.load[w.c[k]]; l > best || (l == best && c > w.c[k]) {
				k = i
			}
		}
	}
	c := w.c[k]
	if s := b.f.inv(w.v[k]); s != b.f.one {
		for i := range w.v {
			w.v[i] = b.f.mul(w.v[i], s)
		}
	}
	var disclosed []int
	var touching []int32
	if b.primsAt != nil {
		touching = b.primsAt[c]
	}
	for _, i := range touching {
		x := b.prims[i].at(c)
		if x == 0 {
			continue
		}
		b.undo = append(b.undo, undo{kind: 1, i: i, old: b.prims[i]})
		np, gained := b.axpy(b.prims[i], x, w)
		b.prims[i] = np
		for _, g := range gained {
			b.primsAt[g] = append(b.primsAt[g], i)
		}
		if len(np.c) == 0 && !b.gone[i] {
			disclosed = append(disclosed, int(i))
			b.gone[i] = true
			b.undo = append(b.undo, undo{kind: 3, i: i})
		}
	}
	id := int32(len(b.rows))
	b.rows, b.piv = append(b.rows, w), append(b.piv, c)
	b.pivot[c] = id
	b.undo = append(b.undo, undo{kind: 2, i: id})
	return disclosed
}

// NullVector returns a random vector orthogonal to every row of the basis
// (and so to every row it spans): random values at the free columns, and
// at each pivot the value that makes its row's product zero. A row outside
// the span has a nonzero product with it except with probability 1/q.
func (b *Basis) NullVector() []uint64 {
	h := make([]uint64, len(b.pivot))
	for c := range h {
		if b.pivot[c] < 0 {
			h[c] = rand.Uint64N(b.f.q)
		}
	}
	// A row is zero at older pivots: younger rows' pivots are set first.
	for i := len(b.rows) - 1; i >= 0; i-- {
		r := b.rows[i]
		var s uint64
		for k, c := range r.c {
			if c != b.piv[i] {
				s = b.f.add(s, b.f.mul(r.v[k], h[c]))
			}
		}
		h[b.piv[i]] = b.f.sub(0, s)
	}
	return h
}

// Field elements as Dot and NullVector hold them: Of converts an integer,
// Add, Sub, Mul and Inv compute, Random draws one uniformly.
func (f Field) Of(x int64) uint64      { return f.of(x) }
func (f Field) Add(a, b uint64) uint64 { return f.add(a, b) }
func (f Field) Sub(a, b uint64) uint64 { return f.sub(a, b) }
func (f Field) Mul(a, b uint64) uint64 { return f.mul(a, b) }
func (f Field) Inv(a uint64) uint64    { return f.inv(a) }
func (f Field) Random() uint64         { return rand.Uint64N(f.q) }

// Dot is v·h modulo the field's prime.
func (f Field) Dot(v Vec, h []uint64) uint64 {
	var s uint64
	for k, c := range v.I {
		if x := v.V[k]; x == 1 {
			s = f.add(s, h[c])
		} else {
			s = f.add(s, f.mul(f.of(x), h[c]))
		}
	}
	return s
}

// Space is an echelon basis of the span of a set of rows, built in the
// order that keeps it sparse: the span does not depend on the order of its
// rows, so they enter shortest first (fine cells before the margins they
// add up to, which then reduce to nothing at little cost), and each
// distinct row once.
type Space struct {
	f Field
	b *Basis
}

// NewSpace spans rows over n columns.
func NewSpace(f Field, n int, rows []Vec) *Space {
	order := make([]int, 0, len(rows))
	seen := map[uint64][]int{}
	for i, r := range rows {
		h := hashVec(r)
		if slices.ContainsFunc(seen[h], func(j int) bool { return equalVec(rows[j], r) }) {
			continue
		}
		seen[h] = append(seen[h], i)
		order = append(order, i)
	}
	b, expect := spanBasis(f, n, rows, order, true)
	for _, r := range expect {
		b.Try(r)
		b.Commit()
	}
	return &Space{f: f, b: b}
}

// spanBasis sorts order (indices into rows) shortest row first and returns
// an empty basis for spanning them, with the rows in that order: the span
// does not depend on the order, and fine cells before the margins they add
// up to keep the basis sparse. With grouped, the rows of a group come
// together, shortest first, at the place of the group's shortest row:
// rows over nearly the same columns then reduce against one another while
// those columns are still sparse (on the audit's count systems the basis is
// a fifth sparser and built a third faster).
func spanBasis(f Field, n int, rows []Vec, order []int, grouped bool) (*Basis, []Row) {
	first := map[int64]int{}
	if grouped {
		for _, i := range order {
			if g := rows[i].Group; g != 0 {
				if m, ok := first[g]; !ok || rows[i].Len() < m {
					first[g] = rows[i].Len()
				}
			}
		}
	}
	key := func(i int) int {
		if m, ok := first[rows[i].Group]; ok {
			return m
		}
		return rows[i].Len()
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return cmp.Or(cmp.Compare(key(x), key(y)), cmp.Compare(rows[x].Group, rows[y].Group), cmp.Compare(rows[x].Len(), rows[y].Len()))
	})
	longest := 0
	for _, i := range order {
		longest = max(longest, rows[i].Len())
	}
	ones := make([]uint64, longest)
	for k := range ones {
		ones[k] = f.one
	}
	expect := make([]Row, len(order))
	for k, i := range order {
		expect[k] = f.row(rows[i], ones)
	}
	b := New(f, n, nil, expect)
	b.spanOnly = true
	return b, expect
}

// Dim is the dimension of the span.
func (sp *Space) Dim() int { return len(sp.b.rows) }

// NullVector is a random vector orthogonal to the span.
func (sp *Space) NullVector() []uint64 { return sp.b.NullVector() }

// Coords returns v's coordinates in the space's basis, or false when v is
// outside the span. Inside it, questions of span have the same answers in
// coordinates, over Dim columns, as over the original ones.
func (sp *Space) Coords(v Vec) (Row, bool) {
	res, co := sp.b.reduce(sp.f.Row(v), true)
	return co, res.Len() == 0
}

// Spanned reports, per primary, whether it lies in the span of rows: true
// for every primary in the span, false (exactly, modulo q) for every
// primary outside it but with probability 1/q.
func Spanned(f Field, n int, rows []Vec, prims []Vec) []bool {
	h := NewSpace(f, n, rows).NullVector()
	out := make([]bool, len(prims))
	for i, p := range prims {
		out[i] = f.Dot(p, h) == 0
	}
	return out
}

// NullVector returns a random vector orthogonal to every one of rows.
func NullVector(f Field, n int, rows []Vec) []uint64 { return NewSpace(f, n, rows).NullVector() }

func hashVec(v Vec) uint64 {
	h := uint64(14695981039346656037)
	for k, c := range v.I {
		h = (h ^ uint64(c)) * 1099511628211
		h = (h ^ uint64(v.V[k])) * 1099511628211
	}
	return h
}

func equalVec(x, y Vec) bool { return slices.Equal(x.I, y.I) && slices.Equal(x.V, y.V) }

// Solve returns a solution h of rows[k]·h = rhs[k] for every k, random at
// the free columns, or false when there is none. rhs holds field elements
// as Dot returns them.
func Solve(f Field, n int, rows []Vec, rhs []uint64) ([]uint64, bool) {
	return NewSolver(f, n, rows).Solve(rhs)
}

// Solver solves one set of rows for any number of right-hand sides: the
// elimination runs once, and each Solve replays what it did to the rows
// on the right-hand side. Solve leaves the Solver unchanged, so several
// goroutines may use one.
type Solver struct {
	f     Field
	n     int
	b     *Basis
	steps []solveStep
}

// solveStep is what the elimination did to one row: it subtracted co
// (multiples of older basis rows) and then the row was dependent (basis −1)
// or became a basis row after scaling by scale.
type solveStep struct {
	row   int
	co    Row
	basis int
	scale uint64
}

// NewSolver eliminates rows over n columns.
func NewSolver(f Field, n int, rows []Vec) *Solver {
	order := make([]int, len(rows))
	for k := range order {
		order[k] = k
	}
	b, expect := spanBasis(f, n, rows, order, false)
	sv := &Solver{f: f, n: n, b: b, steps: make([]solveStep, len(order))}
	for k, i := range order {
		w, co := b.reduce(expect[k], true)
		st := solveStep{row: i, co: co, basis: -1}
		if len(w.c) > 0 {
			orig := slices.Clone(w.v)
			b.add(w)
			b.Commit()
			st.basis = len(b.rows) - 1
			k0 := slices.Index(w.c, b.piv[st.basis]) // w's columns are not sorted
			st.scale = f.inv(orig[k0])
		}
		sv.steps[k] = st
	}
	return sv
}

// Solve returns a solution h of rows[k]·h = rhs[k] for every k, random at
// the free columns, or false when there is none.
func (sv *Solver) Solve(rhs []uint64) ([]uint64, bool) {
	f, b := sv.f, sv.b
	// rhs of each basis row: the basis row is scale·(row − Σ x·older rows).
	brhs := make([]uint64, len(b.rows))
	for _, st := range sv.steps {
		c := rhs[st.row]
		for j, r := range st.co.c {
			c = f.sub(c, f.mul(st.co.v[j], brhs[r]))
		}
		if st.basis < 0 {
			if c != 0 {
				return nil, false
			}
			continue
		}
		brhs[st.basis] = f.mul(c, st.scale)
	}
	h := make([]uint64, sv.n)
	for c := range h {
		if b.pivot[c] < 0 {
			h[c] = rand.Uint64N(f.q)
		}
	}
	for i := len(b.rows) - 1; i >= 0; i-- {
		r := b.rows[i]
		s := brhs[i]
		for k, c := range r.c {
			if c != b.piv[i] {
				s = f.sub(s, f.mul(r.v[k], h[c]))
			}
		}
		h[b.piv[i]] = s
	}
	return h, true
}

// SplitNullVector is NullVector for rows whose columns fall in two parts,
// the side's and the rest, where the rows that touch the side are few and
// simple there: a random vector orthogonal to the rows that do not touch
// the side, completed on the side so that it is orthogonal to the others
// too. It spares the elimination the fill that the side's long rows bring.
// It reports false when no completion exists (the vector found first is
// then of no use; NullVector still is).
func SplitNullVector(f Field, n int, rows []Vec, side func(c int32) bool) ([]uint64, bool) {
	var touch, rest []Vec
	for _, r := range rows {
		if slices.ContainsFunc(r.I, side) {
			touch = append(touch, r)
		} else {
			rest = append(rest, r)
		}
	}
	h := NullVector(f, n, rest)
	in := make([]Vec, len(touch))
	rhs := make([]uint64, len(touch))
	for k, r := range touch {
		var s uint64
		for j, c := range r.I {
			if side(c) {
				in[k].I, in[k].V = append(in[k].I, c), append(in[k].V, r.V[j])
			} else {
				s = f.add(s, f.mul(f.of(r.V[j]), h[c]))
			}
		}
		rhs[k] = f.sub(0, s)
	}
	hs, ok := Solve(f, n, in, rhs)
	if !ok {
		return nil, false
	}
	for c := range h {
		if side(int32(c)) {
			h[c] = hs[c]
		}
	}
	return h, true
}
