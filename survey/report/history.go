package report

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"slices"
)

// The ledger of a live wave is its stored snapshots: each holds every cell
// it released and the census of the respondents it covered. A new snapshot
// is audited together with all of them (docs/anonymity.md, "The release
// audit"): what was released stays released, and the new rows may not
// complete, with the old ones, the count or the sum of a small group, of
// the newcomers between two snapshots included. Replicas share the ledger
// through the database, and snapshot numbers are taken one at a time per
// wave (the first replica to store number n wins; the others read it).

// censusRow is one stored census entry: a key of censusOf and its count.
type censusRow struct {
	K []byte `json:"k"`
	N int    `json:"n"`
}

// encodeCensus compresses a census, in key order.
func encodeCensus(c map[string]int) ([]byte, error) {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	rows := make([]censusRow, len(keys))
	for i, k := range keys {
		rows[i] = censusRow{K: []byte(k), N: c[k]}
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if err := json.NewEncoder(zw).Encode(rows); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeCensus reverses encodeCensus.
func decodeCensus(b []byte) (map[string]int, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	var rows []censusRow
	if err := json.NewDecoder(zr).Decode(&rows); err != nil {
		return nil, err
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[string(r.K)] = r.N
	}
	return out, nil
}

// ledgerSnapshot is an earlier snapshot as the audit reads it.
type ledgerSnapshot struct {
	number int
	cells  map[string]*cellValues
	census map[string]int
}

// readLedger reads every stored snapshot of a wave, oldest first.
func (e *Engine) readLedger(ctx context.Context, waveID string) ([]ledgerSnapshot, error) {
	var rows []snapshotRow
	err := e.store.DB().WithContext(ctx).Where("wave_id = ?", waveID).Order("number").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]ledgerSnapshot, 0, len(rows))
	for _, r := range rows {
		if len(r.Census) == 0 {
			// Taken before snapshots kept their census: audited as the
			// single release it was when it was taken.
			continue
		}
		cells, err := decodeCells(r.Cells)
		if err != nil {
			return nil, fmt.Errorf("snapshot %d of wave %s: %w", r.Number, waveID, err)
		}
		census, err := decodeCensus(r.Census)
		if err != nil {
			return nil, fmt.Errorf("census of snapshot %d of wave %s: %w", r.Number, waveID, err)
		}
		s := ledgerSnapshot{number: r.Number, cells: make(map[string]*cellValues, len(cells)), census: census}
		for i := range cells {
			s.cells[cells[i].Key] = &cells[i]
		}
		out = append(out, s)
	}
	return out, nil
}

// stateOf reads what a set of released cells shows: which counts, items
// and competencies (with the items each competency pooled), restricted to
// the cells published fresh (a held cell repeats an earlier release).
func stateOf(p *plan, l *layout, cells func(c int) *cellValues) (*auditState, []int, []int) {
	n, nc := p.cells(), len(l.comps)
	s := &auditState{count: make([]uint8, n), item: make([][]uint8, len(l.items)), comp: make([][]uint8, nc), masks: make([]uint64, n*nc),
		rel: make([][]uint8, nc), drv: make([][]uint8, 2*nc)}
	for j := range s.item {
		s.item[j] = make([]uint8, n)
	}
	for ci := range s.comp {
		s.comp[ci] = make([]uint8, n)
	}
	for ci := range s.rel {
		s.rel[ci] = make([]uint8, n)
	}
	for i := range s.drv {
		s.drv[i] = make([]uint8, n)
	}
	itemBit := map[string]int{}
	for _, comp := range l.comps {
		for b, j := range comp.items {
			itemBit[l.items[j].key] = b
		}
	}
	var fresh, pops []int
	for c := 0; c < n; c++ {
		cv := cells(c)
		if cv == nil || cv.AsOf != nil {
			hideAll(s, c)
			continue
		}
		fresh = append(fresh, c)
		s.count[c] = shownState(cv.Count)
		for j := range s.item {
			s.item[j][c] = secondary
			if j < len(cv.Items) {
				s.item[j][c] = shownState(cv.Items[j])
			}
		}
		for ci, comp := range l.comps {
			s.comp[ci][c] = secondary
			if ci >= len(cv.Comps) {
				continue
			}
			s.comp[ci][c] = shownState(cv.Comps[ci])
			mask := uint64(1)<<len(comp.items) - 1
			if used := cv.Comps[ci].ItemsUsed; len(used) > 0 {
				mask = 0
				for _, key := range used {
					mask |= 1 << itemBit[key]
				}
			}
			s.masks[c*nc+ci] = mask
		}
		if showsMoments(cv.Pop) {
			pops = append(pops, c)
		}
		momentsShown(l, s, c, cv.Pop)
	}
	return s, fresh, pops
}

