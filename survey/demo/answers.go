package demo

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
)

// The built-in inclusion gaps, in scale points on the 1–5 agreement scale.
// Each entry moves one competency for one group; the trend entries change
// per wave after the first. They are the story the dashboard should tell:
//   - women and Black colleagues rate fairness lower, and the gap for women
//     narrows over the three waves;
//   - non-binary colleagues feel less belonging and less able to be
//     themselves;
//   - Asian colleagues have less voice in decisions;
//   - Operations loses psychological safety from wave to wave;
//   - remote workers feel less belonging;
//   - the People team is more positive about everything.
type effect struct {
	dim, option, construct string
	points, perWave        float64
}

var effects = []effect{
	{DimGender, "Woman", "fairness", -0.55, 0.18},
	{DimGender, "Woman", "decisions", -0.25, 0},
	{DimGender, "Woman", "voice", -0.2, 0},
	{DimGender, "Non-binary", "belonging", -0.8, 0},
	{DimGender, "Non-binary", "authenticity", -0.9, 0},
	{DimGender, "Non-binary", "fairness", -0.4, 0},
	{DimEthnicity, "Black", "fairness", -0.75, 0},
	{DimEthnicity, "Black", "belonging", -0.4, 0},
	{DimEthnicity, "Black", "authenticity", -0.35, 0},
	{DimEthnicity, "Asian", "voice", -0.4, 0},
	{DimEthnicity, "Asian", "decisions", -0.35, 0},
	{DimEthnicity, "Mixed or multiple", "authenticity", -0.3, 0},
	{DimEthnicity, "Other ethnic group", "fairness", -0.3, 0},
	{DimDepartment, "Sales", "fairness", -0.35, 0},
	{DimDepartment, "Sales", "courage", -0.3, 0},
	{DimDepartment, "Operations", "voice", -0.35, -0.2},
	{DimDepartment, "Operations", "decisions", -0.3, 0},
	{DimDepartment, "Engineering", "decisions", 0.15, 0},
	{DimDepartment, "Finance", "authenticity", -0.2, 0},
	{DimDepartment, "People", "*", 0.35, 0},
	{DimDepartment, "Legal", "*", -0.2, 0},
	{DimLocation, "Remote", "belonging", -0.5, 0},
	{DimLocation, "Remote", "decisions", -0.2, 0},
	{DimTenure, "Less than 1 year", "belonging", -0.3, 0},
	{DimTenure, "More than 5 years", "courage", 0.15, 0},
	// The whole organisation improves a little each wave.
	{"*", "*", "*", 0, 0.1},
}

// attribute returns the person's option for a demographic key.
func (p Person) attribute(dim string) string {
	switch dim {
	case DimDepartment:
		return p.Department
	case DimLocation:
		return p.Location
	case DimTenure:
		return p.Tenure
	case DimGender:
		return p.Gender
	case DimEthnicity:
		return p.Ethnicity
	}
	return ""
}

// shift is the sum of the effects on construct for p in wave (1-based).
func (p Person) shift(construct string, wave int) float64 {
	s := 0.0
	for _, e := range effects {
		if e.dim != "*" && p.attribute(e.dim) != e.option {
			continue
		}
		if e.construct != "*" && e.construct != construct {
			continue
		}
		s += e.points + e.perWave*float64(wave-1)
	}
	return s
}

// marginalised reports whether p belongs to a group the demo's gaps hit
// hardest; they witness more bias, carry more of the speaking up and feel
// the penalty for it more.
func (p Person) marginalised() bool {
	return p.Gender == "Non-binary" || p.Ethnicity == "Black" || p.Gender == "Woman" && p.Ethnicity != "White"
}

// scale5 rounds a latent value onto 1..5.
func scale5(x float64) int {
	return int(math.Max(1, math.Min(5, math.Round(x))))
}

