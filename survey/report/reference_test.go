package report

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/allypulse/allypulse/survey"
)

const z = 1.959963984540054

// wilsonRef is the Wilson interval written out from docs/statistics.md.
func wilsonRef(x, n int) (lo, hi float64) {
	p, fn := float64(x)/float64(n), float64(n)
	centre := (p + z*z/(2*fn)) / (1 + z*z/fn)
	half := z * math.Sqrt(p*(1-p)/fn+z*z/(4*fn*fn)) / (1 + z*z/fn)
	return math.Max(0, centre-half), math.Min(1, centre+half)
}

func near(t *testing.T, name string, got *float64, want, tol float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: missing, want %.10g", name, want)
		return
	}
	if math.Abs(*got-want) > tol {
		t.Errorf("%s = %.10g, want %.10g (±%g)", name, *got, want, tol)
	}
}

// exactly checks a released value against its reference rounded as the
// release rounds it (round.go): the rounded value is exact, no tolerance.
func exactly(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: missing, want %v", name, want)
		return
	}
	if *got != want {
		t.Errorf("%s = %v, want %v", name, *got, want)
	}
}

func itemRow(t *testing.T, r *Release, key string) ItemRow {
	t.Helper()
	for _, it := range r.Items {
		if it.Key == key {
			return it
		}
	}
	t.Fatalf("no item %s", key)
	return ItemRow{}
}

// The Wilson reference values of docs/statistics.md, through the engine.
func TestReferenceWilson(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend, attackDesign())
			var pop []person
			for i := 0; i < 263; i++ {
				p := person{demo: map[string]string{}, answers: map[string]int{"belonging.1": 2}}
				if i < 81 {
					p.answers["belonging.1"] = 4
				}
				if i < 148 {
					p.answers["belonging.3"] = 1
					if i < 15 {
						p.answers["belonging.3"] = 5
					}
				}
				if i < 20 {
					p.answers["voice.1"] = 3
				}
				if i < 29 {
					p.answers["outcome.enps"] = 5
					if i == 0 {
						p.answers["outcome.enps"] = 10
					}
				}
				pop = append(pop, p)
			}
			f.add(f.wave, pop...)
			f.closeWave(f.wave)
			r := f.release(Query{})
			for _, c := range []struct {
				item string
				x, n int
				// The docs/statistics.md references (0.2553, 0.3662, ...) as
				// released: one decimal on the 0–100 scale.
				fav, refLo, rh float64
			}{
				{"belonging.1", 81, 263, 0.308, 0.255, 0.366},
				{"belonging.3", 15, 148, 0.101, 0.062, 0.16},
				{"voice.1", 0, 20, 0, 0, 0.161},
				{"outcome.enps", 1, 29, 0.034, 0.006, 0.172},
			} {
				cell := itemRow(t, r, c.item).Overall
				if cell.N != c.n {
					t.Errorf("%s n = %d, want %d", c.item, cell.N, c.n)
				}
				lo, hi := wilsonRef(c.x, c.n)
				exactly(t, c.item+" favourable", cell.Favourable, roundTo(float64(c.x)/float64(c.n), shareDecimals))
				exactly(t, c.item+" low", cell.Low, roundTo(lo, shareDecimals))
				exactly(t, c.item+" high", cell.High, roundTo(hi, shareDecimals))
				exactly(t, c.item+" favourable (reference)", cell.Favourable, c.fav)
				exactly(t, c.item+" low (reference)", cell.Low, c.refLo)
				exactly(t, c.item+" high (reference)", cell.High, c.rh)
			}
			// eNPS of the 29: one promoter, 28 detractors: −93.10…
			exactly(t, "eNPS", r.ENPS.Overall.Value, -93.1)
		})
	}
}

