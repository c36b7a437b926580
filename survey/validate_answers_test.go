package survey

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey/framework"
)

// FuzzValidateSubmission decodes arbitrary JSON as a submission and validates
// it: it must never panic, and an accepted submission must encode every
// answer inside its scale.
func FuzzValidateSubmission(f *testing.F) {
	for _, s := range []string{
		`{"answers":{"belonging.1":4,"screen.witnessed":"Yes","ally.confront.self":"na"}}`,
		`{"answers":{"belonging.1":4.5},"demographics":{"department":"Sales"}}`,
		`{"answers":{"outcome.enps":0},"comments":{"general":"call 555 123 4567"}}`,
		`{"answers":{"belonging.1":true,"x":null,"y":[1]}}`,
		`{"answers":{"screen.witnessed":"No","ally.confront.self":3}}`,
		`{"answers":{"screen.witnessed":"No","ally.confront.self":null}}`,
		`{}`,
	} {
		f.Add(s)
	}
	d := testDesign()
	items, err := askedItems(framework.BuiltIn(), d, Wave{Items: d.Items})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var sub Submission
		if json.Unmarshal([]byte(body), &sub) != nil {
			return
		}
		enc, err := validateSubmission(d, items, nil, sub)
		var ve *kernel.ValidationError
		if err != nil {
			if !errors.As(err, &ve) || len(ve.Fields) == 0 {
				t.Fatalf("error %v is not a field error", err)
			}
			seen := map[string]bool{}
			for _, fe := range ve.Fields {
				if seen[fe.Field] {
					t.Fatalf("field %s is reported twice: %v", fe.Field, err)
				}
				seen[fe.Field] = true
			}
			return
		}
		for j, it := range items {
			b := enc.answers[it.index]
			if b == AnswerMissing || b == AnswerNA && it.scale.AllowsNA {
				continue
			}
			if v, ok := DecodeAnswer(b); it.scale.Ordinal() && (!ok || v < it.scale.Min || v > it.scale.Max) {
				t.Fatalf("item %d encoded %d outside its scale", j, b)
			}
		}
	})
}
