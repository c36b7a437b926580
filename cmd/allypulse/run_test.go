package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
)

// runWith calls run with env as the whole environment.
func runWith(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code := run(context.Background(), args, getenv, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestBadConfigNamesTheVariable(t *testing.T) {
	dbFile := filepath.Join(t.TempDir(), "x.db")
	cases := []struct {
		variable string
		env      map[string]string
	}{
		{"ALLYPULSE_ADDR", map[string]string{"ALLYPULSE_ADDR": "nonsense"}},
		{"ALLYPULSE_LOG_FORMAT", map[string]string{"ALLYPULSE_LOG_FORMAT": "xml"}},
		{"ALLYPULSE_DATABASE", map[string]string{"ALLYPULSE_DATABASE": "mysql://localhost/x"}},
		{"ALLYPULSE_DATABASE", map[string]string{"ALLYPULSE_DATABASE": "host=localhost dbname=allypulse"}},
		// Options in a SQLite path used to replace WAL, synchronous=FULL and the busy timeout.
		{"ALLYPULSE_DATABASE", map[string]string{"ALLYPULSE_DATABASE": "file:pulse.db?_journal_mode=DELETE"}},
		{"ALLYPULSE_DATABASE", map[string]string{"ALLYPULSE_DATABASE": "pulse.db?_synchronous=OFF"}},
		{"ALLYPULSE_BASE_URL", map[string]string{"ALLYPULSE_BASE_URL": "ftp://example.org"}},
		{"ALLYPULSE_ADMIN_PASSWORD", map[string]string{"ALLYPULSE_ADMIN_EMAIL": "a@example.org", "ALLYPULSE_ADMIN_PASSWORD": "short"}},
		{"ALLYPULSE_ADMIN_PASSWORD", map[string]string{"ALLYPULSE_ADMIN_EMAIL": "a@example.org", "ALLYPULSE_ADMIN_PASSWORD": "            "}},
		{"ALLYPULSE_ADMIN_EMAIL", map[string]string{"ALLYPULSE_ADMIN_EMAIL": "not-an-address", "ALLYPULSE_ADMIN_PASSWORD": "a long passphrase"}},
		// A port that is not a number was blamed on ALLYPULSE_BASE_URL; one out of range passed until listening.
		{"ALLYPULSE_ADDR", map[string]string{"ALLYPULSE_ADDR": "127.0.0.1:http"}},
		{"ALLYPULSE_ADDR", map[string]string{"ALLYPULSE_ADDR": "127.0.0.1:99999"}},
		// Links are the base URL plus a path: a query, fragment or path would break them.
		{"ALLYPULSE_BASE_URL", map[string]string{"ALLYPULSE_BASE_URL": "https://example.org/?x=1"}},
		{"ALLYPULSE_BASE_URL", map[string]string{"ALLYPULSE_BASE_URL": "https://example.org#top"}},
		{"ALLYPULSE_BASE_URL", map[string]string{"ALLYPULSE_BASE_URL": "https://example.org/pulse"}},
		{"ALLYPULSE_BASE_URL", map[string]string{"ALLYPULSE_BASE_URL": "https://user:pw@example.org"}},
		{"ALLYPULSE_RESPOND_RATE", map[string]string{"ALLYPULSE_RESPOND_RATE": "NaN"}},
		{"ALLYPULSE_RESPOND_RATE", map[string]string{"ALLYPULSE_RESPOND_RATE": "+Inf"}},
		{"ALLYPULSE_RESPOND_RATE", map[string]string{"ALLYPULSE_RESPOND_RATE": "0"}},
		// The metrics token guards live request counts: no short or unsendable one.
		{"ALLYPULSE_METRICS_TOKEN", map[string]string{"ALLYPULSE_METRICS_TOKEN": "short"}},
		{"ALLYPULSE_METRICS_TOKEN", map[string]string{"ALLYPULSE_METRICS_TOKEN": "a token with spaces in it"}},
		{"ALLYPULSE_METRICS_TOKEN", map[string]string{"ALLYPULSE_METRICS_TOKEN": "token\x01control-0123456789"}},
		{"ALLYPULSE_METRICS_ADDR", map[string]string{"ALLYPULSE_METRICS_ADDR": "nonsense"}},
		{"ALLYPULSE_METRICS_ADDR", map[string]string{"ALLYPULSE_METRICS_ADDR": "127.0.0.1:99999"}},
		{"ALLYPULSE_METRICS_ADDR", map[string]string{"ALLYPULSE_ADDR": "127.0.0.1:8080", "ALLYPULSE_METRICS_ADDR": "127.0.0.1:8080"}},
	}
	for _, tc := range cases {
		t.Run(tc.variable, func(t *testing.T) {
			tc.env["ALLYPULSE_DATABASE"] = cmpOr(tc.env["ALLYPULSE_DATABASE"], dbFile)
			tc.env["ALLYPULSE_ADDR"] = cmpOr(tc.env["ALLYPULSE_ADDR"], "127.0.0.1:0")
			for _, cmd := range []string{"serve", "migrate"} {
				code, _, stderr := runWith(t, tc.env, "", cmd)
				if code == 0 {
					t.Errorf("%s: exit 0 with a bad %s", cmd, tc.variable)
				}
				if !strings.Contains(stderr, tc.variable) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
					t.Errorf("%s: stderr %q should be one line naming %s", cmd, stderr, tc.variable)
				}
			}
		})
	}
	if _, err := os.Stat(dbFile); err == nil {
		t.Error("a bad configuration still created the database")
	}
}

// TestDatabaseErrorsNameTheVariable points ALLYPULSE_DATABASE at places
// that cannot be opened: each command stops with one line that names the
// variable, even when the driver's message has several (PostgreSQL tries
// every address of a host).
func TestDatabaseErrorsNameTheVariable(t *testing.T) {
	dir := t.TempDir()
	for _, dsn := range []string{
		filepath.Join(dir, "no", "such", "folder", "x.db"),
		dir, // a folder, not a file
		"postgres://nobody:secret-pw@localhost:1/x?sslmode=disable&connect_timeout=2",
		"postgres://nobody:secret-pw@127.0.0.1:5432/x?sslmode=nonsense",
	} {
		for _, cmd := range [][]string{{"serve"}, {"migrate"}, {"migrate", "status"}, {"demo"}} {
			env := map[string]string{"ALLYPULSE_DATABASE": dsn, "ALLYPULSE_ADDR": "127.0.0.1:0"}
			code, _, stderr := runWith(t, env, "", cmd...)
			if code == 0 || !strings.HasPrefix(stderr, "allypulse: ALLYPULSE_DATABASE: ") || strings.Count(stderr, "\n") != 1 {
				t.Errorf("%v with %s: exit %d, stderr %q; want one line naming ALLYPULSE_DATABASE", cmd, dsn, code, stderr)
			}
			if strings.Contains(stderr, "secret-pw") {
				t.Errorf("%v: the error shows the database password: %q", cmd, stderr)
			}
		}
	}
}

// TestStrayArgumentsAreRefused: flags given before the command used to make
// "allypulse --database x.db migrate" start a server on the default
// address; now a stray argument stops every command with exit 2.
func TestStrayArgumentsAreRefused(t *testing.T) {
	env := map[string]string{"ALLYPULSE_DATABASE": filepath.Join(t.TempDir(), "s.db"), "ALLYPULSE_ADDR": "127.0.0.1:0"}
	for _, args := range [][]string{
		{"--log-format", "json", "migrate"},
		{"serve", "now"},
		{"demo", "please"},
		{"healthcheck", "twice"},
		{"migrate", "status", "extra"},
	} {
		code, _, stderr := runWith(t, env, "", args...)
		if code != 2 || !strings.Contains(stderr, "argument") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line about the argument", args, code, stderr)
		}
	}
	if _, err := os.Stat(env["ALLYPULSE_DATABASE"]); err == nil {
		t.Error("a refused command still created the database")
	}
}

