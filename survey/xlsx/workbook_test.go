package xlsx_test

import (
	"archive/zip"
	"bytes"
	"io"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
	"github.com/allypulse/allypulse/survey/xlsx"
	"github.com/allypulse/allypulse/survey/xlsx/xlsxtest"
)

func f(v float64) *float64 { return &v }

// hostile are comments written to attack whoever opens the export.
var hostile = xlsxtest.HostileComments

// fixture is a released view as the engine would return it: shown,
// suppressed and secondarily suppressed cells, a flagged gap, three waves.
func fixture() xlsx.Input {
	closes := time.Date(2026, 3, 15, 17, 0, 0, 0, time.UTC)
	sv := survey.Survey{ID: "s1", Title: "=Pulse Q1", Design: survey.Design{Demographics: []survey.Demographic{
		{Key: "dept", Label: "Department", Options: []string{"Sales", "Ops", survey.PreferNotToSay}},
		{Key: "eth", Label: "Ethnicity", Options: []string{"A", "B", survey.PreferNotToSay}, Sensitive: true},
	}}}
	wave := survey.Wave{ID: "w3", SurveyID: "s1", Number: 3, OpensAt: closes.Add(-14 * 24 * time.Hour), ClosesAt: closes}
	th := report.Thresholds{K: 5, KS: 10, KD: 10, KC: 10, PracticalGapPoints: 5}
	meta := report.Meta{SurveyID: "s1", Title: sv.Title, Wave: 3, WaveStatus: "closed", Thresholds: th, Population: "All respondents", Final: true}
	shown := func(score, fav float64, n int) report.Cell {
		return report.Cell{N: n, Score: f(score), Favourable: f(fav), Low: f(fav - 0.05), High: f(fav + 0.05)}
	}
	few := report.Cell{Suppressed: true, Reason: report.ReasonTooFew}
	hidden := report.Cell{Suppressed: true, Reason: report.ReasonSecondary}
	comps := []report.Row{
		{Key: "belonging", Name: "Belonging", Kind: "competency", Overall: shown(71.25, 0.68, 120)},
		{Key: "voice", Name: "Voice", Kind: "competency", Overall: shown(55.5, 0.51, 119)},
		{Key: "fairness", Name: "Fairness", Kind: "competency", Overall: shown(62.125, 0.6, 118)},
		{Key: "awareness", Name: "Awareness", Kind: "competency", Overall: few},
	}
	overall := report.Release{Meta: meta, Respondents: report.Cell{N: 120},
		Index:        report.Row{Key: "index", Name: "Inclusion index", Kind: "index", Overall: report.Cell{N: 120, Score: f(63.0)}},
		ENPS:         report.Row{Key: "outcome.enps", Name: "eNPS", Kind: "enps", Overall: report.Cell{N: 110, Value: f(-12.5)}},
		Competencies: comps,
		Items: []report.ItemRow{{Row: report.Row{Key: "belonging.1", Name: "belonging.1", Kind: "item",
			Overall: report.Cell{N: 120, Favourable: f(0.7), Neutral: f(0.2), Unfavourable: f(0.1), Low: f(0.61), High: f(0.77), Mean: f(3.9)}},
			Text: "I feel part of my team.", Scale: "agree5", Construct: "belonging"}},
		Behaviours: []report.BehaviourRow{{Key: "ally.confront", Family: "ally", SelfText: "I speak up", ExperiencedText: "Someone spoke up for me",
			Self: report.Cell{N: 90, Favourable: f(0.8), Low: f(0.7), High: f(0.87)}, Experienced: report.Cell{N: 80, Favourable: f(0.4), Low: f(0.3), High: f(0.51)},
			Gap: report.Cell{Value: f(40), Low: f(26), High: f(52), Flagged: true}}},
		Barriers:      []report.Row{{Key: "barrier.penalty", Name: "Fear of penalty", Kind: "barrier", Overall: report.Cell{N: 100, Favourable: f(0.3), Low: f(0.22), High: f(0.39), Mean: f(2.7)}}},
		Participation: report.Participation{Invited: 200, Source: "invites", Overall: report.Cell{N: 120, Value: f(0.6)}},
	}
	byMeta := meta
	byMeta.Query.By = "dept"
	groups := []report.Group{
		{Key: "dept:Sales", Dimension: "dept", Option: "Sales", Count: report.Cell{N: 70}},
		{Key: "dept:Ops", Dimension: "dept", Option: "Ops", Count: report.Cell{N: 46}},
		{Key: "dept:Prefer not to say", Dimension: "dept", Option: survey.PreferNotToSay, Count: few},
		{Key: "dept:Not answered", Dimension: "dept", Option: report.NotAnswered, Count: hidden},
	}
	withGroups := func(r report.Row, a, b float64) report.Row {
		r.Groups = []report.Cell{shown(a, a/100, 70), shown(b, b/100, 46), few, hidden}
		return r
	}
	dept := overall
	dept.Meta = byMeta
	dept.Groups = groups
	dept.Index = withGroups(overall.Index, 66, 58)
	dept.Competencies = []report.Row{withGroups(comps[0], 75, 65), withGroups(comps[1], 50.5, 63)}
	dept.Gaps = []report.GapRow{{Key: "belonging", Name: "Belonging", Kind: "competency", Groups: []report.Cell{
		{Value: f(9.5), Low: f(2.1), High: f(16.4), Flagged: true}, {Value: f(-3), Low: f(-10), High: f(4)}, few, hidden}}}
	dept.Participation.Groups = []report.Cell{{N: 70, Value: f(0.7)}, {N: 46, Value: f(0.46)}, few, hidden}
	waves := []report.TrendWave{{Number: 1, Status: "closed"}, {Number: 2, Status: "closed"}, {Number: 3, Status: "closed"}}
	trend := report.Trend{SurveyID: "s1", Title: sv.Title, Thresholds: th, Waves: waves, Series: []report.TrendSeries{
		{Key: "index", Name: "Inclusion index", Kind: "index",
			Points:  []report.Cell{{N: 100, Score: f(60)}, {N: 110, Score: f(61.5)}, {N: 120, Score: f(63)}},
			Changes: []report.Cell{{}, {Value: f(1.5), Low: f(-2), High: f(5)}, {Value: f(6), Low: f(1), High: f(11), Flagged: true}}},
		{Key: "outcome.enps", Name: "eNPS", Kind: "enps",
			Points:  []report.Cell{{N: 90, Value: f(-20)}, few, {N: 110, Value: f(-12.5)}},
			Changes: []report.Cell{{}, few, few}},
		{Key: "belonging", Name: "Belonging", Kind: "competency",
			Points:  []report.Cell{{N: 100, Score: f(70)}, {N: 110, Score: f(70.5)}, {N: 120, Score: f(71.25)}},
			Changes: []report.Cell{{}, {Value: f(0.5)}, {Value: f(0.75)}}},
	}}
	items := []report.CommentItem{{Prompt: "better", Text: "More flexible hours."}}
	for _, h := range hostile {
		items = append(items, report.CommentItem{Prompt: "better", Text: h})
	}
	comments := report.Comments{Meta: meta, Prompts: []report.Prompt{{Key: "better", Prompt: "What would make this a better place?"}}, Items: items}
	return xlsx.Input{Survey: sv, Wave: wave, Overall: overall, Breakdowns: []report.Release{dept}, Trend: trend, Comments: &comments}
}

