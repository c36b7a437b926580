package stats

import "testing"

func TestMeanAndSampleVariance(t *testing.T) {
	// By hand: {2,4,4,4,5,5,7,9} has mean 5, Σ(x−5)² = 32, sample variance 32/7.
	xs := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	m, ok := Mean(xs)
	if !ok {
		t.Fatal("Mean not ok")
	}
	assertNear(t, "mean", m, 5, tolExact)
	v, ok := SampleVariance(xs)
	if !ok {
		t.Fatal("SampleVariance not ok")
	}
	assertNear(t, "variance", v, 32.0/7, tolExact)
	if _, ok := Mean(nil); ok {
		t.Error("Mean(nil) ok")
	}
	if _, ok := SampleVariance([]float64{3}); ok {
		t.Error("SampleVariance of one value ok")
	}
}
