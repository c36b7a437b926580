package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey/actionplan"
	"github.com/allypulse/allypulse/survey/xlsx"
)

// Action plans: focus areas taken from a released result of a closed wave,
// their actions, and progress read from the released views of later waves.
// Executives read them; leads and admins change them; every change is in
// the audit log.

// staffOwners names action owners from the staff accounts.
type staffOwners struct{ accounts *account.Store }

// OwnerName returns an active staff user's name (or e-mail when unnamed).
func (o staffOwners) OwnerName(ctx context.Context, id string) (string, error) {
	u, err := o.accounts.User(ctx, id)
	if err != nil {
		return "", err
	}
	if u.Disabled {
		return "", kernel.ErrNotFound
	}
	if u.Name != "" {
		return u.Name, nil
	}
	return u.Email, nil
}

// plans returns the action plans over the server's stores.
func (s *Server) plans() *actionplan.Plans {
	return actionplan.New(s.db.Gorm, s.surveys, s.report, s.clock, staffOwners{s.accounts})
}

// focusJSON is a focus area as the API shows it.
type focusJSON struct {
	ID          string                  `json:"id"`
	Wave        int                     `json:"wave"`
	Source      actionplan.Source       `json:"source"`
	MetricName  string                  `json:"metric_name"`
	Title       string                  `json:"title"`
	Notes       string                  `json:"notes"`
	Revision    int                     `json:"revision"`
	CreatedAt   time.Time               `json:"created_at"`
	UpdatedAt   time.Time               `json:"updated_at"`
	Actions     []actionJSON            `json:"actions"`
	Progress    []actionplan.Point      `json:"progress"`
	Suggestions []actionplan.Suggestion `json:"suggestions"`
}

