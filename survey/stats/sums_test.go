package stats

import (
	"math"
	"testing"
)

// The results engine streams its data and calls the formulas with running
// sums; these tests hold those forms to the same reference values as the
// forms that take the data.

func TestPearsonSumsReference(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	y := []float64{2, 1, 4, 3, 7, 8, 6, 9}
	var sx, sy, sxx, syy, sxy float64
	for i := range x {
		sx, sy, sxx, syy, sxy = sx+x[i], sy+y[i], sxx+x[i]*x[i], syy+y[i]*y[i], sxy+x[i]*y[i]
	}
	r, ok := PearsonSums(len(x), sx, sy, sxx, syy, sxy)
	if !ok {
		t.Fatal("PearsonSums not ok")
	}
	assertNear(t, "r", r, 45/math.Sqrt(2520), tolExact)
	if _, ok := PearsonSums(3, 6, 6, 12, 14, 12); ok { // x constant 2: n·Σx² − (Σx)² = 0
		t.Error("a constant x gave a correlation")
	}
	if _, ok := PearsonSums(1, 1, 1, 1, 1, 1); ok {
		t.Error("one pair gave a correlation")
	}
}

func TestAlphaFromRunningSums(t *testing.T) {
	// n·Σxᵢxⱼ − Σxᵢ·Σxⱼ over the 6 complete rows of reliabilityRows: n(n−1)
	// times the sample covariances, whole numbers the engine holds exactly.
	rows := reliabilityRows[:6]
	k, n := 3, float64(len(rows))
	cov := make([][]float64, k)
	for i := range cov {
		cov[i] = make([]float64, k)
		for j := range cov[i] {
			var si, sj, sij float64
			for _, r := range rows {
				si, sj, sij = si+r[i], sj+r[j], sij+r[i]*r[j]
			}
			cov[i][j] = n*sij - si*sj
		}
	}
	alpha, ok := Alpha(cov)
	if !ok {
		t.Fatal("Alpha not ok")
	}
	assertNear(t, "alpha", alpha, 429.0/452.0, tolExact)
	r, ok := MeanCorrelation(cov)
	if !ok {
		t.Fatal("MeanCorrelation not ok")
	}
	assertNear(t, "mean r", r, 0.8704917019280393, tolExact)
	if _, ok := Alpha([][]float64{{0, 0}, {0, 0}}); ok {
		t.Error("alpha without variance")
	}
	if _, ok := Alpha([][]float64{{1}}); ok {
		t.Error("alpha of one item")
	}
}
