package stats

// Alpha is the one formula of Cronbach's α = k/(k−1) · (1 − Σ sᵢ² / s²_total)
// from the k×k covariance matrix of the items, cov[i][j], with any common
// positive factor (it cancels): Σ sᵢ² is the sum of the diagonal and
// s²_total, the variance of the respondents' totals, the sum of all entries.
// ok is false when k < 2 or s²_total is not positive.
func Alpha(cov [][]float64) (alpha float64, ok bool) {
	k := len(cov)
	if k < 2 {
		return 0, false
	}
	items, total := 0.0, 0.0
	for i := range k {
		items += cov[i][i]
		for j := range k {
			total += cov[i][j]
		}
	}
	if total <= 0 {
		return 0, false
	}
	fk := float64(k)
	return fk / (fk - 1) * (1 - items/total), true
}

// MeanCorrelation is the mean inter-item correlation from the covariance
// matrix of the items (see Alpha): the mean of Correlation over the pairs
// i < j, leaving out pairs with an item without variance. ok is false when
// no pair is defined.
func MeanCorrelation(cov [][]float64) (float64, bool) {
	var rs []float64
	for i := range cov {
		for j := i + 1; j < len(cov); j++ {
			if r, ok := Correlation(cov[i][j], cov[i][i], cov[j][j]); ok {
				rs = append(rs, r)
			}
		}
	}
	return Mean(rs)
}
