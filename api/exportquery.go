package api

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/allypulse/allypulse/internal/kernel"
)

// maxExportDimensions bounds the breakdowns of one workbook: each is a full
// view of the release step.
const maxExportDimensions = 8

// exportQuery is the view an export asks for: a wave (0 = the latest opened)
// and the breakdown dimensions, in the order given.
type exportQuery struct {
	Wave int
	By   []string
}

// parseExportQuery reads ?wave=N&by=DIM[,DIM] of an export. maxBy is how
// many dimensions the format holds (the workbook several, the CSV one).
// Anything else (unknown parameters, repeated parameters, empty or repeated
// dimensions) is refused with a *kernel.QueryError naming the parameter.
// Whether the dimensions exist is for the release step to judge.
func parseExportQuery(v url.Values, maxBy int) (exportQuery, error) {
	var q exportQuery
	for name := range v {
		if name != "wave" && name != "by" {
			return q, &kernel.QueryError{Field: name, Message: "is not a parameter of exports (allowed: wave, by)"}
		}
	}
	if w := v["wave"]; len(w) > 1 {
		return q, &kernel.QueryError{Field: "wave", Message: "give one wave number"}
	} else if len(w) == 1 && w[0] != "" {
		n, err := strconv.Atoi(w[0])
		if err != nil || n < 1 || n > 100000 || strconv.Itoa(n) != w[0] {
			return q, &kernel.QueryError{Field: "wave", Message: "must be a wave number (1, 2, ...)"}
		}
		q.Wave = n
	}
	by := v["by"]
	if len(by) > 1 {
		return q, &kernel.QueryError{Field: "by", Message: "list the dimensions in one parameter, separated by commas"}
	}
	if len(by) == 0 || by[0] == "" {
		return q, nil
	}
	seen := map[string]bool{}
	for _, d := range strings.Split(by[0], ",") {
		switch {
		case d == "":
			return q, &kernel.QueryError{Field: "by", Message: "a dimension is empty"}
		case seen[d]:
			return q, &kernel.QueryError{Field: "by", Message: "dimension " + strconv.Quote(d) + " is listed twice"}
		}
		seen[d] = true
		q.By = append(q.By, d)
	}
	if len(q.By) > maxBy {
		if maxBy == 1 {
			return q, &kernel.QueryError{Field: "by", Message: "this export holds one breakdown dimension"}
		}
		return q, &kernel.QueryError{Field: "by", Message: "at most " + strconv.Itoa(maxBy) + " breakdown dimensions"}
	}
	return q, nil
}

// exportFilename names a download after the survey and the wave, e.g.
// "inclusion-pulse-2026-wave-3.xlsx". The title is reduced to lower-case
// ASCII letters and digits joined by hyphens, so the name is safe in a
// Content-Disposition header and on every file system.
func exportFilename(title string, wave int, ext string) string {
	return slugify(title) + "-wave-" + strconv.Itoa(wave) + "." + ext
}

// slugMax bounds the title part of a file name.
const slugMax = 60

func slugify(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(title) {
		ok := (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')
		switch {
		case ok:
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
		if b.Len() >= slugMax {
			break
		}
	}
	if b.Len() == 0 {
		return "survey"
	}
	return b.String()
}
