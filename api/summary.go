package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey/summary"
)

// handleSummary: GET /api/v1/surveys/{id}/summary?wave=N, the executive's
// summary of the latest closed wave (or of wave N; an open wave is marked
// partial).
func (s *Server) handleSummary(c echo.Context) error {
	n := 0
	for key, vals := range c.QueryParams() {
		if key != "wave" {
			return &kernel.QueryError{Field: key, Message: "is not a parameter of this view (allowed: wave)"}
		}
		v, err := strconv.Atoi(vals[0])
		if len(vals) != 1 || err != nil || v < 1 {
			return &kernel.QueryError{Field: "wave", Message: "must be one wave number (1, 2, ...)"}
		}
		n = v
	}
	ctx := c.Request().Context()
	b := summary.NewBuilder(s.surveys, s.report, s.plans(), staffOwners{s.accounts}, s.clock)
	sum, err := b.Build(ctx, c.Param("id"), n)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, sum)
}
