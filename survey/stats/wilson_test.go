package stats

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"testing"
)

func TestWilsonReference(t *testing.T) {
	// doc: the 4-decimal values of docs/statistics.md.
	// exact: python3 double precision of the same formula,
	//   z=1.959963984540054; p=x/n; c=(p+z*z/(2*n))/(1+z*z/n)
	//   h=z*sqrt(p*(1-p)/n+z*z/(4*n*n))/(1+z*z/n); (c-h, c+h)
	cases := []struct {
		x, n       int
		doc, exact Interval
	}{
		{81, 263, Interval{0.2553, 0.3662}, Interval{0.2552885198782742, 0.36620957698280004}},
		{15, 148, Interval{0.0624, 0.1605}, Interval{0.0623863995307363, 0.16048724172330803}},
		{0, 20, Interval{0, 0.1611}, Interval{0, 0.16112515805281938}},
		{1, 29, Interval{0.0061, 0.1718}, Interval{0.006113214292762653, 0.17175521879320288}},
	}
	for _, c := range cases {
		name := fmt.Sprintf("Wilson(%d,%d)", c.x, c.n)
		got := Wilson(c.x, c.n)
		assertInterval(t, name, got, c.doc, tolDoc)
		assertInterval(t, name, got, c.exact, tolExact)
	}
}

func TestWilsonBoundaryClosedForm(t *testing.T) {
	// By hand: at p = 0 the bounds are [0, z²/(n+z²)], at p = 1 [n/(n+z²), 1].
	z2 := Z95 * Z95
	for _, n := range []int{1, 7, 20, 1000} {
		fn := float64(n)
		assertInterval(t, fmt.Sprintf("Wilson(0,%d)", n), Wilson(0, n), Interval{0, z2 / (fn + z2)}, tolExact)
		assertInterval(t, fmt.Sprintf("Wilson(%d,%d)", n, n), Wilson(n, n), Interval{fn / (fn + z2), 1}, tolExact)
	}
}

func TestWilsonUnusableInputs(t *testing.T) {
	for _, c := range [][2]int{{0, 0}, {1, 0}, {-1, 5}, {6, 5}, {0, -3}} {
		if got := Wilson(c[0], c[1]); got != (Interval{}) {
			t.Errorf("Wilson(%d,%d) = %+v, want zero Interval", c[0], c[1], got)
		}
	}
}

func TestIntervalJSON(t *testing.T) {
	b, err := json.Marshal(Interval{Low: 0.25, High: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"low":0.25,"high":0.5}`; got != want {
		t.Errorf("json = %s, want %s", got, want)
	}
}

func TestWilsonProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for range 20000 {
		n := 1 + rng.Intn(5000)
		x := rng.Intn(n + 1)
		checkWilson(t, x, n)
	}
}

func FuzzWilson(f *testing.F) {
	for _, c := range [][2]int{{81, 263}, {0, 20}, {1, 29}, {0, 0}, {5, 5}, {1, 1 << 40}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, x, n int) {
		n, x = validCounts(x, n)
		if n == 0 {
			if got := Wilson(x, n); got != (Interval{}) {
				t.Fatalf("Wilson(%d,0) = %+v, want zero", x, got)
			}
			return
		}
		checkWilson(t, x, n)
	})
}

// validCounts folds arbitrary fuzz input into 0 ≤ x ≤ n with n ≥ 0.
func validCounts(x, n int) (int, int) {
	n = int(uint64(n) % (1 << 40))
	x = int(uint64(x) % uint64(n+1))
	return n, x
}

// checkWilson asserts the interval is finite, ordered, within [0,1] and contains p.
func checkWilson(t *testing.T, x, n int) {
	t.Helper()
	iv := Wilson(x, n)
	p := float64(x) / float64(n)
	if math.IsNaN(iv.Low) || math.IsNaN(iv.High) {
		t.Fatalf("Wilson(%d,%d) = %+v has NaN", x, n, iv)
	}
	if iv.Low < 0 || iv.High > 1 || iv.Low > iv.High {
		t.Fatalf("Wilson(%d,%d) = %+v outside [0,1] or unordered", x, n, iv)
	}
	if !iv.Contains(p) {
		t.Fatalf("Wilson(%d,%d) = %+v does not contain p=%g", x, n, iv, p)
	}
}
