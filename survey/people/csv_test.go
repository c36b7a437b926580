package people

import (
	"errors"
	"strings"
	"testing"
)

var dims = []Dimension{
	{Key: "dept", Label: "Department", Options: []string{"Sales", "Engineering", "Prefer not to say"}},
	{Key: "gender", Label: "Gender", Options: []string{"Woman", "Man", "Prefer not to say"}, Sensitive: true},
}

func TestParseReportsEachRow(t *testing.T) {
	in := "\uFEFFEmail,Department,gender\n" +
		"ann@example.com,sales,\n" +
		"not-an-address,Sales,Woman\n" +
		"ANN@example.com,Engineering,\n" +
		"bob@example.com,Marketing,Man\n" +
		"cy@example.com,Sales\n" +
		"\n" +
		"dee@example.org,,woman\n"
	got, problems, err := Parse(strings.NewReader(in), dims)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Email != "ann@example.com" || got[0].Attributes["dept"] != "Sales" || got[1].Attributes["gender"] != "Woman" || got[1].Line != 8 {
		t.Fatalf("rows = %+v", got)
	}
	want := []Problem{
		{Line: 3, Column: "Email"},
		{Line: 4, Column: "Email"},
		{Line: 5, Column: "Department"},
		{Line: 6, Column: ""},
	}
	if len(problems) != len(want) {
		t.Fatalf("problems = %+v", problems)
	}
	for i, w := range want {
		if problems[i].Line != w.Line || problems[i].Column != w.Column || problems[i].Reason == "" {
			t.Errorf("problem %d = %+v, want line %d column %q", i, problems[i], w.Line, w.Column)
		}
	}
	if !strings.Contains(problems[1].Reason, "line 2") {
		t.Errorf("duplicate reason = %q", problems[1].Reason)
	}
}

func TestParseRefusesWholeFiles(t *testing.T) {
	for name, in := range map[string]string{
		"empty":     "",
		"no email":  "dept\nSales\n",
		"not utf-8": "email\n\xff\xfe@example.com\n",
		"too large": "email\n" + strings.Repeat("a@example.com\n", MaxBytes/14+1),
		// The rows after an unclosed quote would vanish into one value.
		"open quote": "email,dept\na@example.com,Sales\nb@example.com,\"Sales,London\nc@example.com,Sales\nd@example.com,Sales\n",
	} {
		if _, _, err := Parse(strings.NewReader(in), dims); !errors.Is(err, ErrUnreadable) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	_, problems, err := Parse(strings.NewReader("email;team\na@example.com;x\n"), dims)
	if err != nil || len(problems) != 1 || problems[0].Line != 1 || problems[0].Column != "team" {
		t.Errorf("unknown column: %+v %v", problems, err)
	}
}

func TestGroupsRefuseSmallSegments(t *testing.T) {
	var ps []Person
	add := func(n int, attrs map[string]string) {
		for range n {
			ps = append(ps, Person{Line: len(ps) + 2, Email: "x", Attributes: attrs})
		}
	}
	add(5, map[string]string{"dept": "Sales"})
	add(4, map[string]string{"dept": "Engineering"})
	add(7, map[string]string{"gender": "Woman"}) // sensitive: needs 10
	add(2, map[string]string{})
	groups, problems := Groups(ps, dims, 5, 10)
	if len(groups) != 2 || groups[0].Key() != "dept=Sales" || groups[1].Key() != "" {
		t.Fatalf("groups = %+v", groups)
	}
	if len(problems) != 11 || !strings.Contains(problems[0].Reason, "fewer than 5") || !strings.Contains(problems[10].Reason, "fewer than 10") {
		t.Fatalf("problems = %+v", problems)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"email,dept\na@example.com,Sales\n", "email;gender\n\"a@b.co\";Woman\n", "email\n\"unterminated\n", "\uFEFFe-mail\n<a@b.co>\n", ","} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, problems, err := Parse(strings.NewReader(s), dims)
		if err != nil {
			if !errors.Is(err, ErrUnreadable) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, p := range got {
			if p.Email == "" || seen[p.Email] || p.Email != strings.ToLower(p.Email) {
				t.Fatalf("bad row %+v", p)
			}
			seen[p.Email] = true
		}
		for _, p := range problems {
			if p.Line < 1 || p.Reason == "" {
				t.Fatalf("bad problem %+v", p)
			}
		}
		Groups(got, dims, 5, 10)
	})
}
