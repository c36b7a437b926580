package stats

import (
	"math"
	"testing"
)

// Tolerances: doc is the 4-decimal rounding of docs/statistics.md, exact is
// for references computed independently in python3 double precision or exactly.
const (
	tolDoc   = 1e-4 / 2
	tolExact = 1e-9
)

// assertNear fails the test when got differs from want by more than tol.
func assertNear(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.12g, want %.12g (±%g)", name, got, want, tol)
	}
}

// assertInterval checks both ends of an interval against want.
func assertInterval(t *testing.T, name string, got, want Interval, tol float64) {
	t.Helper()
	assertNear(t, name+".Low", got.Low, want.Low, tol)
	assertNear(t, name+".High", got.High, want.High, tol)
}
