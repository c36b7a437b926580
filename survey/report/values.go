package report

import (
	"github.com/allypulse/allypulse/survey/framework"
	"github.com/allypulse/allypulse/survey/stats"
)

// cellValues is everything released about one population cell: its count,
// participation, every item, every competency, the index, the gaps against
// its parents and, for cells that can be a view's population, reliability
// and drivers. Snapshots store it as JSON.
type cellValues struct {
	Key string `json:"key"`
	// Respondents is the cell's raw respondent count at computation, kept
	// for the snapshot rule; it is never sent to a client.
	Respondents int `json:"respondents"`
	// RawItems and RawComps are the raw numbers of valid answers per item
	// and of scored respondents per competency, kept like Respondents for
	// the snapshot rule (a metric is republished only when it grew by at
	// least its threshold); never sent to a client.
	RawItems []int `json:"raw_items,omitempty"`
	RawComps []int `json:"raw_comps,omitempty"`
	// RawRel and RawDrv are, in a population cell, the n of each
	// competency's reliability and of its driver correlations (competency×2
	// + 0 for eNPS, 1 for intent to stay), kept for the same rule.
	RawRel        []int  `json:"raw_rel,omitempty"`
	RawDrv        []int  `json:"raw_drv,omitempty"`
	Count         Cell   `json:"count"`
	Participation Cell   `json:"participation"`
	Items         []Cell `json:"items"`
	Comps         []Cell `json:"comps"`
	Index         Cell   `json:"index"`
	// Gaps holds, per parent cell key, the gap of each competency against
	// the rest of that parent.
	Gaps map[string][]Cell `json:"gaps,omitempty"`
	Pop  *popValues        `json:"pop,omitempty"`
	AsOf *AsOf             `json:"as_of,omitempty"`
}

// popValues are the statistics of a whole view population.
type popValues struct {
	Reliability []ReliabilityRow `json:"reliability"`
	Drivers     Drivers          `json:"drivers"`
}

// computed is the released content of every cell of a plan.
type computed struct {
	plan  *plan
	cells []cellValues
	// audit counts what the release audit hid beyond the cell-by-cell rules.
	audit auditReport
}

// invitedFunc returns the number of people invited into a cell, when known.
type invitedFunc func(p *plan, c int) (int, bool)

// compute aggregates the wave over plan p and applies primary and secondary
// suppression; popCells are the cells that get reliability and drivers.
// With withAudit, the release audit runs too, over census (the wave's
// census, censusOf; nil: compute takes it).
func compute(p *plan, l *layout, d *waveData, invited invitedFunc, popCells []int, withAudit bool, census func() map[string]int) *computed {
	// The audit starts with what depends only on who responded, while
	// the rules decide what to hide (auditRun).
	var run *auditRun
	if withAudit {
		if census == nil {
			census = func() map[string]int { return censusOf(l, d) }
		}
		run = startAudit(p, l, 1, func() []auditEntry {
			return entriesOf(l, []map[string]int{census()})
		})
		defer run.stop()
	}
	k := tally(p, d)
	nCells := p.cells()
	itemSt := make([][]uint8, len(l.items))
	distSt := make([][]uint8, len(l.items))
	n := make([]int32, nCells)
	for j := range l.items {
		for c := range n {
			n[c] = 0
			if l.items[j].asked {
				n[c] = int32(k.valid(c, j))
			}
		}
		itemSt[j] = suppress(p, n, n, 0)
		distSt[j] = suppress(p, n, n, l.th.KD)
	}
	masks := compMasks(p, l, itemSt)
	sc := scoreRespondents(p, l, d, masks, k.resp)
	nc := len(l.comps)
	compSt := make([][]uint8, nc)
	mass := make([]int32, nCells)
	for ci := range l.comps {
		for c := range n {
			n[c], mass[c] = sc.n[c*nc+ci], sc.all[c*nc+ci]
		}
		compSt[ci] = suppress(p, n, mass, 0)
	}
	countSt := suppress(p, k.resp, k.resp, 0)
	members := memberLists(p, d, popCells)
	sums := make(map[int]popSums, len(popCells))
	for _, c := range popCells {
		sums[c] = populationSums(l, d, members[c])
	}
	relSt, drvSt := momentStates(l, nCells, countSt, members, sums)
	// The release audit: no combination of everything this lattice
	// releases may determine a small group (docs/anonymity.md).
	in := &auditInput{p: p, l: l, periods: 1,
		state: &auditState{count: countSt, item: itemSt, comp: compSt, masks: masks, rel: relSt, drv: drvSt}, resp: k.resp}
	var rep auditReport
	var au audited
	if withAudit {
		rep, au = run.finish(in)
	}

	out := &computed{plan: p, cells: make([]cellValues, nCells), audit: rep}
	for c := 0; c < nCells; c++ {
		cv := cellValues{Key: p.key(c), Respondents: int(k.resp[c]), RawItems: make([]int, len(l.items)), RawComps: make([]int, nc)}
		for j := range l.items {
			if l.items[j].asked {
				cv.RawItems[j] = k.valid(c, j)
			}
		}
		for ci := range l.comps {
			cv.RawComps[ci] = int(sc.n[c*nc+ci])
		}
		cv.Count = hiddenCell(countSt[c])
		if countSt[c] == shown {
			cv.Count = Cell{N: int(k.resp[c])}
		}
		cv.Participation = participationCell(cv.Count, p, c, invited)
		cv.Items = make([]Cell, len(l.items))
		for j := range l.items {
			cv.Items[j] = itemCell(l, k, c, j, itemSt[j][c], distSt[j][c])
		}
		cv.Comps = make([]Cell, nc)
		for ci := range l.comps {
			cv.Comps[ci] = compCell(l, k, sc, c, ci, masks[c*nc+ci], compSt[ci][c])
		}
		cv.Index = indexCell(cv.Comps)
		out.cells[c] = cv
	}
	for c := 0; c < nCells; c++ {
		for _, par := range p.parents(c) {
			if out.cells[c].Gaps == nil {
				out.cells[c].Gaps = map[string][]Cell{}
			}
			out.cells[c].Gaps[p.key(par)] = gapCells(l, k, masks, itemSt, compSt, c, par)
		}
	}
	hide := map[int]bool{}
	if withAudit {
		hide = auditPopulations(in, au.atoms, au.groups, popCells, func(c int) bool {
			return !out.cells[c].Count.Suppressed && len(members[c]) >= minReliabilityN
		})
	}
	out.audit.Populations = len(hide)
	for _, c := range popCells {
		if hide[c] {
			out.cells[c].Pop = &popValues{Drivers: Drivers{Reason: ReasonSecondary}}
			continue
		}
		out.cells[c].Pop = populationStats(l, sums[c], len(members[c]), out.cells[c], popHidden{st: in.state, c: c})
		out.cells[c].RawRel, out.cells[c].RawDrv = sums[c].raw()
	}
	return out
}

