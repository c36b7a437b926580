package stats

// Score0to100 maps a mean on the 1–5 scale to the 0–100 score: (mean − 1) / 4 × 100.
func Score0to100(mean float64) float64 {
	return (mean - 1) / 4 * 100
}

// RespondentScore returns a respondent's competency score: the mean of the
// respondent's valid answers to the competency's items. ok is false unless
// at least half of the competency's items in the survey (items) were answered.
func RespondentScore(valid []float64, items int) (score float64, ok bool) {
	if items <= 0 || 2*len(valid) < items {
		return 0, false
	}
	return Mean(valid)
}
