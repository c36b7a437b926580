// Package people reads a wave's people list: the lead's CSV of e-mail
// addresses and optional attributes that map to the survey's demographic
// options. Parse validates every row and reports each problem by line,
// column and reason; it stores nothing (see survey/invitations.go).
package people

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"sort"
	"strings"
	"unicode/utf8"
)

// Limits of one file.
const (
	MaxBytes = 2 << 20
	MaxRows  = 50_000
	maxEmail = 254
)

// Dimension is a demographic question a column may name.
type Dimension struct {
	Key       string
	Label     string
	Options   []string
	Sensitive bool
}

// Person is one valid row: a normalised address and the attributes given
// for it (an empty cell gives none).
type Person struct {
	Line       int
	Email      string
	Attributes map[string]string
}

// Problem is one invalid cell or row. Line counts from 1 (the header).
type Problem struct {
	Line   int    `json:"line"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

// ErrUnreadable is a file that is not CSV text at all (no header, not
// UTF-8, too large): nothing of it can be used. Parse returns it inside an
// *UnreadableError that says why.
var ErrUnreadable = errors.New("unreadable people list")

// UnreadableError says, in words for the lead, why a file cannot be read.
type UnreadableError struct{ Reason string }

func (e *UnreadableError) Error() string { return ErrUnreadable.Error() + ": " + e.Reason }

// Unwrap makes errors.Is(err, ErrUnreadable) hold.
func (e *UnreadableError) Unwrap() error { return ErrUnreadable }

func unreadable(format string, args ...any) error {
	return &UnreadableError{Reason: fmt.Sprintf(format, args...)}
}

// Parse reads a people list. It returns the valid rows and a problem for
// every invalid one; err (wrapping ErrUnreadable) means the file as a whole
// cannot be read. Parse does not judge group sizes: see Groups.
func Parse(r io.Reader, dims []Dimension) ([]Person, []Problem, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > MaxBytes {
		return nil, nil, unreadable("the file is larger than %d MiB", MaxBytes>>20)
	}
	if !utf8.Valid(data) {
		return nil, nil, unreadable("the file is not UTF-8 text")
	}
	text := strings.TrimPrefix(string(data), "\uFEFF") // a spreadsheet's byte-order mark
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.Comma = sniffComma(text)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, unreadable("the file is empty; the first line names the columns (email, then demographic keys)")
	}
	if err != nil {
		return nil, nil, unreadable("%s", csvReason(err))
	}
	cols, problems := readHeader(header, dims)
	if cols.email < 0 {
		return nil, problems, unreadable("no email column")
	}
	var out []Person
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote) {
				// An unclosed quote swallows every line after it: no row
				// from there on can be trusted, so none is taken.
				return nil, nil, unreadable("line %d: a quoted value is not closed, so the lines after it cannot be read; close the quote or remove it", pe.StartLine)
			}
			if errors.As(err, &pe) {
				problems = append(problems, Problem{Line: pe.StartLine, Column: "", Reason: csvReason(err)})
				continue
			}
			return nil, nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(out)+len(problems) >= MaxRows {
			return nil, nil, unreadable("more than %d rows", MaxRows)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		p, bad := readRow(line, rec, header, cols, dims)
		if len(bad) > 0 {
			problems = append(problems, bad...)
			continue
		}
		if first, dup := seen[p.Email]; dup {
			problems = append(problems, Problem{Line: line, Column: header[cols.email], Reason: fmt.Sprintf("the same address as line %d", first)})
			continue
		}
		seen[p.Email] = line
		out = append(out, p)
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
	return out, problems, nil
}

// columns maps header positions: email's index and each attribute column's
// dimension (-1 for a column not used).
type columns struct {
	email int
	dim   []int
}

func readHeader(header []string, dims []Dimension) (columns, []Problem) {
	cols := columns{email: -1, dim: make([]int, len(header))}
	var problems []Problem
	used := map[int]bool{}
	for i, h := range header {
		cols.dim[i] = -1
		name := strings.TrimSpace(h)
		switch {
		case strings.EqualFold(name, "email") || strings.EqualFold(name, "e-mail"):
			if cols.email >= 0 {
				problems = append(problems, Problem{Line: 1, Column: name, Reason: "a second email column"})
				continue
			}
			cols.email = i
			continue
		}
		d := findDimension(name, dims)
		switch {
		case d < 0:
			problems = append(problems, Problem{Line: 1, Column: name, Reason: "is not a demographic question of this survey (use its key: " + dimKeys(dims) + ")"})
		case used[d]:
			problems = append(problems, Problem{Line: 1, Column: name, Reason: "names the same question as an earlier column"})
		default:
			used[d] = true
			cols.dim[i] = d
		}
	}
	if cols.email < 0 {
		problems = append(problems, Problem{Line: 1, Column: "email", Reason: "the first line must name an email column"})
	}
	return cols, problems
}

func findDimension(name string, dims []Dimension) int {
	for i, d := range dims {
		if strings.EqualFold(name, d.Key) || strings.EqualFold(name, strings.TrimSpace(d.Label)) {
			return i
		}
	}
	return -1
}

func dimKeys(dims []Dimension) string {
	if len(dims) == 0 {
		return "this survey has no demographic questions"
	}
	keys := make([]string, len(dims))
	for i, d := range dims {
		keys[i] = d.Key
	}
	return strings.Join(keys, ", ")
}

func readRow(line int, rec, header []string, cols columns, dims []Dimension) (Person, []Problem) {
	var bad []Problem
	if len(rec) != len(header) {
		return Person{}, []Problem{{Line: line, Reason: fmt.Sprintf("has %d cells, the header %d", len(rec), len(header))}}
	}
	p := Person{Line: line, Attributes: map[string]string{}}
	email, reason := normaliseEmail(rec[cols.email])
	if reason != "" {
		bad = append(bad, Problem{Line: line, Column: header[cols.email], Reason: reason})
	}
	p.Email = email
	for i, d := range cols.dim {
		if d < 0 {
			continue
		}
		v := strings.TrimSpace(rec[i])
		if v == "" {
			continue
		}
		opt := findOption(v, dims[d].Options)
		if opt == "" {
			bad = append(bad, Problem{Line: line, Column: header[i], Reason: fmt.Sprintf("%q is not an option of %s (%s)", clip(v), dims[d].Key, strings.Join(dims[d].Options, ", "))})
			continue
		}
		p.Attributes[dims[d].Key] = opt
	}
	return p, bad
}

func findOption(v string, options []string) string {
	for _, o := range options {
		if strings.EqualFold(v, o) {
			return o
		}
	}
	return ""
}

// normaliseEmail returns a bare address in lower case, or why it is not one.
func normaliseEmail(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "is empty"
	}
	if len(s) > maxEmail {
		return "", fmt.Sprintf("is longer than %d characters", maxEmail)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", "is not an e-mail address"
	}
	return strings.ToLower(s), ""
}

// sniffComma picks ';' for files a European spreadsheet saved, else ','.
func sniffComma(text string) rune {
	first, _, _ := strings.Cut(text, "\n")
	if strings.Count(first, ";") > strings.Count(first, ",") {
		return ';'
	}
	return ','
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "not valid CSV: " + pe.Err.Error()
	}
	return "not valid CSV"
}

// clip shortens a cell quoted in a reason.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}
