package report

import "github.com/allypulse/allypulse/survey/report/internal/gauss"

// auditSystems is one part of the release audit (docs/anonymity.md, "The
// release audit"): a few linear systems over their own unknowns, the
// groups each protects (primaries), and the rows released in order. A step
// is either released already (forced: it enters whatever it discloses,
// since that was judged when it was released) or a candidate, published
// only when, in every system at once, it discloses no primary together
// with everything before it.
type auditSystems struct {
	n     []int
	prims []primaries
	steps []auditStep
	// screens lists, per system, cheap ways to draw a random vector
	// orthogonal to every row the system may publish, tried in order
	// before the full elimination (see greedy).
	screens [][]screen
	// tracked lists, per system, the primaries the last greedy tracked.
	tracked [][]int
	// first, when set, is the prime of the first attempt: one drawn
	// while the audit was prepared, whose screens are ready.
	first gauss.Field
}

// screen draws a random vector orthogonal to every one of rows (all the
// rows a system may publish), or nil when it cannot. It may take shortcuts
// from what it knows of the rows' shape: its vector is checked against
// every row before use, so a mistake costs time, never safety.
type screen func(f gauss.Field, rows []gauss.Vec) []uint64

// auditStep is one number (or a few published together) as a row per
// system; rows[i] is empty where the step says nothing in system i.
type auditStep struct {
	rows   [][]gauss.Vec
	forced bool
	// hide is called when the candidate is refused.
	hide func()
}

// primaries are one system's protected rows. A competency's values have
// hundreds of thousands of short ones, nearly all set aside by a screen, so
// they may be kept as a recipe and built one by one when asked (Row).
type primaries interface {
	Len() int
	Row(j int) gauss.Vec
	// Empty reports whether row j has no entries.
	Empty(j int) bool
	// Dots returns row j's product with h, prepared once for h.
	Dots(f gauss.Field, h []uint64) func(j int) uint64
}

// rowPrims are primaries held as rows.
type rowPrims []gauss.Vec

func (p rowPrims) Len() int            { return len(p) }
func (p rowPrims) Row(j int) gauss.Vec { return p[j] }
func (p rowPrims) Empty(j int) bool    { return p[j].Len() == 0 }
func (p rowPrims) Dots(f gauss.Field, h []uint64) func(j int) uint64 {
	return func(j int) uint64 { return f.Dot(p[j], h) }
}

func newAuditSystems(n []int, prims []primaries) *auditSystems {
	return &auditSystems{n: n, prims: prims}
}

// force adds rows released already.
func (s *auditSystems) force(rows ...[]gauss.Vec) {
	s.steps = append(s.steps, auditStep{rows: rows, forced: true})
}

// offer adds a candidate; hide runs if the audit refuses it.
func (s *auditSystems) offer(hide func(), rows ...[]gauss.Vec) {
	s.steps = append(s.steps, auditStep{rows: rows, hide: hide})
}

// one is a row of the first system only.
func one(v gauss.Vec) []gauss.Vec { return []gauss.Vec{v} }

// auditAttempts bounds how often the audit draws new primes when the check
// with a second prime disagrees with the first (a chance below 10⁻¹³);
// past it, every candidate is refused.
const auditAttempts = 3

// run decides every candidate and calls hide for those refused. The
// decisions are made modulo one random prime and the outcome, that nothing
// published discloses a primary, is checked modulo another.
func (s *auditSystems) run() {
	for attempt := 0; attempt < auditAttempts; attempt++ {
		fl := gauss.RandomField()
		if attempt == 0 && s.first != (gauss.Field{}) {
			fl = s.first
		}
		refused := s.greedy(fl)
		if s.verify(gauss.RandomField(), refused) {
			for k, st := range s.steps {
				if refused[k] {
					st.hide()
				}
			}
			return
		}
	}
	for _, st := range s.steps {
		if !st.forced {
			st.hide()
		}
	}
}

// rowsOf lists system i's rows of the steps that keep accepts.
func (s *auditSystems) rowsOf(i int, keep func(k int) bool) []gauss.Vec {
	var out []gauss.Vec
	for k, st := range s.steps {
		if i < len(st.rows) && keep(k) {
			out = append(out, st.rows[i]...)
		}
	}
	return out
}