// The Newcombe reference of docs/statistics.md as an inclusion gap: Sales 56/70
// against the rest of the wave 48/80 (including "Prefer not to say").
func TestReferenceNewcombeGap(t *testing.T) {
	f := newFixture(t, "sqlite", attackDesign())
	f.add(f.wave, concat(grp(56, 4, "dept", "Sales"), grp(14, 2, "dept", "Sales"),
		grp(43, 5, "dept", "Engineering"), grp(32, 1, "dept", "Engineering"),
		grp(5, 5, "dept", survey.PreferNotToSay))...)
	f.closeWave(f.wave)
	g, err := f.engine.Gaps(context.Background(), f.sv.ID, Query{By: "dept"})
	if err != nil {
		t.Fatal(err)
	}
	var voice GapRow
	for _, row := range g.Rows {
		if row.Key == "voice" {
			voice = row
		}
	}
	sales := voice.Groups[0]
	exactly(t, "d", sales.Value, 20)
	exactly(t, "L", sales.Low, 5.2)   // 5.24 in docs/statistics.md
	exactly(t, "U", sales.High, 33.4) // 33.39
	if !sales.Flagged {
		t.Error("a 20-point gap whose interval excludes 0 is not flagged")
	}
	// Engineering: 43/75 against 61/75.
	eng := voice.Groups[1]
	exactly(t, "eng d", eng.Value, -24)
}

// refDesign has a reverse-keyed item, two competencies and both outcomes.
func refDesign() survey.Design {
	d := attackDesign()
	d.Items = []string{"belonging.1", "belonging.2", "belonging.3", "voice.1", "voice.2", "outcome.enps", "outcome.stay"}
	return d
}

// Scores, pooled favourable, index, eNPS, reliability and drivers against
// the definitions written out independently of the engine.
func TestReferenceScoresAndPopulationStats(t *testing.T) {
	f := newFixture(t, "sqlite", refDesign())
	rng := rand.New(rand.NewPCG(7, 11))
	var pop []person
	for i := 0; i < 60; i++ {
		p := person{demo: map[string]string{"dept": []string{"Sales", "Engineering"}[i%2]}, answers: map[string]int{}}
		for _, key := range []string{"belonging.1", "belonging.2", "belonging.3", "voice.1", "voice.2", "outcome.stay"} {
			if rng.IntN(6) > 0 {
				p.answers[key] = 1 + rng.IntN(5)
			}
		}
		p.answers["outcome.enps"] = rng.IntN(11)
		pop = append(pop, p)
	}
	f.add(f.wave, pop...)
	f.closeWave(f.wave)
	r := f.release(Query{})

	comps := map[string][]string{"belonging": {"belonging.1", "belonging.2", "belonging.3"}, "voice": {"voice.1", "voice.2"}}
	recode := func(key string, v int) int {
		if key == "belonging.2" {
			return 6 - v
		}
		return v
	}
	index := 0.0
	for _, row := range r.Competencies {
		items := comps[row.Key]
		sum, n, fav, answers := 0.0, 0, 0, 0
		var rows [][]float64
		for _, p := range pop {
			vals := []float64{}
			for _, key := range items {
				if v, ok := p.answers[key]; ok {
					rv := recode(key, v)
					vals = append(vals, float64(rv))
					answers++
					if rv >= 4 {
						fav++
					}
				}
			}
			if 2*len(vals) >= len(items) {
				m := 0.0
				for _, v := range vals {
					m += v
				}
				sum += m / float64(len(vals))
				n++
			}
			if len(vals) == len(items) {
				rows = append(rows, vals)
			}
		}
		score := (sum/float64(n) - 1) / 4 * 100
		index += score / 2
		exactly(t, row.Key+" score", row.Overall.Score, roundTo(score, pointDecimals))
		exactly(t, row.Key+" favourable", row.Overall.Favourable, roundTo(float64(fav)/float64(answers), shareDecimals))
		if row.Overall.N != n || row.Overall.Answers != answers {
			t.Errorf("%s n=%d answers=%d, want %d %d", row.Key, row.Overall.N, row.Overall.Answers, n, answers)
		}
		for _, rel := range r.Reliability {
			if rel.Key == row.Key {
				exactly(t, row.Key+" alpha", rel.Alpha, roundTo(alphaRef(rows), coefDecimals))
				if rel.N != len(rows) {
					t.Errorf("%s alpha n=%d, want %d", row.Key, rel.N, len(rows))
				}
			}
		}
	}
	// The index is the mean of the full-precision scores, then rounded.
	exactly(t, "index", r.Index.Overall.Score, roundTo(index, pointDecimals))
	prom, det := 0, 0
	for _, p := range pop {
		switch v := p.answers["outcome.enps"]; {
		case v >= 9:
			prom++
		case v <= 6:
			det++
		}
	}
	exactly(t, "eNPS", r.ENPS.Overall.Value, roundTo(100*float64(prom-det)/60, pointDecimals))
	if len(r.Drivers.Rows) != 2 {
		t.Fatalf("drivers for 60 respondents: %+v", r.Drivers)
	}
	for _, d := range r.Drivers.Rows {
		if d.ENPS == nil || d.ENPS.R < -1 || d.ENPS.R > 1 || d.ENPS.N == 0 {
			t.Errorf("driver %s: %+v", d.Key, d.ENPS)
		}
	}

	// Exactly 30 respondents still get drivers.
	sales := f.release(Query{Filter: &Filter{"dept", "Sales"}})
	if len(sales.Drivers.Rows) != 2 {
		t.Errorf("drivers for 30 respondents: %+v", sales.Drivers)
	}
}

