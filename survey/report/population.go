package report

import (
	"math"
	"sort"

	"github.com/allypulse/allypulse/survey/stats"
)

// Population sizes below which a statistic is not reported (docs/statistics.md).
const (
	minReliabilityN = 10
	minDriversN     = 30
)

// memberLists returns, for each of the cells, the respondents in it, in one
// pass over the wave.
func memberLists(p *plan, d *waveData, cells []int) map[int][]int {
	want := make(map[int]bool, len(cells))
	out := make(map[int][]int, len(cells))
	for _, c := range cells {
		want[c] = true
	}
	var tables []*table
	for i := range p.tables {
		t := &p.tables[i]
		for c := t.base; c < t.base+t.size; c++ {
			if want[c] {
				tables = append(tables, t)
				break
			}
		}
	}
	for r := 0; r < d.n; r++ {
		demo, _ := d.row(r)
		for _, t := range tables {
			if c := p.cellOf(t, demo); want[c] {
				out[c] = append(out[c], r)
			}
		}
	}
	return out
}

// populationSums accumulates the running sums of a view population (the
// wave or one margin cell) in one pass.
func populationSums(l *layout, d *waveData, members []int) popSums {
	partial := inRanges(len(members), func(lo, hi int) popSums {
		return sumPopulation(l, d, members[lo:hi])
	})
	sums := partial[0]
	for _, o := range partial[1:] {
		sums.merge(o)
	}
	return sums
}

// populationStats computes reliability and drivers of a population of
// members respondents from its sums. Nothing is computed when the cell's
// count is hidden; a reliability or a correlation whose n the release
// audit refused (hidden says which) is not shown.
func populationStats(l *layout, sums popSums, members int, cv cellValues, hidden popHidden) *popValues {
	if cv.Count.Suppressed {
		return &popValues{Drivers: Drivers{Reason: cv.Count.Reason}}
	}
	pv := &popValues{}
	for ci, comp := range l.comps {
		row := sums.rel[ci].reliability(comp)
		if row.N > 0 && hidden.rel(ci) {
			row = ReliabilityRow{Key: row.Key, Name: row.Name, Items: row.Items, Reason: ReasonSecondary}
		}
		pv.Reliability = append(pv.Reliability, row)
	}
	pv.Drivers = drivers(l, members, cv, sums.enps, sums.stay, hidden)
	return pv
}

// popHidden says which second-moment statistics of a population the
// release audit hid: a competency's reliability, and its driver
// correlation in slot 0 (eNPS) or 1 (intent to stay).
type popHidden struct {
	st *auditState
	c  int
}

func (h popHidden) rel(ci int) bool {
	return h.st != nil && h.st.rel != nil && h.st.rel[ci][h.c] != shown
}

func (h popHidden) drv(ci, slot int) bool {
	return h.st != nil && h.st.drv != nil && h.st.drv[2*ci+slot][h.c] != shown
}

// popSums are the running sums of a population, per competency.
type popSums struct {
	rel        []moments
	enps, stay []pairSums
}

// sumPopulation accumulates the members' complete answer rows and their
// (score, outcome) pairs.
func sumPopulation(l *layout, d *waveData, members []int) popSums {
	s := popSums{rel: make([]moments, len(l.comps)), enps: make([]pairSums, len(l.comps)), stay: make([]pairSums, len(l.comps))}
	for ci, comp := range l.comps {
		s.rel[ci] = newMoments(len(comp.items))
	}
	vals := make([]float64, 64)
	for _, r := range members {
		_, ans := d.row(r)
		ye, okE := outcome(l, l.enps, ans)
		ys, okS := outcome(l, l.stay, ans)
		for ci, comp := range l.comps {
			valid, sum := 0, 0.0
			for b, j := range comp.items {
				if v, ok := l.value(j, ans[j]); ok && b < len(vals) {
					vals[valid] = float64(v)
					valid++
					sum += float64(v)
				}
			}
			if valid == len(comp.items) {
				s.rel[ci].add(vals[:valid])
			}
			if valid == 0 || 2*valid < len(comp.items) {
				continue
			}
			score := sum / float64(valid)
			if okE {
				s.enps[ci].add(score, ye)
			}
			if okS {
				s.stay[ci].add(score, ys)
			}
		}
	}
	return s
}

