// Package demo builds a synthetic organisation and runs it through the real
// survey lifecycle and response intake, so a newcomer sees a living
// dashboard after one command. Everything is drawn from a seeded math/rand:
// the same seed gives the same people and the same answers.
package demo

import (
	"math/rand/v2"
)

// Demographic keys and options of the demo survey.
const (
	DimDepartment = "department"
	DimLocation   = "location"
	DimTenure     = "tenure"
	DimGender     = "gender"
	DimEthnicity  = "ethnicity"
)

// Departments with their headcounts. Legal is deliberately tiny: it is
// always below the minimum group size and must be suppressed.
var departments = []struct {
	name  string
	count int
}{
	{"Engineering", 190},
	{"Sales", 120},
	{"Operations", 110},
	{"Marketing", 62},
	{"Finance", 44},
	{"People", 30},
	{"Legal", 4},
}

// LegalDepartment is the department smaller than k.
const LegalDepartment = "Legal"

// weighted is an option with its share of the organisation.
type weighted struct {
	option string
	weight float64
}

var (
	locations = []weighted{{"London", 0.45}, {"Manchester", 0.25}, {"Berlin", 0.18}, {"Remote", 0.12}}
	tenures   = []weighted{{"Less than 1 year", 0.18}, {"1 to 3 years", 0.34}, {"3 to 5 years", 0.24}, {"More than 5 years", 0.24}}
	genders   = []weighted{{"Woman", 0.44}, {"Man", 0.52}, {"Non-binary", 0.04}}
	// Ethnicity categories follow the UK census groups.
	ethnicities = []weighted{{"Asian", 0.16}, {"Black", 0.09}, {"Mixed or multiple", 0.05}, {"White", 0.66}, {"Other ethnic group", 0.04}}
)

// options lists the option labels of a weighted list.
func options(ws []weighted) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.option
	}
	return out
}

// pick draws one option by weight.
func pick(rng *rand.Rand, ws []weighted) string {
	total := 0.0
	for _, w := range ws {
		total += w.weight
	}
	x := rng.Float64() * total
	for _, w := range ws {
		if x < w.weight {
			return w.option
		}
		x -= w.weight
	}
	return ws[len(ws)-1].option
}

// Person is one synthetic employee: the attributes they would report and a
// latent disposition that moves all their answers a little.
type Person struct {
	Department string
	Location   string
	Tenure     string
	Gender     string
	Ethnicity  string
	// Mood is the person's general disposition (standard normal × 0.5).
	Mood float64
	// Ally is how much this person acts as an ally (standard normal).
	Ally float64
	// Discloses is false for a person who answers "Prefer not to say" to
	// the sensitive questions.
	Discloses bool
	// Engaged is the chance this person answers a given wave.
	Engaged float64
}

// Population draws the organisation: every department's headcount, each
// person's attributes by the organisation's shares.
func Population(seed uint64) []Person {
	rng := rand.New(rand.NewPCG(seed, 0x616c6c79))
	var people []Person
	for _, d := range departments {
		for i := 0; i < d.count; i++ {
			p := Person{
				Department: d.name,
				Location:   pick(rng, locations),
				Tenure:     pick(rng, tenures),
				Gender:     pick(rng, genders),
				Ethnicity:  pick(rng, ethnicities),
				Mood:       rng.NormFloat64() * 0.5,
				Ally:       rng.NormFloat64(),
				Discloses:  rng.Float64() > 0.06,
				Engaged:    0.55 + 0.45*rng.Float64(),
			}
			// Sales and Engineering sit mostly in the offices; the People
			// team is in London.
			if d.name == "People" {
				p.Location = "London"
			}
			people = append(people, p)
		}
	}
	return people
}

// Headcount is the organisation's size.
func Headcount() int {
	n := 0
	for _, d := range departments {
		n += d.count
	}
	return n
}
