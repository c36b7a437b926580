package api

import "github.com/labstack/echo/v4"

func (s *Server) handleListTokens(c echo.Context) error  { return notYet(c) }
func (s *Server) handleCreateToken(c echo.Context) error { return notYet(c) }
func (s *Server) handleRevokeToken(c echo.Context) error { return notYet(c) }
