package report

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/allypulse/allypulse/survey/report/internal/gauss"
)

// The release audit (docs/anonymity.md, "The release audit").
//
// The rules of primary and secondary suppression judge cells table by table.
// The audit then proves, by exact elimination over everything one lattice
// releases, that no linear combination of the released numbers gives the
// count or the sum of a group of 1..k−1 respondents (k_s when a sensitive
// dimension defines it), and hides more where one would.
//
// Unknowns are per atom: the respondents who share every demographic group
// and, per metric family, the set of the family's items they answered. A
// family is a competency (its items, the competency score, its pooled
// favourable share and answers) or one item outside every competency. Each
// family has two systems:
//
//   - counts, one unknown per atom (δ, π): the cell counts (forced: they
//     were audited first, at the level of demographic atoms), each item's n,
//     the competency's n and its answers;
//   - values, one unknown per atom and answered item (δ, π, j): each item's
//     sum (and, conservatively, its whole distribution), the competency's
//     score sum (each respondent's score is the mean of their answers, so
//     item j counts 1/|π∩M| of it) and the pooled favourable count.
//
// Treating an item's every per-value count as released where only its mean
// and shares are is conservative: a group disclosed on any function of its
// answers is disclosed in the collapsed system. Reliability and drivers of
// a population are second moments, unknowns of their own: a third system
// over demographic atoms whose rows are the populations that show them.

// auditAtoms groups the wave's respondents by demographic atom.
type auditAtoms struct {
	// of maps a respondent to its demographic atom.
	of []int32
	// groups holds each atom's group per dimension.
	groups [][]uint8
	size   []int
	// cells lists, per plan cell, its demographic atoms.
	cells [][]int32
}

func newAuditAtoms(p *plan, d *waveData) *auditAtoms {
	a := &auditAtoms{of: make([]int32, d.n), cells: make([][]int32, p.cells())}
	index := map[string]int32{}
	key := make([]byte, len(p.l.dims))
	for r := 0; r < d.n; r++ {
		demo, _ := d.row(r)
		for i := range p.l.dims {
			key[i] = uint8(p.l.groupOf(demo, i))
		}
		id, ok := index[string(key)]
		if !ok {
			id = int32(len(a.groups))
			index[string(key)] = id
			a.groups = append(a.groups, append([]uint8(nil), key...))
			a.size = append(a.size, 0)
			for ti := range p.tables {
				c := p.cellOf(&p.tables[ti], demo)
				a.cells[c] = append(a.cells[c], id)
			}
		}
		a.of[r] = id
		a.size[id]++
	}
	return a
}

// auditGroup is a group an attacker can name by demographics: one cell of
// a cross-classification of any set of dimensions, as its atoms.
type auditGroup struct {
	atoms []int32
	th    int
}

// namedGroups lists every cell of every cross-classification of the
// dimensions (every subset of them, the atoms themselves included) with the
// threshold that protects it: k_s when a sensitive dimension defines it.
func namedGroups(l *layout, a *auditAtoms) []auditGroup {
	nd := min(len(l.dims), maxAuditDims)
	var subsets []int
	for s := 0; s < 1<<nd; s++ {
		subsets = append(subsets, s)
	}
	if nd < len(l.dims) {
		subsets = append(subsets, 1<<len(l.dims)-1) // the atoms themselves
	}
	var out []auditGroup
	key := make([]byte, 0, len(l.dims))
	for _, s := range subsets {
		th := l.th.K
		for i := range l.dims {
			if s&(1<<i) != 0 && l.dims[i].sensitive {
				th = l.th.KS
			}
		}
		byKey := map[string]int{}
		for id, g := range a.groups {
			key = key[:0]
			for i := range l.dims {
				if s&(1<<i) != 0 {
					key = append(key, g[i])
				}
			}
			gi, ok := byKey[string(key)]
			if !ok {
				gi = len(out)
				byKey[string(key)] = gi
				out = append(out, auditGroup{th: th})
			}
			out[gi].atoms = append(out[gi].atoms, int32(id))
		}
	}
	// A set of respondents that can be named without a sensitive dimension
	// is a k-group, whatever other names it has: keep each set once, with
	// the smallest threshold of its names.
	seen := map[string]int{}
	uniq := out[:0]
	for _, g := range out {
		key := atomKey(g.atoms)
		if i, ok := seen[key]; ok {
			uniq[i].th = min(uniq[i].th, g.th)
			continue
		}
		seen[key] = len(uniq)
		uniq = append(uniq, g)
	}
	return uniq
}

