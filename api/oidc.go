package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/kernel"
)

// OIDCConfig turns on sign-in for staff through an OpenID provider
// (authorization code flow with PKCE, state and nonce).
type OIDCConfig struct {
	// Issuer is the provider's issuer URL; its discovery document is read
	// from Issuer + "/.well-known/openid-configuration" on first use.
	Issuer       string
	ClientID     string
	ClientSecret string
	// AllowedDomains are the e-mail domains that may sign in (lower case).
	AllowedDomains []string
	// RoleClaim names the ID token claim (a string or a list of strings)
	// whose values map to roles through RoleValues; the highest role wins.
	RoleClaim  string
	RoleValues map[string][]string
	// Scopes are requested on top of openid, email and profile.
	Scopes []string
}

// ssoCookie carries state, nonce and PKCE verifier from the start of a
// sign-in to its callback, for ssoCookieTTL.
const (
	ssoCookie     = "allypulse_sso"
	ssoCookiePath = "/api/v1/auth/oidc/"
	ssoCookieTTL  = 10 * time.Minute
)

// oidcSignIn is the relying party. The provider is discovered on first use
// and then kept, so the server starts even while the provider is down.
type oidcSignIn struct {
	cfg         OIDCConfig
	redirectURL string

	mu       sync.Mutex
	provider *oidc.Provider
}

func (o *oidcSignIn) setup(ctx context.Context) (*oidc.Provider, *oauth2.Config, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider == nil {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		p, err := oidc.NewProvider(ctx, o.cfg.Issuer)
		if err != nil {
			return nil, nil, err
		}
		o.provider = p
	}
	conf := &oauth2.Config{
		ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret,
		Endpoint: o.provider.Endpoint(), RedirectURL: o.redirectURL,
		Scopes: append([]string{oidc.ScopeOpenID, "email", "profile"}, o.cfg.Scopes...),
	}
	return o.provider, conf, nil
}

// ssoFailure is a refused single sign-on: Code is shown to the person by
// the sign-in page (app.js), Detail goes to the audit and server logs.
type ssoFailure struct {
	Code   string
	Detail string
	Email  string
}

func (f *ssoFailure) Error() string { return "single sign-on refused: " + f.Code + ": " + f.Detail }

func refuse(code, detail string) *ssoFailure { return &ssoFailure{Code: code, Detail: detail} }

// handleOIDCStart sends the browser to the provider.
func (s *Server) handleOIDCStart(c echo.Context) error {
	if s.oidc == nil {
		return kernel.ErrNotFound
	}
	_, conf, err := s.oidc.setup(c.Request().Context())
	if err != nil {
		s.log.WarnContext(c.Request().Context(), "single sign-on: provider discovery failed", "err", err)
		return c.Redirect(http.StatusSeeOther, "/?sso_error=unavailable")
	}
	state, nonce, verifier := kernel.NewSecret(), kernel.NewSecret(), oauth2.GenerateVerifier()
	s.setSSOCookie(c, state+"."+nonce+"."+verifier, int(ssoCookieTTL.Seconds()))
	return c.Redirect(http.StatusFound, conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)))
}

func (s *Server) setSSOCookie(c echo.Context, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: ssoCookie, Value: value, Path: ssoCookiePath, MaxAge: maxAge,
		HttpOnly: true, Secure: strings.HasPrefix(s.cfg.BaseURL, "https://"), SameSite: http.SameSiteLaxMode})
}

