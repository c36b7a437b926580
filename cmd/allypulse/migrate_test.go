package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestMigrateStatusTakesFlags: "migrate status --database X" lists the
// migrations of X, as "migrate --database X status" does. The flag after
// status used to be ignored, listing (and creating) allypulse.db in the
// working directory instead, and then to be refused.
func TestMigrateStatusTakesFlags(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flags.db")
	if code, _, stderr := runWith(t, nil, "", "migrate", "--database", path); code != 0 {
		t.Fatalf("migrate: %d %s", code, stderr)
	}
	for _, args := range [][]string{
		{"migrate", "status", "--database", path},
		{"migrate", "--database", path, "status"},
	} {
		code, out, stderr := runWith(t, nil, "", args...)
		if code != 0 || strings.Contains(out, "pending") || !strings.Contains(out, "applied") {
			t.Errorf("%v: exit %d, %q %q; want every migration applied", args, code, out, stderr)
		}
	}
}
