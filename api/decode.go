package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/survey"
)

// decodeJSON decodes exactly one JSON value into dst. Malformed JSON is a 400;
// a value of the wrong type or an unknown field is a 422 naming the field; an
// oversized body is a 413.
func decodeJSON(r io.Reader, dst any) error {
	body, err := io.ReadAll(r)
	if err != nil {
		return jsonError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return echo.NewHTTPError(http.StatusBadRequest, "The body must hold exactly one JSON value.")
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return echo.NewHTTPError(http.StatusBadRequest, "The body must hold exactly one JSON value.")
	}
	if bytes.Contains(body, []byte(`\u0000`)) {
		var v any
		if json.Unmarshal(body, &v) == nil {
			if field, ok := nulField("", v); ok {
				return survey.Invalid(field, "must not contain the NUL character (\\u0000)")
			}
		}
	}
	return nil
}

// nulField finds the first string or key holding a NUL character, which no
// text field accepts (PostgreSQL cannot store it), and names its field the
// way validation errors do: comments.general, demographics[0].options[1].
func nulField(path string, v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return orBody(path), strings.ContainsRune(v, 0)
	case []any:
		for i, e := range v {
			if f, ok := nulField(fmt.Sprintf("%s[%d]", path, i), e); ok {
				return f, true
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub := k
			if path != "" {
				sub = path + "." + k
			}
			if strings.ContainsRune(k, 0) {
				return orBody(path), true
			}
			if f, ok := nulField(sub, v[k]); ok {
				return f, true
			}
		}
	}
	return "", false
}

func orBody(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &tooBig), errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge:
		// The second is echo's BodyLimit, for a body sent without a length.
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "The request body is too large.")
	case errors.Is(err, io.EOF):
		return echo.NewHTTPError(http.StatusBadRequest, "The request body is empty; send a JSON object.")
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return echo.NewHTTPError(http.StatusBadRequest, "The request body is not valid JSON.")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return survey.Invalid(field, typeMessage(typ))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if name == "" {
			return survey.Invalid("body", "has a field with an empty name")
		}
		return survey.Invalid(name, "is not a known field")
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "The request body is not valid JSON.")
	}
}

// typeMessage explains a value of the wrong JSON type; a number that does
// not fit a whole-number field is either not whole or out of range.
func typeMessage(typ *json.UnmarshalTypeError) string {
	want := jsonTypeName(typ.Type.Kind().String())
	got, isNumber := strings.CutPrefix(typ.Value, "number ")
	switch typ.Type.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		want = "a whole number"
		if isNumber && !strings.ContainsAny(got, ".eE") {
			return "is out of range"
		}
	}
	return fmt.Sprintf("must be %s, not %s", want, got)
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "map", "struct":
		return "an object"
	case "int", "int64", "int32", "uint", "uint8", "float64", "float32":
		return "a number"
	}
	return "a " + kind
}
