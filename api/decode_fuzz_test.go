package api

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
)

// FuzzDecodeJSON feeds request bodies to decodeJSON as the login, survey
// design and respondent handlers use it: every input either decodes or
// becomes a 400, 413 or 422 with a message meant for the client; it never
// panics and never echoes Go types.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"email":"ada@example.org","password":"correct horse battery"}`,
		`{"email":"ada@example.org"}`,
		`{}`,
		``,
		`null`,
		`[]`,
		`{"email":42,"password":true}`,
		`{"email":"a","password":"b","role":"admin"}`,
		`{"email":"a"} {"email":"b"}`,
		`{"email":"a",}`,
		`{"email":"\ud800"}`,
		`{"email":"\ud83d\ude00","password":"\\ud800"}`,
		"{\"email\":\"a\xffb\"}",
		"{\"comments\":{\"general\":\"\xed\xa0\x80\"}}",
		`{"email":"a","email":"b"}`,
		`{"password":{"$ne":null}}`,
		"\xef\xbb\xbf{}",
		`{"email":"` + strings.Repeat("a", 1000) + `"}`,
		`{"email":` + strings.Repeat("[", 10000),
		`{"title":"x","demographics":[{"key":"a","options":["b",1]},{"x":{}}],"anonymity":{"k":1}}`,
		`{"items":[[["a"]]],"schedule":{"wave_days":1e400},"rotation":{"cover_every":-1.5}}`,
		`{"answers":{"belonging.1":[3]},"demographics":{"dept":7},"comments":{"a.b[0]":{}}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		checkDecodeError(t, body, &loginRequest{})
		checkDecodeError(t, body, &surveyRequest{})
		checkDecodeError(t, body, &survey.Submission{})
	})
}

func checkDecodeError(t *testing.T, body string, dst any) {
	t.Helper()
	err := decodeJSON(http.MaxBytesReader(nil, readCloser{strings.NewReader(body)}, 1<<16), dst)
	if err == nil {
		// Nothing is stored that the client did not send: a body that
		// is not UTF-8 would have been decoded with U+FFFD in its place.
		if !utf8.ValidString(body) {
			t.Fatalf("invalid UTF-8 accepted: %q", body)
		}
		return
	}
	var he *echo.HTTPError
	var ve *kernel.ValidationError
	switch {
	case errors.As(err, &he):
		if he.Code != http.StatusBadRequest && he.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d for %q", he.Code, body)
		}
	case errors.As(err, &ve):
		for _, fe := range ve.Fields {
			if fe.Field == "" || fe.Message == "" || !utf8.ValidString(fe.Message) {
				t.Fatalf("field error %+v for %q", fe, body)
			}
			if strings.Contains(fe.Message, "api.") || strings.Contains(fe.Message, "json:") {
				t.Fatalf("message leaks Go internals: %q", fe.Message)
			}
		}
	default:
		t.Fatalf("unexpected error %T %v for %q", err, err, body)
	}
	p := problemFor(err)
	if p.Status >= 500 {
		t.Fatalf("decoding error became %d for %q", p.Status, body)
	}
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }
