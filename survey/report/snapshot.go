package report

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/allypulse/allypulse/survey"
)

// snapshotRow is one stored publication of a wave's lattice.
type snapshotRow struct {
	WaveID      string `gorm:"primaryKey"`
	Number      int    `gorm:"primaryKey"`
	Responses   int
	Final       bool
	PublishedAt time.Time
	// Cells is the gzip-compressed JSON of every released cell.
	Cells []byte
	// Census is the gzip-compressed count of the respondents the snapshot
	// covered, by demographic groups and answered items (history.go).
	Census []byte
}

func (snapshotRow) TableName() string { return "report_snapshots" }

// published is a decoded snapshot.
type published struct {
	number    int
	final     bool
	at        time.Time
	responses int
	cells     *cellStore
}

// latestSnapshot reads the newest snapshot of a wave, or nil. Decoded
// snapshots are kept in memory: a stored snapshot never changes.
func (e *Engine) latestSnapshot(ctx context.Context, waveID string) (*published, error) {
	var head snapshotRow
	err := e.store.DB().WithContext(ctx).Select("wave_id, number").Where("wave_id = ?", waveID).
		Order("number DESC").Take(&head).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if p := e.cache.snapshot(waveID, head.Number); p != nil {
		return p, nil
	}
	var row snapshotRow
	err = e.store.DB().WithContext(ctx).Where("wave_id = ? AND number = ?", waveID, head.Number).Take(&row).Error
	if err != nil {
		return nil, err
	}
	cells, err := openCells(row.Cells)
	if err != nil {
		return nil, fmt.Errorf("snapshot %d of wave %s: %w", row.Number, waveID, err)
	}
	p := &published{number: row.Number, final: row.Final, at: row.PublishedAt.UTC(), responses: row.Responses, cells: cells}
	e.cache.rememberSnapshot(waveID, p)
	return p, nil
}

// snapshot returns the published cells of the wave (docs/anonymity.md, "Time and snapshots"), taking
// a new snapshot when due: while the wave is open, when the wave has grown by
// snapshotStep responses since the last snapshot; at close, once, the final
// one. A closed wave never viewed while open has no snapshot (nil): its
// values are computed from all of its responses.
func (e *Engine) snapshot(ctx context.Context, l *layout, count int, inv invitations) (*published, error) {
	now := e.clock.Now()
	closed := l.wave.Status(now) == survey.WaveClosed
	last, err := e.latestSnapshot(ctx, l.wave.ID)
	if err != nil {
		return nil, err
	}
	switch {
	case last != nil && last.final:
		return last, nil
	case last != nil && !closed && count-last.responses < snapshotStep(l.th.K, last.responses):
		return last, nil
	case last != nil && !closed && e.background:
		e.refresh(ctx, l, inv)
		return last, nil
	}
	// Concurrent views of a wave whose snapshot is due share one computation;
	// it runs without their cancellation, since one viewer leaving must not
	// fail the others.
	_, err, _ = e.snapshots.Do(l.wave.ID, func() (any, error) {
		return nil, e.takeSnapshot(context.WithoutCancel(ctx), l, count, inv, last, closed, now)
	})
	if err != nil {
		return nil, err
	}
	return e.latestSnapshot(ctx, l.wave.ID)
}

// refresh takes a live wave's next snapshot in the background, once at a
// time per wave; it reads the newest snapshot and the count again, since
// another replica or an earlier refresh may have taken it meanwhile.
func (e *Engine) refresh(ctx context.Context, l *layout, inv invitations) {
	if _, running := e.refreshing.LoadOrStore(l.wave.ID, struct{}{}); running {
		return
	}
	e.pending.Add(1)
	go func() {
		defer e.pending.Done()
		defer e.refreshing.Delete(l.wave.ID)
		ctx := context.WithoutCancel(ctx)
		_, err, _ := e.snapshots.Do(l.wave.ID, func() (any, error) {
			last, err := e.latestSnapshot(ctx, l.wave.ID)
			if err != nil || last == nil || last.final {
				return nil, err
			}
			count, err := e.store.CountResponses(ctx, l.wave.ID)
			if err != nil || count-last.responses < snapshotStep(l.th.K, last.responses) {
				return nil, err
			}
			now := e.clock.Now()
			return nil, e.takeSnapshot(ctx, l, count, inv, last, l.wave.Status(now) == survey.WaveClosed, now)
		})
		if err != nil && e.failed != nil {
			e.failed(l.wave.ID, err)
		}
	}()
}

