package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/kernel"
)

// loadServedOpenAPI fetches GET /api/openapi.json and parses it with
// kin-openapi, which understands OpenAPI 3.1.
func loadServedOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	h := newAuthHarness(t, Config{})
	rec := h.do("GET", "/api/openapi.json", "")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/openapi.json: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("loading the document: %v", err)
	}
	return doc
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc := loadServedOpenAPI(t)
	if !doc.IsOpenAPI31OrLater() || doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	err := doc.Validate(context.Background(),
		openapi3.EnableSchemaFormatValidation(), openapi3.EnableExamplesValidation(), openapi3.EnableSchemaDefaultsValidation())
	if err != nil {
		t.Fatalf("the served OpenAPI document is invalid: %v", err)
	}
}

// echoParam turns echo's :name path parameters into OpenAPI's {name}.
var echoParam = regexp.MustCompile(`:([A-Za-z_][A-Za-z0-9_]*)`)

// undocumentedRoute reports routes that are pages or assets, not API.
func undocumentedRoute(method, path string) bool {
	switch {
	case method == "echo_route_not_found", strings.HasSuffix(method, "route_not_found"):
		return true
	case path == "/", path == "/s/", path == "/s/:code", strings.HasPrefix(path, "/static/"), strings.HasPrefix(path, "/app/"):
		return true
	}
	return false
}

// TestOpenAPIListsExactlyTheRoutes compares the registered routes with the
// document's operations, both ways.
func TestOpenAPIListsExactlyTheRoutes(t *testing.T) {
	doc := loadServedOpenAPI(t)
	// A metrics token puts /metrics on the main address, so every route the
	// document can list is registered.
	h := newAuthHarness(t, Config{MetricsToken: "openapi-test-metrics-token"})
	registered := map[string]bool{}
	for _, r := range h.srv.Echo().Routes() {
		if undocumentedRoute(r.Method, r.Path) {
			continue
		}
		registered[r.Method+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if undocumentedRoute(strings.ToUpper(method), strings.ReplaceAll(path, "{code}", ":code")) {
				continue // a page may be documented; the test does not require it
			}
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	var missing, extra []string
	for op := range registered {
		if !documented[op] {
			missing = append(missing, op)
		}
	}
	for op := range documented {
		if !registered[op] {
			extra = append(extra, op)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	if len(missing) > 0 {
		t.Errorf("%d registered route(s) missing from the OpenAPI document (add them to api/openapi/<resource>.json):\n  %s",
			len(missing), strings.Join(missing, "\n  "))
	}
	if len(extra) > 0 {
		t.Errorf("%d operation(s) in the OpenAPI document with no registered route:\n  %s",
			len(extra), strings.Join(extra, "\n  "))
	}
}

// TestOpenAPIBodyErrorsDocumented checks that every operation taking a JSON
// body documents the problems bindJSON answers with: malformed (400), too
// large (413), not JSON (415) and invalid fields (422).
func TestOpenAPIBodyErrorsDocumented(t *testing.T) {
	doc := loadServedOpenAPI(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.RequestBody == nil {
				continue
			}
			for _, code := range []int{400, 413, 415, 422} {
				if op.Responses.Status(code) == nil {
					t.Errorf("%s %s does not document %d", strings.ToUpper(method), path, code)
				}
			}
		}
	}
}

// TestOpenAPIListsTheCodes: the Problem schema's code enum is exactly
// ProblemCodes and the field error's is exactly kernel.FieldCodes.
func TestOpenAPIListsTheCodes(t *testing.T) {
	doc := loadServedOpenAPI(t)
	enum := func(schema, prop string) []string {
		s := doc.Components.Schemas[schema]
		if s == nil || s.Value == nil || s.Value.Properties[prop] == nil {
			t.Fatalf("no %s.%s in the document", schema, prop)
		}
		var out []string
		for _, v := range s.Value.Properties[prop].Value.Enum {
			out = append(out, v.(string))
		}
		slices.Sort(out)
		return out
	}
	var problems, fields []string
	for _, c := range ProblemCodes {
		problems = append(problems, string(c))
	}
	for _, c := range kernel.FieldCodes {
		fields = append(fields, string(c))
	}
	slices.Sort(problems)
	slices.Sort(fields)
	if got := enum("Problem", "code"); !slices.Equal(got, problems) {
		t.Errorf("Problem.code enum %v, ProblemCodes %v", got, problems)
	}
	if got := enum("FieldError", "code"); !slices.Equal(got, fields) {
		t.Errorf("FieldError.code enum %v, kernel.FieldCodes %v", got, fields)
	}
}

// TestEveryProblemHasACode: each error problemFor knows, and each HTTP
// status echo raises, becomes a problem with a listed code, and every field
// error in it has one too.
func TestEveryProblemHasACode(t *testing.T) {
	errs := []error{
		&kernel.ValidationError{Fields: []kernel.FieldError{{Field: "a", Code: kernel.CodeRequired, Message: "is required"}}},
		kernel.Invalid("b", "is wrong"),
		&kernel.QueryError{Field: "by", Message: "not allowed"},
		kernel.ErrNotFound, fmt.Errorf("survey: %w", kernel.ErrConflict), kernel.ErrClosed, kernel.ErrNotOpen,
		kernel.ErrUnauthorized, kernel.ErrForbidden, &RetryAfterError{After: time.Second}, errors.New("boom"),
	}
	for _, code := range []int{400, 401, 403, 404, 405, 413, 415, 418, 429, 500} {
		errs = append(errs, echo.NewHTTPError(code))
	}
	for _, err := range errs {
		p := problemFor(err)
		if !slices.Contains(ProblemCodes, p.Code) {
			t.Errorf("%v: code %q is not listed", err, p.Code)
		}
		for _, f := range p.Errors {
			if !slices.Contains(kernel.FieldCodes, f.Code) {
				t.Errorf("%v: field %s code %q is not listed", err, f.Field, f.Code)
			}
		}
	}
}
