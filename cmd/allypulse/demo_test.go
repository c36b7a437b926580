package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/survey"
)

// TestDemoCommandFillsOnce runs `allypulse demo` twice on one database: the
// first run creates the organisation and prints how to sign in, the second
// adds nothing.
func TestDemoCommandFillsOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	getenv := func(string) string { return "" }
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"demo", "--database", path}, getenv, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("demo exited %d: %s", code, errOut.String())
	}
	for _, want := range []string{"wave 3:", "lead@northwind.example", "/app/results"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := run(ctx, []string{"demo", "--database", path}, getenv, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("second demo exited %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "Nothing was added") {
		t.Errorf("second run: %s", out.String())
	}
	d, err := db.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	list, err := survey.NewStore(d.Gorm).ListSurveys(ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("%d surveys after two runs; want the demo's baseline and pulse", len(list))
	}
}
