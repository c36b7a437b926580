package report

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"reflect"
	"testing"
)

func sampleCells() []cellValues {
	share := 0.0
	return []cellValues{
		{Key: "*", Respondents: 40, Count: Cell{N: 40}, Items: []Cell{{N: 40, Value: &share}}},
		{Key: "dept=0", Respondents: 25, Count: Cell{N: 25}},
		{Key: "dept=1", Respondents: 15, Count: Cell{Suppressed: true, Reason: ReasonSecondary}},
		{Key: "dept=0&site=1", Respondents: 3, Count: Cell{Suppressed: true, Reason: ReasonTooFew}},
	}
}

// A stored release reads back cell for cell, whether read whole or one
// table at a time, and a share of exactly 0 stays 0.
func TestCellStoreRoundTrip(t *testing.T) {
	cells := sampleCells()
	b, err := encodeCells(cells)
	if err != nil {
		t.Fatal(err)
	}
	s, err := openCells(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.get("dept=1"); got == nil || !reflect.DeepEqual(*got, cells[2]) {
		t.Fatalf("dept=1: %+v", got)
	}
	if len(s.chunks) != 2 {
		t.Errorf("reading one cell decoded %d of 3 tables", 3-len(s.chunks))
	}
	if s.get("dept=7") != nil || s.get("nowhere=1") != nil {
		t.Error("a cell the release does not hold must be nil")
	}
	all, err := decodeCells(b)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]cellValues{}
	for _, cv := range cells {
		want[cv.Key] = cv
	}
	for _, cv := range all {
		if !reflect.DeepEqual(cv, want[cv.Key]) {
			t.Errorf("%s: got %+v want %+v", cv.Key, cv, want[cv.Key])
		}
	}
	if len(all) != len(cells) {
		t.Errorf("%d cells, want %d", len(all), len(cells))
	}
	if v := s.get("*").Items[0].Value; v == nil || *v != 0 {
		t.Errorf("a share of 0 must stay 0: %v", v)
	}
}

// Releases stored as one gzip of every cell (before the chunks) still read.
func TestCellStoreReadsTheOldFormat(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(sampleCells()); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := openCells(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got := s.get("dept=0&site=1"); got == nil || got.Respondents != 3 {
		t.Fatalf("old format: %+v", got)
	}
}

// A damaged release is an error, never a panic.
func TestCellStoreRefusesDamage(t *testing.T) {
	b, err := encodeCells(sampleCells())
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{nil, []byte("APC1"), b[:len(b)/2], append([]byte("APC1\x05"), "[{}]"...), []byte("APC1\x20[{\"t\":\"*\",\"o\":5,\"n\":99999}]")} {
		if _, err := decodeCells(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

func FuzzOpenCells(f *testing.F) {
	b, _ := encodeCells(sampleCells())
	f.Add(b)
	f.Add([]byte("APC1\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if s, err := openCells(b); err == nil {
			s.get("*")
			_, _ = s.all()
		}
	})
}
