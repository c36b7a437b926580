package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadRunChecksStoredResponses runs a short load on a SQLite file: the
// report lists both targets and the stored count matches the acknowledged
// one. It asserts no figure; the figures belong in docs/benchmarks.md.
func TestLoadRunChecksStoredResponses(t *testing.T) {
	var out, errs bytes.Buffer
	args := []string{"--db", filepath.Join(t.TempDir(), "load.db"), "--clients", "4", "--duration", "300ms", "--warmup", "0s"}
	if code := run(context.Background(), args, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errs.String())
	}
	report := out.String()
	for _, want := range []string{"allypulse sqlite", "echo baseline", "reaches", "of the echo baseline", "stored == acknowledged", "ok"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}

func TestLoadFlags(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"--url", "http://127.0.0.1:1"}, &out, &errs); code != 2 {
		t.Errorf("--url without --code: exit %d", code)
	}
}

// TestBallotRunChecksStoredResponses runs the ballot path briefly: every
// ballot taken and spent is one stored response.
func TestBallotRunChecksStoredResponses(t *testing.T) {
	var out, errs bytes.Buffer
	args := []string{"--db", filepath.Join(t.TempDir(), "load.db"), "--ballots", "--codes", "40", "--clients", "4", "--duration", "300ms", "--warmup", "0s"}
	if code := run(context.Background(), args, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errs.String())
	}
	report := out.String()
	for _, want := range []string{"ballot path (issue + submit)", "allypulse sqlite", "stored == acknowledged", "ok"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(report, "ballot 4") || strings.Contains(report, "submit 4") {
		t.Errorf("refused ballots:\n%s", report)
	}
}
