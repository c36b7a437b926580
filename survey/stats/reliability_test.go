package stats

import (
	"math"
	"math/rand"
	"testing"
)

// reliabilityRows: 6 complete respondents × 3 items, plus rows that must be
// left out (a NaN and a short row).
var reliabilityRows = [][]float64{
	{4, 5, 4}, {3, 3, 2}, {5, 5, 5}, {2, 3, 3}, {4, 4, 5}, {1, 2, 2},
	{5, math.NaN(), 1}, {1, 5},
}

func TestCronbachAlphaReference(t *testing.T) {
	// python3 with fractions.Fraction over the 6 complete rows:
	//   item variances (n-1) = 13/6, 22/15, 19/10; variance of row totals = 226/15
	//   alpha = 3/2 * (1 - (13/6+22/15+19/10) / (226/15)) = 429/452
	alpha, n, ok := CronbachAlpha(reliabilityRows)
	if !ok || n != 6 {
		t.Fatalf("CronbachAlpha ok=%v n=%d, want ok with n=6", ok, n)
	}
	assertNear(t, "alpha", alpha, 429.0/452.0, tolExact)
}

func TestMeanInterItemRReference(t *testing.T) {
	// python3 with fractions over the 6 complete rows: r = Sxy/sqrt(Sxx*Syy),
	//   r12 = (25/3)/sqrt(65/6*22/3), r13 = (17/2)/sqrt(65/6*19/2), r23 = 7/sqrt(22/3*19/2)
	want := (25.0/3/math.Sqrt(65.0/6*22/3) + 17.0/2/math.Sqrt(65.0/6*19/2) + 7/math.Sqrt(22.0/3*19/2)) / 3
	got, ok := MeanInterItemR(reliabilityRows)
	if !ok {
		t.Fatal("MeanInterItemR not ok")
	}
	assertNear(t, "mean r", got, want, tolExact)
	assertNear(t, "mean r (python statistics.correlation)", got, 0.8704917019280393, tolExact)
}

func TestCronbachAlphaNotDefined(t *testing.T) {
	cases := map[string][][]float64{
		"no rows":          nil,
		"one respondent":   {{1, 2, 3}},
		"one item":         {{1}, {2}, {3}},
		"zero total var":   {{3, 3}, {3, 3}, {3, 3}},
		"one complete row": {{1, 2}, {1, math.NaN()}},
		"constant totals":  {{1, 5}, {5, 1}, {2, 4}},
	}
	for name, rows := range cases {
		if _, _, ok := CronbachAlpha(rows); ok {
			t.Errorf("%s: CronbachAlpha ok, want not ok", name)
		}
	}
	if _, ok := MeanInterItemR([][]float64{{3, 1}, {3, 2}, {3, 5}}); ok {
		t.Error("MeanInterItemR with a constant item pair: ok, want not ok")
	}
}

func TestCronbachAlphaAtMostOne(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for range 5000 {
		k, n := 2+rng.Intn(6), 2+rng.Intn(40)
		rows := make([][]float64, n)
		for i := range rows {
			base := rng.Intn(5)
			rows[i] = make([]float64, k)
			for j := range rows[i] {
				rows[i][j] = float64(1 + (base+rng.Intn(3))%5)
			}
		}
		alpha, _, ok := CronbachAlpha(rows)
		if ok && (math.IsNaN(alpha) || alpha > 1+1e-12) {
			t.Fatalf("alpha = %g > 1 for %v", alpha, rows)
		}
		if r, ok := MeanInterItemR(rows); ok && (r < -1 || r > 1) {
			t.Fatalf("mean r = %g out of [-1,1] for %v", r, rows)
		}
	}
}

func TestCronbachAlphaParallelItems(t *testing.T) {
	// Identical items: Σsᵢ² = k·s², s²_total = k²·s², so α = 1 exactly; r = 1.
	rows := [][]float64{{1, 1, 1, 1}, {2, 2, 2, 2}, {5, 5, 5, 5}, {4, 4, 4, 4}}
	alpha, n, ok := CronbachAlpha(rows)
	if !ok || n != 4 {
		t.Fatalf("ok=%v n=%d", ok, n)
	}
	assertNear(t, "alpha", alpha, 1, tolExact)
	r, _ := MeanInterItemR(rows)
	assertNear(t, "mean r", r, 1, tolExact)
}