// TestDemoLeavesStaffAccountsAlone: a database that already has its staff
// (here the first admin, right after setup) does not get the demo accounts
// with their published password.
func TestDemoLeavesStaffAccountsAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "real.db")
	env := map[string]string{"ALLYPULSE_DATABASE": path}
	if code, _, stderr := runWith(t, env, "a long passphrase\n", "user", "add", "--email", "ops@example.org", "--role", "admin"); code != 0 {
		t.Fatalf("user add: %d %s", code, stderr)
	}
	code, out, stderr := runWith(t, env, "", "demo")
	if code != 0 || !strings.Contains(out, "Nothing was added") {
		t.Errorf("demo on a database with staff: exit %d, %q %q", code, out, stderr)
	}
	store := openStore(t, path)
	if _, err := store.Authenticate(context.Background(), "admin@northwind.example", "allypulse-demo"); err == nil {
		t.Error("the demo admin with the published password was added to a real installation")
	}
	if n, err := store.CountUsers(context.Background()); err != nil || n != 1 {
		t.Errorf("%d users, %v; want only the real admin", n, err)
	}
}

// TestPostgresPasswordIsNotPrinted runs the commands against PostgreSQL
// with a password in ALLYPULSE_DATABASE (the test server trusts local
// connections, so any password does): none of their output shows it.
func TestPostgresPasswordIsNotPrinted(t *testing.T) {
	u, err := url.Parse(testtools.FreshPostgresSchema(t, testtools.Postgres(t)))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "secret-pw")
	env := map[string]string{"ALLYPULSE_DATABASE": u.String()}
	var all string
	for _, args := range [][]string{{"migrate"}, {"migrate", "status"}, {"user", "add", "--email", "pg@example.org", "--role", "admin"}, {"demo"}} {
		code, out, stderr := runWith(t, env, "a long passphrase\n", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s %s", args, code, out, stderr)
		}
		all += out + stderr
	}
	if !strings.Contains(all, "Nothing was added") {
		t.Errorf("the demo filled a database with staff: %s", all)
	}
	if strings.Contains(all, "secret-pw") {
		t.Errorf("the output shows the database password:\n%s", all)
	}
}

