package stats

// SampleVariance returns the sample variance of xs (divisor n − 1), computed
// in two passes; ok is false when xs has fewer than two values.
func SampleVariance(xs []float64) (variance float64, ok bool) {
	if len(xs) < 2 {
		return 0, false
	}
	mean, _ := Mean(xs)
	ss := 0.0
	for _, x := range xs {
		dx := x - mean
		ss += dx * dx
	}
	return ss / float64(len(xs)-1), true
}
