package stats

import "math"

// Correlation is the one formula of the Pearson correlation coefficient,
// r = cxy / √(cxx·cyy), from the co-deviation of x and y and their own
// deviations, each with the same positive factor (n − 1 for sample
// covariances, n² for the sums n·Σxy − Σx·Σy, 1 for centred sums: the
// factor cancels). ok is false when either variable has no variance. r is
// clamped to [−1, 1].
func Correlation(cxy, cxx, cyy float64) (r float64, ok bool) {
	if cxx <= 0 || cyy <= 0 {
		return 0, false
	}
	return clamp(cxy/math.Sqrt(cxx*cyy), -1, 1), true
}

// PearsonSums returns the Pearson correlation from running sums: n pairs,
// Σx, Σy, Σx², Σy² and Σxy, for data that is streamed rather than held.
// ok is false when n < 2 or either variable has no variance.
func PearsonSums(n int, x, y, xx, yy, xy float64) (r float64, ok bool) {
	if n < 2 {
		return 0, false
	}
	fn := float64(n)
	return Correlation(fn*xy-x*y, fn*xx-x*x, fn*yy-y*y)
}