// TestDefaultBaseURLIsReachable: without ALLYPULSE_BASE_URL the links use
// the listen address, with an unspecified host replaced by localhost (the
// setup link printed by a container must open in a browser).
func TestDefaultBaseURLIsReachable(t *testing.T) {
	for addr, want := range map[string]string{
		"0.0.0.0:8080":   "http://localhost:8080",
		":8080":          "http://localhost:8080",
		"[::]:8080":      "http://localhost:8080",
		"10.1.2.3:9000":  "http://10.1.2.3:9000",
		"[::1]:8080":     "http://[::1]:8080",
		"pulse.lan:8080": "http://pulse.lan:8080",
	} {
		cfg, _, err := loadConfig(func(k string) string { return map[string]string{"ALLYPULSE_ADDR": addr}[k] }, nil, io.Discard, "serve", nil)
		if err != nil || cfg.BaseURL != want {
			t.Errorf("ALLYPULSE_ADDR=%s: base URL %q, %v; want %s", addr, cfg.BaseURL, err, want)
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestVersionAndUnknownCommand(t *testing.T) {
	code, out, _ := runWith(t, nil, "", "version")
	if code != 0 || !strings.HasPrefix(out, "allypulse ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, stderr := runWith(t, nil, "", "frobnicate"); code != 2 || !strings.Contains(stderr, "frobnicate") {
		t.Errorf("unknown command: %d %q", code, stderr)
	}
}

func TestMigrateAndStatus(t *testing.T) {
	env := map[string]string{"ALLYPULSE_DATABASE": filepath.Join(t.TempDir(), "m.db")}
	code, out, stderr := runWith(t, env, "", "migrate", "status")
	if code != 0 || !strings.Contains(out, "00001  pending") {
		t.Fatalf("status before: %d %q %q", code, out, stderr)
	}
	code, out, stderr = runWith(t, env, "", "migrate")
	if code != 0 || !regexp.MustCompile(`^applied [1-9][0-9]* migration\(s\)\n$`).MatchString(out) {
		t.Fatalf("migrate: %d %q %q", code, out, stderr)
	}
	if code, out, _ = runWith(t, env, "", "migrate"); code != 0 || out != "applied 0 migration(s)\n" {
		t.Errorf("second migrate: %d %q", code, out)
	}
	code, out, _ = runWith(t, env, "", "migrate", "status")
	if code != 0 || strings.Contains(out, "pending") || !strings.Contains(out, "00001  applied") || !strings.Contains(out, "00002  applied") {
		t.Errorf("status after: %d %q", code, out)
	}
	if code, _, _ := runWith(t, env, "", "migrate", "sideways"); code != 2 {
		t.Errorf("migrate sideways: exit %d", code)
	}
}

func openStore(t *testing.T, path string) *account.Store {
	t.Helper()
	d, err := db.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return account.NewStore(d.Gorm, nil)
}

func TestUserAdd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "u.db")
	env := map[string]string{"ALLYPULSE_DATABASE": path}
	code, out, stderr := runWith(t, env, "a long passphrase\n", "user", "add", "--email", "Lee@Example.org", "--role", "lead", "--name", "Lee")
	if code != 0 || !strings.Contains(out, "created lead user lee@example.org") {
		t.Fatalf("user add: %d %q %q", code, out, stderr)
	}
	if strings.Contains(out+stderr, "a long passphrase") {
		t.Error("the password is echoed")
	}
	u, err := openStore(t, path).Authenticate(context.Background(), "lee@example.org", "a long passphrase")
	if err != nil || u.Role != account.RoleLead || u.Name != "Lee" {
		t.Errorf("sign-in as the new user: %+v, %v", u, err)
	}
	cases := []struct {
		name, stdin string
		args        []string
		code        int
		stderr      string
	}{
		{"duplicate", "another passphrase\n", []string{"--email", "lee@example.org", "--role", "admin"}, 1, "already exists"},
		{"short password", "short\n", []string{"--email", "x@example.org", "--role", "admin"}, 1, "at least 10"},
		{"no password", "", []string{"--email", "x@example.org", "--role", "admin"}, 1, "no password"},
		{"bad role", "a long passphrase\n", []string{"--email", "x@example.org", "--role", "boss"}, 1, "role"},
		{"missing role", "a long passphrase\n", []string{"--email", "x@example.org"}, 2, "Usage"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runWith(t, env, tc.stdin, append([]string{"user", "add"}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.stderr)
			}
		})
	}
	if code, _, _ := runWith(t, env, "", "user"); code != 2 {
		t.Errorf("bare user: exit %d", code)
	}
	// The configuration flags work after "add" too, as after any command.
	other := filepath.Join(t.TempDir(), "other.db")
	code, out, stderr = runWith(t, nil, "a long passphrase\n", "user", "add", "--email", "flag@example.org", "--role", "executive", "--database", other)
	if code != 0 || !strings.Contains(out, "created executive user") {
		t.Fatalf("user add --database: %d %q %q", code, out, stderr)
	}
	if _, err := openStore(t, other).Authenticate(context.Background(), "flag@example.org", "a long passphrase"); err != nil {
		t.Errorf("the user is not in the --database file: %v", err)
	}
	if code, _, stderr := runWith(t, env, "a long passphrase\n", "user", "add", "--email", "x@example.org", "--role", "lead", "extra"); code != 2 || !strings.Contains(stderr, `"extra"`) {
		t.Errorf("user add with a stray argument: exit %d, %q", code, stderr)
	}
}

