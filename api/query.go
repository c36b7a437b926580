package api

import (
	"fmt"
	"strconv"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/labstack/echo/v4"
)

// queryOnce reads a query parameter that may be given at most once; a
// repeated one is refused rather than half read.
func queryOnce(c echo.Context, name string) (string, error) {
	vals := c.QueryParams()[name]
	if len(vals) > 1 {
		return "", kernel.Invalid(name, "give it once")
	}
	if len(vals) == 0 {
		return "", nil
	}
	return vals[0], nil
}

// pageQuery reads the limit (def when absent, at most maxLimit) and cursor
// of a paginated list.
func pageQuery(c echo.Context, def, maxLimit int) (limit int, cursor string, err error) {
	v, err := queryOnce(c, "limit")
	if err != nil {
		return 0, "", err
	}
	if cursor, err = queryOnce(c, "cursor"); err != nil {
		return 0, "", err
	}
	if v == "" {
		return def, cursor, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLimit {
		return 0, "", kernel.Invalid("limit", fmt.Sprintf("must be a whole number from 1 to %d", maxLimit))
	}
	return n, cursor, nil
}
