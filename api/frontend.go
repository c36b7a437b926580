package api

import (
	"io/fs"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/frontend"
)

// routeFrontend serves the embedded staff app: static assets under /static/
// and index.html for the app's own paths.
func (s *Server) routeFrontend(e *echo.Echo) {
	static, err := fs.Sub(frontend.Files, "static")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder exists
	}
	assets := http.StripPrefix("/static/", http.FileServer(http.FS(static)))
	e.GET("/static/*", echo.WrapHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		assets.ServeHTTP(w, r)
	})))
	index := func(c echo.Context) error {
		b, err := fs.ReadFile(frontend.Files, "static/index.html")
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.HTMLBlob(http.StatusOK, b)
	}
	e.GET("/", index)
	e.GET("/app/*", index)
	// A survey link cut short in an e-mail gets the survey page, which says
	// in words that the link does not work.
	e.GET("/s/", s.handleRespondPage)
}
