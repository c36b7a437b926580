package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/allypulse/allypulse/api"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `Usage: allypulse [command] [flags]

Commands:
  serve        run the server (default)
  migrate      apply migrations and exit; "migrate status" lists versions
  user add     create a staff user: user add --email E --role admin|lead|executive (password on stdin)
  demo         fill the database with a synthetic demo organisation
  backup FILE  copy the SQLite database to FILE, consistently, while the server runs
  restore FILE copy a backup into ALLYPULSE_DATABASE, which must be empty
  healthcheck  exit 0 when the server on ALLYPULSE_ADDR answers /healthz
  version      print the version
`

// run is the whole program; main only wires the process to it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "version":
		fmt.Fprintln(stdout, "allypulse", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "serve", "migrate", "user", "demo", "healthcheck", "backup", "restore":
	default:
		fmt.Fprintf(stderr, "allypulse: unknown command %q\n%s", cmd, usage)
		return 2
	}
	var userAdd userAddFlags
	var define func(*flag.FlagSet)
	if cmd == "user" {
		if len(args) == 0 || args[0] != "add" {
			fmt.Fprint(stderr, userUsage)
			return 2
		}
		cmd, args, define = "user add", args[1:], userAdd.define
	}
	var file string
	if cmd == "backup" || cmd == "restore" {
		if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
			fmt.Fprint(stderr, backupUsage)
			return 2
		}
		file, args = args[0], args[1:]
	}
	if cmd == "migrate" && len(args) > 0 && args[0] == "status" {
		cmd, args = "migrate status", args[1:] // its flags follow status
	}
	cfg, rest, err := loadConfig(getenv, args, stderr, cmd, define)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "allypulse:", err)
		return 2
	}
	if cmd == "migrate" && slices.Equal(rest, []string{"status"}) {
		cmd, rest = "migrate status", nil // migrate --database x.db status
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "allypulse: %s: unexpected argument %q (flags go after the command, e.g. allypulse migrate --database x.db)\n", cmd, rest[0])
		return 2
	}
	log := newLogger(cfg.LogFormat, stderr)
	switch cmd {
	case "healthcheck":
		return healthcheck(ctx, cfg, stderr)
	case "migrate", "migrate status":
		return migrate(ctx, cfg, cmd == "migrate status", log, stdout, stderr)
	case "user add":
		return userCommand(ctx, cfg, userAdd, log, stdin, stdout, stderr)
	case "demo":
		return demoCommand(ctx, cfg, log, stdout, stderr)
	case "backup":
		return backupCommand(ctx, cfg, file, log, stdout, stderr)
	case "restore":
		return restoreCommand(ctx, cfg, file, log, stdout, stderr)
	}
	return serve(ctx, cfg, log, stderr)
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// openDB opens and migrates the database.
func openDB(ctx context.Context, cfg config, log *slog.Logger) (*db.DB, error) {
	d, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	n, err := d.Migrate(ctx)
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	if n > 0 {
		log.Info("migrations applied", "count", n)
	}
	return d, nil
}

// openDatabase opens the database without migrating; an error names
// ALLYPULSE_DATABASE, on one line (drivers may report several lines).
func openDatabase(ctx context.Context, cfg config, log *slog.Logger) (*db.DB, error) {
	d, err := db.Open(ctx, cfg.Database, log)
	if err != nil {
		return nil, fmt.Errorf("ALLYPULSE_DATABASE: %s", oneLine(err.Error()))
	}
	return d, nil
}

// oneLine joins the lines of a message with "; ", so that each error is one
// line of the log.
func oneLine(msg string) string {
	lines := strings.FieldsFunc(msg, func(r rune) bool { return r == '\n' || r == '\r' })
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "; ")
}

func serve(ctx context.Context, cfg config, log *slog.Logger, stderr io.Writer) int {
	// Listen first: a port in use stops the start before the database is
	// touched or a setup link is printed that would lead nowhere.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		fmt.Fprintf(stderr, "allypulse: listen on ALLYPULSE_ADDR %s: %v\n", cfg.Addr, err)
		return 1
	}
	defer ln.Close()
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" {
		metricsLn, err = net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			fmt.Fprintf(stderr, "allypulse: listen on ALLYPULSE_METRICS_ADDR %s: %v\n", cfg.MetricsAddr, err)
			return 1
		}
		defer metricsLn.Close()
	}
	d, err := openDB(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(stderr, "allypulse:", err)
		return 1
	}
	defer d.Close()
	clock := kernel.SystemClock{}
	// The demo first: it fills only a database without staff accounts, and
	// then its own admin is the first one.
	if cfg.Demo {
		if err := seedDemo(ctx, cfg, d, clock, log); err != nil {
			fmt.Fprintln(stderr, "allypulse: demo:", err)
			return 1
		}
	}
	if err := bootstrapAdmin(ctx, cfg, d, clock, log); err != nil {
		fmt.Fprintln(stderr, "allypulse:", err)
		return 1
	}
	srv := api.New(api.Config{BaseURL: cfg.BaseURL, RespondRate: cfg.RespondRate,
		MetricsToken: cfg.MetricsToken, MetricsAddr: cfg.MetricsAddr, TrustedProxies: cfg.TrustedProxies, OIDC: cfg.OIDC, Mail: cfg.Mail}, api.Deps{DB: d, Log: log, Clock: clock})
	bg, stopBG := context.WithCancel(ctx)
	defer stopBG()
	srv.Start(bg)

	hs := srv.HTTPServer(cfg.Addr)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("allypulse listening", "addr", ln.Addr().String(), "url", cfg.BaseURL, "version", version)
	// Metrics on their own address, when configured; a failure there stops
	// the server like one on the main address.
	ms := srv.MetricsHTTPServer()
	metricsErr := make(chan error, 1)
	if ms != nil {
		go func() { metricsErr <- ms.Serve(metricsLn) }()
		defer ms.Close()
		log.Info("metrics listening", "addr", metricsLn.Addr().String(), "token", cfg.MetricsToken != "")
	}

	select {
	case err := <-errc:
		fmt.Fprintln(stderr, "allypulse:", err)
		return 1
	case err := <-metricsErr:
		fmt.Fprintln(stderr, "allypulse: metrics listener:", err)
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stopBG()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintln(stderr, "allypulse: shutdown:", err)
		return 1
	}
	if ms != nil {
		_ = ms.Shutdown(shutdownCtx)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "allypulse:", err)
		return 1
	}
	srv.Shutdown(shutdownCtx)
	log.Info("stopped")
	return 0
}

func healthcheck(ctx context.Context, cfg config, stderr io.Writer) int {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+reachableAddr(cfg.Addr)+"/healthz", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(stderr, "allypulse: healthcheck:", err)
		return 1
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		fmt.Fprintln(stderr, "allypulse: healthcheck: status", res.StatusCode)
		return 1
	}
	return 0
}

func migrate(ctx context.Context, cfg config, status bool, log *slog.Logger, stdout, stderr io.Writer) int {
	d, err := openDatabase(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(stderr, "allypulse:", err)
		return 1
	}
	defer d.Close()
	if status {
		st, err := d.MigrationStatus(ctx)
		if err != nil {
			fmt.Fprintln(stderr, "allypulse:", err)
			return 1
		}
		for _, s := range st {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Fprintf(stdout, "%05d  %-8s %s\n", s.Version, state, s.Name)
		}
		return 0
	}
	n, err := d.Migrate(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "allypulse:", err)
		return 1
	}
	fmt.Fprintf(stdout, "applied %d migration(s)\n", n)
	return 0
}