// momentStates marks the reliabilities and driver correlations that the
// populations would show before the audit: a reliability where at least
// minReliabilityN answered every item of a competency of two items or
// more, a correlation where the population and its pairs reach
// minDriversN (one without variance is treated as shown).
func momentStates(l *layout, nCells int, countSt []uint8, members map[int][]int, sums map[int]popSums) (rel, drv [][]uint8) {
	rel = make([][]uint8, len(l.comps))
	drv = make([][]uint8, 2*len(l.comps))
	for i := range rel {
		rel[i] = make([]uint8, nCells)
	}
	for i := range drv {
		drv[i] = make([]uint8, nCells)
	}
	for ci, comp := range l.comps {
		for c := range nCells {
			rel[ci][c], drv[2*ci][c], drv[2*ci+1][c] = secondary, secondary, secondary
			s, ok := sums[c]
			if !ok || countSt[c] != shown {
				continue
			}
			if len(comp.items) >= 2 && s.rel[ci].n >= minReliabilityN {
				rel[ci][c] = shown
			}
			if len(members[c]) < minDriversN {
				continue
			}
			if s.enps[ci].n >= minDriversN {
				drv[2*ci][c] = shown
			}
			if s.stay[ci].n >= minDriversN {
				drv[2*ci+1][c] = shown
			}
		}
	}
	return rel, drv
}

// hiddenCell is a suppressed cell: only the flag and the reason.
func hiddenCell(state uint8) Cell {
	switch state {
	case primary:
		return Cell{Suppressed: true, Reason: ReasonTooFew}
	case secondary:
		return Cell{Suppressed: true, Reason: ReasonSecondary}
	}
	return Cell{}
}

// participationCell is responses over invited under the count's state.
// More responses than invitations means people outside the cell's invite
// batches (on the open link) chose the cell's group: the rate is then not
// known, rather than above 100%.
func participationCell(count Cell, p *plan, c int, invited invitedFunc) Cell {
	if count.Suppressed {
		return count
	}
	inv, ok := invited(p, c)
	if !ok || inv <= 0 || count.N > inv {
		return Cell{}
	}
	return Cell{N: count.N, Value: ptr(float64(count.N) / float64(inv))}
}

// itemCell builds the statistics of item j in cell c.
func itemCell(l *layout, k *counts, c, j int, state, distState uint8) Cell {
	it := &l.items[j]
	if !it.asked {
		return Cell{Suppressed: true, Reason: ReasonTooFew}
	}
	if state != shown {
		return hiddenCell(state)
	}
	t := itemStats(l, k, c, j)
	cell := Cell{N: t.n}
	if it.ordinal {
		cell.Mean = ptr(t.sum / float64(t.n))
		wilsonCell(&cell, t.fav, t.n)
		cell.Neutral = ptr(float64(t.neu) / float64(t.n))
		cell.Unfavourable = ptr(float64(t.unf) / float64(t.n))
		if it.scale.Key == framework.ScaleNPS {
			cell.Value = ptr(stats.ENPS(t.fav, t.unf, t.n))
		}
	}
	if distState == shown {
		lo, hi := 0, it.points
		if it.ordinal {
			lo, hi = it.scale.Min, it.scale.Max+1
		}
		at := k.at(c, j)
		cell.Distribution = make([]int, 0, hi-lo)
		for v := lo; v < hi && v < maxValues; v++ {
			cell.Distribution = append(cell.Distribution, int(at[v]))
		}
	}
	return cell
}

