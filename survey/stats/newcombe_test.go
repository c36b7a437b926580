package stats

import (
	"math"
	"math/rand"
	"testing"
)

func TestNewcombeReference(t *testing.T) {
	d, iv := Newcombe(56, 70, 48, 80)
	// doc: docs/statistics.md (Newcombe 1998, table II example: d = 0.2, [0.0524, 0.3339]).
	assertNear(t, "d", d, 0.2, tolExact)
	assertInterval(t, "Newcombe(56,70,48,80)", iv, Interval{0.0524, 0.3339}, tolDoc)
	// exact: python3 with the Wilson bounds of TestWilsonReference's formula,
	//   l1,u1=w(56,70); l2,u2=w(48,80); d=p1-p2
	//   (d-sqrt((p1-l1)**2+(u2-p2)**2), d+sqrt((u1-p1)**2+(p2-l2)**2))
	assertInterval(t, "Newcombe(56,70,48,80)", iv, Interval{0.05243147240236498, 0.333872654036906}, tolExact)
}

func TestNewcombeSymmetry(t *testing.T) {
	// Swapping the groups negates d and mirrors the interval.
	d, iv := Newcombe(56, 70, 48, 80)
	d2, iv2 := Newcombe(48, 80, 56, 70)
	assertNear(t, "-d", d2, -d, tolExact)
	assertInterval(t, "mirrored", iv2, Interval{-iv.High, -iv.Low}, tolExact)
}

func TestNewcombeUnusableInputs(t *testing.T) {
	for _, c := range [][4]int{{0, 0, 1, 2}, {1, 2, 0, 0}, {3, 2, 1, 2}, {-1, 2, 1, 2}} {
		d, iv := Newcombe(c[0], c[1], c[2], c[3])
		if d != 0 || iv != (Interval{}) {
			t.Errorf("Newcombe%v = %g %+v, want zero values", c, d, iv)
		}
	}
}

func TestNewcombeProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for range 20000 {
		n1, n2 := 1+rng.Intn(2000), 1+rng.Intn(2000)
		checkNewcombe(t, rng.Intn(n1+1), n1, rng.Intn(n2+1), n2)
	}
}

func FuzzNewcombe(f *testing.F) {
	f.Add(56, 70, 48, 80)
	f.Add(0, 1, 1, 1)
	f.Add(0, 0, 3, 9)
	f.Add(1<<39, 1<<40, 7, 7)
	f.Fuzz(func(t *testing.T, x1, n1, x2, n2 int) {
		n1, x1 = validCounts(x1, n1)
		n2, x2 = validCounts(x2, n2)
		if n1 == 0 || n2 == 0 {
			if d, iv := Newcombe(x1, n1, x2, n2); d != 0 || iv != (Interval{}) {
				t.Fatalf("Newcombe with an empty group = %g %+v, want zero values", d, iv)
			}
			return
		}
		checkNewcombe(t, x1, n1, x2, n2)
	})
}

// checkNewcombe asserts d and its interval are finite, within [−1,1] and that
// the interval contains d.
func checkNewcombe(t *testing.T, x1, n1, x2, n2 int) {
	t.Helper()
	d, iv := Newcombe(x1, n1, x2, n2)
	if math.IsNaN(d) || math.IsNaN(iv.Low) || math.IsNaN(iv.High) {
		t.Fatalf("Newcombe(%d,%d,%d,%d) = %g %+v has NaN", x1, n1, x2, n2, d, iv)
	}
	if iv.Low < -1 || iv.High > 1 || !iv.Contains(d) {
		t.Fatalf("Newcombe(%d,%d,%d,%d) = %g %+v: out of [-1,1] or not containing d", x1, n1, x2, n2, d, iv)
	}
}
