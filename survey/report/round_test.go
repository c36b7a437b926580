package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/demo"
)

func TestRoundTo(t *testing.T) {
	for _, c := range []struct {
		x      float64
		places int
		want   string
	}{
		{0.0625, 3, "0.063"},      // an exact half: away from zero
		{29.0 / 2000, 3, "0.015"}, // 0.0145, whose x·1000 lands just below the half
		{72.45, 1, "72.5"},        // the half as printed, not as stored
		{-2.25, 1, "-2.3"},        // away from zero below zero too
		{-0.04, 1, "0"},           // never "-0"
		{1.0 / 3, 3, "0.333"},     // a share
		{2.0 / 3, 2, "0.67"},      // a mean or a coefficient
		{100 * (1.0 - 28) / 29, 1, "-93.1"},
		{72.40000000001, 1, "72.4"}, // float noise is gone
		{0.999949, 3, "1"},          // rounds up to a whole number
		{5, 1, "5"},                 // already round
		{0.125, 2, "0.13"},
	} {
		got := strconv.FormatFloat(roundTo(c.x, c.places), 'f', -1, 64)
		if got != c.want {
			t.Errorf("roundTo(%v, %d) = %s, want %s", c.x, c.places, got, c.want)
		}
	}
	if r := roundTo(math.NaN(), 1); !math.IsNaN(r) {
		t.Errorf("NaN rounds to %v", r)
	}
}

// Any value rounds to the nearest number of its decimals (halves away from
// zero), prints with at most that many decimals, and rounding again
// changes nothing.
func TestRoundToProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		places := 1 + rng.IntN(3)
		var x float64
		switch i % 3 {
		case 0:
			x = rng.Float64()*200 - 100
		case 1: // a share k/n, with many exact halves
			n := 1 + rng.IntN(2000)
			x = float64(rng.IntN(n+1)) / float64(n)
		default: // a score 100·k/(4n)
			n := 1 + rng.IntN(400)
			x = 100 * float64(rng.IntN(4*n+1)) / float64(4*n)
		}
		r := roundTo(x, places)
		if d := decimals(strconv.FormatFloat(r, 'f', -1, 64)); d > places {
			t.Fatalf("roundTo(%v, %d) = %v has %d decimals", x, places, r, d)
		}
		if math.Abs(r-x) > 0.5*math.Pow(10, -float64(places))+1e-12 {
			t.Fatalf("roundTo(%v, %d) = %v is not the nearest", x, places, r)
		}
		if again := roundTo(r, places); again != r {
			t.Fatalf("roundTo twice: %v, then %v", r, again)
		}
	}
}

func decimals(s string) int {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, _ := strconv.Atoi(s[i+1:])
		return max(0, decimals(s[:i])-e)
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// roundValues never writes into what the cell shares with a cached or
// stored one, and leaves counts exact.
func TestRoundValuesLeavesSharedValuesAlone(t *testing.T) {
	share, score := 1.0/3, 200.0/3
	item := Cell{N: 3, Mean: ptr(11.0 / 3), Favourable: &share, Low: ptr(0.0615), High: ptr(0.7923), Distribution: []int{1, 0, 2}}
	orig := cellValues{Key: "*", Count: Cell{N: 3}, Participation: Cell{N: 3, Value: ptr(3.0 / 7)},
		Items: []Cell{item}, Comps: []Cell{{N: 3, Score: &score, Favourable: &share}}, Index: Cell{N: 3, Score: &score},
		Gaps: map[string][]Cell{"*": {{N: 3, Value: ptr(12.345), Low: ptr(-1.25), High: ptr(25.95), Flagged: true}}},
		Pop: &popValues{Reliability: []ReliabilityRow{{Key: "c", Alpha: ptr(0.8149)}},
			Drivers: Drivers{Rows: []DriverRow{{Key: "c", Score: score, BelowIndex: 0.04999, ENPS: &Correlation{R: 0.4567, N: 31}}}}}}
	before, _ := json.Marshal(orig)
	cv := orig
	roundValues(&cv)
	if after, _ := json.Marshal(orig); !bytes.Equal(before, after) {
		t.Fatalf("the original changed:\n%s\n%s", before, after)
	}
	got, _ := json.Marshal(cv)
	for _, want := range []string{`"mean":3.67`, `"favourable":0.333`, `"low":0.062`, `"high":0.792`, `"distribution":[1,0,2]`,
		`"score":66.7`, `"value":0.429`, `"value":12.3`, `"low":-1.3`, `"high":26`, `"flagged":true`, `"alpha":0.81`,
		`"below_index":0,`, `"r":0.46,"n":31`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("rounded cell lacks %s: %s", want, got)
		}
	}
}

