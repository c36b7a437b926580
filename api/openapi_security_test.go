package api

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// pathParam matches OpenAPI's {name} path parameters.
var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// TestOpenAPISecurityMatchesTheServer sends every documented operation
// without credentials and compares what the server enforces with what the
// document says: a route that answers 401 must name a security scheme (its
// own or the document's), and every other route must say security: [] —
// it is public.
func TestOpenAPISecurityMatchesTheServer(t *testing.T) {
	doc := loadServedOpenAPI(t)
	h := newAuthHarness(t, Config{MetricsToken: "openapi-test-metrics-token"})
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			// No body and no content type: a public route stops at 415 or
			// earlier, never at a credentials check of its own.
			target := pathParam.ReplaceAllString(path, "x")
			rec := h.do(method, target, "")
			enforced := rec.Code == http.StatusUnauthorized
			public := op.Security != nil && len(*op.Security) == 0
			if op.Security == nil {
				public = len(doc.Security) == 0
			}
			switch {
			case enforced && public:
				t.Errorf("%s %s: the document says public (security: []) but the server answers 401", method, path)
			case !enforced && !public:
				t.Errorf("%s %s: the server answers %d without credentials; document it with \"security\": []", method, path, rec.Code)
			}
			if strings.HasPrefix(path, "/api/v1/respond/") && !public {
				t.Errorf("%s %s: respondent routes are public", method, path)
			}
		}
	}
}
