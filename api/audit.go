package api

import "github.com/labstack/echo/v4"

func (s *Server) handleAudit(c echo.Context) error { return notYet(c) }