func build(t *testing.T, in xlsx.Input) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := xlsx.Build(&buf, in, in.Wave.ClosesAt.Add(time.Hour)); err != nil {
		t.Fatalf("xlsx.Build: %v", err)
	}
	return buf.Bytes()
}

func TestBuildHygiene(t *testing.T) {
	in := fixture()
	data := build(t, in)
	rep, err := xlsxtest.Check(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range rep.Violations {
		t.Error(v)
	}
	want := in.Wave.ClosesAt.Format(time.RFC3339)
	if rep.Props.Created != want || rep.Props.Modified != want {
		t.Errorf("document times %q/%q, want the wave close %q", rep.Props.Created, rep.Props.Modified, want)
	}
	if !hasPart(rep.Parts, "xl/charts/chart") || !hasPart(rep.Parts, "xl/tables/table") {
		t.Errorf("want a native chart and tables, parts: %v", rep.Parts)
	}
}

func hasPart(parts []string, prefix string) bool {
	for _, p := range parts {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// TestBuildDeterministic: the same release gives the same workbook content,
// whenever it is downloaded (nothing records the moment or the machine).
func TestBuildDeterministic(t *testing.T) {
	in := fixture()
	a, b := parts(t, build(t, in)), parts(t, build(t, in))
	if len(a) != len(b) {
		t.Fatalf("part count %d vs %d", len(a), len(b))
	}
	for name, body := range a {
		if name == "[Content_Types].xml" {
			// excelize lists the default image types in map order.
			body, b[name] = sortedElements(body), sortedElements(b[name])
		}
		if !bytes.Equal(body, b[name]) {
			t.Errorf("part %s differs between two builds", name)
		}
	}
}

// sortedElements puts the elements of a flat XML part in a fixed order.
func sortedElements(body []byte) []byte {
	els := strings.Split(string(body), "><")
	sort.Strings(els)
	return []byte(strings.Join(els, "><"))
}

func parts(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[zf.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func open(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func TestBuildSheetsAndValues(t *testing.T) {
	in := fixture()
	x := open(t, build(t, in))
	want := []string{xlsx.SheetSummary, xlsx.SheetHeatmap, xlsx.SheetCompetencies, xlsx.SheetGaps, xlsx.SheetBehaviours, xlsx.SheetBarriers,
		xlsx.SheetTrend, xlsx.SheetParticipation, xlsx.SheetComments, xlsx.SheetPlans, xlsx.SheetMethod}
	if got := x.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	for _, name := range want {
		if v, err := x.GetSheetVisible(name); err != nil || !v {
			t.Errorf("sheet %s visible=%v err=%v", name, v, err)
		}
	}
	rows, err := x.GetRows(xlsx.SheetHeatmap, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	find := func(rows [][]string, first string) []string {
		for _, r := range rows {
			if len(r) > 0 && r[0] == first {
				return r
			}
		}
		t.Fatalf("no row %q", first)
		return nil
	}
	bel := find(rows, "Belonging")
	if strings.Join(bel, "|") != "Belonging|71.25|75|65|fewer than 5|hidden to protect another group" {
		t.Errorf("heatmap Belonging row %q", bel)
	}
	// The suppressed cell has its own style.
	plain, _ := x.GetCellStyle(xlsx.SheetHeatmap, "C"+rowOf(rows, "Belonging"))
	hid, _ := x.GetCellStyle(xlsx.SheetHeatmap, "E"+rowOf(rows, "Belonging"))
	if plain == hid {
		t.Errorf("suppressed cell shares the style of a value")
	}
	crows, _ := x.GetRows(xlsx.SheetComments, excelize.Options{RawCellValue: true})
	texts := map[string]bool{}
	for _, r := range crows {
		if len(r) > 1 {
			texts[r[1]] = true
		}
	}
	for _, h := range hostile {
		if !texts["'"+h] {
			t.Errorf("hostile comment %q not found neutralised", h)
		}
	}
	for _, name := range want {
		cells, _ := x.GetRows(name)
		for i, r := range cells {
			for j := range r {
				axis, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if fm, _ := x.GetCellFormula(name, axis); fm != "" {
					t.Errorf("%s!%s has formula %q", name, axis, fm)
				}
			}
		}
	}
}

func rowOf(rows [][]string, first string) string {
	for i, r := range rows {
		if len(r) > 0 && r[0] == first {
			return strconv.Itoa(i + 1)
		}
	}
	return "0"
}

// TestBuildWithoutComments: a copy for a role that does not read comments
// holds none of their text.
func TestBuildWithoutComments(t *testing.T) {
	in := fixture()
	in.Comments = nil
	x := open(t, build(t, in))
	for _, name := range x.GetSheetList() {
		rows, _ := x.GetRows(name)
		for _, r := range rows {
			for _, v := range r {
				if strings.Contains(v, "flexible hours") || strings.Contains(v, "HYPERLINK") {
					t.Errorf("sheet %s holds comment text %q", name, v)
				}
			}
		}
	}
}
