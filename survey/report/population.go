package report

import (
	"math"
	"sort"

	"github.com/allypulse/allypulse/survey/stats"
)

// Population sizes below which a statistic is not reported (statistics.md).
const (
	minReliabilityN = 10
	minDriversN     = 30
)

// populationStats computes reliability and drivers over the respondents of
// cell c, which must be a view population (the wave or one margin cell).
// Nothing is computed when the cell's count is hidden.
func populationStats(p *plan, l *layout, d *waveData, c int, cv cellValues) *popValues {
	if cv.Count.Suppressed {
		return &popValues{Drivers: Drivers{Reason: cv.Count.Reason}}
	}
	def := p.defs[c]
	var members []int
	for r := 0; r < d.n; r++ {
		demo, _ := d.row(r)
		in := true
		for i, dim := range def.dims {
			if l.groupOf(demo, dim) != def.opts[i] {
				in = false
			}
		}
		if in {
			members = append(members, r)
		}
	}
	pv := &popValues{}
	for _, comp := range l.comps {
		pv.Reliability = append(pv.Reliability, reliability(l, d, members, comp))
	}
	pv.Drivers = drivers(l, d, members, cv)
	return pv
}

// reliability is Cronbach's α and the mean inter-item r of one competency on
// the members who answered all of its items.
func reliability(l *layout, d *waveData, members []int, comp compInfo) ReliabilityRow {
	row := ReliabilityRow{Key: comp.key, Name: comp.name, Items: len(comp.items)}
	if len(comp.items) < 2 {
		row.Reason = "needs at least two items"
		return row
	}
	var rows [][]float64
	for _, r := range members {
		_, ans := d.row(r)
		vals := make([]float64, 0, len(comp.items))
		for _, j := range comp.items {
			v, ok := l.value(j, ans[j])
			if !ok {
				break
			}
			vals = append(vals, float64(v))
		}
		if len(vals) == len(comp.items) {
			rows = append(rows, vals)
		}
	}
	if len(rows) < minReliabilityN {
		row.Reason = ReasonNotReported
		return row
	}
	row.N = len(rows)
	if a, _, ok := stats.CronbachAlpha(rows); ok {
		row.Alpha = ptr(a)
	}
	if r, ok := stats.MeanInterItemR(rows); ok {
		row.MeanR = ptr(r)
	}
	if row.Alpha == nil && row.MeanR == nil {
		row.Reason = "not defined: answers without variance"
	}
	return row
}

// drivers correlates each competency's respondent score with the outcomes,
// for populations of at least 30, and ranks "high impact, low score" first.
func drivers(l *layout, d *waveData, members []int, cv cellValues) Drivers {
	if len(members) < minDriversN {
		return Drivers{Reason: ReasonNotReported}
	}
	if l.enps < 0 && l.stay < 0 {
		return Drivers{Reason: "the survey asks no outcome item"}
	}
	if cv.Index.Suppressed {
		return Drivers{Reason: cv.Index.Reason}
	}
	index := *cv.Index.Score
	var rows []DriverRow
	for ci, comp := range l.comps {
		var xs, ye, xs2, ys []float64
		for _, r := range members {
			_, ans := d.row(r)
			vals := make([]float64, 0, len(comp.items))
			for _, j := range comp.items {
				if v, ok := l.value(j, ans[j]); ok {
					vals = append(vals, float64(v))
				}
			}
			s, ok := stats.RespondentScore(vals, len(comp.items))
			if !ok {
				continue
			}
			if v, ok := outcome(l, l.enps, ans); ok {
				xs, ye = append(xs, s), append(ye, v)
			}
			if v, ok := outcome(l, l.stay, ans); ok {
				xs2, ys = append(xs2, s), append(ys, v)
			}
		}
		score := *cv.Comps[ci].Score
		row := DriverRow{Key: comp.key, Name: comp.name, Score: score, BelowIndex: index - score}
		if r, ok := stats.Pearson(xs, ye); ok {
			row.ENPS = &Correlation{R: r, N: len(xs)}
		}
		if r, ok := stats.Pearson(xs2, ys); ok {
			row.Stay = &Correlation{R: r, N: len(xs2)}
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

// impact is a driver's mean correlation with the outcomes it has.
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

// rankDrivers orders drivers: high impact (at or above the median impact)
// and low score (below the index) first, then high impact and high score,
// then the rest; within a group by impact, strongest first.
func rankDrivers(rows []DriverRow) {
	imps := make([]float64, len(rows))
	for i, r := range rows {
		imps[i] = impact(r)
	}
	sorted := append([]float64(nil), imps...)
	sort.Float64s(sorted)
	median := 0.0
	if len(sorted) > 0 {
		median = sorted[len(sorted)/2]
	}
	quad := func(r DriverRow) int {
		high, low := impact(r) >= median, r.BelowIndex > 0
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
