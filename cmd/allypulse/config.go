package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/allypulse/allypulse/api"
	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/mailer"
)

// config is the operator's configuration: environment variables, overridden
// by flags.
type config struct {
	Addr          string
	Database      string
	BaseURL       string
	AdminEmail    string
	AdminPassword string
	LogFormat     string
	Demo          bool
	// RespondRate is the respond routes' limit per client address in
	// requests per second; 0 takes the default, "off" (-1) disables it.
	RespondRate float64
	// MetricsToken, when set, makes /metrics require it as a bearer token;
	// MetricsAddr, when set, serves /metrics on that address only. With
	// neither, /metrics is off.
	MetricsToken string
	MetricsAddr  string
	// TrustedProxies are the reverse proxies allowed to name the client in
	// X-Forwarded-For (ALLYPULSE_TRUSTED_PROXIES); empty: none.
	TrustedProxies []*net.IPNet
	// OIDC is single sign-on for staff (ALLYPULSE_OIDC_*); nil: off.
	OIDC *api.OIDCConfig
	// Mail is the SMTP server for invitations (ALLYPULSE_SMTP_*); no host:
	// no sending.
	Mail mailer.Config
}

// configError names the variable at fault; run prints it on one line.
type configError struct {
	Var string
	Msg string
}

func (e *configError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Var, e.Msg) }

// loadConfig reads the environment, then parses the flags of the
// subcommand: the configuration's and those define adds (nil for none).
func loadConfig(getenv func(string) string, args []string, stderr io.Writer, name string, define func(*flag.FlagSet)) (config, []string, error) {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	c := config{
		Addr:          env("ALLYPULSE_ADDR", "127.0.0.1:8080"),
		Database:      env("ALLYPULSE_DATABASE", "allypulse.db"),
		BaseURL:       env("ALLYPULSE_BASE_URL", ""),
		AdminEmail:    getenv("ALLYPULSE_ADMIN_EMAIL"),
		AdminPassword: getenv("ALLYPULSE_ADMIN_PASSWORD"),
		LogFormat:     env("ALLYPULSE_LOG_FORMAT", "text"),
		MetricsToken:  getenv("ALLYPULSE_METRICS_TOKEN"),
		MetricsAddr:   getenv("ALLYPULSE_METRICS_ADDR"),
	}
	if v := getenv("ALLYPULSE_RESPOND_RATE"); v == "off" {
		c.RespondRate = -1
	} else if v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(r) || math.IsInf(r, 0) || r <= 0 {
			return c, nil, &configError{"ALLYPULSE_RESPOND_RATE", fmt.Sprintf("%q is not a positive number of requests per second, or off", v)}
		}
		c.RespondRate = r
	}
	proxies, err := parseTrustedProxies(getenv("ALLYPULSE_TRUSTED_PROXIES"))
	if err != nil {
		return c, nil, err
	}
	c.TrustedProxies = proxies
	if c.OIDC, err = loadOIDC(getenv); err != nil {
		return c, nil, err
	}
	if c.Mail, err = mailer.ConfigFromEnv(getenv); err != nil {
		return c, nil, &configError{Var: "ALLYPULSE_SMTP_*", Msg: err.Error()}
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (ALLYPULSE_ADDR)")
	fs.StringVar(&c.Database, "database", c.Database, "SQLite file or postgres:// URL (ALLYPULSE_DATABASE)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public URL used in survey links (ALLYPULSE_BASE_URL)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "text or json (ALLYPULSE_LOG_FORMAT)")
	if name == "serve" {
		fs.BoolVar(&c.Demo, "demo", false, "fill an empty database with a synthetic demo organisation")
	}
	if define != nil {
		define(fs)
	}
	if err := fs.Parse(args); err != nil {
		return c, nil, err
	}
	if err := c.validate(); err != nil {
		return c, nil, err
	}
	return c, fs.Args(), nil
}

// parseTrustedProxies reads a comma- or space-separated list of CIDR
// ranges or single addresses ("10.0.0.0/8, 192.0.2.7").
func parseTrustedProxies(v string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		if !strings.Contains(f, "/") {
			ip := net.ParseIP(f)
			if ip == nil {
				return nil, &configError{"ALLYPULSE_TRUSTED_PROXIES", fmt.Sprintf("%q is not an IP address or CIDR range such as 10.0.0.0/8", f)}
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(f)
		if err != nil {
			return nil, &configError{"ALLYPULSE_TRUSTED_PROXIES", fmt.Sprintf("%q is not an IP address or CIDR range such as 10.0.0.0/8", f)}
		}
		out = append(out, n)
	}
	return out, nil
}

// minMetricsToken is the shortest metrics token accepted: the token is all
// that stands between a scraper and the live request counts.
const minMetricsToken = 16

// checkAddr reports why addr is not host:port with a numeric port.
func checkAddr(name, addr string) error {
	if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
		return &configError{name, fmt.Sprintf("%q is not host:port", addr)}
	} else if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return &configError{name, fmt.Sprintf("%q does not end in a port number from 0 to 65535", addr)}
	}
	return nil
}

