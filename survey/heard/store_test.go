package heard_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/actionplan"
	"github.com/allypulse/allypulse/survey/heard"
	"github.com/allypulse/allypulse/survey/report"
	"github.com/allypulse/allypulse/survey/xlsx/xlsxtest"
)

// owners accepts one user id.
type owners struct{ id string }

func (o owners) OwnerName(_ context.Context, id string) (string, error) {
	if id != o.id {
		return "", kernel.ErrNotFound
	}
	return "Ada", nil
}

// TestStoresOnEveryDialect runs the action plans and the What we heard
// pages through their stores on SQLite and PostgreSQL: create, revision
// conflicts, the owner's foreign key, publishing twice (same slug, revision
// up), the public page's released cells, and deleting a focus area with its
// actions.
func TestStoresOnEveryDialect(t *testing.T) {
	for _, dialect := range []string{db.SQLite, db.Postgres} {
		t.Run(dialect, func(t *testing.T) { testStores(t, openDialect(t, dialect)) })
	}
}

func openDialect(t *testing.T, dialect string) *db.DB {
	t.Helper()
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "plans.db")
	if dialect == db.Postgres {
		dsn = testtools.FreshPostgresSchema(t, testtools.Postgres(t))
	}
	d, err := db.Open(ctx, dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return d
}

func testStores(t *testing.T, d *db.DB) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	seed := xlsxtest.Seed(t, d, now, xlsxtest.Spec{Responses: []int{150, 170}, Seed: 3})
	clock := kernel.ClockFunc(func() time.Time { return now })
	store := survey.NewStore(d.Gorm)
	engine := report.New(store, clock)
	userID := "u1"
	if err := d.Gorm.Exec(`INSERT INTO users (id, email, name, role, password_hash, disabled, created_at, updated_at) VALUES (?, 'ada@example.test', 'Ada', 'lead', 'x', FALSE, ?, ?)`, userID, now, now).Error; err != nil {
		t.Fatal(err)
	}
	plans := actionplan.New(d.Gorm, store, engine, clock, owners{userID})
	pages := heard.New(d.Gorm, store, engine, plans, clock)
	sv := seed.Survey.ID

	f, err := plans.CreateFocus(ctx, sv, actionplan.FocusInput{Wave: 1, Source: actionplan.Source{Kind: actionplan.SourceCompetency, Metric: "voice"}, Title: "Speak up"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := plans.CreateAction(ctx, sv, f.ID, actionplan.ActionInput{Title: "Blameless reviews", OwnerID: userID, Due: "2026-09-30"})
	if err != nil {
		t.Fatal(err)
	}
	status, rev := actionplan.StatusDone, 0
	if _, err := plans.UpdateAction(ctx, sv, f.ID, a.ID, actionplan.ActionChange{Status: &status, Revision: &rev}); err != nil {
		t.Fatal(err)
	}
	if _, err := plans.UpdateAction(ctx, sv, f.ID, a.ID, actionplan.ActionChange{Status: &status, Revision: &rev}); !errors.Is(err, kernel.ErrConflict) {
		t.Errorf("a second edit from revision 0: %v, want ErrConflict", err)
	}
	// Deleting the owner's account leaves the action without an owner.
	if err := d.Gorm.Exec(`DELETE FROM users WHERE id = ?`, userID).Error; err != nil {
		t.Fatal(err)
	}
	got, err := plans.Get(ctx, sv, f.ID)
	if err != nil || len(got.Actions) != 1 || got.Actions[0].OwnerID != "" || got.Actions[0].Status != status || got.Actions[0].Revision != 1 {
		t.Errorf("after the owner left: %+v, %v", got, err)
	}

	in := heard.Input{Metrics: []string{"index", "voice"}, FocusIDs: []string{f.ID}}
	p1, err := pages.Publish(ctx, sv, 1, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Message = "Thank you"
	p2, err := pages.Publish(ctx, sv, 1, in)
	if err != nil {
		t.Fatal(err)
	}
	if p2.Slug != p1.Slug || p2.Revision != 1 || p2.Message != "Thank you" {
		t.Errorf("republished %+v after %+v", p2, p1)
	}
	pub, err := pages.BySlug(ctx, p1.Slug, nil)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := engine.Release(ctx, sv, report.Query{Wave: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]report.Cell{"index": heard.Headline(rel.Index.Overall)}
	for _, c := range rel.Competencies {
		want[c.Key] = heard.Headline(c.Overall)
	}
	if c := want["voice"]; c.Low != nil || c.Neutral != nil || c.Distribution != nil {
		t.Errorf("the public voice number carries more than its headline: %+v", c)
	}
	if len(pub.Numbers) != 2 {
		t.Fatalf("public numbers %+v, want index and voice", pub.Numbers)
	}
	if pub.Language != "en" {
		t.Errorf("an English survey's page in %q", pub.Language)
	}
	// Offered in French too, the page is in the language the reader's
	// choice picks: the survey's French title, the framework's French
	// names; a language it is not offered in stays in the first one.
	s, err := store.GetSurvey(ctx, sv)
	if err != nil {
		t.Fatal(err)
	}
	s.Design.Languages = []string{"en", "fr"}
	s.Design.Translations = map[string]survey.Translation{"fr": {Title: "Baromètre"}}
	if err := store.UpdateSurvey(ctx, s, s.Status); err != nil {
		t.Fatal(err)
	}
	fr, err := pages.BySlug(ctx, p1.Slug, func(offered []string) string { return offered[len(offered)-1] })
	if err != nil {
		t.Fatal(err)
	}
	if fr.Language != "fr" || fr.Title != "Baromètre" || len(fr.Numbers) != 2 || fr.Numbers[1].Name == pub.Numbers[1].Name {
		t.Errorf("the page in French: %+v (in English: %+v)", fr, pub)
	}
	if de, err := pages.BySlug(ctx, p1.Slug, func([]string) string { return "de" }); err != nil || de.Language != "en" {
		t.Errorf("a language the survey is not offered in: %q, %v", de.Language, err)
	}
	for _, n := range pub.Numbers {
		if !reflect.DeepEqual(n.Cell, want[n.Key]) {
			t.Errorf("public %s %+v, released %+v", n.Key, n.Cell, want[n.Key])
		}
	}
	if latest, err := pages.Latest(ctx, sv); err != nil || latest.Slug != p1.Slug {
		t.Errorf("latest page %+v, %v", latest, err)
	}
	if err := plans.DeleteFocus(ctx, sv, f.ID); err != nil {
		t.Fatal(err)
	}
	if all, err := plans.List(ctx, sv); err != nil || len(all) != 0 {
		t.Errorf("after delete: %+v, %v", all, err)
	}
}
