package stats

import "math"

// The tests state their reference values on whole data sets; these helpers
// feed a data set to the formulas the results engine calls, through running
// sums as the engine keeps them (report's moments and pairSums), so that the
// references test the code that releases the numbers.

// Pearson is PearsonSums over the pairs of x and y; not ok when the lengths
// differ.
func Pearson(x, y []float64) (float64, bool) {
	if len(x) != len(y) {
		return 0, false
	}
	var sx, sy, sxx, syy, sxy float64
	for i := range x {
		sx, sy = sx+x[i], sy+y[i]
		sxx, syy, sxy = sxx+x[i]*x[i], syy+y[i]*y[i], sxy+x[i]*y[i]
	}
	return PearsonSums(len(x), sx, sy, sxx, syy, sxy)
}

// CronbachAlpha is Alpha of the complete rows' covariances n·Σxᵢxⱼ − Σxᵢ·Σxⱼ;
// k is the length of the first row, and rows of another length or with a NaN
// are left out. n is the number of rows used.
func CronbachAlpha(rows [][]float64) (alpha float64, n int, ok bool) {
	cov, n := runningCov(rows)
	if n < 2 {
		return 0, 0, false
	}
	alpha, ok = Alpha(cov)
	return alpha, n, ok
}

// MeanInterItemR is MeanCorrelation of the complete rows (see CronbachAlpha).
func MeanInterItemR(rows [][]float64) (float64, bool) {
	cov, n := runningCov(rows)
	if n < 2 {
		return 0, false
	}
	return MeanCorrelation(cov)
}

// runningCov returns n·Σxᵢxⱼ − Σxᵢ·Σxⱼ over the complete rows and their number.
func runningCov(rows [][]float64) ([][]float64, int) {
	if len(rows) == 0 {
		return nil, 0
	}
	k := len(rows[0])
	sum, cross, n := make([]float64, k), make([]float64, k*k), 0
	for _, row := range rows {
		if !complete(row, k) {
			continue
		}
		n++
		for i, x := range row {
			sum[i] += x
			for j, y := range row {
				cross[i*k+j] += x * y
			}
		}
	}
	cov := make([][]float64, k)
	for i := range cov {
		cov[i] = make([]float64, k)
		for j := range cov[i] {
			cov[i][j] = float64(n)*cross[i*k+j] - sum[i]*sum[j]
		}
	}
	return cov, n
}

// complete reports whether row has exactly k answers, none of them NaN.
func complete(row []float64, k int) bool {
	if len(row) != k {
		return false
	}
	for _, x := range row {
		if math.IsNaN(x) {
			return false
		}
	}
	return true
}
