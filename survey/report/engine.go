package report

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
)

// Engine computes and releases results. It is safe for concurrent use; one
// Engine per process shares its decoded-wave cache across requests.
type Engine struct {
	store       *survey.Store
	clock       kernel.Clock
	frameworkOf func(context.Context) (framework.Framework, error)
	cache       *waveCache
	// snapshots lets one request per wave take a due snapshot while the
	// others that find it due at the same moment wait for it.
	snapshots singleflight.Group
	// noAudit turns the release audit off: benchmarks measure its cost
	// side by side; nothing else may set it.
	noAudit bool
	// background, when set, takes a live wave's later snapshots off the
	// request path (snapshot.go); pending counts them and failed reports
	// their errors.
	background bool
	pending    sync.WaitGroup
	refreshing sync.Map // wave ID → struct{} while a refresh runs
	failed     func(waveID string, err error)
}

// WithBackgroundSnapshots lets views of a live wave whose next snapshot is
// due get the current one at once while the next is audited in the
// background (a large wave's audit takes seconds to a minute). failed is
// told of a refresh that failed; the next view tries again. A first
// snapshot, and a closed wave's final one, are still taken before the view
// is answered: there is nothing earlier to show, or the earlier one is
// partial.
func WithBackgroundSnapshots(failed func(waveID string, err error)) Option {
	return func(e *Engine) { e.background, e.failed = true, failed }
}

// Settle waits until the background snapshots started so far are stored
// (graceful shutdown and tests).
func (e *Engine) Settle() { e.pending.Wait() }

// withoutAudit is for benchmarks and tests that measure the audit's cost.
func withoutAudit() Option { return func(e *Engine) { e.noAudit = true } }

// Option configures an Engine.
type Option func(*Engine)

// WithFramework sets where the engine gets the item bank (built-in plus
// custom items); the default is the built-in framework.
func WithFramework(f func(context.Context) (framework.Framework, error)) Option {
	return func(e *Engine) { e.frameworkOf = f }
}

// New returns an engine over store with clock.
func New(store *survey.Store, clock kernel.Clock, opts ...Option) *Engine {
	e := &Engine{store: store, clock: clock, cache: newWaveCache(),
		frameworkOf: func(context.Context) (framework.Framework, error) { return framework.BuiltIn(), nil }}
	for _, o := range opts {
		o(e)
	}
	return e
}

// view is a resolved query: the survey, wave, layout and the cells it shows.
type view struct {
	sv     survey.Survey
	l      *layout
	q      Query
	cells  *cellStore
	pop    string   // key of the population cell
	groups []string // keys of the breakdown's cells
	// groupDim is the index of the By dimension (-1 without a breakdown).
	groupDim  int
	snapshot  int
	final     bool
	notes     []string
	invited   int
	invSource string
}

