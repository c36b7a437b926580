package report

import (
	"context"
	"sync"

	"github.com/allypulse/allypulse/survey"
)

// waveData holds a wave's responses decoded into two flat arrays: answers
// (n × items) and demo (n × dims), row by row.
type waveData struct {
	n       int
	items   int
	dims    int
	answers []byte
	demo    []byte
}

// row returns respondent r's demographic and answer bytes.
func (d *waveData) row(r int) (demo, answers []byte) {
	return d.demo[r*d.dims : (r+1)*d.dims], d.answers[r*d.items : (r+1)*d.items]
}

// decode flattens responses; short blobs are padded with "missing".
func decode(rs []survey.Response, items, dims int) *waveData {
	d := &waveData{n: len(rs), items: items, dims: dims,
		answers: make([]byte, len(rs)*items), demo: make([]byte, len(rs)*dims)}
	for i, r := range rs {
		copy(d.answers[i*items:(i+1)*items], r.Answers)
		copy(d.demo[i*dims:(i+1)*dims], r.Demo)
	}
	return d
}

// cacheSize is how many decoded waves the engine keeps in memory.
const cacheSize = 8

// waveCache keeps decoded waves keyed by wave id and validated by the
// response count: responses are never updated or deleted, so a wave with the
// same count holds the same responses on every replica.
type waveCache struct {
	mu    sync.Mutex
	waves map[string]*cachedWave
	tick  int
}

type cachedWave struct {
	count int
	data  *waveData
	used  int
	// results memoises computed cells per plan key at this count.
	results map[string]*computed
}

func newWaveCache() *waveCache { return &waveCache{waves: map[string]*cachedWave{}} }

// get returns the cached wave when its count matches.
func (c *waveCache) get(waveID string, count int) *cachedWave {
	c.mu.Lock()
	defer c.mu.Unlock()
	w, ok := c.waves[waveID]
	if !ok || w.count != count {
		return nil
	}
	c.tick++
	w.used = c.tick
	return w
}

// put stores a decoded wave, evicting the least recently used one.
func (c *waveCache) put(waveID string, count int, data *waveData) *cachedWave {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.waves) >= cacheSize {
		oldest, at := "", -1
		for id, w := range c.waves {
			if at < 0 || w.used < at {
				oldest, at = id, w.used
			}
		}
		delete(c.waves, oldest)
	}
	c.tick++
	w := &cachedWave{count: count, data: data, used: c.tick, results: map[string]*computed{}}
	c.waves[waveID] = w
	return w
}

// result returns a memoised computation of plan key.
func (c *waveCache) result(w *cachedWave, key string) *computed {
	c.mu.Lock()
	defer c.mu.Unlock()
	return w.results[key]
}

// remember stores a computation of plan key.
func (c *waveCache) remember(w *cachedWave, key string, r *computed) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(w.results) > 64 {
		w.results = map[string]*computed{}
	}
	w.results[key] = r
}

// load returns wave w's decoded responses, from the cache when the count in
// the database still matches.
func (e *Engine) load(ctx context.Context, l *layout) (*cachedWave, error) {
	count, err := e.store.CountResponses(ctx, l.wave.ID)
	if err != nil {
		return nil, err
	}
	if w := e.cache.get(l.wave.ID, count); w != nil {
		return w, nil
	}
	rs, err := e.store.WaveResponses(ctx, l.wave.ID)
	if err != nil {
		return nil, err
	}
	// Responses are only ever added, so the set read is the one set of its
	// size: key the cache by what was read, not by the earlier count.
	data := decode(rs, len(l.items), len(l.dims))
	return e.cache.put(l.wave.ID, len(rs), data), nil
}
