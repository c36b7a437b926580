package stats

import "testing"

func TestFlagged(t *testing.T) {
	d, iv := Newcombe(56, 70, 48, 80)             // d = 0.2, [0.0524, 0.3339]
	_, wide := Newcombe(3, 5, 2, 5)               // d = 0.2, interval spans 0
	d5, iv5 := Newcombe(1500, 10000, 1000, 10000) // d = 0.15-0.1 = 0.04999999999999999 in float64
	cases := []struct {
		name string
		iv   Interval
		d    float64
		min  float64
		want bool
	}{
		{"excludes 0, large", iv, d, 0.05, true},
		{"excludes 0, below practical minimum", iv, d, 0.25, false},
		{"interval spans 0", wide, 0.2, 0.05, false},
		{"negative gap", Interval{-0.3, -0.1}, -0.2, 0.05, true},
		{"touches 0", Interval{0, 0.3}, 0.15, 0.05, false},
		{"exactly the minimum despite rounding", iv5, d5, 0.05, true},
	}
	for _, c := range cases {
		if got := Flagged(c.iv, c.d, c.min); got != c.want {
			t.Errorf("%s: Flagged(%+v, %g, %g) = %v, want %v", c.name, c.iv, c.d, c.min, got, c.want)
		}
	}
}
