package stats

// ENPS returns the employee net promoter score 100 × (promoters − detractors) / n,
// in −100…100. It returns 0 for n <= 0, which the caller must not show.
func ENPS(promoters, detractors, n int) float64 {
	if n <= 0 {
		return 0
	}
	return 100 * float64(promoters-detractors) / float64(n)
}