// actionJSON is an action as the API shows it.
type actionJSON struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	OwnerID    string    `json:"owner_id"`
	OwnerName  string    `json:"owner_name"`
	Due        string    `json:"due"`
	Status     string    `json:"status"`
	Notes      string    `json:"notes"`
	Suggestion string    `json:"suggestion"`
	Revision   int       `json:"revision"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

type plansResponse struct {
	FocusAreas []focusJSON `json:"focus_areas"`
}

func (s *Server) actionJSON(ctx context.Context, a actionplan.Action) (actionJSON, error) {
	out := actionJSON{ID: a.ID, Title: a.Title, OwnerID: a.OwnerID, Due: a.Due, Status: a.Status, Notes: a.Notes,
		Suggestion: a.Suggestion, Revision: a.Revision, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	if a.OwnerID != "" {
		name, err := (staffOwners{s.accounts}).OwnerName(ctx, a.OwnerID)
		if err != nil && !errors.Is(err, kernel.ErrNotFound) {
			return actionJSON{}, err
		}
		out.OwnerName = name
	}
	return out, nil
}

func (s *Server) focusJSON(ctx context.Context, p *actionplan.Plans, f actionplan.Focus) (focusJSON, error) {
	out := focusJSON{ID: f.ID, Wave: f.Wave, Source: f.Source, MetricName: f.MetricName, Title: f.Title, Notes: f.Notes,
		Revision: f.Revision, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt, Actions: []actionJSON{},
		Suggestions: actionplan.Suggest(f.Source)}
	for _, a := range f.Actions {
		aj, err := s.actionJSON(ctx, a)
		if err != nil {
			return focusJSON{}, err
		}
		out.Actions = append(out.Actions, aj)
	}
	prog, err := p.Progress(ctx, f)
	if err != nil {
		return focusJSON{}, err
	}
	out.Progress = prog
	return out, nil
}

// handleListPlans: GET /api/v1/surveys/{id}/plans.
func (s *Server) handleListPlans(c echo.Context) error {
	ctx := c.Request().Context()
	p := s.plans()
	focus, err := p.List(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	out := plansResponse{FocusAreas: make([]focusJSON, 0, len(focus))}
	for _, f := range focus {
		fj, err := s.focusJSON(ctx, p, f)
		if err != nil {
			return err
		}
		out.FocusAreas = append(out.FocusAreas, fj)
	}
	noStore(c)
	return c.JSON(http.StatusOK, out)
}

// createFocusRequest is the body of POST /surveys/{id}/plans.
type createFocusRequest struct {
	Wave   int               `json:"wave"`
	Source actionplan.Source `json:"source"`
	Title  string            `json:"title"`
	Notes  string            `json:"notes"`
}

// handleCreateFocus: POST /api/v1/surveys/{id}/plans.
func (s *Server) handleCreateFocus(c echo.Context) error {
	var req createFocusRequest
	if err := decodeJSON(c.Request().Body, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	p := s.plans()
	f, err := p.CreateFocus(ctx, c.Param("id"), actionplan.FocusInput{Wave: req.Wave, Source: req.Source, Title: req.Title, Notes: req.Notes})
	if err != nil {
		return err
	}
	s.audit(c, "plan.focus.create", c.Param("id"), "focus="+f.ID+" "+f.Source.Kind+" "+f.Source.Metric)
	fj, err := s.focusJSON(ctx, p, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, fj)
}

// updateFocusRequest is the body of PATCH /surveys/{id}/plans/{focus}.
type updateFocusRequest struct {
	Title    *string `json:"title"`
	Notes    *string `json:"notes"`
	Revision *int    `json:"revision"`
}

// handleUpdateFocus: PATCH /api/v1/surveys/{id}/plans/{focus}.
func (s *Server) handleUpdateFocus(c echo.Context) error {
	var req updateFocusRequest
	if err := decodeJSON(c.Request().Body, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	p := s.plans()
	f, err := p.UpdateFocus(ctx, c.Param("id"), c.Param("focus"), actionplan.FocusChange(req))
	if err != nil {
		return err
	}
	s.audit(c, "plan.focus.update", c.Param("id"), "focus="+f.ID)
	fj, err := s.focusJSON(ctx, p, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, fj)
}

// handleDeleteFocus: DELETE /api/v1/surveys/{id}/plans/{focus}.
func (s *Server) handleDeleteFocus(c echo.Context) error {
	if err := s.plans().DeleteFocus(c.Request().Context(), c.Param("id"), c.Param("focus")); err != nil {
		return err
	}
	s.audit(c, "plan.focus.delete", c.Param("id"), "focus="+c.Param("focus"))
	return c.NoContent(http.StatusNoContent)
}

// actionRequest is the body of POST .../actions.
type actionRequest struct {
	Title      string `json:"title"`
	OwnerID    string `json:"owner_id"`
	Due        string `json:"due"`
	Status     string `json:"status"`
	Notes      string `json:"notes"`
	Suggestion string `json:"suggestion"`
}

// handleCreateAction: POST /api/v1/surveys/{id}/plans/{focus}/actions.
func (s *Server) handleCreateAction(c echo.Context) error {
	var req actionRequest
	if err := decodeJSON(c.Request().Body, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	a, err := s.plans().CreateAction(ctx, c.Param("id"), c.Param("focus"), actionplan.ActionInput(req))
	if err != nil {
		return err
	}
	s.audit(c, "plan.action.create", c.Param("id"), "focus="+c.Param("focus")+" action="+a.ID+" status="+a.Status)
	aj, err := s.actionJSON(ctx, a)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, aj)
}

// updateActionRequest is the body of PATCH .../actions/{action}.
type updateActionRequest struct {
	Title    *string `json:"title"`
	OwnerID  *string `json:"owner_id"`
	Due      *string `json:"due"`
	Status   *string `json:"status"`
	Notes    *string `json:"notes"`
	Revision *int    `json:"revision"`
}

// handleUpdateAction: PATCH /api/v1/surveys/{id}/plans/{focus}/actions/{action}.
func (s *Server) handleUpdateAction(c echo.Context) error {
	var req updateActionRequest
	if err := decodeJSON(c.Request().Body, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	a, err := s.plans().UpdateAction(ctx, c.Param("id"), c.Param("focus"), c.Param("action"), actionplan.ActionChange(req))
	if err != nil {
		return err
	}
	s.audit(c, "plan.action.update", c.Param("id"), "focus="+c.Param("focus")+" action="+a.ID+" status="+a.Status)
	aj, err := s.actionJSON(ctx, a)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, aj)
}

// handleDeleteAction: DELETE /api/v1/surveys/{id}/plans/{focus}/actions/{action}.
func (s *Server) handleDeleteAction(c echo.Context) error {
	if err := s.plans().DeleteAction(c.Request().Context(), c.Param("id"), c.Param("focus"), c.Param("action")); err != nil {
		return err
	}
	s.audit(c, "plan.action.delete", c.Param("id"), "focus="+c.Param("focus")+" action="+c.Param("action"))
	return c.NoContent(http.StatusNoContent)
}

// ownerJSON is a staff user who can own an action.
type ownerJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
}

// handleListOwners: GET /api/v1/plan-owners, the active staff users a lead
// can make an action's owner (names and roles, no e-mail addresses beyond
// a name's stand-in).
func (s *Server) handleListOwners(c echo.Context) error {
	ctx := c.Request().Context()
	out := struct {
		Owners []ownerJSON `json:"owners"`
	}{Owners: []ownerJSON{}}
	cursor := ""
	for {
		users, next, err := s.accounts.Users(ctx, 500, cursor)
		if err != nil {
			return err
		}
		for _, u := range users {
			if u.Disabled {
				continue
			}
			name := u.Name
			if name == "" {
				name = u.Email
			}
			out.Owners = append(out.Owners, ownerJSON{ID: u.ID, Name: name, Role: u.Role})
		}
		if next == "" {
			break
		}
		cursor = next
	}
	noStore(c)
	return c.JSON(http.StatusOK, out)
}

// noStore keeps an answer out of every cache.
func noStore(c echo.Context) { c.Response().Header().Set("Cache-Control", "private, no-store") }

// workbookPlans are the survey's action plans for the workbook, with their
// progress from the released views.
func (s *Server) workbookPlans(ctx context.Context, surveyID string) ([]xlsx.Plan, error) {
	p := s.plans()
	focus, err := p.List(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	out := make([]xlsx.Plan, 0, len(focus))
	for _, f := range focus {
		prog, err := p.Progress(ctx, f)
		if err != nil {
			return nil, err
		}
		wp := xlsx.Plan{Title: f.Title, About: actionplan.About(f), Kind: f.Source.Kind, Wave: f.Wave}
		for _, pt := range prog {
			wp.Progress = append(wp.Progress, xlsx.PlanPoint{Wave: pt.Wave, Partial: pt.Partial, Cell: pt.Cell})
		}
		for _, a := range f.Actions {
			aj, err := s.actionJSON(ctx, a)
			if err != nil {
				return nil, err
			}
			wp.Actions = append(wp.Actions, xlsx.PlanAction{Title: a.Title, Owner: aj.OwnerName, Due: a.Due,
				Status: actionplan.StatusLabel(a.Status), Notes: a.Notes})
		}
		out = append(out, wp)
	}
	return out, nil
}