// alphaRef is Cronbach's alpha written out with sample variances.
func alphaRef(rows [][]float64) float64 {
	k, n := len(rows[0]), float64(len(rows))
	variance := func(xs []float64) float64 {
		m := 0.0
		for _, x := range xs {
			m += x
		}
		m /= n
		s := 0.0
		for _, x := range xs {
			s += (x - m) * (x - m)
		}
		return s / (n - 1)
	}
	sumVar := 0.0
	totals := make([]float64, len(rows))
	for j := 0; j < k; j++ {
		col := make([]float64, len(rows))
		for i, r := range rows {
			col[i] = r[j]
			totals[i] += r[j]
		}
		sumVar += variance(col)
	}
	fk := float64(k)
	return fk / (fk - 1) * (1 - sumVar/variance(totals))
}

// Reliability is "—" below 10 respondents; participation uses the expected
// headcount of an open link.
func TestReliabilityBelowTenAndHeadcount(t *testing.T) {
	f := newFixture(t, "sqlite", refDesign())
	f.sv.ExpectedHeadcount = 18
	if err := f.store.UpdateSurvey(context.Background(), f.sv, survey.StatusLaunched); err != nil {
		t.Fatal(err)
	}
	pop := grp(9, 4, "dept", "Sales")
	for i := range pop {
		pop[i].answers["belonging.2"] = 1 + i%5
		pop[i].answers["belonging.1"] = 1 + (i*3)%5
	}
	f.add(f.wave, pop...)
	r := f.release(Query{})
	for _, rel := range r.Reliability {
		if rel.Alpha != nil || rel.N != 0 || rel.Reason == "" {
			t.Errorf("alpha of 9 respondents shown: %+v", rel)
		}
	}
	if len(r.Drivers.Rows) != 0 || r.Drivers.Reason == "" {
		t.Errorf("drivers of 9 respondents shown: %+v", r.Drivers)
	}
	exactly(t, "participation", r.Participation.Overall.Value, 0.5)
	if r.Participation.Source != "expected_headcount" || r.Participation.Invited != 18 {
		t.Errorf("participation %+v", r.Participation)
	}
}

// The trend compares published values and flags a change by the gap rule.
func TestTrendFlagsChange(t *testing.T) {
	f := newFixture(t, "sqlite", attackDesign())
	f.add(f.wave, concat(grp(30, 4, "dept", "Sales"), grp(70, 2, "dept", "Sales"))...)
	f.closeWave(f.wave)
	w2 := f.addWave(2)
	f.add(w2, concat(grp(70, 4, "dept", "Sales"), grp(30, 2, "dept", "Sales"))...)
	tr, err := f.engine.Trend(context.Background(), f.sv.ID, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Waves) != 2 {
		t.Fatalf("waves %+v", tr.Waves)
	}
	for _, s := range tr.Series {
		if s.Key != "voice" || s.Group != "" {
			continue
		}
		exactly(t, "wave 1", s.Points[0].Favourable, 0.3)
		exactly(t, "wave 2", s.Points[1].Favourable, 0.7)
		exactly(t, "change", s.Changes[1].Value, 40)
		if !s.Changes[1].Flagged {
			t.Error("a 40-point change is not flagged")
		}
		return
	}
	t.Fatal("no voice series")
}