// atomKey is a map key for a sorted list of atoms.
func atomKey(atoms []int32) string {
	b := make([]byte, 0, 4*len(atoms))
	for _, a := range atoms {
		b = append(b, byte(a), byte(a>>8), byte(a>>16), byte(a>>24))
	}
	return string(b)
}

// maxAuditDims bounds the subsets of dimensions enumerated (2^n of them);
// designs have far fewer demographics.
const maxAuditDims = 12

// auditState is what the audit may change: the suppression states of the
// counts, items and competencies per cell, and whether each population
// shows reliability and drivers.
type auditState struct {
	count []uint8
	item  [][]uint8
	comp  [][]uint8
	masks []uint64
}

// candidateOrder lists the plan's cells in the order their rows are offered:
// the wave, then the margins, then the cross tables; larger cells first, so
// that suppression falls on the smallest and most detailed cells.
func candidateOrder(p *plan, size func(c int) int) []int {
	order := make([]int, p.cells())
	for c := range order {
		order[c] = c
	}
	slices.SortStableFunc(order, func(x, y int) int {
		if d := cmp.Compare(len(p.defs[x].dims), len(p.defs[y].dims)); d != 0 {
			return d
		}
		return cmp.Compare(size(y), size(x))
	})
	return order
}

// auditCounts audits the cell counts over demographic atoms and hides the
// counts that would disclose a named group. It returns the number hidden.
func auditCounts(p *plan, a *auditAtoms, groups []auditGroup, st []uint8, resp []int32) int {
	prims := groupPrims(a, groups, func(id int32) int { return a.size[id] })
	b := gauss.New(len(a.size), prims)
	hidden := 0
	for _, c := range candidateOrder(p, func(c int) int { return int(resp[c]) }) {
		if st[c] != shown || resp[c] == 0 {
			continue
		}
		if !offer(b, indicator(a.cells[c], nil)) {
			st[c] = secondary
			hidden++
		}
	}
	return hidden
}

// groupPrims turns the named groups of 1..th−1 respondents (as counted by
// size) into indicator rows over atoms.
func groupPrims(a *auditAtoms, groups []auditGroup, size func(id int32) int) []gauss.Vec {
	var out []gauss.Vec
	for _, g := range groups {
		n := 0
		for _, id := range g.atoms {
			n += size(id)
		}
		if n > 0 && n < g.th {
			out = append(out, indicator(g.atoms, func(id int32) bool { return size(id) > 0 }))
		}
	}
	return out
}

// indicator is the row with 1 at each column (kept when keep is nil or
// says so).
func indicator(cols []int32, keep func(int32) bool) gauss.Vec {
	v := gauss.Vec{}
	for _, c := range cols {
		if keep == nil || keep(c) {
			v.I = append(v.I, c)
			v.V = append(v.V, 1)
		}
	}
	sortVec(&v)
	return v
}

// sortVec orders a row's columns and merges repeated ones.
func sortVec(v *gauss.Vec) {
	idx := make([]int, len(v.I))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(x, y int) int { return cmp.Compare(v.I[x], v.I[y]) })
	out := gauss.Vec{I: make([]int32, 0, len(idx)), V: make([]int64, 0, len(idx))}
	for _, i := range idx {
		if n := len(out.I); n > 0 && out.I[n-1] == v.I[i] {
			out.V[n-1] += v.V[i]
			continue
		}
		out.I = append(out.I, v.I[i])
		out.V = append(out.V, v.V[i])
	}
	k := 0
	for i := range out.I {
		if out.V[i] != 0 {
			out.I[k], out.V[k] = out.I[i], out.V[i]
			k++
		}
	}
	out.I, out.V = out.I[:k], out.V[:k]
	*v = out
}

// offer publishes rows on b when they disclose no primary and reports
// whether it did; rows whose exact arithmetic does not fit are refused.
func offer(b *gauss.Basis, rows ...gauss.Vec) bool {
	ch, err := b.Try(rows...)
	if err != nil || len(ch.Discloses) > 0 {
		return false
	}
	b.Commit(ch)
	return true
}

