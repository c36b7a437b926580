// Package stats holds the one implementation of each statistic the results
// engine releases (definitions and reference values in docs/statistics.md):
// Wilson and Newcombe intervals, gap flagging, eNPS, respondent and 0–100
// scores, Cronbach's α, the mean inter-item correlation and the Pearson
// correlation. Functions take what the engine streams (sums, counts, a
// covariance matrix) so that the engine calls them rather than copies them.
// It does no I/O and imports nothing of the project.
package stats