// Every number of every view of the demo organisation — waves 1 and 2
// closed, wave 3 open — carries at most its stated decimals, and counts are
// whole numbers.
func TestReleasedDecimalsOnDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo")
	}
	d := openDB(t, "sqlite")
	ctx := context.Background()
	now := time.Now().UTC()
	res, err := demo.Seed(ctx, d, demo.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	store := survey.NewStore(d.Gorm)
	eng := New(store, kernel.ClockFunc(func() time.Time { return now }))
	sv, err := store.GetSurvey(ctx, res.SurveyID)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("demo seeded in %v", time.Since(now))
	// Per wave: the whole wave, each breakdown, and each dimension's first
	// option as a filter broken down by another dimension.
	var queries []Query
	dems := sv.Design.Demographics
	for wave := 1; wave <= demo.Waves; wave++ {
		queries = append(queries, Query{Wave: wave})
		for i, dm := range dems {
			queries = append(queries, Query{Wave: wave, By: dm.Key},
				Query{Wave: wave, By: dems[(i+1)%len(dems)].Key, Filter: &Filter{dm.Key, dm.Options[0]}})
		}
	}
	start := time.Now()
	checked := 0
	for _, q := range queries {
		r, err := eng.Release(ctx, res.SurveyID, q)
		var qe *kernel.QueryError
		if errors.As(err, &qe) {
			continue // e.g. two sensitive dimensions
		}
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		checked += checkDecimals(t, fmt.Sprintf("release %+v", q), r)
	}
	for _, by := range []string{"", sv.Design.Demographics[0].Key} {
		tr, err := eng.Trend(ctx, res.SurveyID, Query{By: by})
		if err != nil {
			t.Fatal(err)
		}
		checked += checkDecimals(t, "trend by "+by, tr)
	}
	t.Logf("%d numbers of %d views in %v", checked, len(queries), time.Since(start))
	if checked < 10000 {
		t.Errorf("only %d numbers checked", checked)
	}
}

// checkDecimals walks v's JSON and checks each number against the decimals
// its field may carry; it returns how many numbers it checked.
func checkDecimals(t *testing.T, where string, v any) int {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	var walk func(path string, field string, parent map[string]any, x any)
	walk = func(path, field string, parent map[string]any, x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, y := range x {
				walk(path+"."+k, k, x, y)
			}
		case []any:
			for i, y := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), field, parent, y)
			}
		case json.Number:
			n++
			allowed := allowedDecimals(path, field, parent)
			if got := decimals(x.String()); got > allowed {
				t.Errorf("%s: %s = %s has %d decimals, at most %d allowed", where, path, x, got, allowed)
			}
		}
	}
	walk("", "", nil, doc)
	return n
}

// allowedDecimals is the rounding of round.go, named by JSON field.
func allowedDecimals(path, field string, parent map[string]any) int {
	switch field {
	case "favourable", "neutral", "unfavourable":
		return shareDecimals
	case "low", "high":
		if _, ok := parent["favourable"]; ok {
			return shareDecimals // Wilson bounds of a share
		}
		return pointDecimals // a gap's or change's interval
	case "value":
		if strings.Contains(path, ".participation.") {
			return shareDecimals
		}
		return pointDecimals
	case "score", "below_index":
		return pointDecimals
	case "mean":
		return meanDecimals
	case "alpha", "mean_r", "r":
		return coefDecimals
	case "practical_gap_points":
		return 2 // a setting, not a statistic
	}
	return 0 // counts and everything else: whole numbers
}
