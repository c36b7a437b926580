package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
	"github.com/allypulse/allypulse/survey/xlsx/xlsxtest"
)

func waveCounts(t *testing.T, d *db.DB, w survey.Wave) (responses, comments int64) {
	t.Helper()
	if err := d.Gorm.Table("responses").Where("wave_id = ?", w.ID).Count(&responses).Error; err != nil {
		t.Fatal(err)
	}
	if err := d.Gorm.Table("comments").Where("wave_id = ?", w.ID).Count(&comments).Error; err != nil {
		t.Fatal(err)
	}
	return responses, comments
}

// TestRetention sets a one-month period on a survey whose three waves
// closed 76, 46 and 16 days ago, runs a dry run (nothing changes), a real
// run (the two older waves lose their responses and comments, their
// released results stay the same and are marked), and a month later a
// run that takes the third wave; every deletion is audited.
func TestRetention(t *testing.T) {
	ctx := context.Background()
	d := testtools.OpenDB(t, db.SQLite)
	clock := kernel.NewManualClock(time.Now().UTC().Truncate(time.Second))
	seed := xlsxtest.Seed(t, d, clock.Now(), xlsxtest.Spec{Responses: []int{40, 40, 40}, Seed: 42, Comments: []string{"More mentoring, please."}})
	srv := New(Config{BaseURL: "http://allypulse.test"}, Deps{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: clock})
	t.Cleanup(func() { srv.Shutdown(ctx) })
	h := &authHarness{t: t, srv: srv, db: d}
	h.user("ada@example.org", account.RoleAdmin)
	h.user("lin@example.org", account.RoleLead)
	h.user("eve@example.org", account.RoleExecutive)
	admin, lead, exec := h.signIn("ada@example.org"), h.signIn("lin@example.org"), h.signIn("eve@example.org")
	base := "/api/v1/surveys/" + seed.Survey.ID

	// Setting the period: validated, lead or admin only.
	for body, field := range map[string]string{`{"months":-1}`: "months", `{"months":601}`: "months", `{}`: "months", `null`: "body", `{"months":"12"}`: "months"} {
		p := wantProblem(t, h.do("PUT", base+"/retention", body, lead.as()), http.StatusUnprocessableEntity)
		if len(p.Errors) != 1 || p.Errors[0].Field != field {
			t.Errorf("PUT %s: errors %+v, want %s", body, p.Errors, field)
		}
	}
	wantProblem(t, h.do("PUT", base+"/retention", `{"months":1}`, exec.as()), http.StatusForbidden)
	wantProblem(t, h.do("PUT", "/api/v1/surveys/nope/retention", `{"months":1}`, lead.as()), http.StatusNotFound)
	rec := h.do("PUT", base+"/retention", `{"months":1}`, lead.as())
	if rec.Code != http.StatusOK {
		t.Fatalf("PUT retention: %d %s", rec.Code, rec.Body)
	}
	policy := decodeBody[survey.RetentionPolicy](t, rec.Body.Bytes())
	if policy.Months != 1 || len(policy.Waves) != 3 || policy.Waves[0].DeleteAfter == nil || policy.Waves[0].DeletedAt != nil {
		t.Fatalf("policy %+v", policy)
	}

	// Wave 1's results as released before anything goes; wave 2 is never
	// viewed before its responses are deleted.
	before := h.do("GET", base+"/results?wave=1&by=department", "", admin.as()).Body.String()

	run := func(dry string) retentionRunResponse {
		t.Helper()
		rec := h.do("POST", "/api/v1/retention/run", `{"dry_run":`+dry+`}`, admin.as())
		if rec.Code != http.StatusOK {
			t.Fatalf("run dry_run=%s: %d %s", dry, rec.Code, rec.Body)
		}
		return decodeBody[retentionRunResponse](t, rec.Body.Bytes())
	}
	wantProblem(t, h.do("POST", "/api/v1/retention/run", `{"dry_run":true}`, lead.as()), http.StatusForbidden)
	wantProblem(t, h.do("POST", "/api/v1/retention/run", `{}`, admin.as()), http.StatusUnprocessableEntity)

	dry := run("true")
	if !dry.DryRun || len(dry.Waves) != 2 || dry.Waves[0].Wave != 1 || dry.Waves[1].Wave != 2 {
		t.Fatalf("dry run: %+v", dry)
	}
	for i, w := range dry.Waves {
		r, c := waveCounts(t, d, seed.Waves[i])
		if int64(w.Responses) != r || int64(w.Comments) != c || r != 40 {
			t.Errorf("dry run wave %d says %d responses and %d comments; the database holds %d and %d", w.Wave, w.Responses, w.Comments, r, c)
		}
	}

	real := run("false")
	if real.DryRun || len(real.Waves) != 2 {
		t.Fatalf("run: %+v", real)
	}
	for i, w := range seed.Waves {
		r, c := waveCounts(t, d, w)
		if i < 2 && (r != 0 || c != 0) {
			t.Errorf("wave %d still holds %d responses and %d comments", i+1, r, c)
		}
		if i == 2 && r != 40 {
			t.Errorf("wave 3 lost responses: %d", r)
		}
	}
	if after := h.do("GET", base+"/results?wave=1&by=department", "", admin.as()).Body.String(); after != before {
		t.Errorf("wave 1's released results changed:\nbefore %s\nafter  %s", before, after)
	}
	var w2 report.Release
	if err := json.Unmarshal(h.do("GET", base+"/results?wave=2", "", admin.as()).Body.Bytes(), &w2); err != nil || w2.Respondents.N != 40 {
		t.Errorf("wave 2 after deletion: respondents %+v (%v), want the 40 released before", w2.Respondents, err)
	}
	var marked int64
	if err := d.Gorm.Table("report_snapshots").Where("wave_id IN ? AND final AND responses_deleted", []string{seed.Waves[0].ID, seed.Waves[1].ID}).Count(&marked).Error; err != nil || marked != 2 {
		t.Errorf("%d final snapshots marked as outliving their responses, want 2 (%v)", marked, err)
	}
	rec = h.do("GET", base+"/retention", "", lead.as())
	policy = decodeBody[survey.RetentionPolicy](t, rec.Body.Bytes())
	if policy.Waves[0].DeletedAt == nil || policy.Waves[1].DeletedAt == nil || policy.Waves[2].DeletedAt != nil {
		t.Errorf("policy after the run: %+v", policy.Waves)
	}

	// A month later the third wave goes too; a second run finds nothing.
	clock.Advance(31 * 24 * time.Hour)
	admin = h.signIn("ada@example.org") // the session ended meanwhile
	if got := run("false"); len(got.Waves) != 1 || got.Waves[0].Wave != 3 || got.Waves[0].Responses != 40 {
		t.Errorf("a month later: %+v", got)
	}
	if got := run("false"); len(got.Waves) != 0 {
		t.Errorf("nothing is left to delete, yet: %+v", got)
	}

	events, _, err := srv.accounts.Events(ctx, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	var deleted []string
	for _, e := range events {
		if e.Action == "retention.delete" {
			deleted = append(deleted, e.Detail)
		}
	}
	if len(deleted) != 3 || !strings.Contains(strings.Join(deleted, "\n"), "40 responses") {
		t.Errorf("audited deletions: %q", deleted)
	}
}