func (c *config) validate() error {
	if err := checkAddr("ALLYPULSE_ADDR", c.Addr); err != nil {
		return err
	}
	if c.MetricsAddr != "" {
		if err := checkAddr("ALLYPULSE_METRICS_ADDR", c.MetricsAddr); err != nil {
			return err
		}
		if c.MetricsAddr == c.Addr && !strings.HasSuffix(c.Addr, ":0") {
			return &configError{"ALLYPULSE_METRICS_ADDR", fmt.Sprintf("%q is ALLYPULSE_ADDR too; give metrics an address of their own, or leave it unset and set ALLYPULSE_METRICS_TOKEN", c.MetricsAddr)}
		}
	}
	if t := c.MetricsToken; t != "" {
		if len(t) < minMetricsToken {
			return &configError{"ALLYPULSE_METRICS_TOKEN", fmt.Sprintf("must be at least %d characters long", minMetricsToken)}
		}
		if strings.IndexFunc(t, func(r rune) bool { return r <= ' ' || r >= 0x7f }) >= 0 {
			return &configError{"ALLYPULSE_METRICS_TOKEN", "must be printable ASCII without spaces, as it travels in an Authorization header"}
		}
	}
	if strings.TrimSpace(c.Database) == "" {
		return &configError{"ALLYPULSE_DATABASE", "must not be empty"}
	}
	if strings.Contains(c.Database, "://") && db.DialectOf(c.Database) != db.Postgres {
		return &configError{"ALLYPULSE_DATABASE", "use a SQLite file path or a postgres:// URL"}
	}
	// SQLite options in the path would replace the ones every connection
	// needs (WAL, synchronous=FULL, busy timeout, foreign keys).
	if db.DialectOf(c.Database) == db.SQLite && (strings.HasPrefix(c.Database, "file:") || strings.Contains(c.Database, "?")) {
		return &configError{"ALLYPULSE_DATABASE", "give the SQLite file as a plain path, without file: or ?options (Allypulse sets them)"}
	}
	// A PostgreSQL key=value string would otherwise become a SQLite file
	// of that name.
	if strings.Contains(c.Database, "host=") && strings.Contains(c.Database, " ") {
		return &configError{"ALLYPULSE_DATABASE", "write the PostgreSQL connection as a postgres:// URL"}
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + reachableAddr(c.Addr)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &configError{"ALLYPULSE_BASE_URL", fmt.Sprintf("%q is not an http(s) URL", c.BaseURL)}
	}
	// Survey links and the setup link are the base URL plus a path, and the
	// app is served from /, so anything after the host would break them.
	if u.User != nil || strings.Trim(u.Path, "/") != "" || strings.ContainsAny(c.BaseURL, "?#") {
		return &configError{"ALLYPULSE_BASE_URL", fmt.Sprintf("%q must be the scheme and host only, such as https://pulse.example.org (no path, query, fragment or user name)", c.BaseURL)}
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return &configError{"ALLYPULSE_LOG_FORMAT", fmt.Sprintf("%q is not text or json", c.LogFormat)}
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		return &configError{"ALLYPULSE_ADMIN_PASSWORD", "set both ALLYPULSE_ADMIN_EMAIL and ALLYPULSE_ADMIN_PASSWORD, or neither"}
	}
	if c.AdminEmail != "" && !account.ValidEmail(c.AdminEmail) {
		return &configError{"ALLYPULSE_ADMIN_EMAIL", fmt.Sprintf("%q is not an e-mail address", c.AdminEmail)}
	}
	if msg := account.PasswordProblem(c.AdminPassword); c.AdminPassword != "" && msg != "" {
		return &configError{"ALLYPULSE_ADMIN_PASSWORD", msg}
	}
	return nil
}

// reachableAddr is addr with an unspecified host (":8080", "0.0.0.0:8080",
// "[::]:8080") replaced by localhost, which a browser and the healthcheck
// on this machine can reach.
func reachableAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// databaseName is the database for messages: the file path, or the
// PostgreSQL URL without its password.
func (c config) databaseName() string {
	if db.DialectOf(c.Database) != db.Postgres {
		return c.Database
	}
	u, err := url.Parse(c.Database)
	if err != nil {
		return "the PostgreSQL database"
	}
	return u.Redacted()
}
