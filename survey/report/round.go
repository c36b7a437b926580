package report

import (
	"math"
	"strconv"
	"strings"
)

// Rounding is the second layer of the release step (after suppression):
// every statistic is computed at full precision, flags and derived values
// (the index, gaps, driver ranks) included, and only then rounded, once,
// where a cell's values are finalised. The API, the dashboard, the workbook
// and the CSV all carry these rounded values; nothing downstream rounds
// again. Fewer decimals make it harder to recover exact counts from shares
// of small groups and keep the exports free of float noise (72.4, never
// 72.40000000001).
//
// Decimal places, in the units of the JSON:
const (
	// shareDecimals: shares (favourable, neutral, unfavourable,
	// participation) and their Wilson bounds, 0..1 — one decimal on the
	// 0–100 scale.
	shareDecimals = 3
	// pointDecimals: scores and the index (0–100), eNPS (−100..100), gaps
	// and trend changes and their intervals (points), and the drivers'
	// score and distance below the index.
	pointDecimals = 1
	// meanDecimals: item means on the item's own scale (e.g. 1..5).
	meanDecimals = 2
	// coefDecimals: Cronbach's α, the mean inter-item r and the drivers'
	// correlations.
	coefDecimals = 2
)

// roundValues rounds every released statistic of cv in place. Counts (n,
// answers, distributions) stay exact. It never writes through the pointers,
// slices or maps cv shares with other cells (cached computations, a stored
// snapshot's cells): every value it rounds is a new one, so a shallow copy
// of a cached cell can be rounded safely. Rounding a rounded cell changes
// nothing.
func roundValues(cv *cellValues) {
	cv.Participation = roundShareCell(cv.Participation)
	cv.Items = roundCells(cv.Items, roundStatCell)
	cv.Comps = roundCells(cv.Comps, roundStatCell)
	cv.Index = roundStatCell(cv.Index)
	if cv.Gaps != nil {
		gaps := make(map[string][]Cell, len(cv.Gaps))
		for k, g := range cv.Gaps {
			gaps[k] = roundCells(g, roundGap)
		}
		cv.Gaps = gaps
	}
	cv.Pop = roundPop(cv.Pop)
}

// roundAll rounds each of cells in place and returns them (a snapshot's
// cells, before they are stored).
func roundAll(cells []cellValues) []cellValues {
	for i := range cells {
		roundValues(&cells[i])
	}
	return cells
}

// roundCells returns a new slice of the cells rounded by round.
func roundCells(cs []Cell, round func(Cell) Cell) []Cell {
	if cs == nil {
		return nil
	}
	out := make([]Cell, len(cs))
	for i, c := range cs {
		out[i] = round(c)
	}
	return out
}

// roundStatCell rounds an item, competency or index cell: score, eNPS
// value, mean, the three shares and the Wilson bounds of the favourable
// share.
func roundStatCell(c Cell) Cell {
	c.Score = roundPtr(c.Score, pointDecimals)
	c.Value = roundPtr(c.Value, pointDecimals)
	c.Mean = roundPtr(c.Mean, meanDecimals)
	c.Favourable = roundPtr(c.Favourable, shareDecimals)
	c.Neutral = roundPtr(c.Neutral, shareDecimals)
	c.Unfavourable = roundPtr(c.Unfavourable, shareDecimals)
	c.Low = roundPtr(c.Low, shareDecimals)
	c.High = roundPtr(c.High, shareDecimals)
	return c
}

// roundShareCell rounds a participation cell (a share in Value).
func roundShareCell(c Cell) Cell {
	c.Value = roundPtr(c.Value, shareDecimals)
	return c
}

// roundGap rounds a gap or trend change computed at full precision (its
// flag already set): value and interval in points. Gaps computed after the
// release step (behaviour perception gaps, trend changes) pass through it
// too.
func roundGap(c Cell) Cell {
	c.Value = roundPtr(c.Value, pointDecimals)
	c.Low = roundPtr(c.Low, pointDecimals)
	c.High = roundPtr(c.High, pointDecimals)
	return c
}

// roundPop returns a rounded copy of a population's reliability and
// drivers (ranked at full precision before).
func roundPop(pv *popValues) *popValues {
	if pv == nil {
		return nil
	}
	out := &popValues{Drivers: pv.Drivers}
	if pv.Reliability != nil {
		out.Reliability = make([]ReliabilityRow, len(pv.Reliability))
		for i, r := range pv.Reliability {
			r.Alpha = roundPtr(r.Alpha, coefDecimals)
			r.MeanR = roundPtr(r.MeanR, coefDecimals)
			out.Reliability[i] = r
		}
	}
	if pv.Drivers.Rows != nil {
		out.Drivers.Rows = make([]DriverRow, len(pv.Drivers.Rows))
		for i, d := range pv.Drivers.Rows {
			d.Score = roundTo(d.Score, pointDecimals)
			d.BelowIndex = roundTo(d.BelowIndex, pointDecimals)
			d.ENPS = roundCorrelation(d.ENPS)
			d.Stay = roundCorrelation(d.Stay)
			out.Drivers.Rows[i] = d
		}
	}
	return out
}

func roundCorrelation(c *Correlation) *Correlation {
	if c == nil {
		return nil
	}
	return &Correlation{R: roundTo(c.R, coefDecimals), N: c.N}
}

// roundPtr returns a pointer to v rounded to places decimals (nil for nil).
func roundPtr(v *float64, places int) *float64 {
	if v == nil {
		return nil
	}
	return ptr(roundTo(*v, places))
}

var pow10 = [...]float64{1, 10, 100, 1000, 10000, 100000, 1000000}

// roundTo rounds x to places decimals, halves away from zero (as Excel's
// ROUND and most readers expect). The result is the float64 nearest to the
// rounded decimal, so it prints with at most places decimals. A half is
// judged on the shortest decimal that identifies x (what JSON prints):
// 0.0625 → 0.063 and 29/2000 = 0.0145 → 0.015, where x·1000 may land just
// below the half. Zero is never negative ("-0" in JSON).
func roundTo(x float64, places int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || places < 0 || places >= len(pow10) {
		return x
	}
	p := pow10[places]
	m := x * p
	if math.Abs(m) >= 1<<52 {
		return x // no decimals left to round
	}
	r := math.Round(m)
	if _, frac := math.Modf(math.Abs(m)); math.Abs(frac-0.5) < 1e-6 {
		r = roundHalf(x, places, r)
	}
	if r == 0 {
		return 0
	}
	return r / p
}

// roundHalf decides a near-half x·10^places on x's shortest decimal digits;
// fallback is the binary rounding, kept when the digits cannot be read.
func roundHalf(x float64, places int, fallback float64) float64 {
	s := strconv.FormatFloat(math.Abs(x), 'f', -1, 64)
	dot := strings.IndexByte(s, '.')
	if dot < 0 {
		return fallback
	}
	if len(s)-dot-1 <= places {
		return math.Round(x * pow10[places]) // x has no further digits: exact
	}
	n, err := strconv.ParseUint(s[:dot]+s[dot+1:dot+1+places], 10, 64)
	if err != nil {
		return fallback
	}
	if s[dot+1+places] >= '5' {
		n++
	}
	r := float64(n)
	if x < 0 {
		r = -r
	}
	return r
}
