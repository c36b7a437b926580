package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/kernel"
)

const userUsage = `Usage: allypulse user add --email E --role admin|lead|executive [--name N]

The password is asked for twice, not shown, when standard input is a
terminal; otherwise it is the first line of standard input. At least 10
characters.
  echo 'a long passphrase' | allypulse user add --email ada@example.org --role admin
`

// userAddFlags are the flags of "user add", parsed with the configuration
// flags so that --database and the rest work after "add" too.
type userAddFlags struct {
	email, role, name string
}

func (u *userAddFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&u.email, "email", "", "e-mail address (required)")
	fs.StringVar(&u.role, "role", "", "admin, lead or executive (required)")
	fs.StringVar(&u.name, "name", "", "display name")
}

// userCommand runs "user add": it creates a staff user with the password
// read from stdin, so it never appears in the process list or the shell
// history.
func userCommand(ctx context.Context, cfg config, ua userAddFlags, log *slog.Logger, stdin io.Reader, stdout, stderr io.Writer) int {
	if ua.email == "" || ua.role == "" {
		fmt.Fprint(stderr, userUsage)
		return 2
	}
	password, err := readPassword(stdin, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "allypulse: user add: reading the password:", err)
		return 1
	}
	d, err := openDB(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(stderr, "allypulse:", err)
		return 1
	}
	defer d.Close()
	store := account.NewStore(d.Gorm, kernel.SystemClock{})
	u, err := store.CreateUser(ctx, account.NewUser{Email: ua.email, Name: ua.name, Role: ua.role, Password: password})
	if err != nil {
		fmt.Fprintln(stderr, "allypulse: user add:", err)
		return 1
	}
	if err := store.Record(ctx, account.Event{Action: "user.create", Target: u.Email, Detail: "role " + u.Role + ", from the command line"}); err != nil {
		fmt.Fprintln(stderr, "allypulse: user add: audit log:", err)
		return 1
	}
	fmt.Fprintf(stdout, "created %s user %s (id %s)\n", u.Role, u.Email, u.ID)
	// The way back in when single sign-on fails: a new admin from the
	// command line turns password sign-in on again.
	if on, err := store.PasswordSignIn(ctx); err == nil && !on && u.Role == account.RoleAdmin {
		if err := store.SetPasswordSignIn(ctx, true); err != nil {
			fmt.Fprintln(stderr, "allypulse: user add: turning password sign-in on:", err)
			return 1
		}
		if err := store.Record(ctx, account.Event{Action: "settings.password_sign_in", Detail: "password sign-in turned on again from the command line for " + u.Email}); err != nil {
			fmt.Fprintln(stderr, "allypulse: user add: audit log:", err)
			return 1
		}
		fmt.Fprintln(stdout, "password sign-in was off; it is on again, so this admin can sign in")
	}
	return 0
}

// readPassword reads the password. Typed at a terminal, it is asked for
// twice with echo off, so it never shows on screen and a typo cannot lock
// the new user out; from a pipe it is the first line.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	f, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return readLine(stdin)
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		return string(b), err
	}
	pw, err := ask("Password (at least 10 characters, not shown): ")
	if err != nil {
		return "", err
	}
	again, err := ask("The same password again: ")
	if err != nil {
		return "", err
	}
	if pw != again {
		return "", errors.New("the two passwords differ")
	}
	return pw, nil
}

// readLine reads one line without its line ending.
func readLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		if errors.Is(err, io.EOF) {
			return "", errors.New("no password given")
		}
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
