package api

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	qrcode "github.com/skip2/go-qrcode"
)

// A printable sheet of invite codes for people without e-mail: one cut-out
// card per code with the survey's title, the code grouped for reading, the
// page to type it at and a QR code of the personal link. It is the answer
// to POST .../invites?format=html (respond.go), so the codes exist only in
// that one answer, like the JSON and CSV forms. The stylesheet's address is
// absolute so that the sheet keeps its layout when the staff app opens it
// from a blob: URL or it is saved to a file.

var codeSheet = template.Must(template.New("sheet").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Invitation cards: {{.Title}}</title>
<link rel="stylesheet" href="{{.Start}}static/codesheet.css">
</head>
<body>
<p class="note">Print this page, cut along the dashed lines and give each person one card. Each code works once; nobody can tell which answers came from which card.</p>
<main class="cards">
{{range .Cards}}<section class="card" aria-label="Invitation card">
<h1>{{$.Title}}</h1>
<img src="{{.QR}}" width="132" height="132" alt="QR code of your personal survey link">
<p>Scan the code, or open <strong>{{$.Start}}</strong> and type:</p>
<p class="code">{{.Code}}</p>
<p class="small">Anonymous: no result is shown for a group smaller than {{$.K}} people. Open until {{$.Closes}}.</p>
</section>
{{end}}</main>
</body>
</html>
`))

type codeCard struct {
	Code string
	QR   template.URL
}

type codeSheetData struct {
	Title, Start, Closes string
	K                    int
	Cards                []codeCard
}

// wantsHTML reports whether the client asked for the printable sheet.
func wantsHTML(c echo.Context) bool {
	return c.QueryParam("format") == "html" || strings.HasPrefix(c.Request().Header.Get(echo.HeaderAccept), "text/html")
}

// writeCodeSheet answers with the printable sheet of codes.
func writeCodeSheet(c echo.Context, d codeSheetData, codes []inviteCode) error {
	for _, ic := range codes {
		png, err := qrcode.Encode(ic.Link, qrcode.Medium, 264)
		if err != nil {
			return fmt.Errorf("qr code: %w", err)
		}
		d.Cards = append(d.Cards, codeCard{Code: ic.Code, QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))})
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(http.StatusCreated)
	return codeSheet.Execute(c.Response(), d)
}