// momentsShown marks in s the reliabilities and driver correlations (each
// with its n) that population cell c shows.
func momentsShown(l *layout, s *auditState, c int, pv *popValues) {
	for ci := range l.comps {
		s.rel[ci][c], s.drv[2*ci][c], s.drv[2*ci+1][c] = secondary, secondary, secondary
	}
	if pv == nil {
		return
	}
	for ci, r := range pv.Reliability {
		if ci < len(l.comps) && r.N > 0 {
			s.rel[ci][c] = shown
		}
	}
	for _, r := range pv.Drivers.Rows {
		ci := slices.IndexFunc(l.comps, func(x compInfo) bool { return x.key == r.Key })
		if ci < 0 {
			continue
		}
		if r.ENPS != nil {
			s.drv[2*ci][c] = shown
		}
		if r.Stay != nil {
			s.drv[2*ci+1][c] = shown
		}
	}
}

// hideMoments removes from pv what the audit turned from shown to hidden
// in population cell c, and ranks the drivers again.
func hideMoments(l *layout, before, after *auditState, c int, pv *popValues) {
	if pv == nil {
		return
	}
	for ci := range pv.Reliability {
		if ci < len(l.comps) && before.rel[ci][c] == shown && after.rel[ci][c] != shown {
			r := pv.Reliability[ci]
			pv.Reliability[ci] = ReliabilityRow{Key: r.Key, Name: r.Name, Items: r.Items, Reason: ReasonSecondary}
		}
	}
	changed := false
	for i, r := range pv.Drivers.Rows {
		ci := slices.IndexFunc(l.comps, func(x compInfo) bool { return x.key == r.Key })
		if ci < 0 {
			continue
		}
		if r.ENPS != nil && before.drv[2*ci][c] == shown && after.drv[2*ci][c] != shown {
			pv.Drivers.Rows[i].ENPS, changed = nil, true
		}
		if r.Stay != nil && before.drv[2*ci+1][c] == shown && after.drv[2*ci+1][c] != shown {
			pv.Drivers.Rows[i].Stay, changed = nil, true
		}
	}
	if changed {
		rankDrivers(pv.Drivers.Rows)
	}
}

func hideAll(s *auditState, c int) {
	s.count[c] = secondary
	for j := range s.item {
		s.item[j][c] = secondary
	}
	for ci := range s.comp {
		s.comp[ci][c] = secondary
	}
	for i := range s.rel {
		s.rel[i][c] = secondary
	}
	for i := range s.drv {
		s.drv[i][c] = secondary
	}
}

// shownState is shown for a cell that releases a number.
func shownState(c Cell) uint8 {
	if c.Suppressed || (c.N == 0 && c.Value == nil && c.Score == nil) {
		return secondary
	}
	return shown
}

// showsMoments reports whether a population shows reliability or drivers.
func showsMoments(pv *popValues) bool {
	if pv == nil {
		return false
	}
	for _, r := range pv.Reliability {
		if r.Alpha != nil || r.MeanR != nil {
			return true
		}
	}
	return len(pv.Drivers.Rows) > 0
}

