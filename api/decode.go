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
	"unicode/utf8"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/labstack/echo/v4"
)

// decodeJSON decodes exactly one JSON value into dst. Malformed JSON is a 400;
// a value of the wrong type or an unknown field is a 422 naming the field; an
// oversized body is a 413.
func decodeJSON(r io.Reader, dst any) error {
	body, err := io.ReadAll(r)
	if err != nil {
		return jsonError(err)
	}
	// encoding/json leaves a struct or map untouched for null, which would
	// pass as an empty change; every body we take is an object.
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) && wantsObject(dst) {
		return kernel.Invalid("body", "must be a JSON object, not null")
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
	if mayHoldBadText(body) {
		if field, msg, ok := badText(body); ok {
			return kernel.Invalid(field, msg)
		}
	}
	return nil
}

// wantsObject reports whether dst points to a struct or a map.
func wantsObject(dst any) bool {
	t := reflect.TypeOf(dst)
	if t == nil || t.Kind() != reflect.Pointer {
		return false
	}
	k := t.Elem().Kind()
	return k == reflect.Struct || k == reflect.Map
}

// mayHoldBadText is badText's cheap first look at the whole body.
func mayHoldBadText(body []byte) bool {
	return !utf8.Valid(body) || bytes.Contains(body, []byte(`\u0000`)) ||
		bytes.Contains(body, []byte(`\ud`)) || bytes.Contains(body, []byte(`\uD`))
}

// badText finds the first string or key that is not text every database
// can store, and names its field the way validation errors do
// (comments.general, demographics[0].options[1]; a bad key names its
// object). Refused are NUL characters (PostgreSQL cannot store them) and
// invalid UTF-8: raw bytes that are not UTF-8 and \uD800-\uDFFF escapes
// that are not a surrogate pair, both of which encoding/json would
// otherwise store silently as U+FFFD. body is already known to be one
// valid JSON value.
func badText(body []byte) (field, message string, found bool) {
	type level struct {
		path   string
		array  bool
		n      int    // the index of the next element of an array
		key    string // the key of the value being read in an object
		inKeys bool   // an object expects a key next
	}
	var stack []*level
	valuePath := func() string {
		if len(stack) == 0 {
			return ""
		}
		top := stack[len(stack)-1]
		if top.array {
			return fmt.Sprintf("%s[%d]", top.path, top.n)
		}
		return childPath(top.path, top.key)
	}
	valueDone := func() {
		if len(stack) == 0 {
			return
		}
		if top := stack[len(stack)-1]; top.array {
			top.n++
		} else {
			top.inKeys = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return "", "", false
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, &level{path: valuePath(), array: t == '[', inKeys: t == '{'})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			raw := body[start:dec.InputOffset()]
			msg, bad := textMessage(t, raw)
			if top := len(stack) - 1; top >= 0 && stack[top].inKeys {
				if bad {
					return orBody(stack[top].path), msg, true
				}
				stack[top].key, stack[top].inKeys = t, false
				continue
			}
			if bad {
				return orBody(valuePath()), msg, true
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

// textMessage says what is wrong with a decoded JSON string s, read from
// the raw bytes raw, if anything.
func textMessage(s string, raw []byte) (string, bool) {
	switch {
	case strings.ContainsRune(s, 0):
		return "must not contain the NUL character (\\u0000)", true
	case !utf8.Valid(raw) || hasLoneSurrogate(raw):
		return "must be valid UTF-8 text", true
	}
	return "", false
}

// hasLoneSurrogate reports whether the JSON string text raw holds a
// \uD800-\uDFFF escape that is not half of a surrogate pair.
func hasLoneSurrogate(raw []byte) bool {
	escape := func(i int) (rune, bool) {
		if i+6 > len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 16)
		return rune(n), err == nil
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		r, ok := escape(i)
		if !ok {
			i++ // an escape like \\ or \n: skip the escaped character
			continue
		}
		switch {
		case r >= 0xD800 && r <= 0xDBFF:
			if low, ok := escape(i + 6); ok && low >= 0xDC00 && low <= 0xDFFF {
				i += 11
				continue
			}
			return true
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		}
		i += 5
	}
	return false
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
		msg := typeMessage(typ)
		if msg == "is out of range" {
			return kernel.InvalidCode(field, kernel.CodeOutOfRange, msg)
		}
		return kernel.Invalid(field, msg)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if name == "" {
			return kernel.Invalid("body", "has a field with an empty name")
		}
		return kernel.InvalidCode(name, kernel.CodeUnknown, unknownFieldMessage)
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
	var ve *kernel.ValidationError
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
	return kernel.InvalidCode(full, named.Code, named.Message)
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
