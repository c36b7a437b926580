// Package stats holds the pure statistics behind every number the product shows
// (see docs/statistics.md): Wilson and Newcombe intervals, gap flagging,
// reliability, correlation, eNPS and 0–100 scores. It does no I/O.
package stats