// takeSnapshot computes the wave's cells, holds what must be held against
// last, and stores the result as the next snapshot.
func (e *Engine) takeSnapshot(ctx context.Context, l *layout, count int, inv invitations, last *published, closed bool, now time.Time) error {
	cw, err := e.load(ctx, l, count)
	if err != nil {
		return err
	}
	p := newPlan(l, allDims(l), true)
	// The census depends only on who responded: it is taken (for the
	// audit, too) and encoded while the cells are computed.
	census := sync.OnceValue(func() map[string]int { return censusOf(l, cw.data) })
	type encoded struct {
		blob []byte
		err  error
	}
	censusBlob := make(chan encoded, 1)
	go func() {
		b, err := encodeCensus(census())
		censusBlob <- encoded{b, err}
	}()
	// A first release is audited on its own; a later snapshot of a live
	// wave is audited with the ledger of the earlier ones instead.
	fresh := compute(p, l, cw.data, inv.fn(l), popCells(p), !e.noAudit && last == nil, census)
	number := 1
	if last != nil {
		number = last.number + 1
	}
	cells := hold(p, fresh, last)
	if last != nil && !e.noAudit {
		past, err := e.readLedger(ctx, l.wave.ID)
		if err != nil {
			return err
		}
		auditAgainstLedger(p, l, past, census(), cells)
	}
	body, err := encodeCells(roundAll(cells))
	if err != nil {
		return err
	}
	cb := <-censusBlob
	if cb.err != nil {
		return cb.err
	}
	row := snapshotRow{WaveID: l.wave.ID, Number: number, Responses: cw.data.n, Final: closed, PublishedAt: now.UTC(), Cells: body, Census: cb.blob}
	// Replicas may race to take the same snapshot: the first one wins and
	// everyone reads what it stored.
	return e.store.DB().WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
}

// hold decides, cell by cell, between the fresh value and the last published
// one: a cell whose respondents grew by 1..k−1 (k, also for sensitive cells,
// whose values already need k_s respondents) since its last publication
// keeps that value ("as of" its snapshot). Two rules keep the newcomers of
// held cells from being differenced out: a cell is held when a cell it is
// part of is held; and the held children of a republished parent must
// together have grown by 0 or at least k, otherwise the next-smallest
// growing children are held too, and failing that the parent.
//
// These rules are a first layer; the release audit then checks the new
// snapshot against every earlier one (history.go).
func hold(p *plan, fresh *computed, last *published) []cellValues {
	n := p.cells()
	out := make([]cellValues, n)
	copy(out, fresh.cells)
	if last == nil {
		return out
	}
	asOf := &AsOf{Snapshot: last.number, PublishedAt: last.at}
	prev := make([]*cellValues, n)
	delta := make([]int, n)
	held := make([]bool, n)
	for c := 0; c < n; c++ {
		pv := last.cells.get(fresh.cells[c].Key)
		if pv == nil || !publishedAny(pv) {
			continue // never published with a value: takes all its responses
		}
		prev[c] = pv
		delta[c] = fresh.cells[c].Respondents - pv.Respondents
		held[c] = !grewEnough(&fresh.cells[c], pv, p.tables[p.defs[c].table].th)
	}
	parts := p.partitions()
	holdCell := func(c int) {
		held[c] = true
		if prev[c] == nil {
			// Never published, so it cannot keep an old value: hide it.
			out[c] = suppressedValues(out[c])
		}
	}
	for changed := true; changed; {
		changed = false
		// A cell is republished only with all the cells it is part of, so
		// two republished cells never differ by a held cell's newcomers.
		for c := 1; c < n; c++ {
			if held[c] {
				continue
			}
			for _, par := range p.parents(c) {
				if held[par] && (prev[c] != nil || delta[c] == 0 || fresh.cells[c].Respondents > 0) {
					holdCell(c)
					changed = true
					break
				}
			}
		}
		for _, pt := range parts {
			if held[pt.parent] {
				continue
			}
			sum := 0
			for _, c := range pt.children {
				if held[c] {
					sum += delta[c]
				}
			}
			if sum == 0 || sum >= p.l.th.K {
				continue
			}
			next := -1
			for _, c := range pt.children {
				if !held[c] && prev[c] != nil && delta[c] > 0 && (next < 0 || delta[c] < delta[next]) {
					next = c
				}
			}
			if next < 0 {
				next = pt.parent
			}
			holdCell(next)
			changed = true
		}
	}
	for c := 0; c < n; c++ {
		if held[c] && prev[c] != nil {
			out[c] = *prev[c]
			if out[c].AsOf == nil {
				out[c].AsOf = asOf
			}
		}
	}
	return out
}

