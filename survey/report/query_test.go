package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
)

// FuzzParseQuery: any by/filter/wave input either parses into a view of the
// closed lattice or is refused with a QueryError naming a parameter.
func FuzzParseQuery(f *testing.F) {
	for _, s := range [][3]string{
		{"", "", ""}, {"1", "dept", ""}, {"2", "", "dept:Sales"}, {"", "gender", "dept:Sales"},
		{"", "ethnicity", "gender:Woman"}, {"", "dept", "dept:Sales"}, {"x", "", ""}, {"-1", "", ""},
		{"", "dept,gender", ""}, {"", "", "dept:"}, {"", "", ":Sales"}, {"", "", "dept:Sales:x"},
		{"", "", "dept:Prefer not to say"}, {"", "", "site:North"}, {"99999999999", "", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	d := attackDesign()
	f.Fuzz(func(t *testing.T, wave, by, filter string) {
		p := QueryParams{}
		if wave != "" {
			p.Wave = []string{wave}
		}
		if by != "" {
			p.By = []string{by}
		}
		if filter != "" {
			p.Filter = []string{filter}
		}
		q, err := ParseQuery(d, p)
		if err != nil {
			var qe *kernel.QueryError
			if !errors.As(err, &qe) || !errors.Is(err, kernel.ErrOutsideLattice) {
				t.Fatalf("%q %q %q: %v is not a QueryError", wave, by, filter, err)
			}
			if qe.Field != "wave" && qe.Field != "by" && qe.Field != "filter" {
				t.Fatalf("error names %q", qe.Field)
			}
			return
		}
		if err := ValidateQuery(d, q); err != nil {
			t.Fatalf("parsed query %+v does not validate: %v", q, err)
		}
		dims := 0
		sensitive := 0
		if q.By != "" {
			dm, _, _ := d.Demographic(q.By)
			dims++
			if dm.Sensitive {
				sensitive++
			}
		}
		if q.Filter != nil {
			dm, _, ok := d.Demographic(q.Filter.Dimension)
			if !ok || dm.OptionIndex(q.Filter.Option) < 0 {
				t.Fatalf("filter %+v not from the design", q.Filter)
			}
			dims++
			if dm.Sensitive {
				sensitive++
			}
		}
		if dims > 2 || sensitive > 1 || (q.Filter != nil && q.Filter.Dimension == q.By) {
			t.Fatalf("query %+v outside the lattice", q)
		}
		if strings.Contains(q.By, ",") {
			t.Fatalf("multi-dimension by %q", q.By)
		}
	})
}

// Unknown parameters and repeated ones are refused by name.
func TestParseQueryRefusals(t *testing.T) {
	d := attackDesign()
	for _, c := range []struct {
		p     QueryParams
		field string
	}{
		{QueryParams{Other: []string{"from"}}, "from"},
		{QueryParams{By: []string{"dept", "site"}}, "by"},
		{QueryParams{Filter: []string{"dept:Sales", "site:North"}}, "filter"},
		{QueryParams{Wave: []string{"1", "2"}}, "wave"},
		{QueryParams{By: []string{"gender"}, Filter: []string{"ethnicity:A"}}, "by"},
	} {
		_, err := ParseQuery(d, c.p)
		var qe *kernel.QueryError
		if !errors.As(err, &qe) || qe.Field != c.field {
			t.Errorf("%+v: %v, want field %s", c.p, err, c.field)
		}
	}
	q, err := ParseQuery(d, QueryParams{Wave: []string{"2"}, By: []string{"gender"}, Filter: []string{"dept:Prefer not to say"}})
	if err != nil || q.Wave != 2 || q.By != "gender" || q.Filter.Option != survey.PreferNotToSay {
		t.Fatalf("%+v %v", q, err)
	}
	if q.String() != "wave=2&by=gender&filter=dept:Prefer not to say" {
		t.Errorf("String() = %q", q.String())
	}
	// Empty parameters mean their default, the filter like the others.
	q, err = ParseQuery(d, QueryParams{Wave: []string{""}, By: []string{""}, Filter: []string{""}})
	if err != nil || q != (Query{}) {
		t.Errorf("empty parameters: %+v %v, want the whole latest wave", q, err)
	}
}
