package report

import (
	"math"
	"runtime"
	"sync"

	"github.com/allypulse/allypulse/survey/stats"
)

// counts are the additive tallies of one plan: per cell, respondents and,
// per item, the answers of each scale value.
type counts struct {
	resp []int32
	// val[(c*items+j)*maxValues+v] counts answers with value v to item j.
	val   []int32
	items int
}

func (k *counts) at(c, j int) []int32 {
	o := (c*k.items + j) * maxValues
	return k.val[o : o+maxValues]
}

// tally counts every response into the plan's direct tables in one pass
// (split across CPUs for large waves) and sums the other tables from them.
func tally(p *plan, d *waveData) *counts {
	newCounts := func() *counts {
		return &counts{resp: make([]int32, p.cells()), val: make([]int32, p.cells()*d.items*maxValues), items: d.items}
	}
	var direct []*table
	for i := range p.tables {
		if p.tables[i].direct {
			direct = append(direct, &p.tables[i])
		}
	}
	partial := inRanges(d.n, func(lo, hi int) *counts {
		k := newCounts()
		for r := lo; r < hi; r++ {
			demo, ans := d.row(r)
			for _, t := range direct {
				c := p.cellOf(t, demo)
				k.resp[c]++
				base := k.val[c*d.items*maxValues : (c+1)*d.items*maxValues]
				for j, b := range ans {
					if b != 0 && int(b) <= maxValues {
						base[j*maxValues+int(b)-1]++
					}
				}
			}
		}
		return k
	})
	k := partial[0]
	for _, o := range partial[1:] {
		for i, x := range o.resp {
			k.resp[i] += x
		}
		for i, x := range o.val {
			k.val[i] += x
		}
	}
	// Margins from a cross table, then the population from a margin.
	for d, ti := range p.margin {
		if ti < 0 || p.tables[ti].direct {
			continue
		}
		for _, ab := range p.pairList {
			if ab[0] != d && ab[1] != d {
				continue
			}
			src := p.tables[p.pairs[ab]]
			for c := src.base; c < src.base+src.size; c++ {
				def := p.defs[c]
				o := def.opts[0]
				if ab[1] == d {
					o = def.opts[1]
				}
				k.add(p.cellAt(ti, o), c)
			}
			break
		}
	}
	if !p.tables[0].direct {
		for _, ti := range p.margin {
			if ti < 0 {
				continue
			}
			t := p.tables[ti]
			for c := t.base; c < t.base+t.size; c++ {
				k.add(0, c)
			}
			break
		}
	}
	return k
}

// minParallelRows is the wave size from which passes are split across CPUs.
const minParallelRows = 20000

// inRanges runs f over the ranges splitRows makes of n rows, in parallel,
// and returns the partial results in range order.
func inRanges[T any](n int, f func(lo, hi int) T) []T {
	parts := splitRows(n)
	out := make([]T, len(parts))
	var wg sync.WaitGroup
	for w, rng := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[w] = f(rng[0], rng[1])
		}()
	}
	wg.Wait()
	return out
}

// eachInParallel calls do(i) for every i of order, taken in that order by
// up to one goroutine per CPU, and returns when all are done.
func eachInParallel(order []int, do func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(order)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				do(i)
			}
		}()
	}
	for _, i := range order {
		next <- i
	}
	close(next)
	wg.Wait()
}

// parallelParts is the fixed number of ranges a large wave is split into:
// fixed, not the CPU count, so that floating-point sums are added in the
// same order on every replica.
const parallelParts = 4

// splitRows splits n rows into parallelParts ranges (one range when small).
func splitRows(n int) [][2]int {
	if n < minParallelRows {
		return [][2]int{{0, n}}
	}
	workers := parallelParts
	out := make([][2]int, workers)
	for w := range out {
		out[w] = [2]int{n * w / workers, n * (w + 1) / workers}
	}
	return out
}

// add sums cell src into cell dst.
func (k *counts) add(dst, src int) {
	k.resp[dst] += k.resp[src]
	n := k.items * maxValues
	a, b := k.val[dst*n:(dst+1)*n], k.val[src*n:(src+1)*n]
	for i := range a {
		a[i] += b[i]
	}
}

// valid returns the number of valid answers of item j in cell c.
func (k *counts) valid(c, j int) int {
	s := 0
	for _, x := range k.at(c, j) {
		s += int(x)
	}
	return int(s)
}

// scores are the competency tallies per cell: respondents with a score (over
// the items that pass in the cell) and the sum of their scores.
type scores struct {
	n   []int32
	sum []float64
	// all counts respondents with a score over all of the competency's
	// items, whatever passes in the cell.
	all []int32
}

// compMasks returns, per cell and competency, the bit set of the
// competency's items that pass in the cell.
func compMasks(p *plan, l *layout, itemSt [][]uint8) []uint64 {
	m := make([]uint64, p.cells()*len(l.comps))
	for c := 0; c < p.cells(); c++ {
		for ci, comp := range l.comps {
			var mask uint64
			for b, j := range comp.items {
				if b < 64 && itemSt[j][c] == shown {
					mask |= 1 << b
				}
			}
			m[c*len(l.comps)+ci] = mask
		}
	}
	return m
}