// auditAgainstLedger audits the cells a new snapshot publishes fresh
// together with everything the earlier snapshots published, and hides what
// would disclose a group. census is the new snapshot's.
func auditAgainstLedger(p *plan, l *layout, past []ledgerSnapshot, census map[string]int, cells []cellValues) auditReport {
	var censuses []map[string]int
	var releases []pastRelease
	for i, s := range past {
		st, fresh, pops := stateOf(p, l, func(c int) *cellValues { return s.cells[p.key(c)] })
		releases = append(releases, pastRelease{period: i + 1, cells: fresh, state: st, pops: pops})
		censuses = append(censuses, s.census)
	}
	censuses = append(censuses, census)
	st, freshCells, pops := stateOf(p, l, func(c int) *cellValues { return &cells[c] })
	fresh := make([]bool, p.cells())
	for _, c := range freshCells {
		fresh[c] = true
	}
	resp := make([]int32, p.cells())
	for c := range cells {
		resp[c] = int32(cells[c].Respondents)
	}
	in := &auditInput{p: p, l: l, entries: entriesOf(l, censuses), periods: len(censuses), past: releases,
		fresh: fresh, state: st, resp: resp}
	before := cloneState(st)
	rep, au := audit(in)
	hide := auditPopulations(in, au.atoms, au.groups, pops, func(int) bool { return true })
	rep.Populations = len(hide)
	for c := range cells {
		if hide[c] {
			cells[c].Pop = &popValues{Drivers: Drivers{Reason: ReasonSecondary}}
			continue
		}
		if cells[c].Pop != nil && cells[c].AsOf == nil {
			pv := clonePop(cells[c].Pop)
			hideMoments(l, before, st, c, pv)
			cells[c].Pop = pv
		}
	}
	applyHidden(p, l, before, st, cells)
	return rep
}

// clonePop copies a population's statistics, so that hiding some leaves
// the cell they came from (possibly an earlier snapshot's) untouched.
func clonePop(pv *popValues) *popValues {
	out := &popValues{Reliability: slices.Clone(pv.Reliability), Drivers: pv.Drivers}
	out.Drivers.Rows = slices.Clone(pv.Drivers.Rows)
	return out
}

func cloneState(s *auditState) *auditState {
	out := &auditState{count: slices.Clone(s.count), masks: slices.Clone(s.masks)}
	for _, x := range s.rel {
		out.rel = append(out.rel, slices.Clone(x))
	}
	for _, x := range s.drv {
		out.drv = append(out.drv, slices.Clone(x))
	}
	for _, x := range s.item {
		out.item = append(out.item, slices.Clone(x))
	}
	for _, x := range s.comp {
		out.comp = append(out.comp, slices.Clone(x))
	}
	return out
}

// applyHidden hides in cells what the audit turned from shown to hidden,
// with everything derived from it: participation with the count, the index
// with any competency, and a competency's gaps with the competency or any
// of its items, in the cell and in the cells it is compared with.
func applyHidden(p *plan, l *layout, before, after *auditState, cells []cellValues) {
	h := hiddenCell(secondary)
	touched := make([][]bool, len(l.comps)) // competency ci's gaps to hide at cell c
	for ci := range touched {
		touched[ci] = make([]bool, p.cells())
	}
	for c := range cells {
		cv := &cells[c]
		if before.count[c] == shown && after.count[c] != shown {
			cv.Count, cv.Participation = h, h
		}
		for j := range l.items {
			if before.item[j][c] == shown && after.item[j][c] != shown {
				cv.Items[j] = h
				for ci, comp := range l.comps {
					if slices.Contains(comp.items, j) {
						touched[ci][c] = true
					}
				}
			}
		}
		for ci := range l.comps {
			if before.comp[ci][c] == shown && after.comp[ci][c] != shown {
				cv.Comps[ci] = h
				cv.Index = h
				touched[ci][c] = true
			}
		}
	}
	for c := range cells {
		for par, gaps := range cells[c].Gaps {
			pc := -1
			for _, x := range p.parents(c) {
				if p.key(x) == par {
					pc = x
				}
			}
			for ci := range gaps {
				if touched[ci][c] || (pc >= 0 && touched[ci][pc]) {
					if !gaps[ci].Suppressed {
						g := slices.Clone(gaps)
						g[ci] = h
						cells[c].Gaps[par] = g
						gaps = g
					}
				}
			}
		}
	}
}
