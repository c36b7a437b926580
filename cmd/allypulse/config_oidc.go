package main

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/allypulse/allypulse/api"
	"github.com/allypulse/allypulse/internal/account"
)

// splitList splits a comma- or space-separated list, dropping empty items.
func splitList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
}

// loadOIDC reads the single sign-on variables; nil when
// ALLYPULSE_OIDC_ISSUER is unset.
func loadOIDC(getenv func(string) string) (*api.OIDCConfig, error) {
	issuer := strings.TrimSpace(getenv("ALLYPULSE_OIDC_ISSUER"))
	if issuer == "" {
		for _, k := range []string{"ALLYPULSE_OIDC_CLIENT_ID", "ALLYPULSE_OIDC_CLIENT_SECRET", "ALLYPULSE_OIDC_ALLOWED_DOMAINS"} {
			if getenv(k) != "" {
				return nil, &configError{"ALLYPULSE_OIDC_ISSUER", "is required when " + k + " is set"}
			}
		}
		return nil, nil
	}
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && loopbackHost(u.Hostname()))) {
		return nil, &configError{"ALLYPULSE_OIDC_ISSUER", fmt.Sprintf("%q is not an https:// URL (plain http only on a loopback address, for tests)", issuer)}
	}
	c := &api.OIDCConfig{
		Issuer:       issuer,
		ClientID:     getenv("ALLYPULSE_OIDC_CLIENT_ID"),
		ClientSecret: getenv("ALLYPULSE_OIDC_CLIENT_SECRET"),
		RoleClaim:    strings.TrimSpace(getenv("ALLYPULSE_OIDC_ROLE_CLAIM")),
		Scopes:       splitList(getenv("ALLYPULSE_OIDC_SCOPES")),
		RoleValues: map[string][]string{
			account.RoleAdmin:     splitList(getenv("ALLYPULSE_OIDC_ADMIN_VALUES")),
			account.RoleLead:      splitList(getenv("ALLYPULSE_OIDC_LEAD_VALUES")),
			account.RoleExecutive: splitList(getenv("ALLYPULSE_OIDC_EXECUTIVE_VALUES")),
		},
	}
	if c.RoleClaim == "" {
		c.RoleClaim = "groups"
	}
	if c.ClientID == "" {
		return nil, &configError{"ALLYPULSE_OIDC_CLIENT_ID", "is required with ALLYPULSE_OIDC_ISSUER"}
	}
	if c.ClientSecret == "" {
		return nil, &configError{"ALLYPULSE_OIDC_CLIENT_SECRET", "is required with ALLYPULSE_OIDC_ISSUER (a confidential client)"}
	}
	for _, d := range splitList(getenv("ALLYPULSE_OIDC_ALLOWED_DOMAINS")) {
		d = strings.ToLower(strings.TrimPrefix(d, "@"))
		if !strings.Contains(d, ".") || !account.ValidEmail("x@"+d) {
			return nil, &configError{"ALLYPULSE_OIDC_ALLOWED_DOMAINS", fmt.Sprintf("%q is not an e-mail domain such as example.org", d)}
		}
		c.AllowedDomains = append(c.AllowedDomains, d)
	}
	if len(c.AllowedDomains) == 0 {
		return nil, &configError{"ALLYPULSE_OIDC_ALLOWED_DOMAINS", "is required with ALLYPULSE_OIDC_ISSUER: the e-mail domains that may sign in, e.g. example.org"}
	}
	if len(c.RoleValues[account.RoleAdmin])+len(c.RoleValues[account.RoleLead])+len(c.RoleValues[account.RoleExecutive]) == 0 {
		return nil, &configError{"ALLYPULSE_OIDC_ADMIN_VALUES", "set at least one of ALLYPULSE_OIDC_ADMIN_VALUES, _LEAD_VALUES and _EXECUTIVE_VALUES: the values of the role claim that give each role"}
	}
	return c, nil
}

func loopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