func TestBootstrapAdmin(t *testing.T) {
	ctx := context.Background()
	open := func(t *testing.T) *db.DB {
		d, err := openDB(ctx, config{Database: filepath.Join(t.TempDir(), "b.db")}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = d.Close() })
		return d
	}
	t.Run("from the environment", func(t *testing.T) {
		d := open(t)
		cfg := config{AdminEmail: "ada@example.org", AdminPassword: "a long passphrase", BaseURL: "http://x.test"}
		var log bytes.Buffer
		for range 2 { // the second start finds the admin and does nothing
			if err := bootstrapAdmin(ctx, cfg, d, kernel.SystemClock{}, slog.New(slog.NewTextHandler(&log, nil))); err != nil {
				t.Fatal(err)
			}
		}
		store := account.NewStore(d.Gorm, nil)
		users, _, err := store.Users(ctx, 0, "")
		if err != nil || len(users) != 1 || users[0].Role != account.RoleAdmin {
			t.Errorf("users %+v, %v", users, err)
		}
		if strings.Contains(log.String(), "setup") || strings.Contains(log.String(), "a long passphrase") {
			t.Errorf("log %q", log.String())
		}
	})
	t.Run("setup link", func(t *testing.T) {
		d := open(t)
		var log bytes.Buffer
		cfg := config{BaseURL: "https://pulse.example.org"}
		if err := bootstrapAdmin(ctx, cfg, d, kernel.SystemClock{}, slog.New(slog.NewTextHandler(&log, nil))); err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`setup_url="?([^"\s]+)`).FindStringSubmatch(log.String())
		if m == nil {
			t.Fatalf("no setup link in the log: %q", log.String())
		}
		u, err := url.Parse(m[1])
		if err != nil || u.Host != "pulse.example.org" || u.Path != "/app/setup" {
			t.Fatalf("setup link %q", m[1])
		}
		store := account.NewStore(d.Gorm, nil)
		admin, err := store.Setup(ctx, u.Query().Get("token"), account.NewUser{Email: "ada@example.org", Password: "a long passphrase"})
		if err != nil || admin.Role != account.RoleAdmin {
			t.Fatalf("setup with the logged token: %+v, %v", admin, err)
		}
	})
}

