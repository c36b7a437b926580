package report

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// A stored release holds every cell of a wave's lattice (about a thousand
// for a large design), but a view shows one population and one breakdown.
// Cells are therefore stored in one compressed chunk per table (the wave,
// each margin, each cross table) and a chunk is decoded the first time one
// of its cells is read.
//
// Layout: the magic "APC1", a uvarint length and a JSON index of the
// chunks (table key, offset, length), then the chunks, each the gzip of the
// JSON array of the table's cells. JSON, not gob: gob drops pointers to zero
// values, and a share of 0 must stay 0. Releases stored before the chunks
// are one gzip of the JSON array of every cell, and are still read.

const cellsMagic = "APC1"

// chunkRef locates one table's chunk after the index.
type chunkRef struct {
	Table  string `json:"t"`
	Offset int    `json:"o"`
	Length int    `json:"n"`
}

// tableOf is the table a cell key belongs to: its dimensions without their
// options ("*" for the wave, "dept", "dept&site").
func tableOf(key string) string {
	if key == "*" {
		return key
	}
	parts := strings.Split(key, "&")
	for i, p := range parts {
		if k := strings.IndexByte(p, '='); k >= 0 {
			parts[i] = p[:k]
		}
	}
	return strings.Join(parts, "&")
}

// encodeCells stores cells in one chunk per table.
func encodeCells(cells []cellValues) ([]byte, error) {
	byTable := map[string][]cellValues{}
	var tables []string
	for _, cv := range cells {
		t := tableOf(cv.Key)
		if _, ok := byTable[t]; !ok {
			tables = append(tables, t)
		}
		byTable[t] = append(byTable[t], cv)
	}
	// Chunks are independent: they are written side by side, then laid
	// out in table order.
	chunks := make([]bytes.Buffer, len(tables))
	errs := make([]error, len(tables))
	order := make([]int, len(tables))
	for i := range order {
		order[i] = i
	}
	eachInParallel(order, func(i int) { errs[i] = writeChunk(&chunks[i], byTable[tables[i]]) })
	var body bytes.Buffer
	var index []chunkRef
	for i, t := range tables {
		if errs[i] != nil {
			return nil, errs[i]
		}
		start := body.Len()
		body.Write(chunks[i].Bytes())
		index = append(index, chunkRef{Table: t, Offset: start, Length: body.Len() - start})
	}
	head, err := json.Marshal(index)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(cellsMagic)+binary.MaxVarintLen64+len(head)+body.Len())
	out = append(out, cellsMagic...)
	out = binary.AppendUvarint(out, uint64(len(head)))
	out = append(out, head...)
	return append(out, body.Bytes()...), nil
}

func writeChunk(w io.Writer, cells []cellValues) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return err
	}
	if err := json.NewEncoder(zw).Encode(cells); err != nil {
		return err
	}
	return zw.Close()
}

func readChunk(b []byte) ([]cellValues, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	var cells []cellValues
	if err := json.NewDecoder(zr).Decode(&cells); err != nil {
		return nil, err
	}
	return cells, nil
}

// cellStore is a stored release's cells, decoded table by table on first
// use; safe for concurrent readers.
type cellStore struct {
	mu     sync.Mutex
	chunks map[string][]byte // not yet decoded
	cells  map[string]*cellValues
	err    error
}

var errCells = errors.New("stored release is malformed")

// openCells indexes a stored release without decoding its cells.
func openCells(b []byte) (*cellStore, error) {
	s := &cellStore{chunks: map[string][]byte{}, cells: map[string]*cellValues{}}
	if !bytes.HasPrefix(b, []byte(cellsMagic)) {
		cells, err := readChunk(b) // stored before the chunks
		if err != nil {
			return nil, err
		}
		s.add(cells)
		return s, nil
	}
	rest := b[len(cellsMagic):]
	n, k := binary.Uvarint(rest)
	if k <= 0 || n > uint64(len(rest)-k) {
		return nil, errCells
	}
	var index []chunkRef
	if err := json.Unmarshal(rest[k:k+int(n)], &index); err != nil {
		return nil, fmt.Errorf("%w: %v", errCells, err)
	}
	body := rest[k+int(n):]
	for _, c := range index {
		if c.Offset < 0 || c.Length < 0 || c.Offset+c.Length > len(body) {
			return nil, errCells
		}
		s.chunks[c.Table] = body[c.Offset : c.Offset+c.Length]
	}
	return s, nil
}

func (s *cellStore) add(cells []cellValues) {
	for i := range cells {
		s.cells[cells[i].Key] = &cells[i]
	}
}

// get returns the cell with key, or nil when the release has none.
func (s *cellStore) get(key string) *cellValues {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cv, ok := s.cells[key]; ok {
		return cv
	}
	s.decode(tableOf(key))
	return s.cells[key]
}

// decode decodes one table's chunk; a chunk that fails to decode leaves
// its cells missing (a view then finds no cell) and records the error.
func (s *cellStore) decode(table string) {
	b, ok := s.chunks[table]
	if !ok {
		return
	}
	delete(s.chunks, table)
	cells, err := readChunk(b)
	if err != nil {
		s.err = err
		return
	}
	s.add(cells)
}

// all decodes every cell.
func (s *cellStore) all() (map[string]*cellValues, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tables := make([]string, 0, len(s.chunks))
	for t := range s.chunks {
		tables = append(tables, t)
	}
	slices.Sort(tables)
	for _, t := range tables {
		s.decode(t)
	}
	return s.cells, s.err
}

// decodeCells decodes every cell of a stored release.
func decodeCells(b []byte) ([]cellValues, error) {
	s, err := openCells(b)
	if err != nil {
		return nil, err
	}
	m, err := s.all()
	if err != nil {
		return nil, err
	}
	out := make([]cellValues, 0, len(m))
	for _, cv := range m {
		out = append(out, *cv)
	}
	slices.SortFunc(out, func(a, b cellValues) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}