// handleOIDCCallback finishes a sign-in: it checks state, exchanges the
// code with the PKCE verifier, verifies the ID token (signature, issuer,
// audience, expiry) and its nonce, maps e-mail domain and role, and signs
// the person in with a session exactly like a password sign-in. A refusal
// sends the browser back to the sign-in page with a reason it explains.
func (s *Server) handleOIDCCallback(c echo.Context) error {
	if s.oidc == nil {
		return kernel.ErrNotFound
	}
	// The checks and their audit entries finish even if the browser leaves.
	ctx, cancel := detached(c)
	defer cancel()
	u, err := s.finishOIDC(ctx, c)
	s.setSSOCookie(c, "", -1)
	var f *ssoFailure
	switch {
	case errors.As(err, &f):
		s.log.InfoContext(ctx, "single sign-on refused", "reason", f.Code, "detail", f.Detail)
		s.auditAs(c, account.User{}, "auth.login_failed", f.Email, "single sign-on: "+f.Detail)
		return c.Redirect(http.StatusSeeOther, "/?sso_error="+url.QueryEscape(f.Code))
	case err != nil:
		return err
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.auditAs(c, u, "auth.login", u.Email, "single sign-on")
	return c.Redirect(http.StatusSeeOther, "/")
}

func (s *Server) finishOIDC(ctx context.Context, c echo.Context) (account.User, error) {
	ck, err := c.Cookie(ssoCookie)
	parts := []string{}
	if err == nil {
		parts = strings.Split(ck.Value, ".")
	}
	if len(parts) != 3 || c.QueryParam("state") == "" || c.QueryParam("state") != parts[0] {
		return account.User{}, refuse("state", "the sign-in was not started here, or took longer than 10 minutes")
	}
	nonce, verifier := parts[1], parts[2]
	if e := c.QueryParam("error"); e != "" {
		return account.User{}, refuse("provider", "the provider answered "+clip(e+": "+c.QueryParam("error_description"), 200))
	}
	provider, conf, err := s.oidc.setup(ctx)
	if err != nil {
		return account.User{}, refuse("unavailable", "provider discovery failed: "+err.Error())
	}
	tok, err := conf.Exchange(ctx, c.QueryParam("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
			return account.User{}, refuse("code", "the provider refused the code: "+clip(re.ErrorDescription, 200))
		}
		return account.User{}, refuse("unavailable", "exchanging the code failed: "+clip(err.Error(), 300))
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return account.User{}, refuse("token", "the provider sent no ID token")
	}
	// The audience is checked here rather than by the verifier, so that a
	// token for another client is told apart without reading error text.
	idt, err := provider.Verifier(&oidc.Config{SkipClientIDCheck: true}).Verify(ctx, raw)
	if err != nil {
		return account.User{}, refuse("token", "the ID token did not verify: "+err.Error())
	}
	if !slices.Contains(idt.Audience, s.oidc.cfg.ClientID) {
		return account.User{}, refuse("audience", fmt.Sprintf("the ID token was issued for another client: expected audience %q got %q", s.oidc.cfg.ClientID, idt.Audience))
	}
	if idt.Nonce != nonce {
		return account.User{}, refuse("nonce", "the ID token's nonce does not match this sign-in")
	}
	return s.oidcUser(ctx, idt)
}

// oidcClaims are the ID token claims Allypulse reads; the role claim is
// read separately since its name is configured.
type oidcClaims struct {
	Email         string `json:"email"`
	EmailVerified *bool  `json:"email_verified"`
	Name          string `json:"name"`
}

func (s *Server) oidcUser(ctx context.Context, idt *oidc.IDToken) (account.User, error) {
	var cl oidcClaims
	var all map[string]any
	if err := idt.Claims(&cl); err != nil {
		return account.User{}, refuse("token", "unreadable claims: "+err.Error())
	}
	if err := idt.Claims(&all); err != nil {
		return account.User{}, refuse("token", "unreadable claims: "+err.Error())
	}
	email := strings.ToLower(strings.TrimSpace(cl.Email))
	if !account.ValidEmail(email) {
		return account.User{}, refuse("email", "the ID token carries no e-mail address (request the email scope)")
	}
	if cl.EmailVerified != nil && !*cl.EmailVerified {
		return account.User{}, &ssoFailure{Code: "email", Detail: "the provider has not verified the e-mail address", Email: email}
	}
	_, domain, _ := strings.Cut(email, "@")
	if !slices.Contains(s.oidc.cfg.AllowedDomains, domain) {
		return account.User{}, &ssoFailure{Code: "domain", Detail: "e-mail domain " + domain + " is not allowed", Email: email}
	}
	role := s.oidc.role(all[s.oidc.cfg.RoleClaim])
	if role == "" {
		return account.User{}, &ssoFailure{Code: "role", Detail: fmt.Sprintf("claim %q maps to no role", s.oidc.cfg.RoleClaim), Email: email}
	}
	u, _, err := s.accounts.SignInExternal(ctx, account.ExternalUser{Issuer: idt.Issuer, Subject: idt.Subject, Email: email, Name: cl.Name, Role: role})
	switch {
	case errors.Is(err, account.ErrAccountDisabled):
		return account.User{}, &ssoFailure{Code: "disabled", Detail: "the account is disabled", Email: email}
	case errors.Is(err, account.ErrLinkedElsewhere):
		return account.User{}, &ssoFailure{Code: "linked", Detail: err.Error(), Email: email}
	}
	return u, err
}

// role maps the role claim's value (a string or a list) to the highest
// role any of its values names, or "".
func (o *oidcSignIn) role(claim any) string {
	var values []string
	switch v := claim.(type) {
	case string:
		values = []string{v}
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				values = append(values, s)
			}
		}
	}
	for _, role := range []string{account.RoleAdmin, account.RoleLead, account.RoleExecutive} {
		for _, v := range values {
			if slices.Contains(o.cfg.RoleValues[role], v) {
				return role
			}
		}
	}
	return ""
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// signInMethods tells the sign-in page which ways in are open.
type signInMethods struct {
	Password bool `json:"password"`
	SSO      bool `json:"sso"`
}

func (s *Server) methods(ctx context.Context) (signInMethods, error) {
	on, err := s.accounts.PasswordSignIn(ctx)
	return signInMethods{Password: on, SSO: s.oidc != nil}, err
}

// handleSignInMethods: GET /api/v1/auth/methods (public).
func (s *Server) handleSignInMethods(c echo.Context) error {
	m, err := s.methods(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

type passwordSignInRequest struct {
	Enabled *bool `json:"enabled"`
}

// handleSetPasswordSignIn: PUT /api/v1/auth/password-sign-in (admin).
// Turning it off needs single sign-on configured and an active admin who
// signs in through it.
func (s *Server) handleSetPasswordSignIn(c echo.Context) error {
	var req passwordSignInRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.Enabled == nil {
		return kernel.Invalid("enabled", "is required: true or false")
	}
	if !*req.Enabled && s.oidc == nil {
		return fmt.Errorf("single sign-on is not configured (ALLYPULSE_OIDC_ISSUER): %w", kernel.ErrConflict)
	}
	ctx := c.Request().Context()
	if err := s.accounts.SetPasswordSignIn(ctx, *req.Enabled); err != nil {
		return err
	}
	detail := "password sign-in turned on"
	if !*req.Enabled {
		detail = "password sign-in turned off"
	}
	s.audit(c, "settings.password_sign_in", "", detail)
	return s.handleSignInMethods(c)
}
