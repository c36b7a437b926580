package api

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/survey/csvexport"
	"github.com/allypulse/allypulse/survey/pdfreport"
	"github.com/allypulse/allypulse/survey/report"
	"github.com/allypulse/allypulse/survey/xlsx"
)

// Media types of the exports.
const (
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeCSV  = "text/csv; charset=utf-8"
	mimePDF  = "application/pdf"
)

// handleReportXLSX serves the executive workbook of a wave:
// GET /api/v1/surveys/{id}/report.xlsx?wave=N&by=DIM[,DIM]. Every number in
// it comes from the release step, one view per breakdown dimension.
func (s *Server) handleReportXLSX(c echo.Context) error {
	return s.sendReport(c, "xlsx", mimeXLSX, xlsx.Build)
}

// handleReportPDF serves the same report as a PDF (survey/pdfreport):
// GET /api/v1/surveys/{id}/report.pdf, with the workbook's parameters and
// released views.
func (s *Server) handleReportPDF(c echo.Context) error {
	return s.sendReport(c, "pdf", mimePDF, pdfreport.Build)
}

// sendReport gathers the released views of a report (the wave, one view per
// breakdown, the trend, comments for roles that read them, the action
// plans), writes them with build and sends the file.
func (s *Server) sendReport(c echo.Context, ext, mime string, build func(io.Writer, xlsx.Input, time.Time) error) error {
	eq, err := parseExportQuery(c.QueryParams(), maxExportDimensions)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	id := c.Param("id")
	in, err := xlsx.Collect(ctx, s.report, s.surveys, xlsx.Request{SurveyID: id, Wave: eq.Wave, By: eq.By, Comments: readsComments(c)})
	if err != nil {
		return err
	}
	if in.Plans, err = s.workbookPlans(ctx, id); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := build(&buf, in, s.clock.Now()); err != nil {
		return err
	}
	name := exportFilename(in.Survey.Title, in.Overall.Wave, ext)
	s.audit(c, "report.download", id, exportDetail(ext, in.Overall.Wave, eq.By))
	return sendDownload(c, mime, name, buf.Bytes())
}

// handleResultsCSV serves the aggregate table of a view as CSV:
// GET /api/v1/surveys/{id}/results.csv?wave=N&by=DIM.
func (s *Server) handleResultsCSV(c echo.Context) error {
	eq, err := parseExportQuery(c.QueryParams(), 1)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	id := c.Param("id")
	sv, err := s.surveys.GetSurvey(ctx, id)
	if err != nil {
		return err
	}
	q := report.Query{Wave: eq.Wave}
	if len(eq.By) == 1 {
		q.By = eq.By[0]
	}
	rel, err := s.report.Release(ctx, id, q)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := csvexport.Write(&buf, sv, *rel); err != nil {
		return err
	}
	s.audit(c, "results.download", id, exportDetail("csv", rel.Wave, eq.By))
	return sendDownload(c, mimeCSV, exportFilename(sv.Title, rel.Wave, "csv"), buf.Bytes())
}

// readsComments reports whether the actor's role may read comments (the
// comments endpoint's roles): executives get the workbook without them.
func readsComments(c echo.Context) bool {
	u, ok := actorOf(c)
	return ok && (u.Role == account.RoleAdmin || u.Role == account.RoleLead)
}

// exportDetail is the audit detail of a download: format, wave, breakdowns.
func exportDetail(format string, wave int, by []string) string {
	d := format + " wave=" + strconv.Itoa(wave)
	if len(by) > 0 {
		d += " by=" + strings.Join(by, ",")
	}
	return d
}

// sendDownload answers with a file the browser saves under name. The name
// is ASCII letters, digits and hyphens (exportFilename), so it needs no
// quoting beyond the plain form.
func sendDownload(c echo.Context, mime, name string, body []byte) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, mime, body)
}