// raw is the n of each competency's reliability and of its driver
// correlations (competency×2 + slot).
func (s popSums) raw() (rel, drv []int) {
	for ci := range s.rel {
		rel = append(rel, s.rel[ci].n)
		drv = append(drv, s.enps[ci].n, s.stay[ci].n)
	}
	return rel, drv
}

// merge adds o's sums into s.
func (s *popSums) merge(o popSums) {
	for ci := range s.rel {
		m, om := &s.rel[ci], o.rel[ci]
		m.n += om.n
		for i := range m.sum {
			m.sum[i] += om.sum[i]
		}
		for i := range m.cross {
			m.cross[i] += om.cross[i]
		}
		s.enps[ci].merge(o.enps[ci])
		s.stay[ci].merge(o.stay[ci])
	}
}

// moments are the running sums of complete answer rows of a competency.
type moments struct {
	k     int
	n     int
	sum   []float64
	cross []float64 // k × k
}

func newMoments(k int) moments {
	return moments{k: k, sum: make([]float64, k), cross: make([]float64, k*k)}
}

func (m *moments) add(row []float64) {
	m.n++
	for i, x := range row {
		m.sum[i] += x
		for j := i; j < len(row); j++ {
			m.cross[i*m.k+j] += x * row[j] // upper triangle; cov mirrors it
		}
	}
}

// cov is n(n−1) times the sample covariance of items i and j:
// n·Σxᵢxⱼ − Σxᵢ·Σxⱼ. Answers are small whole numbers, so every term is a
// whole number that float64 holds exactly and the difference is exact: a
// variance that is 0 comes out as exactly 0, never as rounding noise.
func (m *moments) cov(i, j int) float64 {
	if j < i {
		i, j = j, i
	}
	return float64(m.n)*m.cross[i*m.k+j] - m.sum[i]*m.sum[j]
}

// reliability is Cronbach's α and the mean inter-item correlation
// (stats.Alpha, stats.MeanCorrelation) of the covariances n(n−1)·cov: both
// are ratios, so the common factor cancels.
func (m *moments) reliability(comp compInfo) ReliabilityRow {
	row := ReliabilityRow{Key: comp.key, Name: comp.name, Items: m.k}
	switch {
	case m.k < 2:
		row.Reason = "needs at least two items"
		return row
	case m.n < minReliabilityN:
		row.Reason = ReasonNotReported
		return row
	}
	row.N = m.n
	cov := make([][]float64, m.k)
	for i := range cov {
		cov[i] = make([]float64, m.k)
		for j := range cov[i] {
			cov[i][j] = m.cov(i, j)
		}
	}
	if a, ok := stats.Alpha(cov); ok {
		row.Alpha = ptr(a)
	}
	if r, ok := stats.MeanCorrelation(cov); ok {
		row.MeanR = ptr(r)
	}
	if row.Alpha == nil && row.MeanR == nil {
		row.Reason = "not defined: answers without variance"
	}
	return row
}

// pairSums are the running sums of a Pearson correlation. The extremes
// tell a constant variable apart from rounding noise in n·Σx² − (Σx)²,
// which is not exact for fractional scores such as 10/3.
type pairSums struct {
	n                      int
	x, y, xx, yy, xy       float64
	minX, maxX, minY, maxY float64
}

// merge adds o's sums into s.
func (s *pairSums) merge(o pairSums) {
	switch {
	case o.n == 0:
		return
	case s.n == 0:
		*s = o
		return
	}
	s.n += o.n
	s.x += o.x
	s.y += o.y
	s.xx += o.xx
	s.yy += o.yy
	s.xy += o.xy
	s.minX, s.maxX = min(s.minX, o.minX), max(s.maxX, o.maxX)
	s.minY, s.maxY = min(s.minY, o.minY), max(s.maxY, o.maxY)
}

