package api

import (
	"github.com/labstack/echo/v4"
)

// routeFrontend serves the embedded staff app: static assets under /static/
// (assets.go) and index.html for the app's own paths.
func (s *Server) routeFrontend(e *echo.Echo) {
	e.GET("/static/*", s.assets.handleStatic)
	index := func(c echo.Context) error { return s.assets.page(c, "index.html") }
	e.GET("/", index)
	e.GET("/app/*", index)
	// A survey link cut short in an e-mail gets the survey page, which says
	// in words that the link does not work.
	e.GET("/s/", s.handleRespondPage)
}
