package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
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
		return withFullPath(jsonError(err), body, dst)
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
		for _, k := range slices.Sorted(maps.Keys(v)) {
			sub := childPath(path, k)
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

// childPath names key inside path: anonymity.k, or k at the top.
func childPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orBody(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

const unknownFieldMessage = "is not a known field"

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
		return survey.Invalid(name, unknownFieldMessage)
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

// withFullPath replaces the field the decoder named (demographics.sensitive,
// or only k for an unknown key) by its full place in the body
// (demographics[1].sensitive, anonymity.k).
func withFullPath(err error, body []byte, dst any) error {
	var ve *survey.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 1 {
		return err
	}
	named := ve.Fields[0]
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return err
	}
	unknownKey := named.Message == unknownFieldMessage
	full, found := findField(v, reflect.TypeOf(dst), "", func(path string, v any, t reflect.Type) bool {
		if unknownKey {
			return t == nil && path[strings.LastIndexAny(path, ".]")+1:] == named.Field
		}
		return t != nil && withoutIndices(path) == named.Field && !fits(v, t)
	})
	if !found {
		return err
	}
	return survey.Invalid(full, named.Message)
}

var (
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

// findField walks the decoded body v alongside the Go type t it is decoded
// into, in key order, and returns the path of the first value for which
// match is true; t is nil for a key that names no field. Values that decode
// themselves (json.RawMessage, json.Unmarshaler) are not entered.
func findField(v any, t reflect.Type, path string, match func(path string, v any, t reflect.Type) bool) (string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessageType || reflect.PointerTo(t).Implements(unmarshalerType) {
		return "", false
	}
	if path != "" && match(path, v, t) {
		return path, true
	}
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			sub := childPath(path, k)
			var ft reflect.Type
			switch t.Kind() {
			case reflect.Struct:
				if f, ok := structField(t, k); ok {
					ft = f.Type
				}
			case reflect.Map:
				ft = t.Elem()
			default:
				continue
			}
			if ft == nil {
				if match(sub, v[k], nil) {
					return sub, true
				}
				continue
			}
			if p, ok := findField(v[k], ft, sub, match); ok {
				return p, true
			}
		}
	case []any:
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			return "", false
		}
		for i, e := range v {
			if p, ok := findField(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i), match); ok {
				return p, true
			}
		}
	}
	return "", false
}

// structField finds the field a JSON key sets; like encoding/json it prefers
// an exact name and otherwise ignores case.
func structField(t reflect.Type, key string) (reflect.StructField, bool) {
	var folded *reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == key {
			return f, true
		}
		if folded == nil && strings.EqualFold(name, key) {
			folded = &f
		}
	}
	if folded != nil {
		return *folded, true
	}
	return reflect.StructField{}, false
}

// fits reports whether a decoded JSON value (numbers as json.Number) can be
// stored in a Go value of type t.
func fits(v any, t reflect.Type) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return t.Kind() == reflect.String || t.Kind() == reflect.Interface
	case bool:
		return t.Kind() == reflect.Bool || t.Kind() == reflect.Interface
	case map[string]any:
		return t.Kind() == reflect.Struct || t.Kind() == reflect.Map || t.Kind() == reflect.Interface
	case []any:
		return t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Interface
	case json.Number:
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			n, err := strconv.ParseInt(string(v), 10, 64)
			return err == nil && !reflect.Zero(t).OverflowInt(n)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			n, err := strconv.ParseUint(string(v), 10, 64)
			return err == nil && !reflect.Zero(t).OverflowUint(n)
		case reflect.Float32, reflect.Float64:
			f, err := strconv.ParseFloat(string(v), 64)
			return err == nil && !reflect.Zero(t).OverflowFloat(f)
		case reflect.Interface:
			return true
		}
	}
	return false
}

// withoutIndices turns demographics[1].sensitive into demographics.sensitive,
// the way the decoder names a field.
func withoutIndices(path string) string {
	var b strings.Builder
	depth := 0
	for _, r := range path {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
