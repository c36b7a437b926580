package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/catalog"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey/heard"
)

// "What we heard": the lead publishes, for a closed wave, a short summary
// for employees (released numbers of the whole organisation the lead
// chose, plus focus areas and their actions) at a public link.

// pages returns the "What we heard" pages over the server's stores.
func (s *Server) pages() *heard.Pages {
	return heard.New(s.db.Gorm, s.surveys, s.report, s.plans(), s.clock)
}

// HeardPath is the public address of a published page, under the base URL.
func HeardPath(slug string) string { return "/heard/" + slug }

// heardJSON is a published page as its lead sees it.
type heardJSON struct {
	Wave        int       `json:"wave"`
	URL         string    `json:"url"`
	Message     string    `json:"message"`
	Metrics     []string  `json:"metrics"`
	FocusIDs    []string  `json:"focus_ids"`
	Revision    int       `json:"revision"`
	PublishedAt time.Time `json:"published_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// heardState is GET's answer: the page when published, and the choices.
type heardState struct {
	Published bool           `json:"published"`
	Page      *heardJSON     `json:"page,omitempty"`
	Choices   []heard.Choice `json:"choices"`
}

// waveParam parses the :wave path parameter.
func waveParam(c echo.Context) (int, error) {
	n, err := strconv.Atoi(c.Param("wave"))
	if err != nil || n < 1 {
		return 0, &kernel.QueryError{Field: "wave", Message: "must be a wave number (1, 2, ...)"}
	}
	return n, nil
}

func (s *Server) heardJSON(p heard.Page) *heardJSON {
	return &heardJSON{Wave: p.Wave, URL: s.cfg.BaseURL + HeardPath(p.Slug), Message: p.Message, Metrics: p.Metrics,
		FocusIDs: p.FocusIDs, Revision: p.Revision, PublishedAt: p.PublishedAt, UpdatedAt: p.UpdatedAt}
}

// handleGetHeard: GET /api/v1/surveys/{id}/waves/{wave}/heard.
func (s *Server) handleGetHeard(c echo.Context) error {
	n, err := waveParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	pg := s.pages()
	choices, err := pg.Choices(ctx, c.Param("id"), n)
	if err != nil {
		return err
	}
	out := heardState{Choices: choices}
	p, err := pg.Get(ctx, c.Param("id"), n)
	switch {
	case err == nil:
		out.Published, out.Page = true, s.heardJSON(p)
	case !errors.Is(err, kernel.ErrNotFound):
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, out)
}

// publishRequest is the body of PUT .../heard.
type publishRequest struct {
	Message  string   `json:"message"`
	Metrics  []string `json:"metrics"`
	FocusIDs []string `json:"focus_ids"`
}

// handlePublishHeard: PUT /api/v1/surveys/{id}/waves/{wave}/heard.
func (s *Server) handlePublishHeard(c echo.Context) error {
	n, err := waveParam(c)
	if err != nil {
		return err
	}
	var req publishRequest
	if err := decodeJSON(c.Request().Body, &req); err != nil {
		return err
	}
	p, err := s.pages().Publish(c.Request().Context(), c.Param("id"), n, heard.Input(req))
	if err != nil {
		return err
	}
	s.audit(c, "heard.publish", c.Param("id"), "wave="+strconv.Itoa(n))
	return c.JSON(http.StatusOK, s.heardJSON(p))
}

// handleUnpublishHeard: DELETE /api/v1/surveys/{id}/waves/{wave}/heard.
func (s *Server) handleUnpublishHeard(c echo.Context) error {
	n, err := waveParam(c)
	if err != nil {
		return err
	}
	if err := s.pages().Unpublish(c.Request().Context(), c.Param("id"), n); err != nil {
		return err
	}
	s.audit(c, "heard.unpublish", c.Param("id"), "wave="+strconv.Itoa(n))
	return c.NoContent(http.StatusNoContent)
}

// handlePublicHeard: GET /api/v1/heard/{slug}, public, no sign-in.
func (s *Server) handlePublicHeard(c echo.Context) error {
	p, err := s.pages().BySlug(c.Request().Context(), c.Param("slug"), func(offered []string) string {
		return catalog.Choose(c.QueryParam("lang"), c.Request().Header.Get(headerAcceptLanguage), offered).Language
	})
	if err != nil {
		return err
	}
	noStore(c)
	c.Response().Header().Add(echo.HeaderVary, headerAcceptLanguage)
	return c.JSON(http.StatusOK, publicHeard{Public: p, Messages: s.catalog.Page("heard", p.Language)})
}

// publicHeard is the public page with its own words in its language.
type publicHeard struct {
	heard.Public
	Messages map[string]catalog.Message `json:"messages"`
}

// heardURL returns the public address of the survey's newest published
// "What we heard" page, or "" when there is none (or it cannot be read
// now: the employee page works without the link). It is the server's
// publishedResults hook, which puts it in the respondent form's
// results_url: the thank-you screen and the next wave's form link to it.
func (s *Server) heardURL(ctx context.Context, surveyID string) string {
	p, err := s.pages().Latest(ctx, surveyID)
	if err != nil {
		if !errors.Is(err, kernel.ErrNotFound) {
			s.log.WarnContext(ctx, "published results page lookup failed", "err", err)
		}
		return ""
	}
	return s.cfg.BaseURL + HeardPath(p.Slug)
}

// handleHeardPage serves the public page; it reads its slug from the address.
func (s *Server) handleHeardPage(c echo.Context) error {
	return s.assets.page(c, "heard.html")
}
