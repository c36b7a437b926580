package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/survey"
)

// decodeJSON decodes exactly one JSON value into dst. Malformed JSON is a 400;
// a value of the wrong type or an unknown field is a 422 naming the field; an
// oversized body is a 413.
func decodeJSON(r io.Reader, dst any) error {
	dec := json.NewDecoder(r)
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
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
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
		return survey.Invalid(field, fmt.Sprintf("must be %s, not %s", jsonTypeName(typ.Type.Kind().String()), typ.Value))
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