// Answers draws p's answers to every item of the demo design in wave.
func (p Person) Answers(rng *rand.Rand, fw framework.Framework, items []string, wave int) map[string]survey.AnswerValue {
	out := make(map[string]survey.AnswerValue, len(items))
	witnessed := rng.Float64() < 0.42+0.18*b2f(p.marginalised())
	overall := 0.0
	for _, c := range []string{"belonging", "authenticity", "voice", "fairness", "decisions", "courage"} {
		overall += p.shift(c, wave)
	}
	overall /= 6
	// A per-construct disposition makes the items of one competency agree
	// with each other, as real answers do.
	own := map[string]float64{}
	ownOf := func(construct string) float64 {
		v, ok := own[construct]
		if !ok {
			v = rng.NormFloat64() * 0.45
			own[construct] = v
		}
		return v
	}
	for _, key := range items {
		it, ok := fw.Item(key)
		if !ok {
			continue
		}
		if key == framework.ScreenWitnessed {
			out[key] = survey.ChoiceAnswer(map[bool]string{true: "Yes", false: "No"}[witnessed])
			continue
		}
		if it.GatedBy != "" && !witnessed {
			continue // the form skips the ally items after "No"
		}
		if rng.Float64() < 0.02 {
			continue // people skip the odd question
		}
		switch {
		case it.Construct == "outcome" && it.Scale == framework.ScaleNPS:
			x := 7.2 + 2.2*(p.Mood+overall) + rng.NormFloat64()*1.4 + 0.15*float64(wave-1)
			out[key] = survey.ScaleAnswer(int(math.Max(0, math.Min(10, math.Round(x)))))
		case it.Construct == "outcome":
			out[key] = survey.ScaleAnswer(scale5(3.7 + p.Mood + 0.8*overall + rng.NormFloat64()*0.8))
		case it.Perspective != "":
			if rng.Float64() < 0.08 {
				out[key] = survey.NotApplicable()
				continue
			}
			out[key] = survey.ScaleAnswer(scale5(p.behaviour(it, wave) + rng.NormFloat64()*0.8))
		case it.Construct == "access":
			out[key] = survey.ScaleAnswer(scale5(p.access(key) + rng.NormFloat64()*0.8))
		case it.Construct == "barrier":
			out[key] = survey.ScaleAnswer(scale5(p.barrier(key) + rng.NormFloat64()*0.8))
		default:
			x := scale5(3.75 + p.Mood + ownOf(it.Construct) + p.shift(it.Construct, wave) + rng.NormFloat64()*0.6)
			if it.Reverse {
				x = 6 - x // the statement is negative: disagreeing is favourable
			}
			out[key] = survey.ScaleAnswer(x)
		}
	}
	return out
}

// behaviour is the latent frequency of an ally or advocate behaviour: people
// report doing it themselves more often than others experience it.
func (p Person) behaviour(it framework.Item, wave int) float64 {
	base := 3.3
	if strings.HasPrefix(it.Behaviour, "advocate.") {
		base = 2.9
	}
	switch it.Behaviour {
	case "ally.affirm":
		base += 0.3
	case "ally.deescalate":
		base -= 0.2
	}
	if it.Perspective == framework.PerspectiveSelf {
		return base + 0.6*p.Ally
	}
	return base - 0.5 + 0.4*p.Mood - 0.3*b2f(p.marginalised()) + 0.12*float64(wave-1)
}

// access is the latent agreement with a development access item.
func (p Person) access(key string) float64 {
	x := 3.3 + 0.6*p.Mood
	if key == "access.mentor" {
		x += 0.3
	}
	if key == "access.sponsor" || key == "access.advocate" {
		switch {
		case p.Ethnicity == "Black":
			x -= 0.7
		case p.Gender == "Woman", p.Gender == "Non-binary":
			x -= 0.45
		case p.Ethnicity == "Asian":
			x -= 0.3
		}
	}
	if p.Tenure == "Less than 1 year" {
		x -= 0.4
	}
	return x
}

// barrier is the latent agreement with a barrier item (agreeing is bad).
func (p Person) barrier(key string) float64 {
	m := b2f(p.marginalised())
	switch key {
	case "barrier.penalty":
		return 2.6 + 0.6*m - 0.5*p.Mood + 0.35*b2f(p.Department == "Sales")
	case "barrier.wrong":
		return 3.0 + 0.45*b2f(p.Gender == "Man" && p.Ethnicity == "White")
	case "barrier.fatigue":
		return 2.2 + 0.9*m
	}
	return 2.9 - 0.6*p.Mood
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Demographics draws what p reports about themselves. The department is
// left out when the invitation fixes it (fixed true).
func (p Person) Demographics(rng *rand.Rand, departmentFixed bool) map[string]string {
	out := map[string]string{}
	if !departmentFixed {
		out[DimDepartment] = p.Department
	}
	for _, dim := range []string{DimLocation, DimTenure} {
		if rng.Float64() < 0.97 {
			out[dim] = p.attribute(dim)
		}
	}
	for _, dim := range []string{DimGender, DimEthnicity} {
		switch {
		case !p.Discloses:
			out[dim] = survey.PreferNotToSay
		case rng.Float64() < 0.98:
			out[dim] = p.attribute(dim)
		}
	}
	return out
}
