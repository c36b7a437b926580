package testtools_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/xuri/excelize/v2"

	"github.com/allypulse/allypulse/internal/testtools"
)

const accessiblePage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Pulse check</title></head>
<body>
<main>
<h1>Pulse check</h1>
<form>
<label for="mood">How do you feel at work?</label>
<input id="mood" name="mood" type="text">
<button type="submit">Send</button>
</form>
</main>
<script>console.error("deliberate", 42); Promise.reject(new Error("unhandled on purpose"));</script>
</body>
</html>`

const inaccessiblePage = `<!doctype html><html><head><title>x</title></head>
<body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>`

func pageServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(accessiblePage))
	})
	mux.HandleFunc("/bad", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(inaccessiblePage))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestBrowserAxeAndConsole(t *testing.T) {
	t.Parallel()
	srv := pageServer(t)
	ctx := testtools.NewBrowser(t)

	title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`))
	if err != nil {
		t.Fatalf("evaluating on the first tab: %v", err)
	}
	if title != "" {
		t.Errorf("fresh tab title = %q, want empty (about:blank)", title)
	}

	errs := testtools.ConsoleErrors(t, ctx)
	actx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(actx, chromedp.Navigate(srv.URL+"/ok")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	if v := testtools.RunAxe(t, ctx); len(v) != 0 {
		t.Errorf("accessible page has violations:\n%v", v)
	}
	got := strings.Join(errs(), "\n")
	for _, want := range []string{"console.error: deliberate 42", "unhandled on purpose"} {
		if !strings.Contains(got, want) {
			t.Errorf("console errors %q lack %q", got, want)
		}
	}

	if err := chromedp.Do(actx, chromedp.Navigate(srv.URL+"/bad")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	ids := map[string]bool{}
	for _, v := range testtools.RunAxe(t, ctx) {
		ids[v.ID] = true
		if len(v.Nodes) == 0 || len(v.Nodes[0].Target) == 0 {
			t.Errorf("violation %s has no node targets", v.ID)
		}
	}
	for _, want := range []string{"html-has-lang", "image-alt", "label"} {
		if !ids[want] {
			t.Errorf("axe missed %s on the inaccessible page; found %v", want, ids)
		}
	}
}

func TestXLSXToCSV(t *testing.T) {
	t.Parallel()
	testtools.Soffice(t)
	f := excelize.NewFile()
	defer f.Close()
	want := map[string][][]string{
		"Summary": {{"Item", "Score"}, {"I belong here", "4.5"}, {"Comma, \"quoted\"", "3"}},
		"Élan":    {{"ünïcode"}},
	}
	if err := f.SetSheetName("Sheet1", "Summary"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Élan"); err != nil {
		t.Fatal(err)
	}
	for sheet, rows := range want {
		for i, row := range rows {
			cell, err := excelize.CoordinatesToCellName(1, i+1)
			if err != nil {
				t.Fatal(err)
			}
			vals := make([]any, len(row))
			for j, s := range row {
				vals[j] = s
			}
			if sheet == "Summary" && i > 0 {
				vals[1] = map[int]float64{1: 4.5, 2: 3}[i] // numbers, not text
			}
			if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "pulse.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}

	got := testtools.XLSXToCSV(t, path)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("LibreOffice read\n%q\nwant\n%q", got, want)
	}
}

func TestFreshPostgresSchema(t *testing.T) {
	t.Parallel()
	base := testtools.Postgres(t)
	a := testtools.FreshPostgresSchema(t, base)
	b := testtools.FreshPostgresSchema(t, base)
	ctx := context.Background()
	for _, dsn := range []string{a, b} {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		// The same table name in both schemas must not clash.
		if _, err := db.ExecContext(ctx, "CREATE TABLE probe (id int)"); err != nil {
			t.Fatalf("create in %s: %v", dsn, err)
		}
		var schema string
		if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(dsn, "search_path="+schema) {
			t.Errorf("current_schema %q not the one in %s", schema, dsn)
		}
	}
}
