package api

import "github.com/labstack/echo/v4"

func (s *Server) handleCreateInvites(c echo.Context) error     { return notYet(c) }
func (s *Server) handleListInviteBatches(c echo.Context) error { return notYet(c) }
func (s *Server) handleRespondForm(c echo.Context) error       { return notYet(c) }
func (s *Server) handleRespondSubmit(c echo.Context) error     { return notYet(c) }
func (s *Server) handleRespondPage(c echo.Context) error       { return notYet(c) }
