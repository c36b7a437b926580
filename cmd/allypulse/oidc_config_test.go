package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/account"
)

func TestOIDCConfig(t *testing.T) {
	ok := map[string]string{
		"ALLYPULSE_OIDC_ISSUER": "https://login.example.org/realms/staff", "ALLYPULSE_OIDC_CLIENT_ID": "allypulse",
		"ALLYPULSE_OIDC_CLIENT_SECRET": "s3cret", "ALLYPULSE_OIDC_ALLOWED_DOMAINS": "example.org, @Example.COM",
		"ALLYPULSE_OIDC_ADMIN_VALUES": "pulse-admins", "ALLYPULSE_OIDC_LEAD_VALUES": "pulse-leads,dei-team",
	}
	getenv := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := loadOIDC(getenv(ok))
	if err != nil {
		t.Fatal(err)
	}
	if c.RoleClaim != "groups" || strings.Join(c.AllowedDomains, " ") != "example.org example.com" ||
		strings.Join(c.RoleValues[account.RoleLead], " ") != "pulse-leads dei-team" {
		t.Errorf("parsed %+v", c)
	}
	if c, err := loadOIDC(getenv(map[string]string{})); c != nil || err != nil {
		t.Errorf("unset: %v %v", c, err)
	}
	for variable, change := range map[string]map[string]string{
		"ALLYPULSE_OIDC_ISSUER":          {"ALLYPULSE_OIDC_ISSUER": "http://login.example.org"},
		"ALLYPULSE_OIDC_CLIENT_ID":       {"ALLYPULSE_OIDC_CLIENT_ID": ""},
		"ALLYPULSE_OIDC_CLIENT_SECRET":   {"ALLYPULSE_OIDC_CLIENT_SECRET": ""},
		"ALLYPULSE_OIDC_ALLOWED_DOMAINS": {"ALLYPULSE_OIDC_ALLOWED_DOMAINS": "not a domain"},
		"ALLYPULSE_OIDC_ADMIN_VALUES":    {"ALLYPULSE_OIDC_ADMIN_VALUES": "", "ALLYPULSE_OIDC_LEAD_VALUES": ""},
	} {
		env := map[string]string{}
		for k, v := range ok {
			env[k] = v
		}
		for k, v := range change {
			env[k] = v
		}
		// Through run, as an operator meets it: a one-line error naming the variable.
		env["ALLYPULSE_DATABASE"] = filepath.Join(t.TempDir(), "x.db")
		code, _, stderr := runWith(t, env, "", "migrate")
		if code != 2 || !strings.Contains(stderr, variable) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line naming %s", change, code, stderr, variable)
		}
	}
	// A client secret without an issuer is a mistake, not silence.
	if _, err := loadOIDC(getenv(map[string]string{"ALLYPULSE_OIDC_CLIENT_SECRET": "x"})); err == nil || !strings.Contains(err.Error(), "ALLYPULSE_OIDC_ISSUER") {
		t.Errorf("secret without issuer: %v", err)
	}
}

// TestUserAddTurnsPasswordSignInBackOn: the command line is the way back
// in when single sign-on fails and password sign-in is off.
func TestUserAddTurnsPasswordSignInBackOn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "u.db")
	if code, _, stderr := runWith(t, map[string]string{"ALLYPULSE_DATABASE": path}, "", "migrate"); code != 0 {
		t.Fatal(stderr)
	}
	ctx := context.Background()
	store := openStore(t, path)
	if _, _, err := store.SignInExternal(ctx, account.ExternalUser{Issuer: "https://idp.example.org", Subject: "1",
		Email: "sso@example.org", Role: account.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	if err := store.SetPasswordSignIn(ctx, false); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runWith(t, map[string]string{"ALLYPULSE_DATABASE": path}, "a long passphrase\n", "user", "add", "--email", "rescue@example.org", "--role", "admin")
	if code != 0 || !strings.Contains(out, "password sign-in was off; it is on again") {
		t.Fatalf("user add: %d %q %q", code, out, stderr)
	}
	if on, err := store.PasswordSignIn(ctx); err != nil || !on {
		t.Errorf("password sign-in after user add: %v %v", on, err)
	}
}
