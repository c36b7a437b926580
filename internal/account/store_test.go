package account_test

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
)

// TestStore runs the account store suite on SQLite and, when
// ALLYPULSE_TEST_POSTGRES is set, on PostgreSQL.
func TestStore(t *testing.T) {
	backends := map[string]func(t *testing.T) *db.DB{
		"sqlite": func(t *testing.T) *db.DB {
			return testtools.OpenDB(t, db.SQLite)
		},
		"postgres": func(t *testing.T) *db.DB {
			return testtools.OpenDB(t, db.Postgres)
		},
	}
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := open(t)
			for _, tc := range suite {
				t.Run(tc.name, func(t *testing.T) {
					clock := kernel.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
					// Each case starts from empty tables of its own.
					for _, table := range []string{"audit_events", "setup_tokens", "api_tokens", "sessions", "users"} {
						if err := d.Gorm.Exec("DELETE FROM " + table).Error; err != nil {
							t.Fatal(err)
						}
					}
					tc.run(t, account.NewStore(d.Gorm, clock), clock)
				})
			}
		})
	}
}

type storeCase struct {
	name string
	run  func(t *testing.T, s *account.Store, clock *kernel.ManualClock)
}

var ctx = context.Background()

func mustCreate(t *testing.T, s *account.Store, email, role string) account.User {
	t.Helper()
	u, err := s.CreateUser(ctx, account.NewUser{Email: email, Name: "N " + role, Role: role, Password: "correct horse battery"})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	var ve *kernel.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v, want a validation error on %v", err, fields)
	}
	got := map[string]bool{}
	for _, f := range ve.Fields {
		got[f.Field] = true
	}
	for _, f := range fields {
		if !got[f] {
			t.Errorf("validation error %v lacks field %q", ve, f)
		}
	}
	if len(got) != len(fields) {
		t.Errorf("validation error %v, want exactly fields %v", ve, fields)
	}
}