// TestSIGTERMFinishesInFlightRequest starts the real binary, begins a
// sign-in whose body arrives slowly, sends SIGTERM while the server is in
// the middle of reading it, and checks that the request still gets its real
// answer and that the process then exits 0.
func TestSIGTERMFinishesInFlightRequest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "allypulse")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = filepath.Join(testtools.RepoRoot(t), "cmd", "allypulse")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "ALLYPULSE_DATABASE="+filepath.Join(dir, "term.db"), "ALLYPULSE_ADDR="+addr,
		"ALLYPULSE_BASE_URL=", "ALLYPULSE_LOG_FORMAT=json",
		"ALLYPULSE_ADMIN_EMAIL=ada@example.org", "ALLYPULSE_ADMIN_PASSWORD=a long passphrase")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	logLines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logLines <- sc.Text()
		}
		close(logLines)
	}()
	waitHealthy(t, "http://"+addr)

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A first request on the same connection proves the server accepted it.
	rd := bufio.NewReader(conn)
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	first, err := http.ReadResponse(rd, nil)
	if err != nil || first.StatusCode != http.StatusOK {
		t.Fatalf("first request: %v %v", first, err)
	}
	_, _ = io.Copy(io.Discard, first.Body)
	first.Body.Close()

	body := `{"email":"ada@example.org","password":"a long passphrase"}`
	half := len(body) / 2
	head := "POST /api/v1/auth/login HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/json\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
	if _, err := io.WriteString(conn, head+body[:half]); err != nil {
		t.Fatal(err)
	}
	// Give the server a moment to read the headers; the login handler then
	// blocks reading the rest of the body, and Shutdown must wait for it.
	time.Sleep(time.Second)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitForLog(t, logLines, "shutting down")
	if _, err := io.WriteString(conn, body[half:]); err != nil {
		t.Fatalf("finishing the body after SIGTERM: %v", err)
	}
	res, err := http.ReadResponse(rd, nil)
	if err != nil {
		t.Fatalf("reading the response after SIGTERM: %v", err)
	}
	defer res.Body.Close()
	var got struct {
		User struct{ Email string } `json:"user"`
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil || res.StatusCode != http.StatusOK || got.User.Email != "ada@example.org" {
		t.Fatalf("in-flight sign-in answered %d %+v (%v)", res.StatusCode, got, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("process exit after SIGTERM: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("process did not exit after SIGTERM")
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("still listening after exit")
	}
}

func waitForLog(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("log ended before %q", want)
			}
			if strings.Contains(l, want) {
				return
			}
		case <-timeout:
			t.Fatalf("no %q in the log", want)
		}
	}
}
