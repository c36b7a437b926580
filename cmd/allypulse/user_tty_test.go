//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal: what is written to the returned
// controller arrives as typed input at the terminal, and what the terminal
// echoes can be read back from the controller.
func openPTY(t *testing.T) (controller, terminal *os.File) {
	t.Helper()
	controller, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	fd := int(controller.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	terminal, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return controller, terminal
}

// TestUserAddAtATerminalDoesNotEcho types the password into a real
// pseudo-terminal, as an operator would at the prompt: the user is created,
// and nothing the terminal echoes back holds the password.
func TestUserAddAtATerminalDoesNotEcho(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tty.db")
	env := map[string]string{"ALLYPULSE_DATABASE": path}
	const password = "typed secret passphrase"

	try := func(typed string) (int, string, string) {
		controller, terminal := openPTY(t)
		defer controller.Close()
		echoed := make(chan string)
		go func() {
			b, _ := io.ReadAll(controller) // ends with EIO once the terminal side is closed
			echoed <- string(b)
		}()
		// Type once the command has turned echo off, as a person would
		// after reading the prompt; a command that never turns it off gets
		// the typing after a while, and echoes it.
		go func() {
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
				tio, err := unix.IoctlGetTermios(int(terminal.Fd()), unix.TCGETS)
				if err != nil || tio.Lflag&unix.ECHO == 0 {
					break
				}
			}
			_, _ = controller.WriteString(typed)
		}()
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"user", "add", "--email", "tty@example.org", "--role", "admin"},
			func(k string) string { return env[k] }, terminal, &stdout, &stderr)
		terminal.Close()
		return code, <-echoed, stderr.String() + stdout.String()
	}

	code, echoed, out := try("a typo in it\n" + password + "\n")
	if code == 0 || !strings.Contains(out, "differ") {
		t.Errorf("two different passwords: exit %d, output %q", code, out)
	}
	code, echoed, out = try(password + "\n" + password + "\n")
	if code != 0 || !strings.Contains(out, "created admin user tty@example.org") {
		t.Fatalf("user add at a terminal: exit %d, output %q", code, out)
	}
	if strings.Contains(echoed, "passphrase") || strings.Contains(out, "passphrase") {
		t.Errorf("the password was echoed: terminal %q, output %q", echoed, out)
	}
	if !strings.Contains(out, "not shown") {
		t.Errorf("no prompt: %q", out)
	}
	if _, err := openStore(t, path).Authenticate(context.Background(), "tty@example.org", password); err != nil {
		t.Errorf("sign-in with the typed password: %v", err)
	}
}
