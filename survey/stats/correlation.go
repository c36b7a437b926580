package stats

import "math"

// Pearson returns the Pearson correlation coefficient of the paired samples
// x and y. ok is false when the lengths differ, there are fewer than two
// pairs, or either sample has zero variance. r is clamped to [−1, 1].
func Pearson(x, y []float64) (r float64, ok bool) {
	if len(x) != len(y) || len(x) < 2 {
		return 0, false
	}
	mx, _ := Mean(x)
	my, _ := Mean(y)
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0, false
	}
	return clamp(sxy/math.Sqrt(sxx*syy), -1, 1), true
}