// greedy offers the steps in order and reports which it refused.
//
// Two things keep it fast. A primary outside the span of every row that
// may be published can never be disclosed, so only the others are
// tracked: usually a small share of them, and a system with none needs no
// elimination at all. And the greedy works in the coordinates of a basis
// of that span built in the order that keeps it sparse (gauss.Space): the
// same questions over far fewer and shorter rows than over the atoms.
func (s *auditSystems) greedy(f gauss.Field) []bool {
	bases := make([]*gauss.Basis, len(s.n))
	coords := make([][][]gauss.Row, len(s.n)) // per system, per step
	refused := make([]bool, len(s.steps))
	s.tracked = make([][]int, len(s.n))
	for i, n := range s.n {
		rows := s.rowsOf(i, func(int) bool { return true })
		candidates := make([]int, 0, s.prims[i].Len())
		for j := 0; j < s.prims[i].Len(); j++ {
			if !s.prims[i].Empty(j) {
				candidates = append(candidates, j)
			}
		}
		if i < len(s.screens) {
			for _, sc := range s.screens[i] {
				if len(candidates) == 0 {
					break
				}
				candidates = screenOut(f, sc(f, rows), rows, s.prims[i], candidates)
			}
		}
		if len(candidates) == 0 {
			continue // nothing to disclose: every row is published
		}
		sp := gauss.NewSpace(f, n, rows)
		h := sp.NullVector()
		var tracked []gauss.Row
		dot := s.prims[i].Dots(f, h)
		for _, j := range candidates {
			if dot(j) != 0 {
				continue // outside the span: never disclosed
			}
			if co, ok := sp.Coords(s.prims[i].Row(j)); ok {
				tracked = append(tracked, co)
				s.tracked[i] = append(s.tracked[i], j)
			}
		}
		if len(tracked) == 0 {
			continue
		}
		coords[i] = make([][]gauss.Row, len(s.steps))
		var all []gauss.Row
		for k, st := range s.steps {
			if i >= len(st.rows) {
				continue
			}
			for _, r := range st.rows[i] {
				co, ok := sp.Coords(r)
				if !ok { // cannot happen: the space spans every row
					refused[k] = true
				}
				coords[i][k] = append(coords[i][k], co)
			}
			all = append(all, coords[i][k]...)
		}
		bases[i] = gauss.New(f, sp.Dim(), tracked, all)
	}
	var tried []int
	for k, st := range s.steps {
		ok := !refused[k] || st.forced
		tried = tried[:0]
		for i := range st.rows {
			if !ok || bases[i] == nil || len(coords[i][k]) == 0 {
				continue
			}
			tried = append(tried, i)
			if len(bases[i].Try(coords[i][k]...)) > 0 && !st.forced {
				ok = false
			}
		}
		for _, i := range tried {
			if ok {
				bases[i].Commit()
			} else {
				bases[i].Rollback()
			}
		}
		refused[k] = !ok
	}
	return refused
}

// screenOut keeps the candidates that h does not show to be outside the
// span of rows. h must be orthogonal to every row: checking costs one pass
// over them, and a vector that fails is not used, so a shortcut taken
// while drawing it can cost time but never hide a disclosure.
func screenOut(f gauss.Field, h []uint64, rows []gauss.Vec, prims primaries, candidates []int) []int {
	if h == nil {
		return candidates
	}
	for _, r := range rows {
		if f.Dot(r, h) != 0 {
			return candidates
		}
	}
	var out []int
	dot := prims.Dots(f, h)
	for _, j := range candidates {
		if dot(j) == 0 {
			out = append(out, j)
		}
	}
	return out
}

// verify checks, modulo f's prime, that what the greedy publishes
// determines no tracked primary that the rows released already did not
// determine. The primaries the greedy did not track need no second look:
// the screen that set them aside asked about rows fixed before its prime
// was drawn, all of them, and hiding rows only shrinks their span; only
// the greedy's choices depend on its prime.
func (s *auditSystems) verify(f gauss.Field, refused []bool) bool {
	for i, n := range s.n {
		if len(s.tracked[i]) == 0 {
			continue
		}
		published := s.rowsOf(i, func(k int) bool { return !refused[k] })
		h := gauss.NullVector(f, n, published)
		var hf []uint64
		if forced := s.rowsOf(i, func(k int) bool { return s.steps[k].forced }); len(forced) > 0 {
			hf = gauss.NullVector(f, n, forced)
		}
		for _, j := range s.tracked[i] {
			p := s.prims[i].Row(j)
			if f.Dot(p, h) == 0 && (hf == nil || f.Dot(p, hf) != 0) {
				return false
			}
		}
	}
	return true
}