// suppressedValues hides every value of a cell (secondary suppression).
func suppressedValues(cv cellValues) cellValues {
	h := hiddenCell(secondary)
	out := cellValues{Key: cv.Key, Respondents: cv.Respondents, Count: h, Participation: h, Index: h,
		Items: make([]Cell, len(cv.Items)), Comps: make([]Cell, len(cv.Comps))}
	for i := range out.Items {
		out.Items[i] = h
	}
	for i := range out.Comps {
		out.Comps[i] = h
	}
	if len(cv.Gaps) > 0 {
		out.Gaps = map[string][]Cell{}
		for k, g := range cv.Gaps {
			hs := make([]Cell, len(g))
			for i := range hs {
				hs[i] = h
			}
			out.Gaps[k] = hs
		}
	}
	if cv.Pop != nil {
		out.Pop = &popValues{Drivers: Drivers{Reason: ReasonSecondary}}
	}
	return out
}

// snapshotStep is the growth of the wave that triggers a new snapshot: k, or
// 1 % of the responses in large waves, so a busy wave is not re-snapshotted
// every few answers (cells still need k new respondents to change).
func snapshotStep(k, responses int) int {
	return max(k, responses/100)
}

// grewEnough reports whether every metric of a cell grew by 0 or by at
// least th (k, or k_s for a cell of a sensitive dimension) since pv was
// published: its respondents, each item's answers, each competency's
// scored respondents, and in a population the n of each reliability and
// driver correlation. A metric that grew by 1..th−1 would let its
// newcomers be differenced out.
func grewEnough(cv, pv *cellValues, th int) bool {
	if d := cv.Respondents - pv.Respondents; d != 0 && d < th {
		return false
	}
	metrics := [][2][]int{{cv.RawItems, pv.RawItems}, {cv.RawComps, pv.RawComps}, {cv.RawRel, pv.RawRel}, {cv.RawDrv, pv.RawDrv}}
	for _, m := range metrics {
		now, then := m[0], m[1]
		for i := range min(len(now), len(then)) {
			if d := now[i] - then[i]; d != 0 && d < th {
				return false
			}
		}
	}
	return true
}

// publishedAny reports whether a released cell showed any number: its
// count, an item or a competency (a cell may hide its count and still
// show an item whose cell-by-cell rule and audit passed).
func publishedAny(cv *cellValues) bool {
	if shownState(cv.Count) == shown {
		return true
	}
	for _, c := range cv.Items {
		if shownState(c) == shown {
			return true
		}
	}
	for _, c := range cv.Comps {
		if shownState(c) == shown {
			return true
		}
	}
	return false
}

// MarkResponsesDeleted records on every stored snapshot of a wave that the
// responses it was computed from have been deleted (retention): the
// released results stay and say that they outlive their data.
func (e *Engine) MarkResponsesDeleted(ctx context.Context, waveID string) error {
	return e.store.DB().WithContext(ctx).Model(&snapshotRow{}).Where("wave_id = ?", waveID).
		Update("responses_deleted", true).Error
}
