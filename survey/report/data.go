package report

import (
	"context"
	"database/sql"
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

// readWave reads a wave's compact blobs into the flat arrays. The database
// concatenates them into one value (one row instead of one per response, the
// hot path of a cold read); when the blobs are not all of the design's
// lengths it falls back to reading row by row.
//
// The rows come in id order on every database: sums of fractional scores
// depend on the order they are added in, and every replica, on SQLite or
// PostgreSQL, must release the same numbers for the same responses. SQLite
// keeps the table in (wave_id, id) order; PostgreSQL returns rows in the
// order it finds them unless told.
func readWave(ctx context.Context, sqlDB *sql.DB, dialect, waveID string, items, dims, sizeHint int) (*waveData, error) {
	q := "SELECT COUNT(*), COALESCE(group_concat(demo || answers, ''), '') FROM responses WHERE wave_id = ?"
	if dialect == "postgres" {
		q = `SELECT COUNT(*), COALESCE(string_agg(demo || answers, ''::bytea ORDER BY id COLLATE "C"), ''::bytea) FROM responses WHERE wave_id = $1`
	}
	var n int
	var all []byte
	if err := sqlDB.QueryRowContext(ctx, q, waveID).Scan(&n, &all); err != nil {
		return nil, err
	}
	width := dims + items
	if len(all) != n*width {
		return readRows(ctx, sqlDB, dialect, waveID, items, dims, sizeHint)
	}
	d := &waveData{n: n, items: items, dims: dims, answers: make([]byte, n*items), demo: make([]byte, n*dims)}
	for r := 0; r < n; r++ {
		row := all[r*width : (r+1)*width]
		copy(d.demo[r*dims:], row[:dims])
		copy(d.answers[r*items:], row[dims:])
	}
	return d, nil
}

// readRows scans a wave's compact blobs row by row straight into the flat
// arrays. Short blobs are padded with "missing"; sizeHint preallocates.
func readRows(ctx context.Context, sqlDB *sql.DB, dialect, waveID string, items, dims, sizeHint int) (*waveData, error) {
	q := "SELECT demo, answers FROM responses WHERE wave_id = ? ORDER BY id"
	if dialect == "postgres" {
		q = `SELECT demo, answers FROM responses WHERE wave_id = $1 ORDER BY id COLLATE "C"`
	}
	rows, err := sqlDB.QueryContext(ctx, q, waveID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	d := &waveData{items: items, dims: dims,
		answers: make([]byte, 0, sizeHint*items), demo: make([]byte, 0, sizeHint*dims)}
	var demo, answers sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&demo, &answers); err != nil {
			return nil, err
		}
		d.demo = appendPadded(d.demo, demo, dims)
		d.answers = appendPadded(d.answers, answers, items)
		d.n++
	}
	return d, rows.Err()
}

// appendPadded appends exactly n bytes of b to dst, padding with zeros.
func appendPadded(dst, b []byte, n int) []byte {
	if len(b) > n {
		b = b[:n]
	}
	dst = append(dst, b...)
	for i := len(b); i < n; i++ {
		dst = append(dst, 0)
	}
	return dst
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
	sqlDB, err := e.store.DB().DB()
	if err != nil {
		return nil, err
	}
	data, err := readWave(ctx, sqlDB, e.store.DB().Dialector.Name(), l.wave.ID, len(l.items), len(l.dims), count)
	if err != nil {
		return nil, err
	}
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