func (s *pairSums) add(x, y float64) {
	if s.n == 0 {
		s.minX, s.maxX, s.minY, s.maxY = x, x, y, y
	}
	s.n++
	s.x += x
	s.y += y
	s.xx += x * x
	s.yy += y * y
	s.xy += x * y
	s.minX, s.maxX = min(s.minX, x), max(s.maxX, x)
	s.minY, s.maxY = min(s.minY, y), max(s.maxY, y)
}

// pearson returns r, or nil when fewer than minDriversN respondents have
// both a score and the outcome (a correlation of a few people is noise and
// would relate answers of people the outcome's own cell hides) or when a
// variable has no variance.
func (s pairSums) pearson() *Correlation {
	if s.n < minDriversN || s.minX == s.maxX || s.minY == s.maxY {
		return nil
	}
	r, ok := stats.PearsonSums(s.n, s.x, s.y, s.xx, s.yy, s.xy)
	if !ok {
		return nil
	}
	return &Correlation{R: r, N: s.n}
}

// drivers correlates each competency's respondent score with the outcomes,
// for populations of at least 30, and ranks "high impact, low score" first.
func drivers(l *layout, members int, cv cellValues, enps, stay []pairSums, hidden popHidden) Drivers {
	if members < minDriversN {
		return Drivers{Reason: ReasonNotReported}
	}
	if l.enps < 0 && l.stay < 0 {
		return Drivers{Reason: "the survey asks no outcome item"}
	}
	if cv.Index.Suppressed {
		return Drivers{Reason: cv.Index.Reason}
	}
	index := *cv.Index.Score
	rows := make([]DriverRow, 0, len(l.comps))
	for ci, comp := range l.comps {
		score := *cv.Comps[ci].Score
		row := DriverRow{Key: comp.key, Name: comp.name, Score: score, BelowIndex: index - score,
			ENPS: enps[ci].pearson(), Stay: stay[ci].pearson()}
		if hidden.drv(ci, 0) {
			row.ENPS = nil
		}
		if hidden.drv(ci, 1) {
			row.Stay = nil
		}
		rows = append(rows, row)
	}
	rankDrivers(rows)
	return Drivers{Rows: rows}
}

// outcome returns the value of outcome item j (−1 = not in the survey).
func outcome(l *layout, j int, ans []byte) (float64, bool) {
	if j < 0 || !l.items[j].asked {
		return 0, false
	}
	v, ok := l.value(j, ans[j])
	return float64(v), ok
}

// impact is a driver's mean correlation with the outcomes it has, −Inf
// when it has none.
func impact(r DriverRow) float64 {
	sum, n := 0.0, 0
	for _, c := range []*Correlation{r.ENPS, r.Stay} {
		if c != nil {
			sum += c.R
			n++
		}
	}
	if n == 0 {
		return math.Inf(-1)
	}
	return sum / float64(n)
}

// rankDrivers orders drivers: high impact (at or above the median of the
// defined impacts) and low score (below the index) first, then high impact
// and high score, then the rest; within a group by impact, strongest first.
// A driver without any correlation is never high impact.
func rankDrivers(rows []DriverRow) {
	var sorted []float64
	for _, r := range rows {
		if imp := impact(r); !math.IsInf(imp, -1) {
			sorted = append(sorted, imp)
		}
	}
	sort.Float64s(sorted)
	median := 0.0
	if len(sorted) > 0 {
		median = sorted[len(sorted)/2]
	}
	quad := func(r DriverRow) int {
		imp := impact(r)
		high, low := !math.IsInf(imp, -1) && imp >= median, r.BelowIndex > 0
		switch {
		case high && low:
			return 0
		case high:
			return 1
		case low:
			return 2
		}
		return 3
	}
	labels := []string{"high impact, low score", "high impact, high score", "lower impact, low score", "lower impact, high score"}
	sort.SliceStable(rows, func(i, j int) bool {
		qi, qj := quad(rows[i]), quad(rows[j])
		if qi != qj {
			return qi < qj
		}
		return impact(rows[i]) > impact(rows[j])
	})
	for i := range rows {
		rows[i].Rank = i + 1
		rows[i].Label = labels[quad(rows[i])]
	}
}