var suite = []storeCase{
	{"users: create, find, list, duplicate", func(t *testing.T, s *account.Store, _ *kernel.ManualClock) {
		a := mustCreate(t, s, "Ada@Example.org ", account.RoleAdmin)
		if a.Email != "ada@example.org" || a.Role != account.RoleAdmin || a.ID == "" {
			t.Errorf("created %+v", a)
		}
		got, err := s.User(ctx, a.ID)
		if err != nil || got.Email != a.Email || !got.CreatedAt.Equal(a.CreatedAt) {
			t.Errorf("User = %+v, %v; want %+v", got, err, a)
		}
		_, err = s.CreateUser(ctx, account.NewUser{Email: "ADA@example.org", Role: account.RoleLead, Password: "0123456789"})
		wantErr(t, err, kernel.ErrConflict)
		mustCreate(t, s, "bo@example.org", account.RoleExecutive)
		list, _, err := s.Users(ctx, 0, "")
		if err != nil || len(list) != 2 || list[0].Email != "ada@example.org" || list[1].Email != "bo@example.org" {
			t.Errorf("Users = %+v, %v", list, err)
		}
		_, err = s.User(ctx, "nope")
		wantErr(t, err, kernel.ErrNotFound)
	}},
	{"users: validation", func(t *testing.T, s *account.Store, _ *kernel.ManualClock) {
		_, err := s.CreateUser(ctx, account.NewUser{Email: "not an address", Role: "boss", Password: "short"})
		wantFields(t, err, "email", "password", "role")
		_, err = s.CreateUser(ctx, account.NewUser{Email: "a@b.example", Role: account.RoleLead, Password: "123456789"})
		wantFields(t, err, "password")
		u := mustCreate(t, s, "c@example.org", account.RoleLead)
		bad := "nobody"
		_, err = s.UpdateUser(ctx, u.ID, account.UserChange{Role: &bad})
		wantFields(t, err, "role")
	}},
	{"names are one line without control or direction characters", func(t *testing.T, s *account.Store, _ *kernel.ManualClock) {
		u, err := s.CreateUser(ctx, account.NewUser{Email: "d@example.org", Name: "  Ada\n\t Lovelace ", Role: account.RoleLead, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != "Ada Lovelace" {
			t.Errorf("name = %q, want the white space folded to %q", u.Name, "Ada Lovelace")
		}
		for _, bad := range []string{"Ada\u202eecalevol", "bell\a", "zero\u200bwidth"} {
			_, err := s.CreateUser(ctx, account.NewUser{Email: "e@example.org", Name: bad, Role: account.RoleLead, Password: "correct horse battery"})
			wantFields(t, err, "name")
			_, err = s.UpdateUser(ctx, u.ID, account.UserChange{Name: &bad})
			wantFields(t, err, "name")
			_, _, err = s.CreateToken(ctx, u, bad, "")
			wantFields(t, err, "name")
		}
		_, _, err = s.CreateToken(ctx, u, " \u00a0 ", "")
		wantFields(t, err, "name")
	}},
	{"authenticate", func(t *testing.T, s *account.Store, _ *kernel.ManualClock) {
		u := mustCreate(t, s, "lead@example.org", account.RoleLead)
		got, err := s.Authenticate(ctx, "LEAD@example.org", "correct horse battery")
		if err != nil || got.ID != u.ID {
			t.Fatalf("Authenticate = %+v, %v", got, err)
		}
		_, err = s.Authenticate(ctx, "lead@example.org", "wrong horse battery")
		wantErr(t, err, account.ErrBadCredentials)
		_, err = s.Authenticate(ctx, "nobody@example.org", "correct horse battery")
		wantErr(t, err, account.ErrBadCredentials)
		yes := true
		if _, err := s.UpdateUser(ctx, u.ID, account.UserChange{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		_, err = s.Authenticate(ctx, "lead@example.org", "correct horse battery")
		wantErr(t, err, account.ErrBadCredentials)
		pw := "a new passphrase"
		no := false
		if _, err := s.UpdateUser(ctx, u.ID, account.UserChange{Disabled: &no, Password: &pw}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, "lead@example.org", pw); err != nil {
			t.Errorf("new password refused: %v", err)
		}
	}},
	{"last admin is kept", func(t *testing.T, s *account.Store, _ *kernel.ManualClock) {
		a := mustCreate(t, s, "a@example.org", account.RoleAdmin)
		lead := account.RoleLead
		yes := true
		_, err := s.UpdateUser(ctx, a.ID, account.UserChange{Role: &lead})
		wantErr(t, err, kernel.ErrConflict)
		_, err = s.UpdateUser(ctx, a.ID, account.UserChange{Disabled: &yes})
		wantErr(t, err, kernel.ErrConflict)
		wantErr(t, s.DeleteUser(ctx, a.ID), kernel.ErrConflict)
		if got, _ := s.User(ctx, a.ID); got.Role != account.RoleAdmin || got.Disabled {
			t.Errorf("refused change still applied: %+v", got)
		}
		// A disabled second admin does not count.
		b := mustCreate(t, s, "b@example.org", account.RoleAdmin)
		if _, err := s.UpdateUser(ctx, b.ID, account.UserChange{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		wantErr(t, s.DeleteUser(ctx, a.ID), kernel.ErrConflict)
		no := false
		if _, err := s.UpdateUser(ctx, b.ID, account.UserChange{Disabled: &no}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateUser(ctx, a.ID, account.UserChange{Role: &lead}); err != nil {
			t.Errorf("demote with another admin: %v", err)
		}
		if err := s.DeleteUser(ctx, a.ID); err != nil {
			t.Errorf("delete a non-admin: %v", err)
		}
		wantErr(t, s.DeleteUser(ctx, a.ID), kernel.ErrNotFound)
	}},
	{"two admins demoting each other at once leave one admin", func(t *testing.T, s *account.Store, _ *kernel.ManualClock) {
		a := mustCreate(t, s, "a@example.org", account.RoleAdmin)
		b := mustCreate(t, s, "b@example.org", account.RoleAdmin)
		lead := account.RoleLead
		errs := make(chan error, 2)
		for _, id := range []string{a.ID, b.ID} {
			go func() {
				_, err := s.UpdateUser(ctx, id, account.UserChange{Role: &lead})
				errs <- err
			}()
		}
		e1, e2 := <-errs, <-errs
		if (e1 == nil) == (e2 == nil) {
			t.Fatalf("errors %v and %v: want exactly one demotion to succeed", e1, e2)
		}
		if err := cmp.Or(e1, e2); !errors.Is(err, kernel.ErrConflict) {
			t.Errorf("the refused demotion failed with %v, want a conflict", err)
		}
		users, _, err := s.Users(ctx, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		admins := 0
		for _, u := range users {
			if u.Role == account.RoleAdmin {
				admins++
			}
		}
		if admins != 1 {
			t.Errorf("%d admins left, want 1", admins)
		}
	}},
	{"sessions", func(t *testing.T, s *account.Store, clock *kernel.ManualClock) {
		u := mustCreate(t, s, "a@example.org", account.RoleAdmin)
		token, sess, err := s.CreateSession(ctx, u.ID)
		if err != nil || token == "" || sess.CSRFToken == "" || !sess.ExpiresAt.Equal(clock.Now().Add(account.SessionTTL)) {
			t.Fatalf("CreateSession = %q, %+v, %v", token, sess, err)
		}
		got, gs, err := s.SessionUser(ctx, token)
		if err != nil || got.ID != u.ID || gs.CSRFToken != sess.CSRFToken {
			t.Fatalf("SessionUser = %+v, %+v, %v", got, gs, err)
		}
		_, _, err = s.SessionUser(ctx, token+"x")
		wantErr(t, err, account.ErrSessionEnded)
		if err := s.RevokeSession(ctx, token); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.SessionUser(ctx, token)
		wantErr(t, err, account.ErrSessionEnded)

		token2, _, err := s.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(account.SessionTTL - time.Second)
		if _, _, err := s.SessionUser(ctx, token2); err != nil {
			t.Errorf("session before expiry: %v", err)
		}
		clock.Advance(time.Second)
		_, _, err = s.SessionUser(ctx, token2)
		wantErr(t, err, account.ErrSessionEnded)
		if n, err := s.DeleteExpiredSessions(ctx); err != nil || n != 0 {
			t.Errorf("DeleteExpiredSessions at the expiry instant = %d, %v", n, err)
		}
		clock.Advance(time.Second)
		if n, err := s.DeleteExpiredSessions(ctx); err != nil || n != 2 {
			t.Errorf("DeleteExpiredSessions = %d, %v; want 2", n, err)
		}
	}},
	{"disabling a user ends their sessions", func(t *testing.T, s *account.Store, _ *kernel.ManualClock) {
		mustCreate(t, s, "admin@example.org", account.RoleAdmin)
		u := mustCreate(t, s, "lead@example.org", account.RoleLead)
		token, _, err := s.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		yes, no := true, false
		if _, err := s.UpdateUser(ctx, u.ID, account.UserChange{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateUser(ctx, u.ID, account.UserChange{Disabled: &no}); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.SessionUser(ctx, token)
		wantErr(t, err, account.ErrSessionEnded)
	}},
	{"api tokens", func(t *testing.T, s *account.Store, _ *kernel.ManualClock) {
		admin := mustCreate(t, s, "admin@example.org", account.RoleAdmin)
		lead := mustCreate(t, s, "lead@example.org", account.RoleLead)
		tok, secret, err := s.CreateToken(ctx, admin, "BI export", "")
		if err != nil || tok.Role != account.RoleAdmin || tok.UserEmail != admin.Email || secret == "" {
			t.Fatalf("CreateToken = %+v, %q, %v", tok, secret, err)
		}
		u, got, err := s.TokenUser(ctx, secret)
		if err != nil || u.ID != admin.ID || u.Role != account.RoleAdmin || got.ID != tok.ID {
			t.Fatalf("TokenUser = %+v, %+v, %v", u, got, err)
		}
		ro, roSecret, err := s.CreateToken(ctx, admin, "dashboard", account.RoleExecutive)
		if err != nil || ro.Role != account.RoleExecutive {
			t.Fatalf("lesser-role token = %+v, %v", ro, err)
		}
		if u, _, err := s.TokenUser(ctx, roSecret); err != nil || u.Role != account.RoleExecutive {
			t.Errorf("lesser-role token acts as %+v, %v", u, err)
		}
		_, _, err = s.CreateToken(ctx, lead, "grab", account.RoleAdmin)
		wantFields(t, err, "role")
		_, _, err = s.CreateToken(ctx, admin, " ", "")
		wantFields(t, err, "name")

		list, _, err := s.Tokens(ctx, 0, "")
		if err != nil || len(list) != 2 {
			t.Fatalf("Tokens = %+v, %v", list, err)
		}
		rev, err := s.RevokeToken(ctx, tok.ID)
		if err != nil || rev.RevokedAt == nil {
			t.Fatalf("RevokeToken = %+v, %v", rev, err)
		}
		_, _, err = s.TokenUser(ctx, secret)
		wantErr(t, err, account.ErrTokenInvalid)
		_, err = s.RevokeToken(ctx, "missing")
		wantErr(t, err, kernel.ErrNotFound)
		_, _, err = s.TokenUser(ctx, "apt_guess")
		wantErr(t, err, account.ErrTokenInvalid)

		// A lead's own token follows the lead's demotion.
		lt, ltSecret, err := s.CreateToken(ctx, lead, "lead script", "")
		if err != nil || lt.Role != account.RoleLead {
			t.Fatal(lt, err)
		}
		exec := account.RoleExecutive
		if _, err := s.UpdateUser(ctx, lead.ID, account.UserChange{Role: &exec}); err != nil {
			t.Fatal(err)
		}
		if u, _, err := s.TokenUser(ctx, ltSecret); err != nil || u.Role != account.RoleExecutive {
			t.Errorf("token of a demoted user acts as %+v, %v", u, err)
		}
		if err := s.DeleteUser(ctx, lead.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.TokenUser(ctx, ltSecret)
		wantErr(t, err, account.ErrTokenInvalid)
	}},
	{"setup token", func(t *testing.T, s *account.Store, clock *kernel.ManualClock) {
		old, err := s.CreateSetupToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		secret, err := s.CreateSetupToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		nu := account.NewUser{Email: "first@example.org", Name: "First", Password: "0123456789"}
		_, err = s.Setup(ctx, old, nu)
		wantErr(t, err, account.ErrSetupInvalid)
		_, err = s.Setup(ctx, secret, account.NewUser{Email: "first@example.org", Password: "short"})
		wantFields(t, err, "password")
		u, err := s.Setup(ctx, secret, nu)
		if err != nil || u.Role != account.RoleAdmin {
			t.Fatalf("Setup = %+v, %v", u, err)
		}
		_, err = s.Setup(ctx, secret, account.NewUser{Email: "second@example.org", Password: "0123456789"})
		wantErr(t, err, account.ErrSetupInvalid)

		late, err := s.CreateSetupToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Setup(ctx, late, account.NewUser{Email: "third@example.org", Password: "0123456789"})
		wantErr(t, err, kernel.ErrConflict)
		expired, err := s.CreateSetupToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(account.SetupTTL)
		_, err = s.Setup(ctx, expired, nu)
		wantErr(t, err, account.ErrSetupInvalid)
	}},
	{"audit log pages newest first", func(t *testing.T, s *account.Store, clock *kernel.ManualClock) {
		for i := range 5 {
			err := s.Record(ctx, account.Event{ActorID: "u1", ActorEmail: "a@example.org", Action: "user.create", Target: string(rune('a' + i))})
			if err != nil {
				t.Fatal(err)
			}
			if i != 2 { // two events share an instant: the id breaks the tie
				clock.Advance(1500 * time.Microsecond)
			}
		}
		var seen []string
		cursor := ""
		for page := 0; ; page++ {
			if page > 5 {
				t.Fatal("paging does not end")
			}
			events, next, err := s.Events(ctx, 2, cursor)
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range events {
				seen = append(seen, e.Target)
				if e.ActorEmail != "a@example.org" || e.Action != "user.create" || e.At.IsZero() {
					t.Errorf("event %+v", e)
				}
				if i > 0 && e.At.After(events[i-1].At) {
					t.Errorf("events out of order: %v after %v", e.At, events[i-1].At)
				}
			}
			if next == "" {
				break
			}
			cursor = next
		}
		// c and d share an instant, so their order is the ids' order.
		if len(seen) != 5 || seen[0] != "e" || seen[3] != "b" || seen[4] != "a" || seen[1]+seen[2] != "dc" && seen[1]+seen[2] != "cd" {
			t.Errorf("targets in page order = %v, want all five, newest first", seen)
		}
		_, _, err := s.Events(ctx, 2, "garbage!")
		wantFields(t, err, "cursor")
	}},
	{"users and tokens page without gaps or repeats", func(t *testing.T, s *account.Store, clock *kernel.ManualClock) {
		var want []string
		admin := mustCreate(t, s, "a0@example.org", account.RoleAdmin)
		want = append(want, admin.Email)
		for i := 1; i < 7; i++ {
			want = append(want, mustCreate(t, s, fmt.Sprintf("a%d@example.org", i), account.RoleLead).Email)
		}
		var users []string
		for cursor, page := "", 0; ; page++ {
			if page > 7 {
				t.Fatal("paging users does not end")
			}
			list, next, err := s.Users(ctx, 3, cursor)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range list {
				users = append(users, u.Email)
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if fmt.Sprint(users) != fmt.Sprint(want) {
			t.Errorf("users in page order %v, want %v", users, want)
		}
		// Tokens made at one instant in pairs: the id breaks the tie.
		for i := range 7 {
			if _, _, err := s.CreateToken(ctx, admin, fmt.Sprintf("t%d", i), ""); err != nil {
				t.Fatal(err)
			}
			if i%2 == 1 {
				clock.Advance(time.Millisecond)
			}
		}
		seen := map[string]bool{}
		for cursor, page := "", 0; ; page++ {
			if page > 7 {
				t.Fatal("paging tokens does not end")
			}
			list, next, err := s.Tokens(ctx, 2, cursor)
			if err != nil {
				t.Fatal(err)
			}
			for _, tok := range list {
				if seen[tok.Name] || tok.UserEmail != admin.Email {
					t.Errorf("token %+v repeated or without its creator's e-mail", tok)
				}
				seen[tok.Name] = true
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if len(seen) != 7 {
			t.Errorf("paging saw %d of 7 tokens", len(seen))
		}
		// Cursors that decode to text PostgreSQL refuses are bad cursors, not errors of the database.
		for _, bad := range []string{"garbage!", base64.RawURLEncoding.EncodeToString([]byte("a\x00b")),
			base64.RawURLEncoding.EncodeToString([]byte("2026-03-02T09:00:00Z|\xff"))} {
			_, _, err := s.Users(ctx, 2, bad)
			wantFields(t, err, "cursor")
			_, _, err = s.Tokens(ctx, 2, bad)
			wantFields(t, err, "cursor")
			_, _, err = s.Events(ctx, 2, bad)
			wantFields(t, err, "cursor")
		}
	}},
	{"a password of only spaces is refused", func(t *testing.T, s *account.Store, _ *kernel.ManualClock) {
		for _, pw := range []string{"          ", " \t \u00a0        "} {
			_, err := s.CreateUser(ctx, account.NewUser{Email: "sp@example.org", Role: account.RoleLead, Password: pw})
			wantFields(t, err, "password")
		}
		u := mustCreate(t, s, "ok@example.org", account.RoleLead)
		spaces := "            "
		_, err := s.UpdateUser(ctx, u.ID, account.UserChange{Password: &spaces})
		wantFields(t, err, "password")
		if msg := account.PasswordProblem(spaces); !strings.Contains(msg, "spaces") {
			t.Errorf("message %q does not say what is wrong", msg)
		}
		if msg := account.PasswordProblem("  a passphrase with spaces  "); msg != "" {
			t.Errorf("a passphrase with spaces is refused: %s", msg)
		}
	}},
}
