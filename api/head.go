package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// headAsGet answers HEAD like GET on every route, as HTTP requires (uptime
// monitors and link checkers probe with HEAD): the request is routed and
// handled as a GET, and the body the handler writes is dropped, so the
// client gets the status and headers only.
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method == http.MethodHead {
			req.Method = http.MethodGet
			res := c.Response()
			res.Writer = headWriter{res.Writer}
		}
		return next(c)
	}
}

// headWriter sends headers and status but no body.
type headWriter struct{ http.ResponseWriter }

func (w headWriter) Write(p []byte) (int, error) { return len(p), nil }

// Unwrap lets http.ResponseController reach the connection's writer.
func (w headWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
