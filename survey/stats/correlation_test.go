package stats

import (
	"math"
	"math/rand"
	"testing"
)

func TestPearsonReference(t *testing.T) {
	// python3 with fractions: Sxy = 45, Sxx = 42, Syy = 60, r = 45/sqrt(2520);
	// statistics.correlation gives 0.8964214570007952.
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	y := []float64{2, 1, 4, 3, 7, 8, 6, 9}
	r, ok := Pearson(x, y)
	if !ok {
		t.Fatal("Pearson not ok")
	}
	assertNear(t, "r", r, 45/math.Sqrt(2520), tolExact)
	assertNear(t, "r (python)", r, 0.8964214570007952, tolExact)
	// r is invariant under positive affine maps and flips sign under negation.
	neg := make([]float64, len(y))
	for i, v := range y {
		neg[i] = 10 - 3*v
	}
	rn, _ := Pearson(x, neg)
	assertNear(t, "r(x, 10-3y)", rn, -r, tolExact)
}

func TestPearsonNotDefined(t *testing.T) {
	cases := map[string][2][]float64{
		"length mismatch": {{1, 2, 3}, {1, 2}},
		"one pair":        {{1}, {2}},
		"constant x":      {{2, 2, 2}, {1, 2, 3}},
		"constant y":      {{1, 2, 3}, {4, 4, 4}},
	}
	for name, c := range cases {
		if _, ok := Pearson(c[0], c[1]); ok {
			t.Errorf("%s: ok, want not ok", name)
		}
	}
}

func TestPearsonBounded(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	for range 5000 {
		n := 2 + rng.Intn(50)
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i] = float64(rng.Intn(11))
			y[i] = x[i]*rng.Float64() + float64(rng.Intn(3))
		}
		if r, ok := Pearson(x, y); ok && (math.IsNaN(r) || r < -1 || r > 1) {
			t.Fatalf("r = %g for %v %v", r, x, y)
		}
	}
}
