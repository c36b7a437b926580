package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/account"
)

const userUsage = `Usage: allypulse user add --email E --role admin|lead|executive [--name N]

The password is read from standard input: one line, at least 10 characters.
  echo 'a long passphrase' | allypulse user add --email ada@example.org --role admin
`

// userCommand runs "user add": it creates a staff user with the password
// read as one line from stdin, so it never appears in the process list or
// the shell history.
func userCommand(ctx context.Context, cfg config, args []string, log *slog.Logger, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprint(stderr, userUsage)
		return 2
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "e-mail address (required)")
	role := fs.String("role", "", "admin, lead or executive (required)")
	name := fs.String("name", "", "display name")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *email == "" || *role == "" || fs.NArg() > 0 {
		fmt.Fprint(stderr, userUsage)
		return 2
	}
	fmt.Fprintln(stderr, "Password (one line on standard input):")
	password, err := readLine(stdin)
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
	store := account.NewStore(d.Gorm, survey.SystemClock{})
	u, err := store.CreateUser(ctx, account.NewUser{Email: *email, Name: *name, Role: *role, Password: password})
	if err != nil {
		fmt.Fprintln(stderr, "allypulse: user add:", err)
		return 1
	}
	if err := store.Record(ctx, account.Event{Action: "user.create", Target: u.Email, Detail: "role " + u.Role + ", from the command line"}); err != nil {
		fmt.Fprintln(stderr, "allypulse: user add: audit log:", err)
		return 1
	}
	fmt.Fprintf(stdout, "created %s user %s (id %s)\n", u.Role, u.Email, u.ID)
	return 0
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
