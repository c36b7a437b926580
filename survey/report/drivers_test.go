package report

import (
	"encoding/json"
	"math"
	"testing"
)

// driverPeople are 40 respondents of refDesign; 35 answer eNPS and only 29
// intent to stay.
func driverPeople() []person {
	var pop []person
	for i := 0; i < 40; i++ {
		p := person{demo: map[string]string{"dept": []string{"Sales", "Engineering"}[i%2]}, answers: map[string]int{
			"belonging.1": 1 + i%5, "belonging.2": 1 + (i*2)%5, "belonging.3": 1 + (i*3)%5,
			"voice.1": 1 + (i/8)%5, "voice.2": 1 + (i*7%11)%5,
		}}
		if i < 35 {
			p.answers["outcome.enps"] = (i * 3) % 11
		}
		if i < 29 {
			p.answers["outcome.stay"] = 1 + (i*i)%5
		}
		pop = append(pop, p)
	}
	return pop
}

// Driver correlations against python3 with fractions over the same rows
// (belonging.2 reverse-recoded): Sxy/√(Sxx·Syy) of respondent score and
// eNPS answer. Intent to stay has 29 pairs, fewer than the 30 a driver
// needs, so it is not reported even though the population has 40.
func TestDriverReference(t *testing.T) {
	f := newFixture(t, "sqlite", refDesign())
	f.add(f.wave, driverPeople()...)
	f.closeWave(f.wave)
	r := f.release(Query{})
	want := map[string]struct {
		r     float64
		label string
		rank  int
	}{
		// belonging: Sxy = 4, Sxx = 70/3, Syy = 1788/5; score 50.
		"belonging": {4 / math.Sqrt(70.0/3*1788/5), "lower impact, high score", 2},
		// voice: Sxy = 96/5, Sxx = 1249/35, Syy = 1788/5; score 47.5 < index 48.75.
		"voice": {96.0 / 5 / math.Sqrt(1249.0/35*1788/5), "high impact, low score", 1},
	}
	if len(r.Drivers.Rows) != 2 {
		t.Fatalf("drivers %+v", r.Drivers)
	}
	for _, d := range r.Drivers.Rows {
		w := want[d.Key]
		// Ranked on the full-precision r, released with two decimals.
		if d.ENPS == nil || d.ENPS.N != 35 || d.ENPS.R != roundTo(w.r, coefDecimals) {
			t.Errorf("%s eNPS correlation %+v, want r=%.2f (%.15g) n=35", d.Key, d.ENPS, w.r, w.r)
		}
		if d.Stay != nil {
			t.Errorf("%s intent to stay over 29 respondents reported: %+v", d.Key, d.Stay)
		}
		if d.Label != w.label || d.Rank != w.rank {
			t.Errorf("%s rank %d %q, want %d %q", d.Key, d.Rank, d.Label, w.rank, w.label)
		}
	}
}

// A handful of outcome answers among 40 respondents gives no correlation
// (two points always correlate ±1 and would relate hidden answers), and a
// competency without any correlation is not labelled high impact.
func TestDriverTooFewOutcomeAnswers(t *testing.T) {
	f := newFixture(t, "sqlite", refDesign())
	pop := driverPeople()
	for i := range pop {
		delete(pop[i].answers, "outcome.stay")
		if i > 2 {
			delete(pop[i].answers, "outcome.enps")
		}
	}
	f.add(f.wave, pop...)
	f.closeWave(f.wave)
	r := f.release(Query{})
	if !r.ENPS.Overall.Suppressed {
		t.Fatalf("eNPS of 3 answers shown: %+v", r.ENPS.Overall)
	}
	if len(r.Drivers.Rows) != 2 {
		t.Fatalf("drivers %+v", r.Drivers)
	}
	for _, d := range r.Drivers.Rows {
		if d.ENPS != nil || d.Stay != nil {
			t.Errorf("%s correlations over fewer than 30 respondents: %+v %+v", d.Key, d.ENPS, d.Stay)
		}
		if d.Label == "high impact, low score" || d.Label == "high impact, high score" {
			t.Errorf("%s without a correlation labelled %q", d.Key, d.Label)
		}
	}
}

