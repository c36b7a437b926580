package stats

import "testing"

func TestScore0to100(t *testing.T) {
	for mean, want := range map[float64]float64{1: 0, 5: 100, 3: 50, 3.8: 70, 4.21: 80.25} {
		assertNear(t, "Score0to100", Score0to100(mean), want, tolExact)
	}
}

func TestRespondentScore(t *testing.T) {
	cases := []struct {
		valid []float64
		items int
		want  float64
		ok    bool
	}{
		{[]float64{4, 5}, 4, 4.5, true},  // exactly half answered
		{[]float64{4}, 3, 0, false},      // fewer than half
		{[]float64{2, 3}, 3, 2.5, true},  // two of three
		{nil, 0, 0, false},               // no items
		{[]float64{1, 2, 3}, 3, 2, true}, // all answered
	}
	for _, c := range cases {
		sum := 0.0
		for _, v := range c.valid {
			sum += v
		}
		got, ok := RespondentScore(sum, len(c.valid), c.items)
		if ok != c.ok {
			t.Errorf("RespondentScore(%v,%d) ok = %v, want %v", c.valid, c.items, ok, c.ok)
			continue
		}
		if ok {
			assertNear(t, "RespondentScore", got, c.want, tolExact)
		}
	}
}