// force publishes rows that an earlier audit has already cleared.
func force(b *gauss.Basis, rows ...gauss.Vec) bool {
	ch, err := b.Try(rows...)
	if err != nil {
		return false
	}
	b.Commit(ch)
	return true
}

// family is a competency or a lone item for the audit.
type family struct {
	comp  int   // competency index, or -1
	items []int // item indices (bit b of a pattern is items[b])
}

// auditFamilies lists the competencies and the asked items outside them.
func auditFamilies(l *layout) []family {
	var out []family
	for ci, c := range l.comps {
		if len(c.items) <= maxFamilyItems {
			out = append(out, family{comp: ci, items: c.items})
		} else {
			for _, j := range c.items {
				out = append(out, family{comp: -1, items: []int{j}})
			}
		}
	}
	for j, it := range l.items {
		if it.asked && !l.compItems[j] {
			out = append(out, family{comp: -1, items: []int{j}})
		}
	}
	return out
}

// maxFamilyItems bounds a family's items (patterns are bit sets).
const maxFamilyItems = 20

// familyAtoms are the atoms (δ, π) of one family: demographic atom and the
// set of the family's items answered.
type familyAtoms struct {
	delta []int32
	pat   []uint32
	size  []int
	// byDelta lists each demographic atom's family atoms.
	byDelta [][]int32
	// valBase is the first value column of each atom: one column per
	// answered item, in item order.
	valBase []int32
	nvals   int
}

func newFamilyAtoms(l *layout, d *waveData, a *auditAtoms, f family) *familyAtoms {
	fa := &familyAtoms{byDelta: make([][]int32, len(a.size))}
	index := map[uint64]int32{}
	for r := 0; r < d.n; r++ {
		_, ans := d.row(r)
		var pat uint32
		for b, j := range f.items {
			if _, ok := l.value(j, ans[j]); ok {
				pat |= 1 << b
			}
		}
		key := uint64(a.of[r])<<32 | uint64(pat)
		id, ok := index[key]
		if !ok {
			id = int32(len(fa.size))
			index[key] = id
			fa.delta = append(fa.delta, a.of[r])
			fa.pat = append(fa.pat, pat)
			fa.size = append(fa.size, 0)
			fa.byDelta[a.of[r]] = append(fa.byDelta[a.of[r]], id)
			fa.valBase = append(fa.valBase, int32(fa.nvals))
			fa.nvals += popcount(pat)
		}
		fa.size[id]++
	}
	return fa
}

func popcount(x uint32) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// valCol is the value column of item bit b in family atom id.
func (fa *familyAtoms) valCol(id int32, b int) int32 {
	return fa.valBase[id] + int32(popcount(fa.pat[id]&(1<<b-1)))
}

// scorable reports whether answering pat within mask gives a competency
// score (at least half of the masked items answered).
func scorable(pat uint32, mask uint64) (int, bool) {
	items, valid := popcount(uint32(mask)), popcount(pat&uint32(mask))
	return valid, items > 0 && valid > 0 && 2*valid >= items
}

// lcmUpTo is the least common multiple of 1..n (score rows are scaled by it
// to integers).
func lcmUpTo(n int) int64 {
	l := int64(1)
	for i := int64(2); i <= int64(n); i++ {
		l = l / gcd64(l, i) * i
	}
	return l
}

