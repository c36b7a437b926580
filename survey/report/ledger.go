package report

import (
	"context"
	"sync"
)

// LedgerEntry is one released cell: which respondents it describes (the
// wave, the snapshot and the canonical cell definition, e.g. "dept=0&gender=2")
// and which metric with how many answers behind it. A release ledger
// (anonymity.md §9) keeps every entry ever released, across viewers,
// channels and snapshots, so an audit can prove that no combination of them
// singles out fewer than k respondents.
type LedgerEntry struct {
	SurveyID string `json:"survey_id"`
	WaveID   string `json:"wave_id"`
	Snapshot int    `json:"snapshot"`
	Cell     string `json:"cell"`
	Metric   string `json:"metric"`
	N        int    `json:"n"`
	// Value is the released value (score, share, eNPS or count).
	Value float64 `json:"value"`
}

// Ledger records released cells. Record must not fail the release; an
// implementation that stores entries reports its own errors.
type Ledger interface {
	Record(ctx context.Context, entries []LedgerEntry)
}

// NopLedger records nothing.
type NopLedger struct{}

// Record does nothing.
func (NopLedger) Record(context.Context, []LedgerEntry) {}

// MemoryLedger keeps entries in memory (tests and audits of one process).
type MemoryLedger struct {
	mu      sync.Mutex
	entries []LedgerEntry
}

// Record appends entries.
func (m *MemoryLedger) Record(_ context.Context, entries []LedgerEntry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries = append(m.entries, entries...)
}

// Entries returns a copy of everything recorded.
func (m *MemoryLedger) Entries() []LedgerEntry {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]LedgerEntry(nil), m.entries...)
}

// ledgerEntries lists the shown cells of a view.
func ledgerEntries(v *view) []LedgerEntry {
	var out []LedgerEntry
	add := func(cv *cellValues, metric string, c Cell) {
		if c.Suppressed || (c.N == 0 && c.Value == nil) {
			return
		}
		e := LedgerEntry{SurveyID: v.sv.ID, WaveID: v.l.wave.ID, Snapshot: v.snapshot, Cell: cv.Key, Metric: metric, N: c.N}
		switch {
		case c.Score != nil:
			e.Value = *c.Score
		case c.Value != nil:
			e.Value = *c.Value
		case c.Favourable != nil:
			e.Value = *c.Favourable
		default:
			e.Value = float64(c.N)
		}
		if cv.AsOf != nil {
			e.Snapshot = cv.AsOf.Snapshot
		}
		out = append(out, e)
	}
	pop, groups := v.cellsOf()
	for _, cv := range append([]*cellValues{pop}, groups...) {
		add(cv, "count", cv.Count)
		add(cv, "participation", cv.Participation)
		add(cv, "index", cv.Index)
		for j, c := range cv.Items {
			add(cv, v.l.items[j].key, c)
		}
		for ci, c := range cv.Comps {
			add(cv, v.l.comps[ci].key, c)
		}
	}
	return out
}

// ledgerComments records a released set of comments as one entry.
func ledgerComments(v *view, n int) []LedgerEntry {
	if n == 0 {
		return nil
	}
	return []LedgerEntry{{SurveyID: v.sv.ID, WaveID: v.l.wave.ID, Snapshot: v.snapshot, Cell: v.pop, Metric: "comments", N: n}}
}
