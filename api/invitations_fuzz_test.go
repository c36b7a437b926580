package api

import (
	"context"
	"net/http"
	"testing"
)

// FuzzPeopleUpload: any file sent as the people list is stored (201), or
// refused with a named 4xx and nothing stored; never a 500.
func FuzzPeopleUpload(f *testing.F) {
	for _, s := range []string{
		peopleCSV("a", "Sales", 5), "email\nx@example.com\n", "email;department\r\nb@example.com;sales\r\n",
		"\ufeffEmail,Department\nc@example.com,Nope\n", "email,email\n", "\"unterminated\n", "\xff\xfe", "", "email\n" + "\x00@x\n",
	} {
		f.Add(s)
	}
	m := newMailEnv(f)
	f.Fuzz(func(t *testing.T, body string) {
		before, _ := m.store.PeopleCount(context.Background(), m.wave)
		rec := m.upload(body, "")
		after, _ := m.store.PeopleCount(context.Background(), m.wave)
		switch rec.Code {
		case http.StatusCreated:
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
			if after != before {
				t.Fatalf("%d but %d people stored", rec.Code, after-before)
			}
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
	})
}

// FuzzBallotBodies: any body to the ballot routes and the mail routes is
// answered with a named 4xx (or a success), never a 500.
func FuzzBallotBodies(f *testing.F) {
	for _, s := range []string{
		`{"key":"k","blinded":"AAAA"}`, `{"key":"","blinded":""}`, `{"ballot":{"key":"k","token":"AA","signature":"AA"}}`,
		`{"ballot":null,"answers":{}}`, `{"kind":"retry"}`, `{"subject":"x","body":"{link}"}`, `{"subject":"a\nb","body":""}`, `null`, `[]`, ``,
	} {
		f.Add(s)
	}
	m := newMailEnv(f)
	code := m.invites(5, nil)[0]
	base := "/api/v1/surveys/" + m.survey.ID
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/api/v1/respond/" + code + "/ballot", "/api/v1/ballots", base + "/waves/1/mail", base + "/mail-templates/invitation/preview"} {
			rec := m.do(http.MethodPost, path, "application/json", body, m.lead...)
			if rec.Code >= 500 {
				t.Fatalf("%s: status %d for %q: %s", path, rec.Code, body, rec.Body)
			}
		}
	})
}