// compCell builds a competency's score and pooled favourable share in cell
// c over the items in mask.
func compCell(l *layout, k *counts, sc scores, c, ci int, mask uint64, state uint8) Cell {
	if state != shown {
		return hiddenCell(state)
	}
	comp := l.comps[ci]
	nc := len(l.comps)
	fav, neu, unf, answers := 0, 0, 0, 0
	var used []string
	for b, j := range comp.items {
		if mask&(1<<b) == 0 {
			continue
		}
		t := itemStats(l, k, c, j)
		fav, neu, unf = fav+t.fav, neu+t.neu, unf+t.unf
		answers += t.n
		used = append(used, l.items[j].key)
	}
	nr := int(sc.n[c*nc+ci])
	cell := Cell{N: nr, Answers: answers, Score: ptr(stats.Score0to100(sc.sum[c*nc+ci] / float64(nr)))}
	wilsonCell(&cell, fav, answers)
	// The pooled neutral and unfavourable shares (for the stacked bars) are
	// counts of the same answers as the pooled favourable share: the audit
	// treats every per-value count of those answers as released already.
	if answers > 0 {
		cell.Neutral = ptr(float64(neu) / float64(answers))
		cell.Unfavourable = ptr(float64(unf) / float64(answers))
	}
	if len(used) < len(comp.items) {
		cell.ItemsUsed = used
	}
	return cell
}

// indexCell is the mean of the competency scores, shown only when every
// competency is shown in the cell; its n is the smallest competency n.
func indexCell(comps []Cell) Cell {
	if len(comps) == 0 {
		return Cell{Suppressed: true, Reason: ReasonNotReported}
	}
	sum, n := 0.0, 0
	for i, c := range comps {
		if c.Suppressed {
			return Cell{Suppressed: true, Reason: c.Reason}
		}
		sum += *c.Score
		if i == 0 || c.N < n {
			n = c.N
		}
	}
	return Cell{N: n, Score: ptr(sum / float64(len(comps)))}
}

// gapCells are the inclusion gaps of cell c against the rest of parent par
// on each competency's favourable share, over the items that pass in c.
func gapCells(l *layout, k *counts, masks []uint64, itemSt, compSt [][]uint8, c, par int) []Cell {
	nc := len(l.comps)
	out := make([]Cell, nc)
	for ci, comp := range l.comps {
		if compSt[ci][c] != shown || compSt[ci][par] != shown {
			st := compSt[ci][c]
			if st == shown {
				st = secondary
			}
			out[ci] = hiddenCell(st)
			continue
		}
		mask := masks[c*nc+ci]
		if !derivable(itemSt, comp.items, mask, masks[par*nc+ci], par) {
			// The parent's favourable count over this cell's items is not
			// released: the gap would release it.
			out[ci] = hiddenCell(secondary)
			continue
		}
		x1, n1, xp, np := 0, 0, 0, 0
		for b, j := range comp.items {
			if mask&(1<<b) == 0 {
				continue
			}
			g, all := itemStats(l, k, c, j), itemStats(l, k, par, j)
			x1, n1, xp, np = x1+g.fav, n1+g.n, xp+all.fav, np+all.n
		}
		out[ci] = gapCell(x1, n1, xp-x1, np-n1, l.th.PracticalGapPoints)
	}
	return out
}

// gapCell is the difference of two proportions in points with its Newcombe
// interval and the flag rule; N is the first group's answers.
func gapCell(x1, n1, x2, n2 int, practicalPoints float64) Cell {
	if n1 <= 0 || n2 <= 0 {
		return Cell{Suppressed: true, Reason: ReasonNotReported}
	}
	d, iv := stats.Newcombe(x1, n1, x2, n2)
	return Cell{N: n1, Value: ptr(100 * d), Low: ptr(100 * iv.Low), High: ptr(100 * iv.High),
		Flagged: stats.Flagged(iv, d, practicalPoints/100)}
}

// derivable reports whether the parent's favourable count over the items of
// mask is released: the parent pools the same items, or shows each of them.
func derivable(itemSt [][]uint8, items []int, mask, parMask uint64, par int) bool {
	if mask == parMask {
		return true
	}
	for b, j := range items {
		if b < 64 && mask&(1<<b) != 0 && itemSt[j][par] != shown {
			return false
		}
	}
	return true
}
