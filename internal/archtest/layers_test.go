// Package archtest holds the test that keeps imports pointing the way
// docs/architecture.md draws them.
package archtest

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/allypulse/allypulse/"

// layers gives each package of the module its layer, as listed in
// docs/architecture.md ("Layers and imports"). A package may import only
// packages of lower layers. A new package needs a line here and in the
// document.
var layers = map[string]int{
	// 0: leaves, importing nothing of the project.
	"internal/kernel": 0, "internal/ballot": 0, "internal/shortcode": 0,
	"internal/catalog": 0, "internal/mailer": 0, "internal/screenshots": 0,
	"survey/framework": 0, "survey/stats": 0, "survey/people": 0,
	"survey/report/internal/gauss": 0, "migrations": 0, "frontend": 0,
	"internal/archtest": 0, // this test only
	// 1: the database layer.
	"internal/db": 1,
	// 2: services beside the survey domain: accounts, limits,
	// backups, and the test tools.
	"internal/account": 2, "internal/limits": 2,
	"internal/backup": 2, "internal/testtools": 2,
	// 3: the survey domain and its store.
	"survey": 3,
	// 4: the results engine.
	"survey/report": 4, "survey/report/internal/benchgen": 4,
	// 5 and 6: what is built on released results.
	"survey/actionplan": 5, "survey/xlsx": 5, "survey/demo": 5, "survey/report/benchdb": 5,
	"survey/csvexport": 6, "survey/pdfreport": 6, "survey/heard": 6, "survey/summary": 6, "survey/xlsx/xlsxtest": 6,
	// 7: HTTP.
	"api": 7,
	// 8: binaries.
	"cmd/allypulse": 8, "cmd/allyload": 8,
}

// forbidden are imports the layers alone would allow but the design does
// not: the survey domain knows nothing of staff accounts (the demo seeds its
// users and is the exception).
var forbidden = map[string][]string{
	"survey": {"internal/account"}, "survey/report": {"internal/account"},
	"survey/xlsx": {"internal/account"}, "survey/csvexport": {"internal/account"},
	"survey/actionplan": {"internal/account"}, "survey/heard": {"internal/account"},
	"survey/summary": {"internal/account"}, "survey/pdfreport": {"internal/account"},
}

// echoUsers are the only packages that may import echo: the HTTP layer and
// the load generator's echo baseline.
var echoUsers = map[string]bool{"api": true, "cmd/allyload": true}

func TestImportsFollowTheLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", filepath.Join("..", "..")+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.Contains(fields[0], "/node_modules/") {
			continue
		}
		pkg := strings.TrimPrefix(fields[0], module)
		layer, ok := layers[pkg]
		if !ok {
			t.Errorf("%s has no layer: add it to docs/architecture.md and to layers in this test", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, "github.com/labstack/echo") && !echoUsers[pkg] {
				t.Errorf("%s imports %s: only %v may", pkg, imp, echoUsers)
			}
			if !strings.HasPrefix(imp, module) {
				continue
			}
			dep := strings.TrimPrefix(imp, module)
			if l, ok := layers[dep]; ok && l >= layer {
				t.Errorf("%s (layer %d) imports %s (layer %d): imports point down only", pkg, layer, dep, l)
			}
			for _, f := range forbidden[pkg] {
				if dep == f {
					t.Errorf("%s imports %s, which docs/architecture.md forbids", pkg, dep)
				}
			}
		}
	}
}