// scoreRespondents is the second pass: each respondent's competency score,
// computed over the items that pass in each cell they belong to (split
// across CPUs for large waves).
func scoreRespondents(p *plan, l *layout, d *waveData, masks []uint64, resp []int32) scores {
	nc := len(l.comps)
	newScores := func() scores {
		return scores{n: make([]int32, p.cells()*nc), sum: make([]float64, p.cells()*nc), all: make([]int32, p.cells()*nc)}
	}
	comps := scoringComps(p, l, masks, resp)
	partial := inRanges(d.n, func(lo, hi int) scores {
		s := newScores()
		cells := make([]int, len(p.tables))
		vals := make([]float64, 64)
		okv := make([]bool, 64)
		for r := lo; r < hi; r++ {
			demo, ans := d.row(r)
			for i := range p.tables {
				cells[i] = p.cellOf(&p.tables[i], demo)
			}
			for ci := range l.comps {
				cc := &comps[ci]
				valid, sum := 0, 0
				for b, j := range cc.items {
					v := cc.recode[b][ans[j]]
					if !cc.allFull {
						vals[b], okv[b] = float64(v)-1, v != 0
					}
					if v != 0 {
						valid++
						sum += int(v) - 1
					}
				}
				fullOK := valid > 0 && 2*valid >= len(cc.items)
				fullScore := 0.0
				if fullOK {
					fullScore = float64(sum) / float64(valid)
				}
				if cc.allFull {
					if fullOK {
						for _, c := range cells {
							i := c*nc + ci
							s.all[i]++
							s.n[i]++
							s.sum[i] += fullScore
						}
					}
					continue
				}
				lastMask, lastScore, lastOK := cc.full, fullScore, fullOK
				for _, c := range cells {
					if fullOK {
						s.all[c*nc+ci]++
					}
					if mask := masks[c*nc+ci]; mask != lastMask {
						lastMask = mask
						lastScore, lastOK = maskedScore(vals, okv, len(cc.items), mask)
					}
					if lastOK {
						s.n[c*nc+ci]++
						s.sum[c*nc+ci] += lastScore
					}
				}
			}
		}
		return s
	})
	s := partial[0]
	for _, o := range partial[1:] {
		for i := range o.n {
			s.n[i] += o.n[i]
			s.sum[i] += o.sum[i]
			s.all[i] += o.all[i]
		}
	}
	return s
}

// scoringComp is a competency prepared for the scoring pass: its items (at
// most 64), their recoding tables, the mask of all of them and whether every
// non-empty cell of the plan uses all of them (the common case, scored once
// per respondent).
type scoringComp struct {
	items   []int
	recode  []*[256]uint8
	full    uint64
	allFull bool
}

func scoringComps(p *plan, l *layout, masks []uint64, resp []int32) []scoringComp {
	nc := len(l.comps)
	out := make([]scoringComp, nc)
	for ci, comp := range l.comps {
		k := min(len(comp.items), 64)
		sc := scoringComp{items: comp.items[:k], full: uint64(1)<<k - 1, allFull: true}
		if k == 64 {
			sc.full = ^uint64(0)
		}
		for _, j := range sc.items {
			sc.recode = append(sc.recode, &l.items[j].recoded)
		}
		for c := 0; c < p.cells(); c++ {
			if resp[c] > 0 && masks[c*nc+ci] != sc.full {
				sc.allFull = false
			}
		}
		out[ci] = sc
	}
	return out
}

// maskedScore is stats.RespondentScore over the items in mask: the mean of
// the valid answers, when at least half of the masked items were answered.
func maskedScore(vals []float64, ok []bool, k int, mask uint64) (float64, bool) {
	items, valid, sum := 0, 0, 0.0
	for b := 0; b < k && b < 64; b++ {
		if mask&(1<<b) == 0 {
			continue
		}
		items++
		if ok[b] {
			valid++
			sum += vals[b]
		}
	}
	return stats.RespondentScore(sum, valid, items)
}

// itemTally is the per-item statistics of one cell.
type itemTally struct {
	n, fav, neu, unf int
	sum              float64
}

// itemStats sums the recoded answers of item j in cell c.
func itemStats(l *layout, k *counts, c, j int) itemTally {
	var t itemTally
	it := &l.items[j]
	for v, x := range k.at(c, j) {
		if x == 0 {
			continue
		}
		n := int(x)
		t.n += n
		if !it.ordinal {
			continue
		}
		rv := v
		if it.item.Reverse {
			rv = it.scale.Min + it.scale.Max - v
		}
		t.sum += float64(rv * n)
		switch {
		case rv >= it.favMin:
			t.fav += n
		case rv >= it.neuMin:
			t.neu += n
		default:
			t.unf += n
		}
	}
	return t
}

// ptr returns a pointer to v (nil for NaN and infinities).
func ptr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// wilsonCell sets the favourable share and its Wilson interval.
func wilsonCell(c *Cell, fav, n int) {
	iv := stats.Wilson(fav, n)
	c.Favourable = ptr(float64(fav) / float64(n))
	c.Low, c.High = ptr(iv.Low), ptr(iv.High)
}
