package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/account"
)

// tokenJSON is an API token as listed; the secret is never in it.
type tokenJSON struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	UserID    string     `json:"user_id"`
	UserEmail string     `json:"user_email"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"`
}

func toTokenJSON(t account.Token) tokenJSON {
	return tokenJSON{ID: t.ID, Name: t.Name, Role: t.Role, UserID: t.UserID, UserEmail: t.UserEmail,
		CreatedAt: t.CreatedAt, RevokedAt: t.RevokedAt}
}

type tokensResponse struct {
	Tokens []tokenJSON `json:"tokens"`
	// NextCursor fetches the next (older) page; empty on the last page.
	NextCursor string `json:"next_cursor"`
}

type createTokenRequest struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// createTokenResponse holds the secret, shown this one time only.
type createTokenResponse struct {
	Token  tokenJSON `json:"token"`
	Secret string    `json:"secret"`
}

func (s *Server) handleListTokens(c echo.Context) error {
	limit, cursor, err := pageQuery(c, account.DefaultListLimit, account.MaxListLimit)
	if err != nil {
		return err
	}
	list, next, err := s.accounts.Tokens(c.Request().Context(), limit, cursor)
	if err != nil {
		return err
	}
	out := tokensResponse{Tokens: make([]tokenJSON, len(list)), NextCursor: next}
	for i, t := range list {
		out.Tokens[i] = toTokenJSON(t)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) handleCreateToken(c echo.Context) error {
	var req createTokenRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	actor, _ := actorOf(c)
	tok, secret, err := s.accounts.CreateToken(c.Request().Context(), actor, req.Name, req.Role)
	if err != nil {
		return err
	}
	s.audit(c, "token.create", tok.Name, "role "+tok.Role+", id "+tok.ID)
	return c.JSON(http.StatusCreated, createTokenResponse{Token: toTokenJSON(tok), Secret: secret})
}

func (s *Server) handleRevokeToken(c echo.Context) error {
	tok, err := s.accounts.RevokeToken(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	s.audit(c, "token.revoke", tok.Name, "id "+tok.ID)
	return c.NoContent(http.StatusNoContent)
}
