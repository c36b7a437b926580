package testtools

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// InCI reports whether the tests run in CI, where every tool must be present.
// CI systems set CI=true; .ci/run does too.
func InCI() bool {
	v := os.Getenv("CI")
	return v == "true" || v == "1"
}

// Unavailable stops the test because a tool it needs is missing: it fails the
// test under CI and skips it elsewhere. The message should say how to get the
// tool.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("CI=true and a required tool is missing: %s", msg)
	}
	t.Skipf("skipping, tool missing (set CI=true to make this a failure): %s", msg)
}

// lookTool returns the path of the first existing executable among the value
// of the environment variable envVar and the names, found in PATH or as
// absolute paths. It returns "" when none exists.
func lookTool(envVar string, names ...string) string {
	if p := os.Getenv(envVar); p != "" {
		names = append([]string{p}, names...)
	}
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}
