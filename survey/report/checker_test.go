package report

import (
	"fmt"
	"math/big"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/survey"
)

// xchecker is the attacker's exact audit, written independently of the
// engine's audit: unknowns are per respondent (their presence, their answer
// to each item — once as a value, whose sums give means and scores, once as
// a category, whose counts give shares and pooled favourable counts — and
// their second moments), every released number is a row of
// exact rationals over the respondents it covers, and a group is disclosed
// when its row lies in the span of what was released, found by Gaussian
// elimination over big.Rat. The groups checked are those docs/anonymity.md
// promises to protect: every cell of every cross-classification of the
// demographics (with the batch of arrival in live waves), and every
// demographic atom with the set of a family's items its members answered,
// with 1..k−1 members (k_s where only a sensitive dimension names them).
type xchecker struct {
	d      survey.Design
	k, ks  int
	people []person
	batch  []int // arrival batch of each respondent (1, 2, ...)
	// batchOf maps a snapshot number to the last batch it contains
	// (0 = every batch).
	batchOf func(snapshot int) int
	// families: item keys per family (a competency's items, or one item).
	families map[string][]string
	rows     map[string][]map[int]*big.Rat
	// cuts holds the last batch of each snapshot seen: respondents are told
	// apart in time only by the snapshots that an attacker saw.
	cuts map[int]bool
	seen map[string]bool
	// countRows are the released respondent counts, as members; outcomeRows
	// the released outcomes' n, as the outcome and its cell's members (a
	// competency's counts cover them, with its phantoms).
	countRows   [][]int
	outcomeRows []outcomeRow
	// desc names each row (debugging aid).
	desc map[string][]string
	cur  string
}

func newXChecker(d survey.Design, k, ks int) *xchecker {
	return &xchecker{d: d, k: k, ks: ks, rows: map[string][]map[int]*big.Rat{}, families: map[string][]string{},
		batchOf: func(s int) int { return s }}
}

// add registers respondents arriving in batch b.
func (x *xchecker) add(b int, ps ...person) {
	for _, p := range ps {
		x.people = append(x.people, p)
		x.batch = append(x.batch, b)
	}
}

func (x *xchecker) group(p person, dim int) int {
	dm := x.d.Demographics[dim]
	if opt, ok := p.demo[dm.Key]; ok {
		return dm.OptionIndex(opt)
	}
	return len(dm.Options)
}

func (x *xchecker) answered(p person, key string) bool {
	_, ok := p.answers[key]
	return ok
}

// members lists the respondents matching conds up to batch maxBatch.
func (x *xchecker) members(conds []cond, maxBatch int) []int {
	var out []int
	for r, p := range x.people {
		if maxBatch > 0 && x.batch[r] > maxBatch {
			continue
		}
		in := true
		for _, c := range conds {
			if x.group(p, c.dim) != c.group {
				in = false
			}
		}
		if in {
			out = append(out, r)
		}
	}
	return out
}

func (x *xchecker) viewConds(q Query) (pop []cond, groups [][]cond) {
	if q.Filter != nil {
		dm, d, _ := x.d.Demographic(q.Filter.Dimension)
		pop = append(pop, cond{d, dm.OptionIndex(q.Filter.Option)})
	}
	if q.By != "" {
		dm, d, _ := x.d.Demographic(q.By)
		for g := 0; g <= len(dm.Options); g++ {
			groups = append(groups, append(append([]cond(nil), pop...), cond{d, g}))
		}
	}
	return pop, groups
}

func (x *xchecker) itemIndex(key string) int {
	for j, k := range x.d.Items {
		if k == key {
			return j
		}
	}
	panic("unknown item " + key)
}

// val is the unknown of respondent r's answer to item key.
func (x *xchecker) val(r int, key string) int { return r*len(x.d.Items) + x.itemIndex(key) }

func rat(n, d int64) *big.Rat { return big.NewRat(n, d) }

