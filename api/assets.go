package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/frontend"
	"github.com/allypulse/allypulse/internal/kernel"
)

// assets are the embedded static files, read and hashed once at start.
// Every file has a strong ETag from its content, so a browser revalidates
// with a 304 instead of downloading it again. The pages link their
// stylesheet and script as /static/NAME?v=HASH; a request that names the
// current hash is cached for a year as immutable, and a new release
// changes the hash and so the address.
type assets struct {
	files map[string]asset
	// pages are index.html, respond.html and heard.html with versioned links.
	pages map[string][]byte
}

type asset struct {
	body  []byte
	etag  string
	hash  string
	ctype string
}

// immutableCache is the Cache-Control of a versioned asset address.
const immutableCache = "public, max-age=31536000, immutable"

func loadAssets() (*assets, error) {
	static, err := fs.Sub(frontend.Files, "static")
	if err != nil {
		return nil, err
	}
	a := &assets{files: map[string]asset{}, pages: map[string][]byte{}}
	err = fs.WalkDir(static, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		hash := hex.EncodeToString(sum[:8])
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = http.DetectContentType(b)
		}
		a.files[name] = asset{body: b, etag: `"` + hash + `"`, hash: hash, ctype: ctype}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, page := range []string{"index.html", "respond.html", "heard.html"} {
		a.pages[page] = a.versionLinks(a.files[page].body)
	}
	return a, nil
}

// versionLinks adds ?v=HASH to every quoted /static/NAME link in html.
func (a *assets) versionLinks(html []byte) []byte {
	out := html
	for name, f := range a.files {
		link := []byte(`"/static/` + name + `"`)
		out = bytes.ReplaceAll(out, link, []byte(`"/static/`+name+`?v=`+f.hash+`"`))
	}
	return out
}

// handleStatic serves one asset. A name that is not a valid file path,
// including one that is not UTF-8, is simply not found.
func (a *assets) handleStatic(c echo.Context) error {
	name := c.Param("*")
	if !utf8.ValidString(name) || !fs.ValidPath(name) {
		return kernel.ErrNotFound
	}
	f, ok := a.files[name]
	if !ok {
		return kernel.ErrNotFound
	}
	h := c.Response().Header()
	h.Set("ETag", f.etag)
	h.Set(echo.HeaderContentType, f.ctype)
	if c.QueryParam("v") == f.hash {
		h.Set("Cache-Control", immutableCache)
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	http.ServeContent(c.Response(), c.Request(), name, time.Time{}, bytes.NewReader(f.body))
	return nil
}

// page answers with one of the HTML pages; the page itself is revalidated
// on every visit, so a new release is seen at once.
func (a *assets) page(c echo.Context, name string) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.HTMLBlob(http.StatusOK, a.pages[name])
}
