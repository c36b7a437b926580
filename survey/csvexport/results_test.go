package csvexport

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
)

func f(v float64) *float64 { return &v }

func fixture() (survey.Survey, report.Release) {
	sv := survey.Survey{ID: "s1", Title: "@Pulse", Design: survey.Design{Demographics: []survey.Demographic{
		{Key: "team", Label: "Team", Options: []string{"=HYPERLINK(\"http://x\",\"y\")", "-2+3", survey.PreferNotToSay}},
	}}}
	th := report.Thresholds{K: 5, KS: 10, KD: 10, KC: 10, PracticalGapPoints: 5}
	rel := report.Release{Meta: report.Meta{SurveyID: "s1", Title: sv.Title, Wave: 2, Query: report.Query{Wave: 2, By: "team"},
		Thresholds: th, Population: "All respondents"}, Respondents: report.Cell{N: 40}}
	rel.Groups = []report.Group{
		{Key: "team:a", Dimension: "team", Option: sv.Design.Demographics[0].Options[0], Count: report.Cell{N: 20}},
		{Key: "team:b", Dimension: "team", Option: "-2+3", Count: report.Cell{N: 17}},
		{Key: "team:c", Dimension: "team", Option: survey.PreferNotToSay, Count: report.Cell{Suppressed: true, Reason: report.ReasonTooFew}},
	}
	rel.Index = report.Row{Key: "index", Name: "Inclusion index", Kind: "index", Overall: report.Cell{N: 40, Score: f(61.875)},
		Groups: []report.Cell{{N: 20, Score: f(64.5)}, {N: 17, Score: f(59.25)}, {Suppressed: true, Reason: report.ReasonTooFew}}}
	rel.Items = []report.ItemRow{{Row: report.Row{Key: "belonging.1", Kind: "item",
		Overall: report.Cell{N: 40, Favourable: f(0.625), Low: f(0.47), High: f(0.76), Neutral: f(0.25), Unfavourable: f(0.125), Mean: f(3.6)}},
		Text: "+cmd|' /C calc'!A0"}}
	rel.Gaps = []report.GapRow{{Key: "belonging", Name: "Belonging", Groups: []report.Cell{
		{Value: f(12.5), Low: f(1.25), High: f(22), Flagged: true}, {Value: f(-3), Low: f(-12), High: f(6)},
		{Suppressed: true, Reason: report.ReasonSecondary}}}}
	return sv, rel
}

func TestWriteResultsCSV(t *testing.T) {
	sv, rel := fixture()
	var buf bytes.Buffer
	if err := Write(&buf, sv, rel); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(Header, ",") {
		t.Fatalf("header %v", recs[0])
	}
	col := map[string]int{}
	for i, h := range Header {
		col[h] = i
	}
	get := func(section, key, group string) []string {
		for _, r := range recs[1:] {
			if r[col["section"]] == section && r[col["key"]] == key && r[col["group"]] == group {
				return r
			}
		}
		t.Fatalf("no row %s/%s/%s", section, key, group)
		return nil
	}
	for _, r := range recs {
		for i, v := range r {
			if v != "" && strings.ContainsAny(v[:1], "=+@\t\r") {
				t.Errorf("field %s = %q starts with a formula sign", Header[i], v)
			}
			if strings.HasPrefix(v, "-") {
				if _, err := strconv.ParseFloat(v, 64); err != nil {
					t.Errorf("field %s = %q starts with '-' and is not a number", Header[i], v)
				}
			}
		}
	}
	hostile := "'" + rel.Groups[0].Option
	if r := get("results", "index", hostile); r[col["score"]] != "64.5" || r[col["n"]] != "20" || r[col["status"]] != StatusShown {
		t.Errorf("index row of the first group: %q", r)
	}
	if r := get("results", "index", survey.PreferNotToSay); r[col["status"]] != "fewer than 5" || r[col["score"]] != "" || r[col["n"]] != "" {
		t.Errorf("suppressed index row: %q", r)
	}
	if r := get("gap", "belonging", "'-2+3"); r[col["value"]] != "-3" || r[col["value_low"]] != "-12" || r[col["flagged"]] != "false" {
		t.Errorf("gap row: %q", r)
	}
	if r := get("gap", "belonging", survey.PreferNotToSay); r[col["status"]] != "hidden to protect another group" || r[col["value"]] != "" {
		t.Errorf("secondary suppressed gap row: %q", r)
	}
	it := get("item", "belonging.1", AllRespondents)
	if it[col["metric"]] != "'+cmd|' /C calc'!A0" || it[col["favourable_low"]] != "0.47" || it[col["mean"]] != "3.6" {
		t.Errorf("item row: %q", it)
	}
	if it[col["survey"]] != "'@Pulse" {
		t.Errorf("survey title %q not neutralised", it[col["survey"]])
	}
}
