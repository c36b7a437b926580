package api

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey/report"
)

// Results views are thin layers over report.Engine: they parse the query
// (wave, by, filter=DIM:OPTION), let the engine check it against the closed
// lattice (400 naming the parameter otherwise) and return what it releases.

// resultsParams splits the query string into the parameters a view accepts;
// anything else lands in Other, which the parser refuses.
func resultsParams(v url.Values, accept ...string) report.QueryParams {
	ok := map[string]bool{}
	for _, a := range accept {
		ok[a] = true
	}
	var p report.QueryParams
	for key, vals := range v {
		switch {
		case !ok[key]:
			p.Other = append(p.Other, key)
		case key == "wave":
			p.Wave = vals
		case key == "by":
			p.By = vals
		case key == "filter":
			p.Filter = vals
		}
	}
	sort.Strings(p.Other)
	return p
}

// resultsQuery loads the survey and parses the view it is asked for.
func (s *Server) resultsQuery(c echo.Context, accept ...string) (report.Query, error) {
	sv, err := s.surveys.GetSurvey(c.Request().Context(), c.Param("id"))
	if err != nil {
		return report.Query{}, err
	}
	p := resultsParams(c.QueryParams(), accept...)
	if len(p.Other) > 0 {
		return report.Query{}, &kernel.QueryError{Field: p.Other[0],
			Message: "is not a parameter of this view (allowed: " + strings.Join(accept, ", ") + ")"}
	}
	return report.ParseQuery(sv.Design, p)
}

// handleResults: GET /api/v1/surveys/{id}/results?wave=N&by=DIM&filter=DIM:OPTION.
func (s *Server) handleResults(c echo.Context) error {
	q, err := s.resultsQuery(c, "wave", "by", "filter")
	if err != nil {
		return err
	}
	r, err := s.report.Release(c.Request().Context(), c.Param("id"), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// handleHeatmap: GET /api/v1/surveys/{id}/heatmap?wave=N&by=DIM&filter=DIM:OPTION.
func (s *Server) handleHeatmap(c echo.Context) error {
	q, err := s.resultsQuery(c, "wave", "by", "filter")
	if err != nil {
		return err
	}
	h, err := s.report.Heatmap(c.Request().Context(), c.Param("id"), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h)
}

// handleGaps: GET /api/v1/surveys/{id}/gaps?wave=N&by=DIM&filter=DIM:OPTION.
func (s *Server) handleGaps(c echo.Context) error {
	q, err := s.resultsQuery(c, "wave", "by", "filter")
	if err != nil {
		return err
	}
	g, err := s.report.Gaps(c.Request().Context(), c.Param("id"), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, g)
}

// handleBehaviours: GET /api/v1/surveys/{id}/behaviours?wave=N&filter=DIM:OPTION.
func (s *Server) handleBehaviours(c echo.Context) error {
	q, err := s.resultsQuery(c, "wave", "filter")
	if err != nil {
		return err
	}
	b, err := s.report.Behaviours(c.Request().Context(), c.Param("id"), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, b)
}

// handleTrend: GET /api/v1/surveys/{id}/trend?by=DIM&filter=DIM:OPTION.
func (s *Server) handleTrend(c echo.Context) error {
	q, err := s.resultsQuery(c, "by", "filter")
	if err != nil {
		return err
	}
	t, err := s.report.Trend(c.Request().Context(), c.Param("id"), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

// handleComments: GET /api/v1/surveys/{id}/comments?wave=N&filter=DIM:OPTION.
func (s *Server) handleComments(c echo.Context) error {
	q, err := s.resultsQuery(c, "wave", "filter")
	if err != nil {
		return err
	}
	cm, err := s.report.Comments(c.Request().Context(), c.Param("id"), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cm)
}
