package report

import (
	"strconv"
	"strings"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
)

// QueryParams are the raw query-string values of a results request, as the
// API received them. Each field holds every value given for the parameter.
type QueryParams struct {
	Wave   []string
	By     []string
	Filter []string
	// Other names any parameter the lattice does not know (date ranges,
	// OR/NOT operators, ...); any such parameter refuses the query.
	Other []string
}

// ParseQuery turns raw parameters into a Query of the closed lattice of
// design, or a *kernel.QueryError naming the parameter at fault.
func ParseQuery(d survey.Design, p QueryParams) (Query, error) {
	var q Query
	if len(p.Other) > 0 {
		return q, &kernel.QueryError{Field: p.Other[0], Message: "is not a parameter of results views (allowed: wave, by, filter)"}
	}
	if len(p.Wave) > 1 {
		return q, &kernel.QueryError{Field: "wave", Message: "give one wave number"}
	}
	if len(p.Wave) == 1 && p.Wave[0] != "" {
		n, err := strconv.Atoi(p.Wave[0])
		if err != nil || n < 1 || n > 100000 {
			return q, &kernel.QueryError{Field: "wave", Message: "must be a wave number (1, 2, ...)"}
		}
		q.Wave = n
	}
	if len(p.By) > 1 {
		return q, &kernel.QueryError{Field: "by", Message: "break down by one dimension only"}
	}
	if len(p.By) == 1 {
		q.By = p.By[0]
	}
	if len(p.Filter) > 1 {
		return q, &kernel.QueryError{Field: "filter", Message: "give at most one filter (DIM:OPTION)"}
	}
	// An empty filter is the whole wave, as an empty by is no breakdown.
	if len(p.Filter) == 1 && p.Filter[0] != "" {
		dim, option, ok := strings.Cut(p.Filter[0], ":")
		if !ok {
			return q, &kernel.QueryError{Field: "filter", Message: "must be DIM:OPTION"}
		}
		q.Filter = &Filter{Dimension: dim, Option: option}
	}
	return q, ValidateQuery(d, q)
}

// ValidateQuery checks that q lies in the closed lattice of design
// (docs/anonymity.md, "The query lattice"): declared dimensions, options from the design, at most
// two dimensions and never two sensitive ones.
func ValidateQuery(d survey.Design, q Query) error {
	if q.Wave < 0 {
		return &kernel.QueryError{Field: "wave", Message: "must be a wave number (1, 2, ...)"}
	}
	var byDim survey.Demographic
	if q.By != "" {
		dm, _, ok := d.Demographic(q.By)
		if !ok {
			return &kernel.QueryError{Field: "by", Message: strconv.Quote(q.By) + " is not a dimension of this survey"}
		}
		byDim = dm
	}
	if q.Filter == nil {
		return nil
	}
	fd, _, ok := d.Demographic(q.Filter.Dimension)
	if !ok {
		return &kernel.QueryError{Field: "filter", Message: strconv.Quote(q.Filter.Dimension) + " is not a dimension of this survey"}
	}
	if fd.OptionIndex(q.Filter.Option) < 0 {
		return &kernel.QueryError{Field: "filter", Message: "is not an option of dimension " + fd.Key}
	}
	if q.By == fd.Key {
		return &kernel.QueryError{Field: "by", Message: "cannot break down by the filtered dimension"}
	}
	if q.By != "" && byDim.Sensitive && fd.Sensitive {
		return &kernel.QueryError{Field: "by", Message: "two sensitive dimensions are never combined"}
	}
	return nil
}

// String renders q as a query string (for links and exports).
func (q Query) String() string {
	var parts []string
	if q.Wave > 0 {
		parts = append(parts, "wave="+strconv.Itoa(q.Wave))
	}
	if q.By != "" {
		parts = append(parts, "by="+q.By)
	}
	if q.Filter != nil {
		parts = append(parts, "filter="+q.Filter.Dimension+":"+q.Filter.Option)
	}
	return strings.Join(parts, "&")
}
