package report

import (
	"encoding/json"
	"testing"
)

// Stored cells come back exactly, including shares and bounds of 0.
func TestSnapshotCellsRoundTrip(t *testing.T) {
	zero, one := 0.0, 1.0
	in := []cellValues{{Key: "dept=0", Respondents: 7, Count: Cell{N: 7},
		Items: []Cell{{N: 7, Favourable: &zero, Low: &zero, High: &one, Distribution: []int{0, 7}}, {Suppressed: true, Reason: ReasonTooFew}},
		Gaps:  map[string][]Cell{"*": {{N: 7, Value: &zero}}},
		AsOf:  &AsOf{Snapshot: 2}}}
	b, err := encodeCells(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := decodeCells(b)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := json.Marshal(in)
	y, _ := json.Marshal(out)
	if string(x) != string(y) {
		t.Fatalf("round trip changed the cells:\n%s\n%s", x, y)
	}
}
