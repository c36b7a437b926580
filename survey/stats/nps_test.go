package stats

import "testing"

func TestENPS(t *testing.T) {
	cases := []struct {
		p, d, n int
		want    float64
	}{
		{30, 10, 50, 40},
		{0, 8, 8, -100},
		{8, 0, 8, 100},
		{1, 2, 3, -100.0 / 3},
		{0, 0, 0, 0},
	}
	for _, c := range cases {
		assertNear(t, "ENPS", ENPS(c.p, c.d, c.n), c.want, tolExact)
	}
}
