// Command allyload measures response intake: it submits realistic 30-item
// responses concurrently over HTTP, reports responses/s and p50/p99 latency,
// checks that the database stores exactly the acknowledged responses, and
// measures a trivial echo handler in the same run as a baseline.
//
//	allyload --db allyload.db                       # temporary survey in a SQLite file, in-process server
//	allyload --db postgres://...                    # the same on PostgreSQL
//	allyload --url http://host:8080 --code SLUG --db DSN   # a running server (ALLYPULSE_RESPOND_RATE=off)
//	allyload --db allyload.db --ballots             # the invitations' ballot path (issue + submit), then the open link
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command's flags.
type options struct {
	DSN      string
	URL      string
	Code     string
	Clients  int
	Duration time.Duration
	Warmup   time.Duration
	Echo     bool
	Keep     bool
	Profile  string
	// Ballots measures the ballot path (ballots.go) with Codes invitations,
	// then the open link in the same run, instead of the echo baseline.
	Ballots bool
	Codes   int
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("allyload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.DSN, "db", "", "database: SQLite file or postgres:// URL (with --url: used only to count stored responses)")
	fs.StringVar(&o.URL, "url", "", "base URL of a running server (else an in-process server on --db)")
	fs.StringVar(&o.Code, "code", "", "open-link slug of an open wave of the running server (with --url)")
	fs.IntVar(&o.Clients, "clients", 64, "concurrent clients")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "measured time per target")
	fs.DurationVar(&o.Warmup, "warmup", time.Second, "unmeasured time before measuring")
	fs.BoolVar(&o.Echo, "echo", true, "also measure a trivial echo handler as a baseline")
	fs.BoolVar(&o.Keep, "keep", false, "keep the temporary survey and its responses")
	fs.StringVar(&o.Profile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	fs.BoolVar(&o.Ballots, "ballots", false, "measure the ballot path of invitations (issue + submit; in-process server only), then the open link")
	fs.IntVar(&o.Codes, "codes", 20000, "invitations made for --ballots (each takes one ballot)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.URL == "" && o.DSN == "" || o.URL != "" && o.Code == "" || o.Clients < 1 || o.Ballots && (o.URL != "" || o.Codes < 1) {
		fmt.Fprintln(stderr, "allyload: give --db DSN, or --url URL --code SLUG (and --db DSN to check stored == acknowledged); --ballots needs --db without --url and --codes of at least 1")
		return 2
	}
	if o.Profile != "" {
		f, err := os.Create(o.Profile)
		if err != nil {
			fmt.Fprintln(stderr, "allyload:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "allyload:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := measure(ctx, o, log, stdout); err != nil {
		fmt.Fprintln(stderr, "allyload:", err)
		return 1
	}
	return 0
}
