package api

import "github.com/labstack/echo/v4"

func (s *Server) handleReportXLSX(c echo.Context) error { return notYet(c) }
func (s *Server) handleResultsCSV(c echo.Context) error { return notYet(c) }
