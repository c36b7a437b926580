package stats

import "math"

// Z95 is the two-sided 95 % standard normal quantile used by every interval.
const Z95 = 1.959963984540054

// Interval is a closed confidence interval [Low, High].
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Contains reports whether v lies within the interval.
func (iv Interval) Contains(v float64) bool {
	return iv.Low <= v && v <= iv.High
}

// Wilson returns the 95 % Wilson score interval for the proportion
// successes/n, clamped to [0, 1]. For n == 0 or invalid counts
// (successes < 0 or successes > n) it returns the zero Interval, which the
// caller must not use.
func Wilson(successes, n int) Interval {
	if n <= 0 || successes < 0 || successes > n {
		return Interval{}
	}
	fn := float64(n)
	p := float64(successes) / fn
	z2 := Z95 * Z95
	denom := 1 + z2/fn
	centre := (p + z2/(2*fn)) / denom
	half := Z95 * math.Sqrt(p*(1-p)/fn+z2/(4*fn*fn)) / denom
	iv := Interval{Low: clamp(centre-half, 0, 1), High: clamp(centre+half, 0, 1)}
	// At p = 0 (p = 1) the lower (upper) bound is exactly 0 (1); set it so
	// rounding cannot leave p just outside its own interval.
	if successes == 0 {
		iv.Low = 0
	}
	if successes == n {
		iv.High = 1
	}
	return iv
}

// clamp limits v to [lo, hi].
func clamp(v, lo, hi float64) float64 {
	return math.Min(hi, math.Max(lo, v))
}
