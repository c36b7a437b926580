package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/account"
)

// eventJSON is one audit log entry.
type eventJSON struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	ActorID    string    `json:"actor_id"`
	ActorEmail string    `json:"actor_email"`
	Action     string    `json:"action"`
	Target     string    `json:"target"`
	Detail     string    `json:"detail"`
	// ClientAddress is where the request came from (clientip.go).
	ClientAddress string `json:"client_address"`
}

type auditResponse struct {
	Events []eventJSON `json:"events"`
	// NextCursor fetches the next (older) page; empty on the last page.
	NextCursor string `json:"next_cursor"`
}

func (s *Server) handleAudit(c echo.Context) error {
	limit, cursor, err := pageQuery(c, account.DefaultAuditLimit, account.MaxAuditLimit)
	if err != nil {
		return err
	}
	events, next, err := s.accounts.Events(c.Request().Context(), limit, cursor)
	if err != nil {
		return err
	}
	out := auditResponse{Events: make([]eventJSON, len(events)), NextCursor: next}
	for i, e := range events {
		out.Events[i] = eventJSON(e)
	}
	return c.JSON(http.StatusOK, out)
}
