package report

import (
	"context"
	"sync"
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

// cacheSize is how many decoded waves the engine keeps in memory.
const cacheSize = 8

// waveCache keeps decoded waves keyed by wave id and validated by the
// response count: responses are never updated or deleted, so a wave with the
// same count holds the same responses on every replica.
type waveCache struct {
	mu    sync.Mutex
	waves map[string]*cachedWave
	tick  int
	// snaps holds the newest decoded snapshot per wave.
	snaps map[string]*published
}

type cachedWave struct {
	count int
	data  *waveData
	used  int
}

func newWaveCache() *waveCache {
	return &waveCache{waves: map[string]*cachedWave{}, snaps: map[string]*published{}}
}

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
	w := &cachedWave{count: count, data: data, used: c.tick}
	c.waves[waveID] = w
	return w
}

// load returns the wave's decoded responses, from the cache when count (the
// number of responses in the database) still matches.
func (e *Engine) load(ctx context.Context, l *layout, count int) (*cachedWave, error) {
	if w := e.cache.get(l.wave.ID, count); w != nil {
		return w, nil
	}
	rd, err := e.store.ReadWave(ctx, l.wave.ID, len(l.dims), len(l.items), count)
	if err != nil {
		return nil, err
	}
	data := &waveData{n: rd.N, items: len(l.items), dims: len(l.dims), answers: rd.Answers, demo: rd.Demo}
	// Responses are only ever added, so the set read is the one set of its
	// size: key the cache by what was read, not by the earlier count.
	return e.cache.put(l.wave.ID, data.n, data), nil
}

// snapshot returns the cached snapshot number of a wave.
func (c *waveCache) snapshot(waveID string, number int) *published {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p := c.snaps[waveID]; p != nil && p.number == number {
		return p
	}
	return nil
}

// rememberSnapshot keeps a wave's newest decoded snapshot.
func (c *waveCache) rememberSnapshot(waveID string, p *published) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.snaps) >= 4*cacheSize {
		c.snaps = map[string]*published{}
	}
	c.snaps[waveID] = p
}
