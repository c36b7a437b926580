package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/account"
)

type usersResponse struct {
	Users []userJSON `json:"users"`
	// NextCursor fetches the next page; empty on the last page.
	NextCursor string `json:"next_cursor"`
}

type createUserRequest struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

type updateUserRequest struct {
	Name     *string `json:"name"`
	Role     *string `json:"role"`
	Disabled *bool   `json:"disabled"`
	Password *string `json:"password"`
}

func (s *Server) handleListUsers(c echo.Context) error {
	limit, cursor, err := pageQuery(c, account.DefaultListLimit, account.MaxListLimit)
	if err != nil {
		return err
	}
	users, next, err := s.accounts.Users(c.Request().Context(), limit, cursor)
	if err != nil {
		return err
	}
	out := usersResponse{Users: make([]userJSON, len(users)), NextCursor: next}
	for i, u := range users {
		out.Users[i] = toUserJSON(u)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) handleCreateUser(c echo.Context) error {
	var req createUserRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	u, err := s.accounts.CreateUser(c.Request().Context(), account.NewUser(req))
	if err != nil {
		return err
	}
	s.audit(c, "user.create", u.Email, "role "+u.Role)
	return c.JSON(http.StatusCreated, userResponse{User: toUserJSON(u)})
}

func (s *Server) handleUpdateUser(c echo.Context) error {
	var req updateUserRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ch := account.UserChange(req)
	if actor, _ := actorOf(c); actor.ID == c.Param("id") && ch.TakesAdminAway() {
		return account.ErrOwnAccount
	}
	u, err := s.accounts.UpdateUser(c.Request().Context(), c.Param("id"), ch)
	if err != nil {
		return err
	}
	s.audit(c, "user.update", u.Email, changeSummary(req))
	return c.JSON(http.StatusOK, userResponse{User: toUserJSON(u)})
}

// changeSummary says what an update changed, for the audit log; never the
// password itself.
func changeSummary(req updateUserRequest) string {
	var parts []string
	if req.Name != nil {
		parts = append(parts, "name")
	}
	if req.Role != nil {
		parts = append(parts, "role "+*req.Role)
	}
	if req.Disabled != nil {
		if *req.Disabled {
			parts = append(parts, "disabled")
		} else {
			parts = append(parts, "enabled")
		}
	}
	if req.Password != nil {
		parts = append(parts, "password reset")
	}
	return strings.Join(parts, ", ")
}

func (s *Server) handleDeleteUser(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := s.accounts.User(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if actor, _ := actorOf(c); actor.ID == u.ID {
		return account.ErrOwnAccount
	}
	if err := s.accounts.DeleteUser(ctx, u.ID); err != nil {
		return err
	}
	s.audit(c, "user.delete", u.Email, "")
	return c.NoContent(http.StatusNoContent)
}
