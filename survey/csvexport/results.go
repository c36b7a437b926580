// Package csvexport writes the aggregate results table of one released view
// as CSV: one row per group and metric. Like the workbook it is built only
// from the report engine's released cells; a suppressed cell is a row whose
// status holds the literal text ("fewer than 5") and whose numbers are
// empty; text from outside is neutralised with the workbook's neutraliser.
package csvexport

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
	"github.com/allypulse/allypulse/survey/xlsx"
)

// Header is the first line of results.csv. Shares and their intervals are
// proportions 0..1, scores 0..100, eNPS −100..100, gaps points; value holds
// a metric's headline number when it is not a score (eNPS, participation,
// gap, perception gap) and value_low/value_high its interval where it has
// one (gaps); favourable_low/favourable_high bound the favourable share
// (for eNPS the promoters' share).
var Header = []string{
	"survey", "wave", "population", "section", "key", "metric", "dimension", "group", "status",
	"n", "score", "favourable", "favourable_low", "favourable_high", "neutral", "unfavourable", "mean",
	"value", "value_low", "value_high", "flagged",
}

// StatusShown is the status of a row that carries its numbers.
const StatusShown = "shown"

// AllRespondents names the whole population in the group column.
const AllRespondents = "All respondents"

// Write writes the view rel of survey sv as CSV.
func Write(w io.Writer, sv survey.Survey, rel report.Release) error {
	t := table{cw: csv.NewWriter(w), sv: sv, rel: rel}
	if err := t.cw.Write(Header); err != nil {
		return err
	}
	t.respondents()
	for _, r := range metricRows(rel) {
		t.metric("results", r.Key, r.Name, r.Overall, r.Groups)
	}
	for _, it := range rel.Items {
		t.metric("item", it.Key, it.Text, it.Overall, it.Groups)
	}
	for _, b := range rel.Behaviours {
		t.row("behaviour self", b.Key, b.SelfText, "", AllRespondents, b.Self, t.k(""))
		t.row("behaviour experienced", b.Key, b.ExperiencedText, "", AllRespondents, b.Experienced, t.k(""))
		t.row("perception gap", b.Key, b.Key, "", AllRespondents, b.Gap, t.k(""))
	}
	for _, g := range rel.Gaps {
		for i, c := range g.Groups {
			if i < len(rel.Groups) {
				t.row("gap", g.Key, g.Name, rel.Query.By, rel.Groups[i].Option, c, t.k(rel.Query.By))
			}
		}
	}
	p := rel.Participation
	t.row("participation", "participation", "Participation", "", AllRespondents, p.Overall, t.k(""))
	for i, c := range p.Groups {
		if i >= len(rel.Groups) {
			continue
		}
		if !c.Suppressed && c.Value == nil {
			// No invited count for the group: say so rather than show an
			// empty row as "shown".
			t.status("participation", "participation", "Participation", rel.Query.By, rel.Groups[i].Option, xlsx.NoGroupInvitedCount)
			continue
		}
		t.row("participation", "participation", "Participation", rel.Query.By, rel.Groups[i].Option, c, t.k(rel.Query.By))
	}
	t.cw.Flush()
	if t.err != nil {
		return t.err
	}
	return t.cw.Error()
}

// metricRows are the rows of one value per group: index, eNPS,
// competencies, development access and barriers.
func metricRows(rel report.Release) []report.Row {
	rows := []report.Row{rel.Index, rel.ENPS}
	rows = append(rows, rel.Competencies...)
	rows = append(rows, rel.Access...)
	return append(rows, rel.Barriers...)
}

type table struct {
	cw  *csv.Writer
	sv  survey.Survey
	rel report.Release
	err error
}

func (t *table) k(dimension string) int {
	return xlsx.CellThreshold(t.sv.Design, t.rel.Thresholds, t.rel.Query.Filter, dimension)
}

func (t *table) respondents() {
	t.row("respondents", "respondents", "Respondents", "", AllRespondents, t.rel.Respondents, t.k(""))
	for _, g := range t.rel.Groups {
		t.row("respondents", "respondents", "Respondents", t.rel.Query.By, g.Option, g.Count, t.k(t.rel.Query.By))
	}
}

// metric writes a metric's overall row and one row per group.
func (t *table) metric(section, key, name string, overall report.Cell, groups []report.Cell) {
	t.row(section, key, name, "", AllRespondents, overall, t.k(""))
	for i, c := range groups {
		if i < len(t.rel.Groups) {
			t.row(section, key, name, t.rel.Query.By, t.rel.Groups[i].Option, c, t.k(t.rel.Query.By))
		}
	}
}

// row writes one released cell.
func (t *table) row(section, key, name, dimension, group string, c report.Cell, k int) {
	if t.err != nil {
		return
	}
	if c.Suppressed {
		t.status(section, key, name, dimension, group, xlsx.SuppressedText(c, k))
		return
	}
	rec := t.lead(section, key, name, dimension, group)
	n := ""
	if c.N > 0 {
		n = strconv.Itoa(c.N)
	}
	flagged := ""
	if isGap(c) {
		flagged = strconv.FormatBool(c.Flagged)
	}
	rec = append(rec, StatusShown, n, num(c.Score), num(c.Favourable), num(favLow(c)), num(favHigh(c)),
		num(c.Neutral), num(c.Unfavourable), num(c.Mean), num(c.Value), num(valueLow(c)), num(valueHigh(c)), flagged)
	t.err = t.cw.Write(rec)
}

// lead returns the columns of a row before its status.
func (t *table) lead(section, key, name, dimension, group string) []string {
	text := xlsx.Neutralise
	return []string{text(t.sv.Title), strconv.Itoa(t.rel.Wave), text(t.rel.Population), section, text(key), text(name),
		text(dimension), text(group)}
}

// status writes a row that carries no numbers, only its status.
func (t *table) status(section, key, name, dimension, group, status string) {
	if t.err != nil {
		return
	}
	rec := append(t.lead(section, key, name, dimension, group), status)
	t.err = t.cw.Write(append(rec, make([]string, len(Header)-len(rec))...))
}

// isGap reports whether c is a gap or change: its Low/High bound its Value
// (report.Cell). Any other cell's Low/High bound its Favourable share, also
// when it has a Value, as eNPS has (its interval is the promoters' share).
func isGap(c report.Cell) bool {
	return c.Favourable == nil && c.Value != nil && c.Low != nil
}

// The CSV names the two kinds of interval apart.
func favLow(c report.Cell) *float64 {
	if isGap(c) {
		return nil
	}
	return c.Low
}

func favHigh(c report.Cell) *float64 {
	if isGap(c) {
		return nil
	}
	return c.High
}

func valueLow(c report.Cell) *float64 {
	if isGap(c) {
		return c.Low
	}
	return nil
}

func valueHigh(c report.Cell) *float64 {
	if isGap(c) {
		return c.High
	}
	return nil
}

// num writes a number with full precision, so the CSV carries the same
// value as the API's JSON.
func num(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