func (x *xchecker) push(system string, row map[int]*big.Rat) {
	// The same cell comes back in many views: keep each row once.
	cols := make([]int, 0, len(row))
	for c := range row {
		cols = append(cols, c)
	}
	sort.Ints(cols)
	var key strings.Builder
	key.WriteString(system)
	for _, c := range cols {
		fmt.Fprintf(&key, ",%d:%s", c, row[c].RatString())
	}
	if x.seen == nil {
		x.seen = map[string]bool{}
	}
	if x.seen[key.String()] {
		return
	}
	x.seen[key.String()] = true
	if len(row) > 0 {
		x.rows[system] = append(x.rows[system], row)
		if x.desc == nil {
			x.desc = map[string][]string{}
		}
		x.desc[system] = append(x.desc[system], x.cur)
	}
}

// release adds every number r shows as rows of its systems.
func (x *xchecker) release(r *Release) {
	pop, groups := x.viewConds(r.Query)
	if x.cuts == nil {
		x.cuts = map[int]bool{}
	}
	if r.Snapshot > 0 {
		x.cuts[x.batchOf(r.Snapshot)] = true
	}
	upTo := func(c Cell) int {
		if r.Snapshot == 0 {
			return 0
		}
		if c.AsOf != nil {
			return x.batchOf(c.AsOf.Snapshot)
		}
		return x.batchOf(r.Snapshot)
	}
	compItems := map[string][]string{}
	for _, it := range r.Items {
		if it.Construct != "" {
			compItems[it.Construct] = append(compItems[it.Construct], it.Key)
		}
	}
	isComp := map[string]bool{}
	for _, c := range r.Competencies {
		isComp[c.Key] = true
		x.families[c.Key] = compItems[c.Key]
	}
	for _, it := range r.Items {
		if !isComp[it.Construct] {
			x.families["item:"+it.Key] = []string{it.Key}
		}
	}
	familyOf := func(key string) string {
		for f, items := range x.families {
			for _, k := range items {
				if k == key {
					return f
				}
			}
		}
		return ""
	}
	count := func(conds []cond, c Cell) {
		if !shownCell(c) {
			return
		}
		// Kept as members: each family's row is made in leaks, where it
		// also covers the family's unknown skippers (phantoms).
		x.countRows = append(x.countRows, x.members(conds, upTo(c)))
	}
	item := func(key string, conds []cond, c Cell) {
		if !shownCell(c) {
			return
		}
		x.cur = fmt.Sprint(r.Query, " snap ", r.Snapshot, " ", key, " ", conds, " upTo ", upTo(c))
		n, v := map[int]*big.Rat{}, map[int]*big.Rat{}
		for _, m := range x.members(conds, upTo(c)) {
			if x.answered(x.people[m], key) {
				n[m] = rat(1, 1)
				v[x.val(m, key)] = rat(1, 1)
			}
		}
		f := familyOf(key)
		x.push("count:"+f, n)
		x.push("value:"+f, v)
		x.push("share:"+f, v)
		if isOutcome(key) {
			// Who answered an outcome is counted across every
			// competency: the drivers' n relate the two.
			x.outcomeRows = append(x.outcomeRows, outcomeRow{key: key, cell: x.members(conds, upTo(c))})
		}
	}
	comp := func(key string, conds []cond, c Cell) {
		if !shownCell(c) {
			return
		}
		x.cur = fmt.Sprint(r.Query, " snap ", r.Snapshot, " comp ", key, " ", conds, " upTo ", upTo(c), " mask ", c.ItemsUsed)
		mask := c.ItemsUsed
		if len(mask) == 0 {
			mask = x.families[key]
		}
		n, answers, score, pooled := map[int]*big.Rat{}, map[int]*big.Rat{}, map[int]*big.Rat{}, map[int]*big.Rat{}
		for _, m := range x.members(conds, upTo(c)) {
			var got []string
			for _, k := range mask {
				if x.answered(x.people[m], k) {
					got = append(got, k)
				}
			}
			if len(got) > 0 {
				answers[m] = rat(int64(len(got)), 1)
			}
			for _, k := range got {
				pooled[x.val(m, k)] = rat(1, 1)
			}
			if len(got) > 0 && 2*len(got) >= len(mask) {
				n[m] = rat(1, 1)
				for _, k := range got {
					score[x.val(m, k)] = rat(1, int64(len(got)))
				}
			}
		}
		x.push("count:"+key, n)
		x.push("count:"+key, answers)
		x.push("value:"+key, score)
		x.push("share:"+key, pooled)
	}
	count(pop, r.Respondents)
	for i, g := range r.Groups {
		count(groups[i], g.Count)
	}
	count(pop, r.Participation.Overall)
	for i, c := range r.Participation.Groups {
		count(groups[i], c)
	}
	for _, row := range r.Competencies {
		comp(row.Key, pop, row.Overall)
		for i, c := range row.Groups {
			comp(row.Key, groups[i], c)
		}
	}
	for _, row := range r.Items {
		item(row.Key, pop, row.Overall)
		for i, c := range row.Groups {
			item(row.Key, groups[i], c)
		}
	}
	// The n of a reliability counts who answered every item; the n of a
	// driver correlation who have a score and answered the outcome.
	for _, rel := range r.Reliability {
		if rel.N == 0 {
			continue
		}
		x.cur = fmt.Sprint(r.Query, " snap ", r.Snapshot, " reliability ", rel.Key)
		row := map[int]*big.Rat{}
		for _, m := range x.members(pop, upTo(r.Respondents)) {
			all := true
			for _, k := range x.families[rel.Key] {
				all = all && x.answered(x.people[m], k)
			}
			if all {
				row[m] = rat(1, 1)
			}
		}
		x.push("count:"+rel.Key, row)
	}
	for _, d := range r.Drivers.Rows {
		for _, o := range []struct {
			key string
			c   *Correlation
		}{{"outcome.enps", d.ENPS}, {"outcome.stay", d.Stay}} {
			if o.c == nil {
				continue
			}
			x.cur = fmt.Sprint(r.Query, " snap ", r.Snapshot, " driver ", d.Key, " ", o.key)
			row := map[int]*big.Rat{}
			for _, m := range x.members(pop, upTo(r.Respondents)) {
				if x.scored(m, x.families[d.Key]) && x.answered(x.people[m], o.key) {
					row[m] = rat(1, 1)
				}
			}
			x.push("count:"+d.Key, row)
		}
	}
	moments := false
	for _, rel := range r.Reliability {
		moments = moments || rel.Alpha != nil
	}
	if moments || len(r.Drivers.Rows) > 0 {
		row := map[int]*big.Rat{}
		for _, m := range x.members(pop, upTo(r.Respondents)) {
			row[m] = rat(1, 1)
		}
		x.push("moments", row)
	}
}

