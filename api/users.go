package api

import "github.com/labstack/echo/v4"

func (s *Server) handleListUsers(c echo.Context) error  { return notYet(c) }
func (s *Server) handleCreateUser(c echo.Context) error { return notYet(c) }
func (s *Server) handleUpdateUser(c echo.Context) error { return notYet(c) }
func (s *Server) handleDeleteUser(c echo.Context) error { return notYet(c) }
