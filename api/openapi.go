package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"
)

// The OpenAPI document is kept as one base file plus one fragment per
// resource (openapi/*.json), merged at start-up: each fragment may add
// "paths" and "components.schemas".
//
//go:embed openapi/*.json
var openapiFiles embed.FS

// OpenAPIDocument returns the merged OpenAPI 3.1 document.
func OpenAPIDocument() ([]byte, error) {
	base, err := readJSONObject("openapi/base.json")
	if err != nil {
		return nil, err
	}
	paths := base["paths"].(map[string]any)
	comps := base["components"].(map[string]any)
	schemas := comps["schemas"].(map[string]any)
	names, err := fs.Glob(openapiFiles, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "openapi/base.json" {
			continue
		}
		frag, err := readJSONObject(name)
		if err != nil {
			return nil, err
		}
		if p, ok := frag["paths"].(map[string]any); ok {
			for path, ops := range p {
				existing, _ := paths[path].(map[string]any)
				if existing == nil {
					existing = map[string]any{}
				}
				for m, op := range ops.(map[string]any) {
					if _, dup := existing[m]; dup {
						return nil, fmt.Errorf("%s: %s %s defined twice", name, m, path)
					}
					existing[m] = op
				}
				paths[path] = existing
			}
		}
		if c, ok := frag["components"].(map[string]any); ok {
			if sc, ok := c["schemas"].(map[string]any); ok {
				for k, v := range sc {
					if _, dup := schemas[k]; dup {
						return nil, fmt.Errorf("%s: schema %s defined twice", name, k)
					}
					schemas[k] = v
				}
			}
		}
	}
	return json.MarshalIndent(base, "", "  ")
}

func readJSONObject(name string) (map[string]any, error) {
	b, err := openapiFiles.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

func (s *Server) handleOpenAPI(c echo.Context) error {
	doc, err := OpenAPIDocument()
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/json", doc)
}
