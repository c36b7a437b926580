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

// records writes rel as CSV and reads it back.
func records(t *testing.T, sv survey.Survey, rel report.Release) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, sv, rel); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestWriteResultsCSV(t *testing.T) {
	sv, rel := fixture()
	recs := records(t, sv, rel)
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

// TestWriteResultsCSVParticipationAndHostileText: a group without an
// invited count says so instead of being an empty "shown" row, and outside
// text is neutralised also behind white space or in fullwidth form.
func TestWriteResultsCSVParticipationAndHostileText(t *testing.T) {
	sv, rel := fixture()
	sv.Title = " ＝HYPERLINK(\"http://x\")"
	rel.Participation = report.Participation{Invited: 60, Source: "invites", Overall: report.Cell{N: 40, Value: f(40.0 / 60)},
		Groups: []report.Cell{{}, {N: 17, Value: f(0.85)}, {Suppressed: true, Reason: report.ReasonTooFew}}}
	recs := records(t, sv, rel)
	byGroup := map[string][]string{}
	for _, r := range recs[1:] {
		if r[0] != "'"+sv.Title {
			t.Fatalf("survey title %q not neutralised", r[0])
		}
		if r[3] == "participation" {
			byGroup[r[7]] = r
		}
	}
	want := map[string]string{
		"'" + rel.Groups[0].Option: "no invited count for this group",
		"'-2+3":                    StatusShown,
		survey.PreferNotToSay:      "fewer than 5",
		AllRespondents:             StatusShown,
	}
	for group, status := range want {
		r, ok := byGroup[group]
		if !ok {
			t.Errorf("no participation row for %q", group)
			continue
		}
		if r[8] != status {
			t.Errorf("participation row of %q has status %q, want %q", group, r[8], status)
		}
	}
	if r := byGroup["'-2+3"]; r[17] != "0.85" {
		t.Errorf("participation of '-2+3: %q", r)
	}
}
