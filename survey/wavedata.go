package survey

import (
	"context"
	"database/sql"

	"github.com/allypulse/allypulse/internal/db"
)

// WaveData is every response of a wave in two flat arrays: respondent r's
// demographic codes are Demo[r*dims:(r+1)*dims] and answer codes
// Answers[r*items:(r+1)*items] (the byte layout of response.go).
type WaveData struct {
	N       int
	Demo    []byte
	Answers []byte
}

// ReadWave reads a wave's responses for the results engine, which needs
// every response of a wave at once; this is its hot path, so it scans the
// compact blobs with database/sql. The database concatenates the blobs into
// one value (one row instead of one per response); when they are not all of
// the design's lengths it falls back to reading row by row, padding short
// blobs with "missing". sizeHint preallocates that fallback.
//
// The rows come in id order on every database: sums of fractional scores
// depend on the order they are added in, and every replica, on SQLite or
// PostgreSQL, must release the same numbers for the same responses. SQLite
// keeps the table in (wave_id, id) order; PostgreSQL returns rows in the
// order it finds them unless told.
func (s *Store) ReadWave(ctx context.Context, waveID string, dims, items, sizeHint int) (WaveData, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return WaveData{}, err
	}
	pg := db.IsPostgres(s.db)
	q := "SELECT COUNT(*), COALESCE(group_concat(demo || answers, ''), '') FROM responses WHERE wave_id = ?"
	if pg {
		q = `SELECT COUNT(*), COALESCE(string_agg(demo || answers, ''::bytea ORDER BY id COLLATE "C"), ''::bytea) FROM responses WHERE wave_id = $1`
	}
	var n int
	var all []byte
	if err := sqlDB.QueryRowContext(ctx, q, waveID).Scan(&n, &all); err != nil {
		return WaveData{}, err
	}
	width := dims + items
	if len(all) != n*width {
		return readWaveRows(ctx, sqlDB, pg, waveID, dims, items, sizeHint)
	}
	d := WaveData{N: n, Answers: make([]byte, n*items), Demo: make([]byte, n*dims)}
	for r := 0; r < n; r++ {
		row := all[r*width : (r+1)*width]
		copy(d.Demo[r*dims:], row[:dims])
		copy(d.Answers[r*items:], row[dims:])
	}
	return d, nil
}

// readWaveRows is ReadWave's row-by-row fallback.
func readWaveRows(ctx context.Context, sqlDB *sql.DB, pg bool, waveID string, dims, items, sizeHint int) (WaveData, error) {
	q := "SELECT demo, answers FROM responses WHERE wave_id = ? ORDER BY id"
	if pg {
		q = `SELECT demo, answers FROM responses WHERE wave_id = $1 ORDER BY id COLLATE "C"`
	}
	rows, err := sqlDB.QueryContext(ctx, q, waveID)
	if err != nil {
		return WaveData{}, err
	}
	defer rows.Close()
	d := WaveData{Answers: make([]byte, 0, sizeHint*items), Demo: make([]byte, 0, sizeHint*dims)}
	var demo, answers sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&demo, &answers); err != nil {
			return WaveData{}, err
		}
		d.Demo = appendPadded(d.Demo, demo, dims)
		d.Answers = appendPadded(d.Answers, answers, items)
		d.N++
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

// WaveComment is one stored comment as the results engine reads it: random
// id, prompt, text and the non-sensitive segment attributes (JSON) it may be
// filtered by.
type WaveComment struct {
	ID      string
	Prompt  string
	Body    string
	Segment string
}

// WaveComments reads a wave's comments in id order: ids are random, so this
// order is a stable shuffle that says nothing about submission order.
func (s *Store) WaveComments(ctx context.Context, waveID string) ([]WaveComment, error) {
	var rows []WaveComment
	err := s.db.WithContext(ctx).Table("comments").Select("id, prompt, body, segment").
		Where("wave_id = ?", waveID).Order("id").Scan(&rows).Error
	return rows, err
}

// deleteWave removes a wave that holds no responses yet.
func (s *Store) deleteWave(ctx context.Context, id string) error {
	return s.db.WithContext(ctx).Where("id = ?", id).Delete(&waveRow{}).Error
}
