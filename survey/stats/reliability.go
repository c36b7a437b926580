package stats

import "math"

// CronbachAlpha returns Cronbach's α = k/(k−1) · (1 − Σ sᵢ² / s²_total) with
// sample variances (n − 1). Each row holds one respondent's answers to the k
// items; k is the length of the first row, and only complete rows (length k,
// no NaN) are used. n is the number of rows used. ok is false when n < 2,
// k < 2 or the variance of the respondents' totals is 0.
func CronbachAlpha(rows [][]float64) (alpha float64, n int, ok bool) {
	cols := completeColumns(rows)
	k := len(cols)
	if k < 2 || len(cols[0]) < 2 {
		return 0, 0, false
	}
	n = len(cols[0])
	totals := make([]float64, n)
	sumItemVar := 0.0
	for _, col := range cols {
		v, _ := SampleVariance(col)
		sumItemVar += v
		for i, x := range col {
			totals[i] += x
		}
	}
	totalVar, _ := SampleVariance(totals)
	if totalVar == 0 {
		return 0, n, false
	}
	fk := float64(k)
	return fk / (fk - 1) * (1 - sumItemVar/totalVar), n, true
}

// MeanInterItemR returns the mean of the Pearson correlations of all item
// pairs over the complete rows (see CronbachAlpha). Pairs whose correlation
// is undefined (an item without variance) are left out; ok is false when no
// pair is defined.
func MeanInterItemR(rows [][]float64) (float64, bool) {
	cols := completeColumns(rows)
	var rs []float64
	for i := range cols {
		for j := i + 1; j < len(cols); j++ {
			if r, ok := Pearson(cols[i], cols[j]); ok {
				rs = append(rs, r)
			}
		}
	}
	return Mean(rs)
}

// completeColumns transposes the rows that have the length of the first row
// and no NaN into one slice per item.
func completeColumns(rows [][]float64) [][]float64 {
	if len(rows) == 0 {
		return nil
	}
	k := len(rows[0])
	cols := make([][]float64, k)
	for _, row := range rows {
		if !complete(row, k) {
			continue
		}
		for j, x := range row {
			cols[j] = append(cols[j], x)
		}
	}
	return cols
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
