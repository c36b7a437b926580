package report

import (
	"strconv"
	"strings"
)

// table is one table of the lattice: the whole population (no dimension), a
// one-dimension margin, or a two-dimension cross table. Its cells have
// consecutive global ids from base.
type table struct {
	dims []int
	base int
	size int
	// th is the primary threshold: k, or k_s when a dimension is sensitive.
	th int
	// direct tables are counted from the responses; the others are summed
	// from a finer table.
	direct bool
}

// cellDef defines a population cell by equality on up to two dimensions.
type cellDef struct {
	table int
	dims  []int
	opts  []int
}

// plan is the set of tables one computation covers: for a query, the
// population, the margins of its dimensions and their cross table; for a
// snapshot of an open wave, the whole lattice.
type plan struct {
	l      *layout
	tables []table
	margin []int // dimension → table index, or -1
	pairs  map[[2]int]int
	// pairList holds the keys of pairs in a fixed order.
	pairList [][2]int
	defs     []cellDef
}

// newPlan builds a plan over the given dimensions (all pairs of them that
// the lattice allows get a cross table when cross is true).
func newPlan(l *layout, dims []int, cross bool) *plan {
	p := &plan{l: l, margin: make([]int, len(l.dims)), pairs: map[[2]int]int{}}
	for i := range p.margin {
		p.margin[i] = -1
	}
	p.add([]int{})
	for _, d := range dims {
		if p.margin[d] < 0 {
			p.margin[d] = p.add([]int{d})
		}
	}
	if cross {
		for i, d := range dims {
			for _, e := range dims[i+1:] {
				a, b := min(d, e), max(d, e)
				if a == b || (l.dims[a].sensitive && l.dims[b].sensitive) {
					continue
				}
				if _, ok := p.pairs[[2]int{a, b}]; !ok {
					p.pairs[[2]int{a, b}] = p.add([]int{a, b})
					p.pairList = append(p.pairList, [2]int{a, b})
				}
			}
		}
	}
	// Count the finest tables directly and sum the others from them.
	covered := make([]bool, len(l.dims))
	for _, ab := range p.pairList {
		ti := p.pairs[ab]
		p.tables[ti].direct = true
		for _, d := range p.tables[ti].dims {
			covered[d] = true
		}
	}
	anyMargin := false
	for d, ti := range p.margin {
		if ti >= 0 {
			anyMargin = true
			p.tables[ti].direct = !covered[d]
		}
	}
	p.tables[0].direct = !anyMargin
	return p
}

// add appends the table over dims and returns its index.
func (p *plan) add(dims []int) int {
	size, th := 1, p.l.th.K
	for _, d := range dims {
		size *= p.l.dims[d].groups
		if p.l.dims[d].sensitive {
			th = p.l.th.KS
		}
	}
	t := table{dims: dims, base: len(p.defs), size: size, th: th}
	ti := len(p.tables)
	p.tables = append(p.tables, t)
	for c := 0; c < size; c++ {
		def := cellDef{table: ti, dims: dims, opts: make([]int, len(dims))}
		rest := c
		for i := len(dims) - 1; i >= 0; i-- {
			g := p.l.dims[dims[i]].groups
			def.opts[i] = rest % g
			rest /= g
		}
		p.defs = append(p.defs, def)
	}
	return ti
}

// cells is the number of global cells.
func (p *plan) cells() int { return len(p.defs) }

// cellOf returns the global cell of table t that a respondent with demo
// belongs to.
func (p *plan) cellOf(t *table, demo []byte) int {
	c := 0
	for _, d := range t.dims {
		c = c*p.l.dims[d].groups + p.l.groupOf(demo, d)
	}
	return t.base + c
}

// cellAt returns the global cell of table t with the given options (in the
// order of t.dims).
func (p *plan) cellAt(ti int, opts ...int) int {
	t := &p.tables[ti]
	c := 0
	for i, d := range t.dims {
		c = c*p.l.dims[d].groups + opts[i]
	}
	return t.base + c
}

// key is the canonical name of a cell, the same whichever query shows it:
// "*" for the whole wave, "dept=0" or "dept=0&gender=2" (option indices, the
// last index of a dimension meaning "not answered").
func (p *plan) key(c int) string {
	def := p.defs[c]
	if len(def.dims) == 0 {
		return "*"
	}
	parts := make([]string, len(def.dims))
	for i, d := range def.dims {
		parts[i] = p.l.dims[d].key + "=" + strconv.Itoa(def.opts[i])
	}
	return strings.Join(parts, "&")
}

// parents returns the cells a cell is a part of, each with the cells of the
// partition it belongs to: the population for a margin cell; the row and the
// column margins for a cross-table cell.
func (p *plan) parents(c int) []int {
	def := p.defs[c]
	switch len(def.dims) {
	case 1:
		return []int{0}
	case 2:
		return []int{
			p.cellAt(p.margin[def.dims[0]], def.opts[0]),
			p.cellAt(p.margin[def.dims[1]], def.opts[1]),
		}
	}
	return nil
}

// partitions lists every (parent, children) partition of the plan: each
// margin splits the population; each cross table splits its row margins
// (by the second dimension) and its column margins (by the first).
func (p *plan) partitions() []partition {
	var out []partition
	for d, ti := range p.margin {
		if ti < 0 {
			continue
		}
		t := p.tables[ti]
		ch := make([]int, t.size)
		for i := range ch {
			ch[i] = t.base + i
		}
		out = append(out, partition{parent: 0, children: ch, th: t.th, dim: d})
	}
	for _, ab := range p.pairList {
		ti := p.pairs[ab]
		a, b := ab[0], ab[1]
		ga, gb := p.l.dims[a].groups, p.l.dims[b].groups
		t := p.tables[ti]
		for i := 0; i < ga; i++ {
			ch := make([]int, gb)
			for j := range ch {
				ch[j] = p.cellAt(ti, i, j)
			}
			out = append(out, partition{parent: p.cellAt(p.margin[a], i), children: ch, th: t.th, dim: b})
		}
		for j := 0; j < gb; j++ {
			ch := make([]int, ga)
			for i := range ch {
				ch[i] = p.cellAt(ti, i, j)
			}
			out = append(out, partition{parent: p.cellAt(p.margin[b], j), children: ch, th: t.th, dim: a})
		}
	}
	return out
}

// partition is a parent cell split into disjoint, exhaustive children along
// dimension dim.
type partition struct {
	parent   int
	children []int
	th       int
	dim      int
}
