package testtools

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Chromium returns the path of the Chromium binary: $CHROMIUM if set, else
// /usr/bin/chromium or chromium in PATH. It skips the test (fails under CI)
// when there is none.
func Chromium(t testing.TB) string {
	t.Helper()
	p := lookTool("CHROMIUM", "/usr/bin/chromium", "chromium", "chromium-browser")
	if p == "" {
		Unavailable(t, "no chromium found (apt-get install -y chromium, or set CHROMIUM)")
	}
	return p
}

// browserStartTimeout bounds the start of Chromium, which takes about a
// second here but longer on a loaded 2-core machine.
const browserStartTimeout = 60 * time.Second

// NewBrowser starts a fresh headless Chromium with its own profile in
// t.TempDir() and returns a chromedp context for its first tab. The browser
// has started when NewBrowser returns; it is closed when the test ends.
//
// Do not put a timeout on the returned context itself, since that would stop
// the browser; derive one per action with context.WithTimeout instead.
func NewBrowser(t testing.TB) context.Context {
	t.Helper()
	path := Chromium(t)
	profile := t.TempDir() // made before the cleanup below, so removed after it

	// The defaults already hold --headless, --no-first-run,
	// --disable-background-networking and --disable-sync.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox, // tests run as root in CI containers
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		allocCancel()
	})

	// Start the browser now, so a broken install fails here with a clear
	// message rather than in the middle of the test's first action.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("starting chromium %s: %v", path, err)
		}
	case <-time.After(browserStartTimeout):
		t.Fatalf("chromium %s did not start within %s", path, browserStartTimeout)
	}
	return ctx
}

// ConsoleErrors starts collecting the page's console.error calls and uncaught
// exceptions (including unhandled promise rejections) on the tab of ctx, and
// returns a func that gives those seen so far. Call it before navigating.
// Browser log entries (such as a 404 for /favicon.ico) are not collected.
func ConsoleErrors(t testing.TB, ctx context.Context) func() []string {
	t.Helper()
	var (
		mu   sync.Mutex
		errs []string
	)
	add := func(s string) {
		mu.Lock()
		errs = append(errs, s)
		mu.Unlock()
	}
	// The listener runs on the tab's reading goroutine, before the reply to
	// any later command, so an error is recorded by the time the action
	// that caused it returns.
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				add("console.error: " + argsText(ev.Args))
			}
		case *runtime.EventExceptionThrown:
			add("exception: " + exceptionText(ev.ExceptionDetails))
		}
	})
	if err != nil {
		t.Fatalf("listening to the console: %v", err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), errs...)
	}
}

// argsText renders console arguments roughly as the DevTools console does.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		parts = append(parts, remoteText(a))
	}
	return strings.Join(parts, " ")
}

func remoteText(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	if len(o.Value) > 0 {
		var s string
		if json.Unmarshal(o.Value, &s) == nil {
			return s
		}
		return string(o.Value)
	}
	if o.UnserializableValue != "" {
		return string(o.UnserializableValue)
	}
	if o.Description != "" {
		return o.Description
	}
	return string(o.Type)
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "unknown exception"
	}
	text := d.Text
	if d.Exception != nil {
		text += " " + remoteText(d.Exception)
	}
	if d.URL != "" {
		text += " at " + d.URL
	}
	return strings.TrimSpace(text)
}