// When everyone gives the same answers, α, the inter-item r and every
// correlation are undefined: left out with a reason, the release still
// marshals (no NaN), and no competency is labelled high impact.
func TestZeroVarianceStatistics(t *testing.T) {
	f := newFixture(t, "sqlite", refDesign())
	pop := grp(35, 4, "dept", "Sales")
	for i := range pop {
		pop[i].answers["belonging.2"] = 2 // reverse-keyed: 4 like the rest
		pop[i].answers["voice.2"] = 4
		pop[i].answers["outcome.stay"] = 4
	}
	f.add(f.wave, pop...)
	f.closeWave(f.wave)
	r := f.release(Query{})
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Competencies {
		near(t, c.Key+" score", c.Overall.Score, 75, 1e-12)
	}
	for _, rel := range r.Reliability {
		if rel.Alpha != nil || rel.MeanR != nil || rel.Reason == "" || rel.N != 35 {
			t.Errorf("reliability without variance: %+v", rel)
		}
	}
	for _, d := range r.Drivers.Rows {
		if d.ENPS != nil || d.Stay != nil || d.Label != "lower impact, high score" {
			t.Errorf("driver without variance: %+v", d)
		}
	}
}

// Respondents whose competency totals are all equal (here 13: a, 5 and
// 8 − a, with the reverse-keyed item answered 1) have no total variance:
// α is undefined, the two varying items correlate exactly −1, and the
// constant score 13/3, whose running sums do not cancel exactly in
// floating point, correlates with nothing.
func TestConstantTotalsAndScores(t *testing.T) {
	f := newFixture(t, "sqlite", refDesign())
	var pop []person
	for i := 0; i < 35; i++ {
		a := 3 + i%3
		pop = append(pop, person{demo: map[string]string{"dept": "Sales"}, answers: map[string]int{
			"belonging.1": a, "belonging.2": 1, "belonging.3": 8 - a,
			"voice.1": 1 + i%5, "voice.2": 1 + (i*3)%5, "outcome.enps": i % 11, "outcome.stay": 1 + (i*7)%5}})
	}
	f.add(f.wave, pop...)
	f.closeWave(f.wave)
	r := f.release(Query{})
	for _, rel := range r.Reliability {
		if rel.Key != "belonging" {
			continue
		}
		if rel.Alpha != nil || rel.N != 35 {
			t.Errorf("alpha of constant totals: %+v", rel)
		}
		near(t, "belonging mean r", rel.MeanR, -1, 0)
	}
	for _, d := range r.Drivers.Rows {
		if d.Key == "belonging" && (d.ENPS != nil || d.Stay != nil) {
			t.Errorf("constant score 13/3 correlated: %+v %+v", d.ENPS, d.Stay)
		}
		if d.Key == "voice" && (d.ENPS == nil || d.Stay == nil) {
			t.Errorf("voice varies but has no correlation: %+v", d)
		}
	}
}

// The same on the running sums with the rows in a fixed order, in which
// rounding (Σxᵢxⱼ − ΣxᵢΣxⱼ/n) used to leave a total variance of 1.3e−15,
// so α was reported as −4.5e15.
func TestMomentsConstantTotalsExact(t *testing.T) {
	m := newMoments(3)
	for _, a := range []float64{5, 5, 2, 3, 5, 4, 5, 1, 5, 1, 4, 3, 5, 2, 2, 4, 5, 5, 4, 4, 2, 2, 2, 5, 4} {
		m.add([]float64{a, 6 - a, 4})
	}
	row := m.reliability(compInfo{key: "belonging"})
	if row.Alpha != nil {
		t.Errorf("alpha = %g, want undefined", *row.Alpha)
	}
	near(t, "mean r", row.MeanR, -1, 0)
}
