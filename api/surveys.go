package api

import "github.com/labstack/echo/v4"

func (s *Server) handleFramework(c echo.Context) error     { return notYet(c) }
func (s *Server) handleCreateItem(c echo.Context) error    { return notYet(c) }
func (s *Server) handleListSurveys(c echo.Context) error   { return notYet(c) }
func (s *Server) handleCreateSurvey(c echo.Context) error  { return notYet(c) }
func (s *Server) handleGetSurvey(c echo.Context) error     { return notYet(c) }
func (s *Server) handleUpdateSurvey(c echo.Context) error  { return notYet(c) }
func (s *Server) handleDeleteSurvey(c echo.Context) error  { return notYet(c) }
func (s *Server) handleLaunchSurvey(c echo.Context) error  { return notYet(c) }
func (s *Server) handleCloseSurvey(c echo.Context) error   { return notYet(c) }
func (s *Server) handleArchiveSurvey(c echo.Context) error { return notYet(c) }
func (s *Server) handlePreviewSurvey(c echo.Context) error { return notYet(c) }
func (s *Server) handleListWaves(c echo.Context) error     { return notYet(c) }
func (s *Server) handleSurveyLink(c echo.Context) error    { return notYet(c) }
