package survey_test

import (
	"context"
	"slices"
	"testing"

	"github.com/allypulse/allypulse/survey"
)

// TestCustomItemTextIsCleaned checks that a custom item's texts follow the
// rules of the survey's own texts: invisible text is empty, lookalike options
// repeat each other, control characters are refused.
func TestCustomItemTextIsCleaned(t *testing.T) {
	ctx := context.Background()
	st := sqliteStore(t)
	for _, tc := range []struct {
		in    survey.CustomItemInput
		field string
	}{
		{survey.CustomItemInput{Text: "\u200b\u200b", Scale: "agree5", Construct: "belonging"}, "text"},
		{survey.CustomItemInput{Text: "I ring\x07 the bell.", Scale: "agree5", Construct: "belonging"}, "text"},
		{survey.CustomItemInput{Text: "Which site?", Scale: "single", Construct: "belonging", Options: []string{"North site", "North\u00a0site"}}, "options[1]"},
		{survey.CustomItemInput{Text: "Which site?", Scale: "single", Construct: "belonging", Options: []string{"North", "\u2060"}}, "options[1]"},
		{survey.CustomItemInput{Text: "Rituals matter.", Scale: "agree5", NewConstruct: &survey.CustomConstructInput{Key: "rituals", Name: "\u200e"}}, "new_construct.name"},
	} {
		_, err := st.AddCustomItem(ctx, tc.in, "lead", designNow)
		if got := fieldsOf(t, err); !slices.Contains(got, tc.field) {
			t.Errorf("%+v: fields %q, want %s", tc.in, got, tc.field)
		}
	}
	it, err := st.AddCustomItem(ctx, survey.CustomItemInput{Text: " My team\u00a0 celebrates\nsmall wins. ", Scale: "agree5", Construct: "belonging"}, "lead", designNow)
	if err != nil {
		t.Fatal(err)
	}
	if it.Text != "My team celebrates small wins." {
		t.Errorf("text = %q, want its spaces folded", it.Text)
	}
}