func gcd64(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// familyRows builds the rows of one family in one cell.
type familyRows struct {
	l  *layout
	a  *auditAtoms
	fa *familyAtoms
	f  family
	L  int64
}

// atomsIn lists the family atoms of cell c.
func (fr *familyRows) atomsIn(c int) []int32 {
	var out []int32
	for _, dl := range fr.a.cells[c] {
		out = append(out, fr.fa.byDelta[dl]...)
	}
	return out
}

func (fr *familyRows) count(c int) gauss.Vec {
	return indicator(fr.atomsIn(c), nil)
}

// item is item bit b's n row (counts) and sum row (values) in cell c.
func (fr *familyRows) item(c, b int) (gauss.Vec, gauss.Vec) {
	var n, v gauss.Vec
	for _, id := range fr.atomsIn(c) {
		if fr.fa.pat[id]&(1<<b) != 0 {
			n.I, n.V = append(n.I, id), append(n.V, 1)
			v.I, v.V = append(v.I, fr.fa.valCol(id, b)), append(v.V, 1)
		}
	}
	sortVec(&n)
	sortVec(&v)
	return n, v
}

// comp is the competency's n and answers rows (counts) and its score and
// pooled-favourable rows (values) in cell c under mask.
func (fr *familyRows) comp(c int, mask uint64) (n, answers, score, pooled gauss.Vec) {
	for _, id := range fr.atomsIn(c) {
		pat := fr.fa.pat[id]
		valid, ok := scorable(pat, mask)
		if ok {
			n.I, n.V = append(n.I, id), append(n.V, 1)
		}
		if m := popcount(pat & uint32(mask)); m > 0 {
			answers.I, answers.V = append(answers.I, id), append(answers.V, int64(m))
		}
		for b := range fr.f.items {
			if pat&uint32(mask)&(1<<b) == 0 {
				continue
			}
			col := fr.fa.valCol(id, b)
			pooled.I, pooled.V = append(pooled.I, col), append(pooled.V, 1)
			if ok {
				score.I, score.V = append(score.I, col), append(score.V, fr.L/int64(valid))
			}
		}
	}
	sortVec(&n)
	sortVec(&answers)
	sortVec(&score)
	sortVec(&pooled)
	return n, answers, score, pooled
}

// familyPrims are the groups to protect in one family: every family atom
// and every named group, restricted to those who answered each item (values
// and counts) or who have a score (the competency), with 1..th−1 people.
func familyPrims(l *layout, a *auditAtoms, fa *familyAtoms, f family, groups []auditGroup, L int64) (counts, values []gauss.Vec) {
	full := uint64(1)<<len(f.items) - 1
	// thOf is each demographic atom's threshold, from its named group.
	thOf := make([]int, len(a.size))
	for _, g := range groups {
		if len(g.atoms) == 1 {
			thOf[g.atoms[0]] = g.th
		}
	}
	addGroup := func(ids []int32, th int, withCounts bool) {
		// answerers of each item
		for b := range f.items {
			n := 0
			var cv, vv gauss.Vec
			for _, id := range ids {
				if fa.pat[id]&(1<<b) != 0 {
					n += fa.size[id]
					cv.I, cv.V = append(cv.I, id), append(cv.V, 1)
					vv.I, vv.V = append(vv.I, fa.valCol(id, b)), append(vv.V, 1)
				}
			}
			if n > 0 && n < th {
				sortVec(&cv)
				sortVec(&vv)
				if withCounts {
					counts = append(counts, cv)
				}
				values = append(values, vv)
			}
		}
		if f.comp < 0 {
			return
		}
		n := 0
		var cv, sv gauss.Vec
		for _, id := range ids {
			valid, ok := scorable(fa.pat[id], full)
			if !ok {
				continue
			}
			n += fa.size[id]
			cv.I, cv.V = append(cv.I, id), append(cv.V, 1)
			for b := range f.items {
				if fa.pat[id]&(1<<b) != 0 {
					sv.I, sv.V = append(sv.I, fa.valCol(id, b)), append(sv.V, L/int64(valid))
				}
			}
		}
		if n > 0 && n < th {
			sortVec(&cv)
			sortVec(&sv)
			if withCounts {
				counts = append(counts, cv)
			}
			values = append(values, sv)
		}
	}
	// Each family atom alone (demographics and answered items).
	// Each family atom alone (demographics and answered items): its answers
	// always; its count when its demographic atom is itself small (which
	// items the members of a larger atom skipped is not an answer of anyone
	// an attacker can single out).
	for id := range fa.size {
		th := thOf[fa.delta[id]]
		small := a.size[fa.delta[id]] < th
		if small {
			counts = append(counts, gauss.Vec{I: []int32{int32(id)}, V: []int64{1}})
		}
		addGroup([]int32{int32(id)}, th, small)
	}
	for _, g := range groups {
		var ids []int32
		for _, dl := range g.atoms {
			ids = append(ids, fa.byDelta[dl]...)
		}
		// The group's own count, which the family's rows could complete.
		total := 0
		for _, dl := range g.atoms {
			total += a.size[dl]
		}
		if total > 0 && total < g.th {
			counts = append(counts, indicator(ids, nil))
		}
		addGroup(ids, g.th, true)
	}
	return counts, values
}

// auditFamily audits one family's items and competency in every cell and
// hides those that would disclose a group. It returns the number hidden.
func auditFamily(p *plan, l *layout, d *waveData, a *auditAtoms, groups []auditGroup, f family, s *auditState, resp []int32) int {
	fa := newFamilyAtoms(l, d, a, f)
	L := lcmUpTo(len(f.items))
	cp, vp := familyPrims(l, a, fa, f, groups, L)
	cb := gauss.New(len(fa.size), cp)
	vb := gauss.New(fa.nvals, vp)
	fr := &familyRows{l: l, a: a, fa: fa, f: f, L: L}
	hidden := 0
	nc := len(l.comps)
	order := candidateOrder(p, func(c int) int { return int(resp[c]) })
	// The counts were cleared on demographic atoms and are released
	// whatever happens here: they enter first, so that every candidate is
	// judged together with all of them.
	for _, c := range order {
		if s.count[c] == shown && resp[c] > 0 && !force(cb, fr.count(c)) {
			// A count that cannot be added exactly hides the cell's answers.
			for _, j := range f.items {
				if s.item[j][c] == shown {
					s.item[j][c] = secondary
					hidden++
				}
			}
			if f.comp >= 0 && s.comp[f.comp][c] == shown {
				s.comp[f.comp][c] = secondary
				hidden++
			}
		}
	}
	for _, c := range order {
		if resp[c] == 0 {
			continue
		}
		if f.comp >= 0 && s.comp[f.comp][c] == shown {
			mask := s.masks[c*nc+f.comp]
			n, answers, score, pooled := fr.comp(c, mask)
			if !offerBoth(cb, vb, []gauss.Vec{n, answers}, []gauss.Vec{score, pooled}) {
				s.comp[f.comp][c] = secondary
				hidden++
			}
		}
		for b, j := range f.items {
			if s.item[j][c] != shown {
				continue
			}
			n, v := fr.item(c, b)
			if n.Len() == 0 {
				continue
			}
			if !offerBoth(cb, vb, []gauss.Vec{n}, []gauss.Vec{v}) {
				s.item[j][c] = secondary
				hidden++
			}
		}
	}
	return hidden
}

// offerBoth publishes count rows and value rows together, or neither.
func offerBoth(cb, vb *gauss.Basis, counts, values []gauss.Vec) bool {
	cch, err := cb.Try(counts...)
	if err != nil || len(cch.Discloses) > 0 {
		return false
	}
	vch, err := vb.Try(values...)
	if err != nil || len(vch.Discloses) > 0 {
		return false
	}
	cb.Commit(cch)
	vb.Commit(vch)
	return true
}

// auditPopulations audits the second-moment statistics (reliability,
// drivers) of the populations that show them and returns the populations
// that must not.
func auditPopulations(a *auditAtoms, groups []auditGroup, pops []int, showing func(c int) bool) map[int]bool {
	prims := groupPrims(a, groups, func(id int32) int { return a.size[id] })
	b := gauss.New(len(a.size), prims)
	hide := map[int]bool{}
	for _, c := range pops {
		if !showing(c) {
			continue
		}
		if !offer(b, indicator(a.cells[c], nil)) {
			hide[c] = true
		}
	}
	return hide
}

// auditReport counts what the audit hid, for logs and docs.
type auditReport struct {
	Counts, Answers, Populations int
}

func (r auditReport) String() string {
	return "counts " + strconv.Itoa(r.Counts) + ", answers " + strconv.Itoa(r.Answers) + ", populations " + strconv.Itoa(r.Populations)
}

// audit runs the whole release audit on a computed lattice and updates the
// states in place.
func audit(p *plan, l *layout, d *waveData, s *auditState, resp []int32) (auditReport, *auditAtoms, []auditGroup) {
	var rep auditReport
	a := newAuditAtoms(p, d)
	groups := namedGroups(l, a)
	rep.Counts = auditCounts(p, a, groups, s.count, resp)
	for _, f := range auditFamilies(l) {
		rep.Answers += auditFamily(p, l, d, a, groups, f, s, resp)
	}
	return rep, a, groups
}
