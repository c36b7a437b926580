package testtools

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// AxeViolation is one failed axe-core rule on the page, with the elements
// that fail it.
type AxeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []AxeNode `json:"nodes"`
}

// AxeNode is one element that fails a rule.
type AxeNode struct {
	// Target is the CSS selector path of the element; a step into a shadow
	// root or frame is joined with " >>> ".
	Target         []string `json:"target"`
	HTML           string   `json:"html"`
	FailureSummary string   `json:"failureSummary"`
}

// String renders the violation for a test failure message.
func (v AxeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s <%s>", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    %s  %s", strings.Join(n.Target, " "), n.HTML)
	}
	return b.String()
}

// axeTags are the WCAG levels the product promises (WCAG 2.2 AA).
const axeTags = `['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']`

// axeRun runs axe on the whole document and keeps only what a report needs,
// so the result crosses the protocol by value.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ` + axeTags + `}})
  .then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({
      target: n.target.map(s => Array.isArray(s) ? s.join(' >>> ') : String(s)),
      html: n.html, failureSummary: n.failureSummary || ''
    }))
  })))`

// axeTimeout bounds one axe run; a page of ours takes well under a second.
const axeTimeout = 60 * time.Second

// RepoRoot returns the directory holding go.mod, found by walking up from the
// test's working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("working directory: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// AxeSource returns the text of node_modules/axe-core/axe.min.js at the
// repository root. It skips the test (fails under CI) when npm ci has not
// been run.
func AxeSource(t testing.TB) string {
	t.Helper()
	path := filepath.Join(RepoRoot(t), "node_modules", "axe-core", "axe.min.js")
	src, err := os.ReadFile(path)
	if err != nil {
		Unavailable(t, "axe-core not installed (run npm ci at the repository root): %v", err)
	}
	return string(src)
}

// RunAxe injects axe-core into the page loaded in the tab of ctx, unless it
// is there already, and returns the WCAG 2.2 A/AA violations it finds. An
// empty result means the page passed. It fails the test if axe cannot run.
func RunAxe(t testing.TB, ctx context.Context) []AxeViolation {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, axeTimeout)
	defer cancel()

	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`))
	if err != nil {
		t.Fatalf("checking for axe: %v", err)
	}
	if !loaded {
		// The trailing undefined keeps the script's last value, which
		// need not be serialisable, out of the reply.
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](AxeSource(t)+"\n;undefined")); err != nil {
			t.Fatalf("injecting axe-core: %v", err)
		}
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]AxeViolation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running axe: %v", err)
	}
	return violations
}
