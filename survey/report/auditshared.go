package report

import (
	"encoding/binary"
	"sync"

	"github.com/allypulse/allypulse/survey/report/internal/gauss"
)

// sharedSystems are the small systems over demographic atoms that the
// families of one audit share, for the prime of their first attempts: the
// item systems the value screens draw from (itemSpaces), which depend only
// on where an item was answered, and the systems the counts' completion
// solves (splitCounts), which depend only on which cells publish a count
// or an outcome's count. At scale every demographic atom has answers to
// every item and the families share their outcomes, so a handful of
// systems serve them all. Shared systems are only asked for null vectors
// and solutions, which leave them unchanged.
type sharedSystems struct {
	field   gauss.Field
	mu      sync.Mutex
	spaces  map[string]*built[*gauss.Space]
	solvers map[string]*built[*gauss.Solver]
}

// built is a value built once, by whoever asks first.
type built[T any] struct {
	once sync.Once
	v    T
}

// lookup returns the value for key in m, built once.
func lookup[T any](mu *sync.Mutex, m *map[string]*built[T], key string, build func() T) T {
	mu.Lock()
	if *m == nil {
		*m = map[string]*built[T]{}
	}
	b, ok := (*m)[key]
	if !ok {
		b = &built[T]{}
		(*m)[key] = b
	}
	mu.Unlock()
	b.once.Do(func() { b.v = build() })
	return b.v
}

// space returns the item system for the demographic atoms has.
func (sh *sharedSystems) space(has []bool, build func() *gauss.Space) *gauss.Space {
	key := make([]byte, (len(has)+7)/8)
	for dl, in := range has {
		if in {
			key[dl/8] |= 1 << (dl % 8)
		}
	}
	return lookup(&sh.mu, &sh.spaces, string(key), build)
}

// solver returns the solver of rows (sets of demographic atoms, weights
// 1) over n columns.
func (sh *sharedSystems) solver(n int, rows []gauss.Vec) *gauss.Solver {
	key := binary.AppendUvarint(nil, uint64(n))
	for _, r := range rows {
		key = binary.AppendUvarint(key, uint64(len(r.I)))
		for _, c := range r.I {
			key = binary.AppendUvarint(key, uint64(c))
		}
	}
	return lookup(&sh.mu, &sh.solvers, string(key), func() *gauss.Solver { return gauss.NewSolver(sh.field, n, rows) })
}
