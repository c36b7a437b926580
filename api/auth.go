package api

import "github.com/labstack/echo/v4"

// Placeholder until the foundation helper lands accounts.

func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc { return next }
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc    { return next }
func (s *Server) requireRole(roles ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
}
func (s *Server) handleLogin(c echo.Context) error  { return notYet(c) }
func (s *Server) handleLogout(c echo.Context) error { return notYet(c) }
func (s *Server) handleSetup(c echo.Context) error  { return notYet(c) }
func (s *Server) handleMe(c echo.Context) error     { return notYet(c) }
