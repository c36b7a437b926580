package stats

import "math"

// Newcombe returns the difference d = p1 − p2 of the proportions x1/n1 and
// x2/n2 with its 95 % hybrid score interval (Newcombe 1998, method 10), built
// from the two Wilson intervals (l1,u1), (l2,u2):
//
//	L = d − √((p1−l1)² + (u2−p2)²),  U = d + √((u1−p1)² + (p2−l2)²).
//
// The interval is clamped to [−1, 1]. When either group is empty or a count is
// invalid it returns zero values, which the caller must not use.
func Newcombe(x1, n1, x2, n2 int) (d float64, iv Interval) {
	if n1 <= 0 || n2 <= 0 || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2 {
		return 0, Interval{}
	}
	p1 := float64(x1) / float64(n1)
	p2 := float64(x2) / float64(n2)
	w1 := Wilson(x1, n1)
	w2 := Wilson(x2, n2)
	d = p1 - p2
	iv = Interval{
		Low:  clamp(d-math.Hypot(p1-w1.Low, w2.High-p2), -1, 1),
		High: clamp(d+math.Hypot(w1.High-p1, p2-w2.Low), -1, 1),
	}
	return d, iv
}
