package stats

// Score0to100 maps a mean on the 1–5 scale to the 0–100 score: (mean − 1) / 4 × 100.
func Score0to100(mean float64) float64 {
	return (mean - 1) / 4 * 100
}

// RespondentScore returns a respondent's competency score from the sum of
// the respondent's valid answers to the competency's items and how many there
// are (answered): their mean. ok is false unless at least half of the
// competency's items in the survey (items) were answered.
func RespondentScore(sum float64, answered, items int) (score float64, ok bool) {
	if items <= 0 || answered == 0 || 2*answered < items {
		return 0, false
	}
	return sum / float64(answered), true
}