// period is respondent r's period: the number of the first snapshot seen
// whose batches include r's (1 when no snapshot was seen).
func (x *xchecker) period(r int) int {
	var cuts []int
	for c := range x.cuts {
		cuts = append(cuts, c)
	}
	sort.Ints(cuts)
	for i, c := range cuts {
		if c == 0 || x.batch[r] <= c {
			return i + 1
		}
	}
	return len(cuts) + 1
}

// namedGroup is a set of respondents the checker protects.
type namedGroup struct {
	members []int
	th      int
	name    string
}

// groupsToProtect lists every cross-classification cell (any subset of the
// dimensions, optionally restricted to a range of arrival batches) with the
// smallest threshold of its names.
func (x *xchecker) groupsToProtect() []namedGroup {
	nd := len(x.d.Demographics)
	maxBatch := 0
	for r := range x.batch {
		maxBatch = max(maxBatch, x.period(r))
	}
	byKey := map[string]*namedGroup{}
	var order []string
	for s := 0; s < 1<<nd; s++ {
		th := x.k
		for i := 0; i < nd; i++ {
			if s&(1<<i) != 0 && x.d.Demographics[i].Sensitive {
				th = x.ks
			}
		}
		for b1 := 1; b1 <= maxBatch; b1++ {
			for b2 := b1; b2 <= maxBatch; b2++ {
				if maxBatch > 1 && b1 == 1 && b2 == maxBatch {
					// the whole wave: same as the unrestricted cells
				}
				cells := map[string][]int{}
				for r, p := range x.people {
					if pr := x.period(r); pr < b1 || pr > b2 {
						continue
					}
					var k []string
					for i := 0; i < nd; i++ {
						if s&(1<<i) != 0 {
							k = append(k, fmt.Sprint(i, "=", x.group(p, i)))
						}
					}
					key := strings.Join(k, "&")
					cells[key] = append(cells[key], r)
				}
				for key, ms := range cells {
					set := fmt.Sprint(ms)
					name := fmt.Sprintf("{%s}@%d..%d", key, b1, b2)
					if g, ok := byKey[set]; ok {
						g.th = min(g.th, th)
						continue
					}
					byKey[set] = &namedGroup{members: ms, th: th, name: name}
					order = append(order, set)
				}
			}
		}
	}
	out := make([]namedGroup, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	return out
}

// leaks lists every protected group that the released rows determine.
// Within each family, every name of a set of respondents is collected (a
// group; its members who answered an item of the family; its members with
// a score; a demographic atom with the set of the family's items its
// members answered), a set with several names keeps the smallest
// threshold, and each set of 1..th−1 respondents is checked: its count,
// its answers to each item all of them answered, its scores when all have
// one, and its second moments. A demographic atom's answer pattern alone is
// checked on answers only when the atom itself is large.
func (x *xchecker) leaks() []string {
	var out []string
	groups := x.groupsToProtect()
	span := map[string]*ratSpan{}
	spanOf := func(system string) *ratSpan {
		if s, ok := span[system]; ok {
			return s
		}
		s := newRatSpan(x.rows[system])
		span[system] = s
		return s
	}
	check := func(system, what string, n, th int, row map[int]*big.Rat) {
		if n == 0 || n >= th || len(row) == 0 {
			return
		}
		if spanOf(system).contains(row) {
			msg := fmt.Sprintf("%s: %s (%d respondents, threshold %d)", system, what, n, th)
			if os.Getenv("ALLYPULSE_AUDIT_TRACE") != "" {
				rows := x.rows[system]
				seen := map[string]bool{}
				for _, d := range x.desc[system] {
					if !seen[d] {
						seen[d] = true
						msg += "\n    row " + d
					}
				}
				for i := range rows {
					rest := append(append([]map[int]*big.Rat(nil), rows[:i]...), rows[i+1:]...)
					if !newRatSpan(rest).contains(row) {
						msg += "\n    needs " + x.desc[system][i]
					}
				}
			}
			out = append(out, msg)
		}
	}
	for _, g := range groups {
		all := map[int]*big.Rat{}
		for _, m := range g.members {
			all[m] = rat(1, 1)
		}
		check("moments", g.name, len(g.members), g.th, all)
	}
	// Who answered none of a family's items is unknown to the attacker: in
	// each family, every demographic atom (with its period) gets an unknown
	// of its own for them, in every count that covers it, unless somebody
	// there did skip the family; in a competency, one for each set of
	// outcomes they may have answered.
	atomOf := func(r int) string {
		var k []string
		for i := range x.d.Demographics {
			k = append(k, fmt.Sprint(x.group(x.people[r], i)))
		}
		return strings.Join(k, ",") + fmt.Sprint("@", x.period(r))
	}
	outsOf := func(f string) []string {
		if strings.HasPrefix(f, "item:") {
			return nil
		}
		return x.outcomes()
	}
	// subset is the outcomes respondent r answered, as bits of outs.
	subset := func(r int, outs []string) uint {
		var s uint
		for i, o := range outs {
			if x.answered(x.people[r], o) {
				s |= 1 << i
			}
		}
		return s
	}
	phantomCol := map[string]int{}
	// withPhantoms is the row of members ms and of the phantoms of the
	// atoms of cell (the respondents the row's name starts from) whose
	// outcome set keep accepts (nil: none).
	withPhantoms := func(f string, ms, cell []int, keep func(s uint) bool) map[int]*big.Rat {
		row := map[int]*big.Rat{}
		atomsIn := map[string]bool{}
		for _, m := range ms {
			row[m] = rat(1, 1)
		}
		for _, m := range cell {
			atomsIn[atomOf(m)] = true
		}
		if keep == nil {
			return row
		}
		outs := outsOf(f)
		seen := map[string]bool{}
		for r := range x.people {
			if a := atomOf(r); atomsIn[a] && !x.answeredAny(r, x.families[f]) {
				seen[fmt.Sprint(a, "|", subset(r, outs))] = true
			}
		}
		for a := range atomsIn {
			for sub := uint(0); sub < 1<<len(outs); sub++ {
				key := fmt.Sprint(a, "|", sub)
				if seen[key] || !keep(sub) {
					continue
				}
				col, ok := phantomCol[key]
				if !ok {
					col = len(x.people) + len(phantomCol)
					phantomCol[key] = col
				}
				row[col] = rat(1, 1)
			}
		}
		return row
	}
	everyone := func(uint) bool { return true }
	answering := func(f, o string) func(uint) bool {
		i := slices.Index(outsOf(f), o)
		return func(s uint) bool { return i >= 0 && s&(1<<i) != 0 }
	}
	for f := range x.families {
		for _, ms := range x.countRows {
			x.push("count:"+f, withPhantoms(f, ms, ms, everyone))
		}
		if strings.HasPrefix(f, "item:") {
			continue
		}
		for _, o := range x.outcomeRows {
			var ms []int
			for _, m := range o.cell {
				if x.answered(x.people[m], o.key) {
					ms = append(ms, m)
				}
			}
			x.push("count:"+f, withPhantoms(f, ms, o.cell, answering(f, o.key)))
		}
	}
	// Demographic atoms (with the batch of arrival) and their thresholds.
	atoms := map[string][]int{}
	var atomKeys []string
	for r, p := range x.people {
		var k []string
		for i := range x.d.Demographics {
			k = append(k, fmt.Sprint(x.group(p, i)))
		}
		key := strings.Join(k, ",") + fmt.Sprint("@", x.period(r))
		if _, ok := atoms[key]; !ok {
			atomKeys = append(atomKeys, key)
		}
		atoms[key] = append(atoms[key], r)
	}
	thOf := map[string]int{}
	for _, g := range groups {
		thOf[fmt.Sprint(g.members)] = g.th
	}
	for f, items := range x.families {
		// A name's count covers the phantoms its name covers too: all of
		// them for a whole group ("all"), those who may have answered an
		// outcome for its answerers ("o:" and the outcome), none otherwise
		// ("").
		// The variants of a set's count: no phantoms (""), all of its
		// group's ("all"), or those of its group who may have answered an
		// outcome ("o:" and the outcome); each with the group it names.
		type variant struct {
			kind  string
			group []int
			// grouped: some name of this count is a group's (or a small
			// atom's), so the count itself is protected.
			grouped bool
		}
		type named struct {
			members  []int
			th       int
			grouped  bool
			variants map[string]variant
			name     string
		}
		sets := map[string]*named{}
		var order []string
		add := func(ms []int, th int, grouped bool, name string, group []int) {
			if len(ms) == 0 {
				return
			}
			key := fmt.Sprint(ms)
			v := variant{grouped: grouped}
			switch {
			case strings.HasSuffix(name, " (all)"):
				v = variant{kind: "all", group: ms, grouped: grouped}
			case !strings.HasPrefix(f, "item:") && strings.Contains(name, " answering outcome.") && !strings.Contains(name, " scored on "):
				v = variant{kind: "o:" + name[strings.LastIndex(name, " answering ")+len(" answering "):], group: group, grouped: grouped}
			}
			vk := v.kind + fmt.Sprint(v.group)
			if s, ok := sets[key]; ok {
				s.th = min(s.th, th)
				s.grouped = s.grouped || grouped
				if old, ok := s.variants[vk]; ok {
					v.grouped = v.grouped || old.grouped
				}
				s.variants[vk] = v
				return
			}
			sets[key] = &named{members: ms, th: th, grouped: grouped, variants: map[string]variant{vk: v}, name: name}
			order = append(order, key)
		}
		// Counts name the members who answered an item or, in a
		// competency, an outcome; and those with a score who answered an
		// outcome, or who answered every item.
		countKeys := x.countKeys(f)
		for _, g := range groups {
			add(g.members, g.th, true, g.name+" (all)", g.members)
			if !strings.HasPrefix(f, "item:") {
				var all []int
				for _, m := range g.members {
					complete := true
					for _, k := range items {
						complete = complete && x.answered(x.people[m], k)
					}
					if complete {
						all = append(all, m)
					}
				}
				add(all, g.th, true, g.name+" answering all of "+f, g.members)
				for _, o := range x.outcomes() {
					var sub []int
					for _, m := range g.members {
						if x.scored(m, items) && x.answered(x.people[m], o) {
							sub = append(sub, m)
						}
					}
					add(sub, g.th, true, g.name+" scored on "+f+" answering "+o, g.members)
				}
			}
			for _, key := range countKeys {
				var sub []int
				for _, m := range g.members {
					if x.answered(x.people[m], key) {
						sub = append(sub, m)
					}
				}
				add(sub, g.th, true, g.name+" answering "+key, g.members)
			}
			if !strings.HasPrefix(f, "item:") {
				var sub []int
				for _, m := range g.members {
					if x.scored(m, items) {
						sub = append(sub, m)
					}
				}
				add(sub, g.th, true, g.name+" scored on "+f, g.members)
				// Who answered exactly a given set of the items, or exactly
				// m of them: protected on their answers.
				byPat := map[string][]int{}
				var pats []string
				byM := map[int][]int{}
				for _, m := range g.members {
					var got []string
					for _, k := range items {
						if x.answered(x.people[m], k) {
							got = append(got, k)
						}
					}
					if len(got) == 0 || len(got) == len(items) {
						continue
					}
					p := strings.Join(got, "+")
					if _, ok := byPat[p]; !ok {
						pats = append(pats, p)
					}
					byPat[p] = append(byPat[p], m)
					byM[len(got)] = append(byM[len(got)], m)
				}
				for _, p := range pats {
					add(byPat[p], g.th, false, g.name+" answering exactly "+p, g.members)
				}
				for m := 1; m < len(items); m++ {
					add(byM[m], g.th, false, fmt.Sprint(g.name, " answering exactly ", m, " of ", f), g.members)
				}
			}
		}
		for _, ak := range atomKeys {
			ms := atoms[ak]
			th := thOf[fmt.Sprint(ms)]
			byPattern := map[string][]int{}
			var pats []string
			for _, m := range ms {
				var pat []string
				for _, k := range countKeys {
					if x.answered(x.people[m], k) {
						pat = append(pat, k)
					}
				}
				p := strings.Join(pat, "+")
				if _, ok := byPattern[p]; !ok {
					pats = append(pats, p)
				}
				byPattern[p] = append(byPattern[p], m)
			}
			for _, p := range pats {
				add(byPattern[p], th, len(ms) < th, fmt.Sprintf("atom{%s} answered {%s}", ak, p), ms)
			}
		}
		for _, key := range order {
			s := sets[key]
			if len(s.members) >= s.th {
				continue
			}
			if s.grouped {
				for _, v := range s.variants {
					if !v.grouped {
						continue
					}
					var keep func(uint) bool
					switch {
					case v.kind == "all":
						keep = everyone
					case strings.HasPrefix(v.kind, "o:"):
						keep = answering(f, v.kind[2:])
					}
					check("count:"+f, s.name, len(s.members), s.th, withPhantoms(f, s.members, v.group, keep))
				}
			}
			total := map[int]*big.Rat{}
			for _, m := range s.members {
				for _, k := range items {
					if x.answered(x.people[m], k) {
						total[x.val(m, k)] = rat(1, 1)
					}
				}
			}
			check("value:"+f, s.name+" total of answers", len(s.members), s.th, total)
			check("share:"+f, s.name+" total of answers", len(s.members), s.th, total)
			for _, k := range items {
				v := map[int]*big.Rat{}
				for _, m := range s.members {
					if !x.answered(x.people[m], k) {
						v = nil
						break
					}
					v[x.val(m, k)] = rat(1, 1)
				}
				if v != nil {
					check("value:"+f, s.name+" answers to "+k, len(s.members), s.th, v)
					check("share:"+f, s.name+" answers to "+k, len(s.members), s.th, v)
				}
			}
			if strings.HasPrefix(f, "item:") {
				continue
			}
			score := map[int]*big.Rat{}
			for _, m := range s.members {
				if !x.scored(m, items) {
					score = nil
					break
				}
				var got []string
				for _, k := range items {
					if x.answered(x.people[m], k) {
						got = append(got, k)
					}
				}
				for _, k := range got {
					score[x.val(m, k)] = rat(1, int64(len(got)))
				}
			}
			if score != nil {
				check("value:"+f, s.name+" scores on "+f, len(s.members), s.th, score)
				check("share:"+f, s.name+" scores on "+f, len(s.members), s.th, score)
			}
		}
	}
	sort.Strings(out)
	return out
}

// outcomeRow is a released outcome's n: the outcome and its cell's
// members.
type outcomeRow struct {
	key  string
	cell []int
}

// isOutcome reports whether an item is an outcome that drivers use.
func isOutcome(key string) bool { return key == "outcome.enps" || key == "outcome.stay" }

// outcomes lists the outcome items the releases showed.
func (x *xchecker) outcomes() []string {
	var out []string
	for _, key := range []string{"outcome.enps", "outcome.stay"} {
		if _, ok := x.families["item:"+key]; ok {
			out = append(out, key)
		}
	}
	return out
}

// countKeys lists the items whose answering a family's counts tell apart:
// its items and, for a competency, the outcomes.
func (x *xchecker) countKeys(f string) []string {
	if strings.HasPrefix(f, "item:") {
		return x.families[f]
	}
	return append(slices.Clone(x.families[f]), x.outcomes()...)
}

// answeredAny reports whether respondent r answered any of items.
func (x *xchecker) answeredAny(r int, items []string) bool {
	for _, k := range items {
		if x.answered(x.people[r], k) {
			return true
		}
	}
	return false
}

// scored reports whether respondent m has a score over items (at least half
// of them answered).
func (x *xchecker) scored(m int, items []string) bool {
	got := 0
	for _, k := range items {
		if x.answered(x.people[m], k) {
			got++
		}
	}
	return got > 0 && 2*got >= len(items)
}

// ratSpan is a reduced row echelon basis over exact rationals.
type ratSpan struct {
	pivots []int
	rows   []map[int]*big.Rat
}

func newRatSpan(rows []map[int]*big.Rat) *ratSpan {
	s := &ratSpan{}
	for _, r := range rows {
		v := s.reduce(r)
		p, ok := leading(v)
		if !ok {
			continue
		}
		inv := new(big.Rat).Inv(v[p])
		for c, x := range v {
			v[c] = new(big.Rat).Mul(x, inv)
		}
		// Keep the basis reduced: clear the new pivot from older rows.
		for i, old := range s.rows {
			if x, ok := old[p]; ok && x.Sign() != 0 {
				s.rows[i] = axpy(old, new(big.Rat).Neg(x), v)
			}
		}
		s.pivots = append(s.pivots, p)
		s.rows = append(s.rows, v)
	}
	return s
}

func leading(v map[int]*big.Rat) (int, bool) {
	best, ok := 0, false
	for c, x := range v {
		if x.Sign() != 0 && (!ok || c < best) {
			best, ok = c, true
		}
	}
	return best, ok
}

// axpy returns v + a·w.
func axpy(v map[int]*big.Rat, a *big.Rat, w map[int]*big.Rat) map[int]*big.Rat {
	out := make(map[int]*big.Rat, len(v)+len(w))
	for c, x := range v {
		out[c] = new(big.Rat).Set(x)
	}
	for c, x := range w {
		t := new(big.Rat).Mul(a, x)
		if y, ok := out[c]; ok {
			t.Add(t, y)
		}
		if t.Sign() == 0 {
			delete(out, c)
		} else {
			out[c] = t
		}
	}
	return out
}

func (s *ratSpan) reduce(r map[int]*big.Rat) map[int]*big.Rat {
	v := axpy(r, rat(0, 1), nil)
	for i, p := range s.pivots {
		if x, ok := v[p]; ok && x.Sign() != 0 {
			v = axpy(v, new(big.Rat).Neg(x), s.rows[i])
		}
	}
	return v
}

func (s *ratSpan) contains(r map[int]*big.Rat) bool { return len(s.reduce(r)) == 0 }

// mustNotLeak fails the test when the released rows determine a group.
func (x *xchecker) mustNotLeak(t testing.TB) {
	t.Helper()
	if l := x.leaks(); len(l) > 0 {
		t.Fatalf("released numbers determine protected groups (k=%d, k_s=%d):\n%s", x.k, x.ks, strings.Join(l[:min(len(l), 12)], "\n"))
	}
}

// TestXCheckerFindsNaiveLeaks checks the checker itself: the numbers an
// unprotected release would show do determine the planted small groups.
func TestXCheckerFindsNaiveLeaks(t *testing.T) {
	d := attackDesign()
	x := newXChecker(d, 5, 10)
	sales := grp(12, 4, "dept", "Sales")
	lone := grp(2, 1, "dept", "Engineering")
	x.add(1, concat(sales, lone)...)
	// Naive rows: the wave's and Sales' counts and voice sums.
	for _, conds := range [][]cond{nil, {{0, 0}}} {
		row, v := map[int]*big.Rat{}, map[int]*big.Rat{}
		for _, m := range x.members(conds, 0) {
			row[m] = rat(1, 1)
			v[x.val(m, "voice.1")] = rat(1, 1)
		}
		x.families["voice"] = []string{"voice.1"}
		x.push("count:voice", row)
		x.push("value:voice", v)
	}
	l := x.leaks()
	found := false
	for _, s := range l {
		found = found || strings.Contains(s, "answers to voice.1")
	}
	if !found {
		t.Fatalf("wave minus Sales should disclose Engineering's two answers; got %v", l)
	}
}

// mustLeak checks that a scenario is a real attack: the same calls without
// suppression single someone out.
func mustLeak(t testing.TB, naive *xchecker) {
	t.Helper()
	if len(naive.leaks()) == 0 {
		t.Fatal("the scenario does not leak even without suppression; it tests nothing")
	}
}

// cond is an equality on one dimension.
type cond struct{ dim, group int }

// shownCell reports whether a cell releases a number.
func shownCell(c Cell) bool {
	return !c.Suppressed && (c.N > 0 || c.Value != nil || c.Score != nil)
}
