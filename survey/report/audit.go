package report

import (
	"cmp"
	"math/bits"
	"slices"
	"strconv"
	"sync"

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

// auditEntry is a number of respondents who share every demographic group
// and the set of items they answered, and who arrived in the same period
// (the interval between two snapshots of a live wave; 1 for a wave
// released once). The audit needs nothing finer.
type auditEntry struct {
	// demo is the response's demographic bytes (option index + 1, 0 for
	// not answered), as the plan reads them.
	demo []byte
	// answered has bit j set when item j has a valid answer.
	answered []byte
	period   int
	n        int
}

func (e auditEntry) has(j int) bool { return e.answered[j/8]&(1<<(j%8)) != 0 }

// censusOf counts the wave's respondents by demographic groups and
// answered items: the key is the normalised demographic bytes followed by
// the answered bits.
func censusOf(l *layout, d *waveData) map[string]int {
	out := map[string]int{}
	nb := (len(l.items) + 7) / 8
	key := make([]byte, len(l.dims)+nb)
	for r := 0; r < d.n; r++ {
		demo, ans := d.row(r)
		for i := range l.dims {
			key[i] = byte(l.groupOf(demo, i) + 1)
		}
		clear(key[len(l.dims):])
		for j := range l.items {
			if j < len(ans) {
				if _, ok := l.value(j, ans[j]); ok {
					key[len(l.dims)+j/8] |= 1 << (j % 8)
				}
			}
		}
		out[string(key)]++
	}
	return out
}

// entriesOf turns cumulative censuses, one per period in order, into the
// respondents who arrived in each period.
func entriesOf(l *layout, censuses []map[string]int) []auditEntry {
	var out []auditEntry
	if len(censuses) > 0 {
		out = make([]auditEntry, 0, len(censuses[len(censuses)-1]))
	}
	var prev map[string]int
	for t, c := range censuses {
		keys := make([]string, 0, len(c))
		for k := range c {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if n := c[k] - prev[k]; n > 0 {
				out = append(out, auditEntry{demo: []byte(k[:len(l.dims)]), answered: []byte(k[len(l.dims):]), period: t + 1, n: n})
			}
		}
		prev = c
	}
	return out
}

// auditAtoms groups the entries by demographic atom and period.
type auditAtoms struct {
	groups [][]uint8
	period []int
	size   []int
	// cells lists, per plan cell, its atoms.
	cells [][]int32
	// of maps an entry to its atom.
	of []int32
	// sets are the sets of atoms a row can sum over (namedSets).
	sets [][]int32
}

func newAuditAtoms(p *plan, entries []auditEntry) *auditAtoms {
	a := &auditAtoms{cells: make([][]int32, p.cells()), of: make([]int32, len(entries))}
	index := map[string]int32{}
	for i, e := range entries {
		key := string(e.demo) + "@" + strconv.Itoa(e.period)
		id, ok := index[key]
		if !ok {
			id = int32(len(a.groups))
			index[key] = id
			g := make([]uint8, len(p.l.dims))
			for d := range g {
				g[d] = uint8(p.l.groupOf(e.demo, d))
			}
			a.groups = append(a.groups, g)
			a.period = append(a.period, e.period)
			a.size = append(a.size, 0)
			for ti := range p.tables {
				c := p.cellOf(&p.tables[ti], e.demo)
				a.cells[c] = append(a.cells[c], id)
			}
		}
		a.of[i] = id
		a.size[id] += e.n
	}
	return a
}

// namedSets lists the sets of demographic atoms a row can sum over: every
// cell up to every period, each set once.
func namedSets(p *plan, a *auditAtoms, periods int) [][]int32 {
	var out [][]int32
	seen := map[string]bool{}
	for c := 0; c < p.cells(); c++ {
		for t := 1; t <= periods; t++ {
			set := a.in(c, t)
			if k := atomKey(set); len(set) > 0 && !seen[k] {
				seen[k] = true
				out = append(out, set)
			}
		}
	}
	return out
}

// in lists the atoms of cell c that arrived up to period upTo.
func (a *auditAtoms) in(c, upTo int) []int32 {
	out := make([]int32, 0, len(a.cells[c]))
	for _, id := range a.cells[c] {
		if a.period[id] <= upTo {
			out = append(out, id)
		}
	}
	return out
}

// auditGroup is a group an attacker can name by demographics and time:
// one cell of a cross-classification of any set of dimensions, among the
// respondents who arrived in a range of periods, as its atoms.
type auditGroup struct {
	atoms []int32
	th    int
}

// periodRanges lists the ranges of periods a group is named over: all of
// them for up to maxAllRanges periods; beyond, each period alone and every
// range from the first or to the last.
func periodRanges(periods int) [][2]int {
	var out [][2]int
	for t1 := 1; t1 <= periods; t1++ {
		for t2 := t1; t2 <= periods; t2++ {
			if periods <= maxAllRanges || t1 == t2 || t1 == 1 || t2 == periods {
				out = append(out, [2]int{t1, t2})
			}
		}
	}
	return out
}

// maxAllRanges bounds the live-wave periods over which every range is
// named.
const maxAllRanges = 12

// namedGroups lists every cell of every cross-classification of the
// dimensions (every subset of them, the atoms themselves included), over
// every range of periods, with the threshold that protects it: k_s when
// only a sensitive dimension names it (a set of respondents that can also
// be named without one is a k-group).
func namedGroups(l *layout, a *auditAtoms, periods int) []auditGroup {
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
	for _, rg := range periodRanges(periods) {
		for _, s := range subsets {
			th := l.th.K
			for i := range l.dims {
				if s&(1<<i) != 0 && l.dims[i].sensitive {
					th = l.th.KS
				}
			}
			byKey := map[string]int{}
			for id, g := range a.groups {
				if a.period[id] < rg[0] || a.period[id] > rg[1] {
					continue
				}
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
	}
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

// hashAtoms is an FNV-1a hash of a list of atoms.
func hashAtoms(atoms []int32) uint64 {
	h := uint64(14695981039346656037)
	for _, a := range atoms {
		h = (h ^ uint64(uint32(a))) * 1099511628211
	}
	return h
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
// counts, items and competencies per cell, and the competency masks.
type auditState struct {
	count []uint8
	item  [][]uint8
	comp  [][]uint8
	masks []uint64
	// rel is, per competency and population cell, the state of its
	// reliability (whose n counts who answered every item); drv, per
	// competency and outcome (competency×2 + 0 for eNPS, 1 for intent to
	// stay), the state of its driver correlation (whose n counts who have a
	// score and answered the outcome). Nil when no population shows them.
	rel [][]uint8
	drv [][]uint8
}

// pastRelease is what an earlier snapshot of the wave published fresh (not
// held): its rows are released for good and enter the audit first.
type pastRelease struct {
	period int
	cells  []int // plan cells published fresh in that snapshot
	state  *auditState
	pops   []int // populations that showed second moments
}

// auditInput is everything one audit judges: the respondents (by atom and
// period), the releases already made, and the new release, made at the
// last period, whose shown cells are candidates.
type auditInput struct {
	p       *plan
	l       *layout
	entries []auditEntry
	periods int
	past    []pastRelease
	// fresh marks the cells the new release publishes (nil: all of them).
	fresh []bool
	state *auditState
	resp  []int32
}

func (in *auditInput) isFresh(c int) bool { return in.fresh == nil || in.fresh[c] }

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
func auditCounts(in *auditInput, a *auditAtoms, groups []auditGroup) int {
	s := newAuditSystems([]int{len(a.size)}, []primaries{rowPrims(groupPrims(groups, func(id int32) int { return a.size[id] }))})
	for _, pr := range in.past {
		for _, c := range pr.cells {
			if pr.state.count[c] == shown {
				s.force(one(indicator(a.in(c, pr.period), nil)))
			}
		}
	}
	hidden := 0
	for _, c := range candidateOrder(in.p, func(c int) int { return int(in.resp[c]) }) {
		if !in.isFresh(c) || in.state.count[c] != shown || in.resp[c] == 0 {
			continue
		}
		s.offer(func() { in.state.count[c] = secondary; hidden++ }, one(indicator(a.in(c, in.periods), nil)))
	}
	s.run()
	return hidden
}

// groupPrims turns the named groups of 1..th−1 respondents (as counted by
// size) into indicator rows over atoms.
func groupPrims(groups []auditGroup, size func(id int32) int) []gauss.Vec {
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
	if sortedVec(*v) {
		return
	}
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

// sortedVec reports whether v's columns are strictly increasing and its
// values nonzero already.
func sortedVec(v gauss.Vec) bool {
	for k := range v.I {
		if v.V[k] == 0 || (k > 0 && v.I[k-1] >= v.I[k]) {
			return false
		}
	}
	return true
}

// family is a competency or a lone item for the audit.
type family struct {
	comp  int   // competency index, or -1
	items []int // item indices (bit b of a pattern is items[b])
	// outcomes are the outcome items a competency's drivers correlate its
	// score with (bit len(items)+o of a count pattern is outcomes[o]), and
	// slots their driver slot (0 eNPS, 1 intent to stay). Who answered
	// them enters the family's counts, never its values: a driver's n is
	// a count across the two.
	outcomes, slots []int
}

// bits is the number of pattern bits of the family's counts.
func (f family) bits() int { return len(f.items) + len(f.outcomes) }

// auditFamilies lists the competencies and the asked items outside them.
func auditFamilies(l *layout) []family {
	var out []family
	for ci, c := range l.comps {
		if len(c.items)+2 <= maxFamilyItems {
			f := family{comp: ci, items: c.items}
			for slot, j := range []int{l.enps, l.stay} {
				if j >= 0 && l.items[j].asked && !slices.Contains(c.items, j) {
					f.outcomes = append(f.outcomes, j)
					f.slots = append(f.slots, slot)
				}
			}
			out = append(out, f)
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

// familyAtoms are the atoms (δ, π) of one family: demographic atom (with
// its period) and the set of the family's items answered.
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

// newFamilyAtoms splits the demographic atoms by which of items their
// members answered (bit b of a pattern is items[b]); the last outcomes of
// items are a competency's outcomes.
func newFamilyAtoms(entries []auditEntry, a *auditAtoms, items []int, outcomes int) *familyAtoms {
	fa := &familyAtoms{byDelta: make([][]int32, len(a.size))}
	// Entries by demographic atom (a counting sort).
	start := make([]int, len(a.size)+1)
	for i := range entries {
		start[a.of[i]+1]++
	}
	for dl := range a.size {
		start[dl+1] += start[dl]
	}
	byDelta := make([]int32, len(entries))
	fill := slices.Clone(start[:len(a.size)])
	for i := range entries {
		dl := a.of[i]
		byDelta[fill[dl]] = int32(i)
		fill[dl]++
	}
	type patN struct {
		pat uint32
		n   int
	}
	var here []patN
	most := len(entries) + len(a.size)<<outcomes
	fa.delta, fa.pat = make([]int32, 0, most), make([]uint32, 0, most)
	fa.size, fa.valBase = make([]int, 0, most), make([]int32, 0, most)
	for dl := range a.size {
		here = here[:0]
		for _, i := range byDelta[start[dl]:start[dl+1]] {
			var pat uint32
			for b, j := range items {
				if entries[i].has(j) {
					pat |= 1 << b
				}
			}
			here = append(here, patN{pat, entries[i].n})
		}
		// Who answered none of the family's items is not known to an
		// attacker: every demographic atom keeps an unknown for them,
		// even when nobody there skipped the family (otherwise a cell's
		// count minus its answers would single out the one atom where
		// somebody did); in the counts of a competency, one for each set
		// of outcomes they may have answered.
		for o := uint32(0); o < 1<<outcomes; o++ {
			here = append(here, patN{o << (len(items) - outcomes), 0})
		}
		slices.SortFunc(here, func(x, y patN) int { return cmp.Compare(x.pat, y.pat) })
		// Atoms in pattern order, so that they are numbered by
		// demographic atom, then pattern: a cell's atoms come in
		// increasing order, and its rows are built already sorted.
		for k, pn := range here {
			if k > 0 && here[k-1].pat == pn.pat {
				fa.size[len(fa.size)-1] += pn.n
				continue
			}
			fa.delta = append(fa.delta, int32(dl))
			fa.pat = append(fa.pat, pn.pat)
			fa.size = append(fa.size, pn.n)
			fa.valBase = append(fa.valBase, int32(fa.nvals))
			fa.nvals += popcount(pn.pat)
		}
	}
	// A demographic atom's family atoms are consecutive: its list is a
	// range of one array of all of them.
	ids := make([]int32, len(fa.size))
	first := 0
	for id := range ids {
		ids[id] = int32(id)
		if id+1 == len(ids) || fa.delta[id+1] != fa.delta[id] {
			fa.byDelta[fa.delta[id]] = ids[first : id+1 : id+1]
			first = id + 1
		}
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

// familyRows builds the rows of one family: counts over fx (the atoms split
// by the family's items and its outcomes), values over fa (split by the
// family's items only; no released value depends on the outcomes).
type familyRows struct {
	a      *auditAtoms
	fa, fx *familyAtoms
	f      family
	L      int64
	// in caches, per atoms (fa or fx) and cell, the cell's family atoms:
	// a cell gives a row of each kind.
	in map[cellAtoms][]int32
	// answeredRows caches, per cell, its count rows of who answered each
	// pattern bit (answered).
	answeredRows map[cellAtoms][]gauss.Vec
	// kinds numbers the kinds of count rows (a count row's Label), and
	// sums lists the kinds whose weights add up to another's, on every
	// pattern: a competency's answers are its items' n.
	kinds map[string]int64
	sums  map[int64][]int64
	// ones backs the values of every row whose weights are all 1: rows
	// are never written to once built.
	ones []int64
}

// onesFor sets v's values to 1 at each of its columns.
func (fr *familyRows) onesFor(v *gauss.Vec) {
	if len(fr.ones) < len(v.I) {
		fr.ones = make([]int64, max(len(v.I), len(fr.fx.size), fr.fa.nvals))
		for i := range fr.ones {
			fr.ones[i] = 1
		}
	}
	v.V = fr.ones[:len(v.I):len(v.I)]
}

// kind is the Label of count rows of the named kind.
func (fr *familyRows) kind(name string) int64 {
	if fr.kinds == nil {
		fr.kinds = map[string]int64{}
	}
	id, ok := fr.kinds[name]
	if !ok {
		id = int64(len(fr.kinds) + 1)
		fr.kinds[name] = id
	}
	return id
}

func answeredKind(b int) string { return "answered " + strconv.Itoa(b) }

// cellAtoms names the family atoms of one cell up to one period.
type cellAtoms struct {
	fa      *familyAtoms
	c, upTo int
}

// atomsIn lists the family atoms of fa in cell c up to period upTo, in
// increasing order (family atoms are numbered by demographic atom, and a
// cell's demographic atoms come in increasing order).
func (fr *familyRows) atomsIn(fa *familyAtoms, c, upTo int) []int32 {
	key := cellAtoms{fa, c, upTo}
	if ids, ok := fr.in[key]; ok {
		return ids
	}
	if fr.in == nil {
		fr.in = map[cellAtoms][]int32{}
	}
	dls := fr.a.in(c, upTo)
	n := 0
	for _, dl := range dls {
		n += len(fa.byDelta[dl])
	}
	out := make([]int32, 0, n)
	for _, dl := range dls {
		out = append(out, fa.byDelta[dl]...)
	}
	fr.in[key] = out
	return out
}

// countWhere is the count row of the members of cell c whose pattern keep
// accepts (count takes them all).
func (fr *familyRows) countWhere(c, upTo int, kind string, keep func(pat uint32) bool) gauss.Vec {
	ids := fr.atomsIn(fr.fx, c, upTo)
	n := gauss.Vec{I: make([]int32, 0, len(ids))}
	for _, id := range ids {
		if keep(fr.fx.pat[id]) {
			n.I = append(n.I, id)
		}
	}
	fr.onesFor(&n)
	sortVec(&n)
	n.Group, n.Label = cellGroup(c, upTo), fr.kind(kind)
	return n
}

// cellGroup names the rows of cell c up to period upTo: rows of one cell
// are alike but where respondents skipped items, and an elimination takes
// them together (gauss.Vec's Group).
func cellGroup(c, upTo int) int64 { return int64(c)<<20 + int64(upTo) + 1 }

// count is cell c's count row: all its atoms (the row shares their list;
// rows are never written to).
func (fr *familyRows) count(c, upTo int) gauss.Vec {
	ids := fr.atomsIn(fr.fx, c, upTo)
	n := gauss.Vec{I: ids[:len(ids):len(ids)]}
	fr.onesFor(&n)
	n.Group, n.Label = cellGroup(c, upTo), fr.kind("count")
	return n
}

// answered is the count of cell c's members who answered pattern bit b
// (an item, or an outcome past the items). A cell's rows of every bit are
// built together, in one pass over its atoms.
func (fr *familyRows) answered(c, upTo, b int) gauss.Vec {
	key := cellAtoms{fr.fx, c, upTo}
	if rows, ok := fr.answeredRows[key]; ok {
		return rows[b]
	}
	if fr.answeredRows == nil {
		fr.answeredRows = map[cellAtoms][]gauss.Vec{}
	}
	ids := fr.atomsIn(fr.fx, c, upTo)
	rows := make([]gauss.Vec, fr.f.bits())
	sizes := make([]int, len(rows))
	total := 0
	for _, id := range ids {
		for p := fr.fx.pat[id]; p != 0; p &= p - 1 {
			sizes[bits.TrailingZeros32(p)]++
			total++
		}
	}
	backing := make([]int32, total)
	for k := range rows {
		rows[k].I, backing = backing[:0:sizes[k]], backing[sizes[k]:]
	}
	for _, id := range ids {
		for p := fr.fx.pat[id]; p != 0; p &= p - 1 {
			k := bits.TrailingZeros32(p)
			rows[k].I = append(rows[k].I, id)
		}
	}
	for k := range rows {
		fr.onesFor(&rows[k])
		rows[k].Group, rows[k].Label = cellGroup(c, upTo), fr.kind(answeredKind(k))
	}
	fr.answeredRows[key] = rows
	return rows[b]
}

// full is the pattern of every item of the family.
func (fr *familyRows) full() uint64 { return uint64(1)<<len(fr.f.items) - 1 }

// complete is the n of the competency's reliability in cell c: who
// answered all its items.
func (fr *familyRows) complete(c, upTo int) gauss.Vec {
	full := uint32(fr.full())
	return fr.countWhere(c, upTo, "complete", func(pat uint32) bool { return pat&full == full })
}

// pairs is the n of the competency's driver correlation with outcome o in
// cell c: who have a score and answered the outcome.
func (fr *familyRows) pairs(c, upTo, o int) gauss.Vec {
	full, ob := fr.full(), uint32(1)<<(len(fr.f.items)+o)
	return fr.countWhere(c, upTo, "pairs "+strconv.Itoa(o), func(pat uint32) bool { _, ok := scorable(pat, full); return ok && pat&ob != 0 })
}

// item is item bit b's n row (counts) and sum row (values) in cell c.
func (fr *familyRows) item(c, upTo, b int) (gauss.Vec, gauss.Vec) {
	ids := fr.atomsIn(fr.fa, c, upTo)
	v := gauss.Vec{I: make([]int32, 0, len(ids))}
	for _, id := range ids {
		if fr.fa.pat[id]&(1<<b) != 0 {
			v.I = append(v.I, fr.fa.valCol(id, b))
		}
	}
	fr.onesFor(&v)
	sortVec(&v)
	v.Group = cellGroup(c, upTo)
	return fr.answered(c, upTo, b), v
}

// comp is the competency's n and answers rows (counts), its score row
// (value sums) and its pooled-favourable row (indicator counts) in cell c
// under mask.
func (fr *familyRows) comp(c, upTo int, mask uint64) (counts []gauss.Vec, score, pooled gauss.Vec) {
	xs, as := fr.atomsIn(fr.fx, c, upTo), fr.atomsIn(fr.fa, c, upTo)
	vals := 0
	for _, id := range as {
		vals += popcount(fr.fa.pat[id] & uint32(mask))
	}
	n := gauss.Vec{I: make([]int32, 0, len(xs))}
	answers := gauss.Vec{I: make([]int32, 0, len(xs)), V: make([]int64, 0, len(xs))}
	score = gauss.Vec{I: make([]int32, 0, vals), V: make([]int64, 0, vals)}
	pooled = gauss.Vec{I: make([]int32, 0, vals)}
	for _, id := range xs {
		pat := fr.fx.pat[id]
		if _, ok := scorable(pat, mask); ok {
			n.I = append(n.I, id)
		}
		if m := popcount(pat & uint32(mask)); m > 0 {
			answers.I, answers.V = append(answers.I, id), append(answers.V, int64(m))
		}
	}
	for _, id := range as {
		pat := fr.fa.pat[id]
		valid, ok := scorable(pat, mask)
		for b := range fr.f.items {
			if pat&uint32(mask)&(1<<b) == 0 {
				continue
			}
			col := fr.fa.valCol(id, b)
			pooled.I = append(pooled.I, col)
			if ok {
				score.I, score.V = append(score.I, col), append(score.V, fr.L/int64(valid))
			}
		}
	}
	fr.onesFor(&n)
	fr.onesFor(&pooled)
	for _, v := range []*gauss.Vec{&n, &answers, &score, &pooled} {
		sortVec(v)
		v.Group = cellGroup(c, upTo)
	}
	m := strconv.FormatUint(mask, 2)
	n.Label, answers.Label = fr.kind("n "+m), fr.kind("answers "+m)
	if _, ok := fr.sums[answers.Label]; !ok {
		var parts []int64
		for b := range fr.f.items {
			if mask&(1<<b) != 0 {
				parts = append(parts, fr.kind(answeredKind(b)))
			}
		}
		if fr.sums == nil {
			fr.sums = map[int64][]int64{}
		}
		fr.sums[answers.Label] = parts
	}
	return []gauss.Vec{n, answers}, score, pooled
}

// familyPrims are the groups to protect in one family. Every name an
// attacker can give a set of respondents (a named group; its members who
// answered one of the family's items; its members with a score; a single
// family atom) is collected with its threshold, and a set with several
// names keeps the smallest threshold. Each set of 1..th−1 respondents is
// then protected: its count, the total of its answers, its answers to each
// item all its members answered, and its scores when all have one. A
// family atom whose demographic atom is large and that has no other name
// is protected on its answers only: which items the members of a larger
// atom skipped is not an answer of anyone an attacker can single out. So
// are, in a group, who answered exactly a given set of the items, or
// exactly m of them.
//
// fa's patterns have bits bits: the family's items, then (for the counts)
// its outcomes, whose answerers, and those of them with a score, are named
// too; so are the members of a group who answered every item (the n of a
// reliability). Values are built only when withValues (fa has one value
// column per answered item).
func familyPrims(a *auditAtoms, fa *familyAtoms, f family, bits int, groups []auditGroup, L int64, values *valueSets) (counts []gauss.Vec, small [][]int32) {
	withValues := values != nil
	full := uint64(1)<<len(f.items) - 1
	thOf := make([]int, len(a.size))
	for _, g := range groups {
		if len(g.atoms) == 1 {
			thOf[g.atoms[0]] = g.th
		}
	}
	// A named set's atoms are slab[from:to]; sets with the same hash are
	// chained by next (−1 ends a chain).
	type named struct {
		from, to int32
		th       int32
		next     int32
		grouped  bool // named by a group, not only as one family atom
	}
	// Named sets by a hash of their atoms (atoms compared on a match).
	sets := make(map[uint64]int32, len(fa.size))
	var order []named
	var slab []int32
	// Only a set smaller than the largest threshold can ever be protected
	// (a set keeps the smallest threshold of its names), so larger sets
	// are not collected.
	maxTh := 0
	for _, g := range groups {
		maxTh = max(maxTh, g.th)
	}
	// name records a set of 1..maxTh−1 respondents (kept: its atoms,
	// sorted; copied when the set is new) by one of its names.
	name := func(kept []int32, th int, grouped bool) {
		key := hashAtoms(kept)
		first, ok := sets[key]
		if !ok {
			first = -1
		}
		for i := first; i >= 0; i = order[i].next {
			if s := &order[i]; slices.Equal(slab[s.from:s.to], kept) {
				s.th = min(s.th, int32(th))
				s.grouped = s.grouped || grouped
				return
			}
		}
		from := int32(len(slab))
		slab = append(slab, kept...)
		sets[key] = int32(len(order))
		order = append(order, named{from: from, to: int32(len(slab)), th: int32(th), next: first, grouped: grouped})
	}
	// Most of a group's subsets are too large to protect: their sizes are
	// read off the group's pattern histogram, and only the small ones are
	// listed, from the group's atoms bucketed by pattern.
	// The family's patterns are numbered once: a group's histogram and
	// buckets are then arrays.
	patNum := map[uint32]int32{}
	var patList []uint32
	num := make([]int32, len(fa.size))
	for id, pat := range fa.pat {
		k, ok := patNum[pat]
		if !ok {
			k = int32(len(patList))
			patNum[pat] = k
			patList = append(patList, pat)
		}
		num[id] = k
	}
	hist := make([]int, len(patList))
	seen := make([]bool, len(patList))
	buckets := make([][]int32, len(patList))
	var here []int32       // the pattern numbers the group has, by pattern
	var kept []int32       // scratch
	var sel, done []uint64 // a set's patterns; those named by the group
	for _, g := range groups {
		for _, k := range here {
			hist[k], seen[k] = 0, false
		}
		here = here[:0]
		for _, dl := range g.atoms {
			for _, id := range fa.byDelta[dl] {
				k := num[id]
				if !seen[k] {
					seen[k] = true
					here = append(here, k)
				}
				hist[k] += fa.size[id]
			}
		}
		slices.SortFunc(here, func(x, y int32) int { return cmp.Compare(patList[x], patList[y]) })
		bucketed := false
		// A set named twice by one group is named once: the names of a
		// group share its threshold, and those that mark a set as the
		// group's come first. A set is which of the group's patterns it
		// keeps (a bit set over here).
		words := (len(here) + 63) / 64
		done = done[:0]
		try := func(keep func(pat uint32) bool, grouped bool) {
			n := 0
			sel = slices.Grow(sel[:0], words)[:words]
			clear(sel)
			for i, k := range here {
				if keep(patList[k]) {
					n += hist[k]
					sel[i/64] |= 1 << (i % 64)
				}
			}
			if n == 0 || n >= maxTh {
				return
			}
			for at := 0; at < len(done); at += words {
				if slices.Equal(done[at:at+words], sel) {
					return
				}
			}
			done = append(done, sel...)
			if !bucketed {
				bucketed = true
				for _, k := range here {
					buckets[k] = buckets[k][:0]
				}
				for _, dl := range g.atoms {
					for _, id := range fa.byDelta[dl] {
						buckets[num[id]] = append(buckets[num[id]], id)
					}
				}
			}
			kept = kept[:0]
			for _, k := range here {
				if keep(patList[k]) {
					kept = append(kept, buckets[k]...)
				}
			}
			slices.Sort(kept)
			name(kept, g.th, grouped)
		}
		try(func(uint32) bool { return true }, true)
		for b := 0; b < bits; b++ {
			try(func(pat uint32) bool { return pat&(1<<b) != 0 }, true)
		}
		if f.comp >= 0 {
			scored := func(pat uint32) bool { _, ok := scorable(pat, full); return ok }
			try(scored, true)
			try(func(pat uint32) bool { return pat&uint32(full) == uint32(full) }, true)
			for b := len(f.items); b < bits; b++ {
				try(func(pat uint32) bool { return scored(pat) && pat&(1<<b) != 0 }, true)
			}
		}
		if withValues && len(f.items) > 1 {
			// Who in the group answered exactly a given set of the items,
			// or exactly m of them, across its demographic atoms: named
			// by the items they answered, protected on their answers (a
			// score pools each answer with weight 1/m, so the score next
			// to the items' sums gives the answers of who skipped some).
			partial := func(pat uint32) bool { p := pat & uint32(full); return p != 0 && p != uint32(full) }
			var items []uint32
			for _, k := range here {
				pat := patList[k]
				if p := pat & uint32(full); partial(pat) && !slices.Contains(items, p) {
					items = append(items, p)
				}
			}
			for _, p := range items {
				try(func(pat uint32) bool { return partial(pat) && pat&uint32(full) == p }, false)
			}
			for m := 1; m < len(f.items); m++ {
				try(func(pat uint32) bool { return partial(pat) && popcount(pat&uint32(full)) == m }, false)
			}
		}
	}
	for id, n := range fa.size {
		if n > 0 && n < maxTh {
			dl := fa.delta[id]
			kept = append(kept[:0], int32(id))
			name(kept, thOf[dl], a.size[dl] < thOf[dl])
		}
	}
	if withValues {
		values.sets = slices.Grow(values.sets, len(order))
		values.refs = slices.Grow(values.refs, 3*len(order))
	}
	// Every count primary is a set's indicator: its columns are the set's
	// atoms and its values one array of ones (rows are never written to).
	var ones []int64
	small = make([][]int32, 0, len(order))
	for _, s := range order {
		ids := slab[s.from:s.to:s.to]
		n := 0
		for _, id := range ids {
			n += fa.size[id]
		}
		if n == 0 || n >= int(s.th) {
			continue
		}
		small = append(small, ids)
		if s.grouped {
			if len(ones) < len(ids) {
				ones = make([]int64, max(len(ids), 64))
				for k := range ones {
					ones[k] = 1
				}
			}
			counts = append(counts, gauss.Vec{I: ids, V: ones[:len(ids):len(ids)]})
		}
		if withValues {
			values.add(ids)
		}
	}
	return counts, small
}

// valueSets are the primaries that protect the answers of sets of family
// atoms: per set, the total of their answers, their answers to each item
// all of them answered, and their scores when all have one. They are kept
// as the sets and built as rows only when asked (primaries).
type valueSets struct {
	fa   *familyAtoms
	f    family
	L    int64
	sets [][]int32
	// refs are the primaries: a set and what of it (valueTotal,
	// valueScore, or an item bit).
	refs []valueRef
}

type valueRef struct {
	set  int32
	what int32
}

const (
	valueTotal = -1
	valueScore = -2
)

func (vs *valueSets) full() uint32 { return uint32(1)<<len(vs.f.items) - 1 }

// add protects the answers of a set of family atoms (sorted).
func (vs *valueSets) add(ids []int32) {
	all, answers, allScored := ^uint32(0), 0, true
	for _, id := range ids {
		pat := vs.fa.pat[id]
		all &= pat
		if _, ok := scorable(pat, uint64(vs.full())); !ok {
			allScored = false
		}
		answers += popcount(pat & vs.full())
	}
	if answers == 0 {
		return
	}
	set := int32(len(vs.sets))
	vs.sets = append(vs.sets, ids)
	vs.refs = append(vs.refs, valueRef{set, valueTotal})
	for b := range vs.f.items {
		if all&(1<<b) != 0 {
			vs.refs = append(vs.refs, valueRef{set, int32(b)})
		}
	}
	if vs.f.comp >= 0 && allScored {
		vs.refs = append(vs.refs, valueRef{set, valueScore})
	}
}

func (vs *valueSets) Len() int         { return len(vs.refs) }
func (vs *valueSets) Empty(j int) bool { return false }

// weight is an answer's weight in a score: L over the items answered, or
// 0 without a score.
func (vs *valueSets) weight(id int32) int64 {
	if valid, ok := scorable(vs.fa.pat[id], uint64(vs.full())); ok {
		return vs.L / int64(valid)
	}
	return 0
}

// Row builds primary j. A set's atoms are increasing, and so are their
// value columns: every row is built sorted.
func (vs *valueSets) Row(j int) gauss.Vec {
	ref := vs.refs[j]
	var v gauss.Vec
	for _, id := range vs.sets[ref.set] {
		pat := vs.fa.pat[id]
		for b := range vs.f.items {
			if pat&(1<<b) == 0 || (ref.what >= 0 && int(ref.what) != b) {
				continue
			}
			w := int64(1)
			if ref.what == valueScore {
				w = vs.weight(id)
			}
			v.I, v.V = append(v.I, vs.fa.valCol(id, b)), append(v.V, w)
		}
	}
	return v
}

func (vs *valueSets) Dots(f gauss.Field, h []uint64) func(j int) uint64 {
	// Each atom's answers summed once, for totals and scores.
	sum := make([]uint64, len(vs.fa.size))
	for id := range vs.fa.size {
		for b := range vs.f.items {
			if vs.fa.pat[id]&(1<<b) != 0 {
				sum[id] = f.Add(sum[id], h[vs.fa.valCol(int32(id), b)])
			}
		}
	}
	return func(j int) uint64 {
		ref := vs.refs[j]
		var s uint64
		for _, id := range vs.sets[ref.set] {
			switch ref.what {
			case valueTotal:
				s = f.Add(s, sum[id])
			case valueScore:
				s = f.Add(s, f.Mul(f.Of(vs.weight(id)), sum[id]))
			default:
				s = f.Add(s, h[vs.fa.valCol(id, int(ref.what))])
			}
		}
		return s
	}
}

// projectSets turns sets of count atoms (split by outcomes too) into sets
// of value atoms, keeping those that are whole value atoms: no released
// value tells apart who in a value atom answered an outcome, so only those
// sets' answers can be determined.
func projectSets(fa, fx *familyAtoms, f family, sets [][]int32) [][]int32 {
	mask := uint32(1)<<len(f.items) - 1
	// Each count atom's value atom: the same demographic atom, and its
	// pattern without the outcomes.
	to := make([]int32, len(fx.size))
	for id := range fx.size {
		for _, v := range fa.byDelta[fx.delta[id]] {
			if fa.pat[v] == fx.pat[id]&mask {
				to[id] = v
				break
			}
		}
	}
	got := make([]int, len(fa.size))
	var touched []int32
	var out [][]int32
	for _, set := range sets {
		touched = touched[:0]
		for _, id := range set {
			if fx.size[id] > 0 {
				v := to[id]
				if got[v] == 0 {
					touched = append(touched, v)
				}
				got[v] += fx.size[id]
			}
		}
		whole := len(touched) > 0
		for _, v := range touched {
			whole = whole && got[v] == fa.size[v]
			got[v] = 0
		}
		if whole {
			ids := slices.Clone(touched)
			slices.Sort(ids)
			out = append(out, ids)
		}
	}
	return out
}

// shapeNull draws a random vector orthogonal to every row of one family
// system that has the shape of the rows the family publishes: over the
// family atoms (δ, π) (values: (δ, π, item)), the sum over the demographic
// atoms δ of a set S of some weight of (π, item), for every set S a cell
// names up to any period. Those rows span a space that contains every row
// the family may publish, and it splits by pattern: a vector is orthogonal
// to all of them when, for each pattern (and item), its entries over the
// demographic atoms where the pattern occurs are orthogonal to the sets
// restricted to those atoms. Each such piece is a small system of its own.
func shapeNull(f gauss.Field, sets [][]int32, ndelta int, fa *familyAtoms, values bool) []uint64 {
	n := len(fa.size)
	if values {
		n = fa.nvals
	}
	h := make([]uint64, n)
	byPat := map[uint32][]int32{}
	var pats []uint32
	for id := range fa.size {
		pat := fa.pat[id]
		if _, ok := byPat[pat]; !ok {
			pats = append(pats, pat)
		}
		byPat[pat] = append(byPat[pat], int32(id))
	}
	where := make([]bool, ndelta)
	for _, pat := range pats {
		ids := byPat[pat]
		if values && pat == 0 {
			continue // no answers: no value columns
		}
		for _, id := range ids {
			where[fa.delta[id]] = true
		}
		var rows []gauss.Vec
		for _, set := range sets {
			v := indicator(set, func(dl int32) bool { return where[dl] })
			if v.Len() > 0 {
				rows = append(rows, v)
			}
		}
		for _, id := range ids {
			where[fa.delta[id]] = false
		}
		sp := gauss.NewSpace(f, ndelta, rows)
		if !values {
			z := sp.NullVector()
			for _, id := range ids {
				h[id] = z[fa.delta[id]]
			}
			continue
		}
		for b := 0; b < 32; b++ {
			if pat&(1<<b) == 0 {
				continue
			}
			z := sp.NullVector()
			for _, id := range ids {
				h[fa.valCol(id, b)] = z[fa.delta[id]]
			}
		}
	}
	return h
}

// liftCounts turns a vector orthogonal to a family's counts into one
// orthogonal to its values: the same entry at every item an atom answered,
// summed over who answered which outcomes. A value row gives each answer of
// an atom the weight its count row gives the atom (an item's sum and its
// n; a score and the competency's n, since a respondent's answers weigh
// 1/m each; the pooled favourable count and the competency's answers), so
// the products agree.
func liftCounts(fl gauss.Field, fa, fx *familyAtoms, nitems int, hx []uint64) []uint64 {
	if hx == nil {
		return nil
	}
	of := make(map[uint64]int32, len(fa.size))
	for id := range fa.size {
		of[uint64(fa.delta[id])<<32|uint64(fa.pat[id])] = int32(id)
	}
	items := uint32(1)<<nitems - 1
	g := make([]uint64, len(fa.size))
	for id := range fx.size {
		if k, ok := of[uint64(fx.delta[id])<<32|uint64(fx.pat[id]&items)]; ok {
			g[k] = fl.Add(g[k], hx[id])
		}
	}
	h := make([]uint64, fa.nvals)
	for id := range fa.size {
		for b := 0; b < nitems; b++ {
			if fa.pat[id]&(1<<b) != 0 {
				h[fa.valCol(int32(id), b)] = g[id]
			}
		}
	}
	return h
}

// auditFamily audits one family's items and competency in every fresh cell
// and hides those that would disclose a group. It returns the number hidden.
//
// An item's answers enter two value systems: their sum (its mean) with the
// competency's score sums, and their per-value counts (its shares and
// distribution) with the competency's pooled favourable count. A group
// disclosed on any function of its answers is disclosed in one of the two
// (a function that is not a favourable count can be told apart from one,
// and the reverse), so auditing both is enough; a single system would
// wrongly subtract a favourable count from a score.
func auditFamily(in *auditInput, a *auditAtoms, fp *familyPrep) int {
	f, fa, fx, L, vp := fp.f, fp.fa, fp.fx, fp.L, fp.values
	s := newAuditSystems([]int{len(fx.size), fa.nvals, fa.nvals}, []primaries{rowPrims(fp.counts), vp, vp})
	s.first = fp.shared.field
	// The two value systems share their columns and the shape of their
	// rows, so one shape vector serves both.
	var valuesField gauss.Field
	var valuesNull []uint64
	values := func(fl gauss.Field, _ []gauss.Vec) []uint64 {
		if valuesNull == nil || valuesField != fl {
			valuesField, valuesNull = fl, shapeNull(fl, a.sets, len(a.size), fa, true)
		}
		return valuesNull
	}
	// In the counts, who answered none of the family's items sits only in
	// the rows of cell counts and outcome counts, whose shape there is
	// simple: those columns are completed apart (splitCounts).
	var countsField gauss.Field
	var countsNull []uint64
	fr := &familyRows{a: a, fa: fa, fx: fx, f: f, L: L}
	// counts is the counts' screen; the values' lift asks it too, without
	// the counts' rows at hand (nil: it gathers them).
	counts := func(fl gauss.Field, rows []gauss.Vec) []uint64 {
		if countsNull == nil || countsField != fl {
			if rows == nil {
				rows = s.rowsOf(0, func(int) bool { return true })
			}
			countsField = fl
			countsNull, _ = splitCounts(fl, fr, withoutSums(in.p, fr, rows), fp.shared)
		}
		return countsNull
	}
	lifted := func(fl gauss.Field, _ []gauss.Vec) []uint64 {
		return liftCounts(fl, fa, fx, len(f.items), counts(fl, nil))
	}
	spacesField, spacesOf := fp.shared.field, fp.spaces
	spaces := func(fl gauss.Field) []*gauss.Space {
		if spacesOf == nil || spacesField != fl {
			spacesField, spacesOf = fl, itemSpaces(fl, a.sets, len(a.size), fa, len(f.items), nil)
		}
		return spacesOf
	}
	// The item screens of the first attempt were drawn when the audit was
	// prepared.
	items := func(withScore bool, ready []uint64) screen {
		return func(fl gauss.Field, _ []gauss.Vec) []uint64 {
			if fl == fp.shared.field && ready != nil {
				return ready
			}
			return itemNull(fl, a.sets, len(a.size), fa, len(f.items), L, withScore, spaces(fl))
		}
	}
	s.screens = [][]screen{
		{counts, func(fl gauss.Field, _ []gauss.Vec) []uint64 { return shapeNull(fl, a.sets, len(a.size), fx, false) }},
		{items(true, fp.scoreNull), values, lifted},
		{items(false, fp.pooledNull), values, lifted},
	}
	// add registers rows: released already when hide is nil, a candidate
	// otherwise.
	add := func(hide func(), rows ...[]gauss.Vec) {
		if hide == nil {
			s.force(rows...)
		} else {
			s.offer(hide, rows...)
		}
	}
	hidden := 0
	hideAt := func(st []uint8, c int) func() {
		return func() { st[c] = secondary; hidden++ }
	}
	released := func([]uint8, int) func() { return nil }
	// A population's second-moment counts: the n of the competency's
	// reliability and of its driver correlations.
	moments := func(st *auditState, c, upTo int, how func([]uint8, int) func()) {
		if st.rel != nil && st.rel[f.comp][c] == shown {
			add(how(st.rel[f.comp], c), one(fr.complete(c, upTo)))
		}
		for o, slot := range f.slots {
			if st.drv != nil && st.drv[2*f.comp+slot][c] == shown {
				add(how(st.drv[2*f.comp+slot], c), one(fr.pairs(c, upTo, o)))
			}
		}
	}
	outcomeCounts := func(st *auditState, c, upTo int, how func([]uint8, int) func()) {
		for o, j := range f.outcomes {
			if st.item[j][c] == shown {
				add(how(st.item[j], c), one(fr.answered(c, upTo, len(f.items)+o)))
			}
		}
	}
	nc := len(in.l.comps)
	order := candidateOrder(in.p, func(c int) int { return int(in.resp[c]) })
	// A competency or an item of a cell is one candidate in all three
	// systems: counts, value sums (item sums and the competency's score)
	// and indicator counts (item shares and distributions, the pooled
	// favourable count).
	compOf := func(st *auditState, c, upTo int, hide func()) {
		counts, score, pooled := fr.comp(c, upTo, st.masks[c*nc+f.comp])
		add(hide, counts, one(score), one(pooled))
	}
	itemOf := func(c, upTo, b int, hide func()) {
		n, v := fr.item(c, upTo, b)
		if n.Len() > 0 {
			add(hide, one(n), one(v), one(v))
		}
	}
	// Rows released already enter first: the earlier snapshots', then this
	// release's counts (cleared on demographic atoms before).
	for _, pr := range in.past {
		for _, c := range pr.cells {
			if pr.state.count[c] == shown {
				s.force(one(fr.count(c, pr.period)))
			}
			if f.comp >= 0 && pr.state.comp[f.comp][c] == shown {
				compOf(pr.state, c, pr.period, nil)
			}
			for b, j := range f.items {
				if pr.state.item[j][c] == shown {
					itemOf(c, pr.period, b, nil)
				}
			}
			outcomeCounts(pr.state, c, pr.period, released)
			if f.comp >= 0 {
				moments(pr.state, c, pr.period, released)
			}
		}
	}
	// This release's counts come next: they were cleared on demographic
	// atoms, but a family can name a union of whole atoms (the members of a
	// group who answered an item, when they are whole atoms) that the
	// counts alone would determine: such a count is hidden here.
	fresh := func(c int) bool { return in.isFresh(c) && in.resp[c] > 0 }
	for _, c := range order {
		if fresh(c) && in.state.count[c] == shown {
			add(hideAt(in.state.count, c), one(fr.count(c, in.periods)))
		}
	}
	for _, c := range order {
		if fresh(c) {
			outcomeCounts(in.state, c, in.periods, hideAt)
		}
	}
	for _, c := range order {
		if !fresh(c) {
			continue
		}
		if f.comp >= 0 && in.state.comp[f.comp][c] == shown {
			compOf(in.state, c, in.periods, hideAt(in.state.comp[f.comp], c))
		}
		for b, j := range f.items {
			if in.state.item[j][c] == shown {
				itemOf(c, in.periods, b, hideAt(in.state.item[j], c))
			}
		}
	}
	if f.comp >= 0 {
		for _, c := range order {
			if fresh(c) {
				moments(in.state, c, in.periods, hideAt)
			}
		}
	}
	s.run()
	return hidden
}

// auditPopulations audits the second-moment statistics (reliability,
// drivers) of the populations that would show them now, after those shown
// before, and returns the populations that must not.
func auditPopulations(in *auditInput, a *auditAtoms, groups []auditGroup, pops []int, showing func(c int) bool) map[int]bool {
	s := newAuditSystems([]int{len(a.size)}, []primaries{rowPrims(groupPrims(groups, func(id int32) int { return a.size[id] }))})
	for _, pr := range in.past {
		for _, c := range pr.pops {
			s.force(one(indicator(a.in(c, pr.period), nil)))
		}
	}
	hide := map[int]bool{}
	for _, c := range pops {
		if in.isFresh(c) && showing(c) {
			s.offer(func() { hide[c] = true }, one(indicator(a.in(c, in.periods), nil)))
		}
	}
	s.run()
	return hide
}

// auditReport counts what the audit hid, for logs and docs.
type auditReport struct {
	Counts, Answers, Populations int
}

// audited is an audit's atoms and groups, kept for the populations.
type audited struct {
	atoms  *auditAtoms
	groups []auditGroup
}

// audit runs the release audit on the counts and answers of a release and
// updates in.state in place.
func audit(in *auditInput) (auditReport, audited) {
	return startAudit(in.p, in.l, in.periods, func() []auditEntry { return in.entries }).finish(in)
}

// auditRun is an audit under way. Much of an audit depends only on who
// responded, not on what the rules of primary and secondary suppression
// hide: the atoms, the named groups and, per family, what prepareFamily
// makes. A first release starts its audit before those rules run
// (compute), and each family's worker prepares its family while they do;
// the rest waits for their states (finish).
type auditRun struct {
	input chan *auditInput
	out   chan auditResult
	// stopped is closed when no input is coming (stop): the caller
	// returned, or panicked, before handing it over.
	stopped  chan struct{}
	stopOnce sync.Once
}

type auditResult struct {
	rep auditReport
	au  audited
}

// startAudit starts the audit of a release over periods periods whose
// respondents entries lists (it is called once, in the background).
func startAudit(p *plan, l *layout, periods int, entries func() []auditEntry) *auditRun {
	r := &auditRun{input: make(chan *auditInput, 1), out: make(chan auditResult, 1), stopped: make(chan struct{})}
	go func() {
		es := entries()
		a := newAuditAtoms(p, es)
		a.sets = namedSets(p, a, periods)
		groups := namedGroups(l, a, periods)
		families := auditFamilies(l)
		// The families' first attempts share one prime, and so the small
		// systems over demographic atoms their screens use.
		shared := &sharedSystems{field: gauss.RandomField()}
		// The input arrives once the rules have run; the cell counts are
		// audited first, once, by whichever family is ready first. decide
		// reports false when no input is coming.
		var in *auditInput
		var rep auditReport
		var once sync.Once
		decide := func() bool {
			once.Do(func() {
				select {
				case in = <-r.input:
				case <-r.stopped:
					select { // an input handed over before stop still counts
					case in = <-r.input:
					default:
					}
				}
				if in != nil {
					rep.Counts = auditCounts(in, a, groups)
				}
			})
			return in != nil
		}
		// Families are independent but for the counts, which a family
		// may hide: each works on its own copy of them and the hidden ones
		// are merged. Hiding a count only removes a row, so a family
		// audited while it was still shown stays safe.
		counts := make([][]uint8, len(families))
		hidden := make([]int, len(families))
		outcomes := make([]map[int][]uint8, len(families))
		eachInParallel(byWork(families), func(i int) {
			select {
			case <-r.stopped:
				if !decide() {
					return // abandoned: the rest is not prepared
				}
			default:
			}
			fp := prepareFamily(es, a, groups, families[i], shared)
			if !decide() {
				return
			}
			fin := *in
			st := *in.state
			st.count = slices.Clone(in.state.count)
			// A family may hide its outcomes' counts: they are copied
			// too, and merged like the cell counts.
			st.item = slices.Clone(in.state.item)
			for _, j := range families[i].outcomes {
				st.item[j] = slices.Clone(in.state.item[j])
			}
			fin.state = &st
			hidden[i] = auditFamily(&fin, a, fp)
			counts[i] = st.count
			outcomes[i] = map[int][]uint8{}
			for _, j := range families[i].outcomes {
				outcomes[i][j] = st.item[j]
			}
		})
		if !decide() {
			r.out <- auditResult{}
			return
		}
		for i, f := range families {
			rep.Answers += hidden[i]
			for c, st := range counts[i] {
				if st != shown && in.state.count[c] == shown {
					in.state.count[c] = st
					rep.Counts++
					rep.Answers--
				}
			}
			for _, j := range f.outcomes {
				for c, st := range outcomes[i][j] {
					if st != shown && in.state.item[j][c] == shown {
						in.state.item[j][c] = st
					}
				}
			}
		}
		r.out <- auditResult{rep: rep, au: audited{atoms: a, groups: groups}}
	}()
	return r
}

// finish hands the audit its input (the states the rules left, updated in
// place) and waits for it.
func (r *auditRun) finish(in *auditInput) (auditReport, audited) {
	r.input <- in
	res := <-r.out
	return res.rep, res.au
}

// stop tells the audit that no input is coming, if none was handed over:
// its goroutines then end instead of waiting for ever. After finish it
// changes nothing.
func (r *auditRun) stop() { r.stopOnce.Do(func() { close(r.stopped) }) }

// familyPrep is one family's part of an audit that does not depend on
// what is hidden: its atoms, the groups it protects and, for the first
// attempt's prime, the small systems its value screens draw from and the
// vectors they drew.
type familyPrep struct {
	f      family
	fa, fx *familyAtoms
	L      int64
	counts []gauss.Vec
	values *valueSets
	// shared holds the first attempt's prime and the systems shared
	// with the other families.
	shared *sharedSystems
	spaces []*gauss.Space
	// scoreNull and pooledNull are itemNull's vectors for the two value
	// systems (nil when it found none).
	scoreNull, pooledNull []uint64
}

// byWork orders families largest first, so that the last to finish is a
// small one.
func byWork(families []family) []int {
	order := make([]int, len(families))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return families[y].bits() - families[x].bits() })
	return order
}

// prepareFamily makes a family's atoms, the groups it protects (counts
// over fx, values over fa) and its first attempt's value screens.
func prepareFamily(entries []auditEntry, a *auditAtoms, groups []auditGroup, f family, shared *sharedSystems) *familyPrep {
	fa := newFamilyAtoms(entries, a, f.items, 0)
	fp := &familyPrep{f: f, fa: fa, fx: fa, L: lcmUpTo(len(f.items))}
	fp.values = &valueSets{fa: fa, f: f, L: fp.L}
	fp.counts, _ = familyPrims(a, fa, f, len(f.items), groups, fp.L, fp.values)
	if len(f.outcomes) > 0 {
		fp.fx = newFamilyAtoms(entries, a, append(slices.Clone(f.items), f.outcomes...), len(f.outcomes))
		var small [][]int32
		fp.counts, small = familyPrims(a, fp.fx, f, f.bits(), groups, fp.L, nil)
		// Sets named by who answered an outcome are protected on their
		// answers too, where they are whole value atoms.
		for _, ids := range projectSets(fa, fp.fx, f, small) {
			fp.values.add(ids)
		}
	}
	fp.shared = shared
	fl := shared.field
	fp.spaces = itemSpaces(fl, a.sets, len(a.size), fa, len(f.items), shared)
	fp.scoreNull = itemNull(fl, a.sets, len(a.size), fa, len(f.items), fp.L, true, fp.spaces)
	fp.pooledNull = itemNull(fl, a.sets, len(a.size), fa, len(f.items), fp.L, false, fp.spaces)
	return fp
}

// itemSpaces spans, per item of a family, the named sets restricted to the
// demographic atoms where someone answered it: the small systems itemNull
// draws from (both value systems draw from the same ones).
func itemSpaces(fl gauss.Field, sets [][]int32, ndelta int, fa *familyAtoms, nitems int, shared *sharedSystems) []*gauss.Space {
	out := make([]*gauss.Space, nitems)
	for b := range out {
		has := make([]bool, ndelta)
		for dl := range has {
			has[dl] = slices.ContainsFunc(fa.byDelta[dl], func(id int32) bool { return fa.pat[id]&(1<<b) != 0 })
		}
		build := func() *gauss.Space {
			ones := make([]int64, ndelta) // every row's values: rows are never written to
			for i := range ones {
				ones[i] = 1
			}
			var rows []gauss.Vec
			for _, set := range sets {
				var v gauss.Vec
				for _, dl := range set {
					if has[dl] {
						v.I = append(v.I, dl)
					}
				}
				if len(v.I) > 0 {
					v.V = ones[:len(v.I):len(v.I)]
					rows = append(rows, v)
				}
			}
			return gauss.NewSpace(fl, ndelta, rows)
		}
		if shared != nil && shared.field == fl {
			out[b] = shared.space(has, build)
		} else {
			out[b] = build()
		}
	}
	return out
}

// itemNull draws a random vector orthogonal to every value row of a family
// from small systems over demographic atoms, without eliminating the rows
// themselves. A value row sums, over the demographic atoms δ of a set, each
// item's answers (an item's sum, its distribution) or a weighting of all of
// them (a score: L/m per answer of an atom with m answers; the pooled
// favourable count: 1). So a vector h is orthogonal to them all when, for
// each item b, κ_b(δ) (h summed over δ's answers to b) and, with scores,
// σ(δ) (h weighted as a score) are orthogonal to every set, as functions of
// δ. The κ_b are drawn so, then spread at random over δ's answers to b;
// σ is then made so by moving weight at each δ between two answers to one
// item with different score weights (which leaves κ_b alone), the amounts
// found by one small system. The pooled count sums the κ_b. It returns nil
// when that system has no solution (the caller has other ways).
func itemNull(fl gauss.Field, sets [][]int32, ndelta int, fa *familyAtoms, nitems int, L int64, withScore bool, spaces []*gauss.Space) []uint64 {
	full := uint64(1)<<nitems - 1
	weight := func(id int32) uint64 {
		if valid, ok := scorable(fa.pat[id], full); ok {
			return fl.Of(L / int64(valid))
		}
		return 0
	}
	h := make([]uint64, fa.nvals)
	has := make([]bool, ndelta)
	for b := 0; b < nitems; b++ {
		for dl := range has {
			has[dl] = slices.ContainsFunc(fa.byDelta[dl], func(id int32) bool { return fa.pat[id]&(1<<b) != 0 })
		}
		z := spaces[b].NullVector()
		for dl := range has {
			if !has[dl] {
				continue
			}
			var last int32 = -1
			sum := uint64(0)
			for _, id := range fa.byDelta[dl] {
				if fa.pat[id]&(1<<b) == 0 {
					continue
				}
				if last >= 0 {
					x := fl.Random()
					h[fa.valCol(last, b)] = x
					sum = fl.Add(sum, x)
				}
				last = id
			}
			h[fa.valCol(last, b)] = fl.Sub(z[dl], sum)
		}
	}
	if !withScore {
		return h
	}
	// σ(δ) now, and where it can be moved: two answers to one item whose
	// score weights differ.
	sigma := make([]uint64, ndelta)
	type move struct {
		from, to int32 // value columns
		w        uint64
	}
	moves := make([]move, ndelta)
	free := make([]bool, ndelta)
	for dl := range sigma {
		for _, id := range fa.byDelta[dl] {
			w := weight(id)
			for b := 0; b < nitems; b++ {
				if fa.pat[id]&(1<<b) == 0 {
					continue
				}
				sigma[dl] = fl.Add(sigma[dl], fl.Mul(w, h[fa.valCol(id, b)]))
				if free[dl] {
					continue
				}
				for _, other := range fa.byDelta[dl] {
					if other != id && fa.pat[other]&(1<<b) != 0 && weight(other) != w {
						moves[dl] = move{from: fa.valCol(id, b), to: fa.valCol(other, b), w: fl.Sub(w, weight(other))}
						free[dl] = true
						break
					}
				}
			}
		}
	}
	// Find σ' orthogonal to every set, equal to σ where it cannot move.
	var rows []gauss.Vec
	var rhs []uint64
	for _, set := range sets {
		var v gauss.Vec
		var fixed uint64
		for _, dl := range set {
			if free[dl] {
				v.I, v.V = append(v.I, dl), append(v.V, 1)
			} else {
				fixed = fl.Add(fixed, sigma[dl])
			}
		}
		rows = append(rows, v)
		rhs = append(rhs, fl.Sub(0, fixed))
	}
	target, ok := gauss.Solve(fl, ndelta, rows, rhs)
	if !ok {
		return nil
	}
	for dl, m := range moves {
		if !free[dl] {
			continue
		}
		t := fl.Mul(fl.Sub(target[dl], sigma[dl]), fl.Inv(m.w))
		h[m.from] = fl.Add(h[m.from], t)
		h[m.to] = fl.Sub(h[m.to], t)
	}
	return h
}
