package kernel

import (
	"errors"
	"sort"
	"strings"
)

// Domain errors. api/errors.go maps each of them to one HTTP status.
var (
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict")
	ErrClosed       = errors.New("wave closed")
	ErrNotOpen      = errors.New("wave not open yet")
	ErrForbidden    = errors.New("forbidden")
	ErrUnauthorized = errors.New("unauthorized")
	ErrRateLimited  = errors.New("rate limited")
	// ErrOutsideLattice marks a results query the anonymity rules refuse (400).
	ErrOutsideLattice = errors.New("query outside the allowed views")
)

// FieldCode says, for machines, what is wrong with a field; Message says it
// for people. The set is closed: api/openapi/base.json lists it.
type FieldCode string

// The field codes.
const (
	CodeRequired   FieldCode = "required"     // missing or empty
	CodeInvalid    FieldCode = "invalid"      // wrong form or value
	CodeTooLong    FieldCode = "too_long"     // longer than its limit
	CodeOutOfRange FieldCode = "out_of_range" // a number or count outside its bounds
	CodeUnknown    FieldCode = "unknown"      // names an option, item or key that does not exist
	CodeDuplicate  FieldCode = "duplicate"    // already used
	CodeNotAllowed FieldCode = "not_allowed"  // well formed, but not allowed here
	CodeMissing    FieldCode = "missing"      // a translation or part still to write
)

// FieldCodes lists every field code, for the OpenAPI document's test.
var FieldCodes = []FieldCode{CodeRequired, CodeInvalid, CodeTooLong, CodeOutOfRange, CodeUnknown, CodeDuplicate, CodeNotAllowed, CodeMissing}

// FieldError is one invalid input field.
type FieldError struct {
	Field   string    `json:"field"`
	Code    FieldCode `json:"code"`
	Message string    `json:"message"`
}

// ValidationError carries per-field messages; it maps to 422.
type ValidationError struct {
	Fields []FieldError
}

// Error lists the fields.
func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Message)
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records a problem with a field, coded invalid; AddCode names the code.
func (e *ValidationError) Add(field, msg string) { e.AddCode(field, CodeInvalid, msg) }

// AddCode records a problem with a field and its code.
func (e *ValidationError) AddCode(field string, code FieldCode, msg string) {
	e.Fields = append(e.Fields, FieldError{Field: field, Code: code, Message: msg})
}

// Err returns e when it holds a problem, else nil, with fields sorted for
// stable output.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	sort.SliceStable(e.Fields, func(i, j int) bool { return e.Fields[i].Field < e.Fields[j].Field })
	return e
}

// Has reports whether e has a problem with field or with a field that
// holds it (rotation holds rotation.cover_every).
func (e *ValidationError) Has(field string) bool {
	for _, f := range e.Fields {
		if f.Field == field || strings.HasPrefix(field, f.Field+".") || strings.HasPrefix(field, f.Field+"[") {
			return true
		}
	}
	return false
}

// Invalid returns a ValidationError for one field, coded invalid.
func Invalid(field, msg string) error { return InvalidCode(field, CodeInvalid, msg) }

// InvalidCode returns a ValidationError for one field with its code.
func InvalidCode(field string, code FieldCode, msg string) error {
	return &ValidationError{Fields: []FieldError{{Field: field, Code: code, Message: msg}}}
}

// QueryError is a request outside the closed query lattice (400), naming the
// parameter at fault.
type QueryError struct {
	Field   string
	Message string
}

// Error describes the refused query.
func (e *QueryError) Error() string { return e.Field + ": " + e.Message }

// Unwrap lets errors.Is(err, ErrOutsideLattice) match.
func (e *QueryError) Unwrap() error { return ErrOutsideLattice }
