package testtools

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chartProblemsJS lists, in the open page, the words of svg.chart charts
// that a person could not read: under 10 px, outside their chart, or axis
// words that run into each other.
const chartProblemsJS = `(() => { const out = [];
	for (const svg of document.querySelectorAll('svg.chart')) {
		const c = svg.getBoundingClientRect();
		for (const x of svg.querySelectorAll('text')) {
			const b = x.getBoundingClientRect();
			if (b.height === 0) continue;
			if (b.height < 10) out.push('under 10 px: ' + x.textContent);
			else if (b.right > c.right + 1 || b.left < c.left - 1) out.push('outside its chart: ' + x.textContent);
		}
		const rs = [...svg.querySelectorAll('text.axis')].map(x => [x.textContent, x.getBoundingClientRect()]).filter(([, b]) => b.width > 0);
		rs.forEach(([a, p], i) => rs.slice(i + 1).forEach(([b, q]) => {
			if (p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 && q.top < p.bottom - 1) out.push('run into each other: ' + a + ' / ' + b);
		}));
	}
	return out.slice(0, 5); })()`

// ChartProblems returns what chartProblemsJS finds in the page of ctx
// (charts reflow on a phone; their words stay readable).
func ChartProblems(t testing.TB, ctx context.Context) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](chartProblemsJS))
	if err != nil {
		t.Fatalf("reading the charts: %v", err)
	}
	return out
}
