package report

// Suppression states of a cell for one metric.
const (
	shown     uint8 = 0
	primary   uint8 = 1 // too few answers (docs/anonymity.md, "Primary suppression")
	secondary uint8 = 2 // hidden to protect another cell (docs/anonymity.md, "Secondary suppression")
)

// suppress returns the suppression state of every cell of the plan for one
// metric whose valid-answer counts are n; mass counts the respondents a
// hidden cell actually hides (for a composite, everyone with a score on all
// of its items, even where some items do not pass). Thresholds are each table's (k or
// k_s), raised to floor when floor is larger (k_d for distributions).
//
// The margins are decided first and only from the population, and each cross
// table only from its own cells and its two margins, so a cell gets the same
// state in every query that shows it (a row of a cross table in one view is
// a column in another).
func suppress(p *plan, n, mass []int32, floor int) []uint8 {
	st := make([]uint8, p.cells())
	for _, t := range p.tables {
		th := max(t.th, floor)
		for c := t.base; c < t.base+t.size; c++ {
			switch {
			case int(n[c]) >= th:
			case int(mass[c]) >= th:
				st[c] = secondary // its items were hidden for another group
			default:
				st[c] = primary
			}
		}
	}
	parts := p.partitions()
	// Margins: children of the population.
	for changed := true; changed; {
		changed = false
		for _, pt := range parts {
			if pt.parent == 0 && len(p.defs[pt.children[0]].dims) == 1 {
				changed = protect(st, mass, pt, max(pt.th, floor)) || changed
			}
		}
	}
	// Cross tables: a cell of a hidden row or column is hidden, then
	// siblings and remainders along rows and columns until nothing changes.
	for _, ab := range p.pairList {
		t := p.tables[p.pairs[ab]]
		for c := t.base; c < t.base+t.size; c++ {
			for _, par := range p.parents(c) {
				if st[par] != shown && st[c] == shown {
					st[c] = secondary
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, pt := range parts {
			if len(p.defs[pt.children[0]].dims) == 2 {
				changed = protect(st, mass, pt, max(pt.th, floor)) || changed
			}
		}
	}
	return st
}

// protect applies the sibling and remainder rules to one partition and
// reports whether it hid another cell. A hidden parent hides all children.
// Otherwise, when any non-empty child is hidden, the next-smallest non-empty
// children are hidden until at least two non-empty children and at least th
// respondents are hidden; and every shown child C needs n(parent) − n(C) to
// be 0 or at least th. Empty children are hidden like small ones (a group of
// 0 looks like a group of 1..k−1) but protect nobody, so they do not count:
// an attacker may know that a combination is empty.
func protect(st []uint8, n []int32, pt partition, th int) bool {
	changed := false
	if st[pt.parent] != shown {
		for _, c := range pt.children {
			if st[c] == shown {
				st[c] = secondary
				changed = true
			}
		}
		return changed
	}
	for {
		for _, c := range pt.children {
			if rem := int(n[pt.parent]) - int(n[c]); st[c] == shown && rem > 0 && rem < th {
				st[c] = secondary
				changed = true
			}
		}
		hidden, sum := 0, 0
		for _, c := range pt.children {
			if st[c] != shown && n[c] > 0 {
				hidden++
				sum += int(n[c])
			}
		}
		if hidden == 0 || (hidden >= 2 && sum >= th) {
			return changed
		}
		next := -1
		for _, c := range pt.children {
			if st[c] == shown && n[c] > 0 && (next < 0 || n[c] < n[next]) {
				next = c
			}
		}
		if next < 0 {
			return changed
		}
		st[next] = secondary
		changed = true
	}
}