// resolve loads the survey and wave of q, validates q against the lattice,
// computes (or reads the published snapshot of) every cell the view shows.
func (e *Engine) resolve(ctx context.Context, surveyID string, q Query) (*view, error) {
	sv, err := e.store.GetSurvey(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	if err := ValidateQuery(sv.Design, q); err != nil {
		return nil, err
	}
	w, err := e.wave(ctx, sv, q.Wave)
	if err != nil {
		return nil, err
	}
	q.Wave = w.Number
	fw, err := e.frameworkOf(ctx)
	if err != nil {
		return nil, err
	}
	l := newLayout(sv, w, fw)
	count, err := e.store.CountResponses(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	inv, err := e.invited(ctx, &l)
	if err != nil {
		return nil, err
	}
	v := &view{sv: sv, l: &l, q: q, groupDim: -1}
	v.invited, v.invSource = inv.total()

	var fdim, fopt int = -1, -1
	if q.Filter != nil {
		dm, d, _ := sv.Design.Demographic(q.Filter.Dimension)
		fdim, fopt = d, dm.OptionIndex(q.Filter.Option)
	}
	if q.By != "" {
		_, v.groupDim, _ = sv.Design.Demographic(q.By)
	}

	snap, err := e.snapshot(ctx, &l, count, inv)
	if err != nil {
		return nil, err
	}
	// Every view reads the one stored release of the wave's whole lattice,
	// so the order of requests and the replica cannot change what is
	// learnable (docs/anonymity.md, "The release audit").
	v.cells, v.snapshot, v.final = snap.cells, snap.number, snap.final
	if snap.final && snap.number == 1 {
		v.snapshot = 0 // closed before anyone looked: nothing was published early
	}
	p := newPlan(&l, allDims(&l), true)
	if snap.final && snap.number > 1 {
		v.notes = append(v.notes, "Final values of a wave that was viewed while open: a group that grew by fewer than k after its last publication keeps that published value.")
	}
	v.pop = "*"
	if fdim >= 0 {
		v.pop = p.key(p.cellAt(p.margin[fdim], fopt))
	}
	if v.groupDim >= 0 {
		for g := 0; g < l.dims[v.groupDim].groups; g++ {
			var c int
			if fdim >= 0 {
				a, b := min(fdim, v.groupDim), max(fdim, v.groupDim)
				if a == fdim {
					c = p.cellAt(p.pairs[[2]int{a, b}], fopt, g)
				} else {
					c = p.cellAt(p.pairs[[2]int{a, b}], g, fopt)
				}
			} else {
				c = p.cellAt(p.margin[v.groupDim], g)
			}
			v.groups = append(v.groups, p.key(c))
		}
	}
	for _, k := range append([]string{v.pop}, v.groups...) {
		if cv := v.cells.get(k); cv != nil && cv.AsOf != nil {
			v.notes = append(v.notes, "Some values are shown as of an earlier snapshot: their groups grew by fewer than k respondents since then.")
			break
		}
	}
	return v, nil
}

// wave returns wave n of sv or, when n is 0, the newest closed wave (the
// newest that has opened while none has closed).
func (e *Engine) wave(ctx context.Context, sv survey.Survey, n int) (survey.Wave, error) {
	now := e.clock.Now()
	if n > 0 {
		w, err := e.store.WaveByNumber(ctx, sv.ID, n)
		if errors.Is(err, kernel.ErrNotFound) {
			return survey.Wave{}, fmt.Errorf("this survey has no wave %d: %w", n, err)
		}
		if err != nil {
			return survey.Wave{}, err
		}
		if w.Status(now) == survey.WaveScheduled {
			return survey.Wave{}, fmt.Errorf("wave %d has not opened yet: %w", n, kernel.ErrNotFound)
		}
		return w, nil
	}
	ws, err := e.store.Waves(ctx, sv.ID)
	if err != nil {
		return survey.Wave{}, err
	}
	// A live wave's partial results are never what a request without a
	// wave gets, as on the dashboard: the newest closed wave, else the
	// newest that has opened.
	for i := len(ws) - 1; i >= 0; i-- {
		if ws[i].Status(now) == survey.WaveClosed {
			return ws[i], nil
		}
	}
	for i := len(ws) - 1; i >= 0; i-- {
		if ws[i].Status(now) != survey.WaveScheduled {
			return ws[i], nil
		}
	}
	return survey.Wave{}, fmt.Errorf("no wave of this survey has opened yet: %w", kernel.ErrNotFound)
}

// allDims lists every dimension of the layout.
func allDims(l *layout) []int {
	out := make([]int, len(l.dims))
	for i := range out {
		out[i] = i
	}
	return out
}

// popCells are the cells that can be a view's population: the wave and
// every margin cell.
func popCells(p *plan) []int {
	out := []int{0}
	for _, ti := range p.margin {
		if ti < 0 {
			continue
		}
		t := p.tables[ti]
		for c := t.base; c < t.base+t.size; c++ {
			out = append(out, c)
		}
	}
	return out
}

// batch is an invite batch's segment and size.
type batch struct {
	segment map[string]string
	count   int
}

// invitations are the wave's invite batches and the expected headcount.
type invitations struct {
	batches   []batch
	headcount int
}

// invited loads the wave's invite batches.
func (e *Engine) invited(ctx context.Context, l *layout) (invitations, error) {
	batches, err := e.store.InviteBatches(ctx, l.sv, l.wave)
	if err != nil {
		return invitations{}, err
	}
	inv := invitations{headcount: l.sv.ExpectedHeadcount}
	for _, ib := range batches {
		inv.batches = append(inv.batches, batch{segment: ib.Segment, count: ib.Count})
	}
	return inv, nil
}

// total is the wave's denominator and where it comes from.
func (inv invitations) total() (int, string) {
	if len(inv.batches) == 0 {
		if inv.headcount > 0 {
			return inv.headcount, "expected_headcount"
		}
		return 0, ""
	}
	n := 0
	for _, b := range inv.batches {
		n += b.count
	}
	return n, "invites"
}

// fn returns the invited count of a cell: the codes of the batches whose
// segment puts them in the cell. When a batch does not carry one of the
// cell's dimensions the count is unknown.
func (inv invitations) fn(l *layout) invitedFunc {
	return func(p *plan, c int) (int, bool) {
		def := p.defs[c]
		if len(def.dims) == 0 {
			n, src := inv.total()
			return n, src != ""
		}
		if len(inv.batches) == 0 {
			return 0, false
		}
		total := 0
		for _, b := range inv.batches {
			match := true
			for i, d := range def.dims {
				opt, ok := b.segment[l.dims[d].key]
				if !ok {
					return 0, false
				}
				if opt != l.groupLabel(d, def.opts[i]) {
					match = false
				}
			}
			if match {
				total += b.count
			}
		}
		return total, true
	}
}
