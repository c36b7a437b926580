package report

import "github.com/allypulse/allypulse/survey/report/internal/gauss"

// withoutSums leaves out of a family's count rows some that the others
// add up to, so that an elimination over them does less work for the same
// span (docs/anonymity.md, "How the pattern is chosen"). A count row is a
// cell's sum, over its respondents up to a period, of a weight of their
// pattern (its kind, the row's Label), so:
//
//   - a competency's answers in a cell are its items' n there, added up;
//   - a cell's row of one kind is the sum of the rows of that kind of the
//     cells of any of its partitions (a margin of a cross table's);
//   - so, when a cell has two partitions, one child's row is the sum of
//     the other partition's children's rows less its own partition's
//     others.
//
// A row is left out only when every row its expression needs is still in
// the list (a child with no respondents up to the period needs none), so
// by induction every row left out lies in the span of the rows kept. The
// vector drawn from the rows kept is checked against every row anyway
// (screenOut).
func withoutSums(p *plan, fr *familyRows, rows []gauss.Vec) []gauss.Vec {
	type key struct {
		c, upTo int
		kind    int64
	}
	at := map[key]int{}
	keyOf := func(r gauss.Vec) (key, bool) {
		if r.Group == 0 || r.Label == 0 {
			return key{}, false
		}
		g := r.Group - 1
		return key{int(g >> 20), int(g & (1<<20 - 1)), r.Label}, true
	}
	drop := make([]bool, len(rows))
	for i, r := range rows {
		if k, ok := keyOf(r); ok {
			if _, dup := at[k]; dup {
				drop[i] = true // the same row again
				continue
			}
			at[k] = i
		}
	}
	present := func(k key) bool {
		if i, ok := at[k]; ok {
			return !drop[i]
		}
		return len(fr.atomsIn(fr.fx, k.c, k.upTo)) == 0
	}
	leave := func(k key) {
		if i, ok := at[k]; ok {
			drop[i] = true
		}
	}
	// A competency's answers.
	for k, i := range at {
		parts, ok := fr.sums[k.kind]
		if !ok || drop[i] {
			continue
		}
		all := true
		for _, part := range parts {
			all = all && present(key{k.c, k.upTo, part})
		}
		if all {
			drop[i] = true
		}
	}
	// Partitions, parent by parent: the parent's row, then one child of
	// every partition but the first whole one.
	byParent := map[int][]partition{}
	var parents []int
	for _, pt := range p.partitions() {
		if _, ok := byParent[pt.parent]; !ok {
			parents = append(parents, pt.parent)
		}
		byParent[pt.parent] = append(byParent[pt.parent], pt)
	}
	// A layer is the rows of one kind up to one period.
	type layer struct {
		upTo int
		kind int64
	}
	var layers []layer
	seen := map[layer]bool{}
	for k := range at {
		if l := (layer{k.upTo, k.kind}); !seen[l] {
			seen[l] = true
			layers = append(layers, l)
		}
	}
	for _, sl := range layers {
		for _, parent := range parents {
			whole := 0
			for _, pt := range byParent[parent] {
				complete := true
				last := -1
				for _, c := range pt.children {
					k := key{c, sl.upTo, sl.kind}
					if !present(k) {
						complete = false
						break
					}
					if i, ok := at[k]; ok && !drop[i] {
						last = c
					}
				}
				if !complete {
					continue
				}
				if whole == 0 {
					leave(key{parent, sl.upTo, sl.kind})
				} else if last >= 0 {
					leave(key{last, sl.upTo, sl.kind})
				}
				whole++
			}
		}
	}
	out := make([]gauss.Vec, 0, len(rows))
	for i, r := range rows {
		if !drop[i] {
			out = append(out, r)
		}
	}
	return out
}
