package api

import "github.com/labstack/echo/v4"

func (s *Server) handleResults(c echo.Context) error    { return notYet(c) }
func (s *Server) handleHeatmap(c echo.Context) error    { return notYet(c) }
func (s *Server) handleGaps(c echo.Context) error       { return notYet(c) }
func (s *Server) handleBehaviours(c echo.Context) error { return notYet(c) }
func (s *Server) handleTrend(c echo.Context) error      { return notYet(c) }
func (s *Server) handleComments(c echo.Context) error   { return notYet(c) }
