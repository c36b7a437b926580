package stats

import "math"

// gapTolerance absorbs floating-point rounding in d so that a difference of
// exactly the practical minimum (e.g. 0.55 − 0.50 against 0.05) is flagged.
const gapTolerance = 1e-9

// Flagged reports whether a gap (or trend change) d with 95 % interval iv is
// flagged: the interval excludes 0 and |d| is at least practicalMin. d and
// practicalMin are proportions (0.05 means 5 percentage points).
func Flagged(iv Interval, d, practicalMin float64) bool {
	excludesZero := iv.Low > 0 || iv.High < 0
	return excludesZero && math.Abs(d) >= practicalMin-gapTolerance
}
