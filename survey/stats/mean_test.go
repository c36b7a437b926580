package stats

import "testing"

func TestMean(t *testing.T) {
	// By hand: {2,4,4,4,5,5,7,9} has mean 5.
	xs := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	m, ok := Mean(xs)
	if !ok {
		t.Fatal("Mean not ok")
	}
	assertNear(t, "mean", m, 5, tolExact)
	if _, ok := Mean(nil); ok {
		t.Error("Mean(nil) ok")
	}
}
