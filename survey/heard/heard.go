// Package heard keeps the "What we heard" pages: for a closed wave, the lead
// chooses which released headline numbers and which focus areas to share
// with employees, and the page is served at a public link without sign-in.
// The page stores the lead's choice (metric keys, focus area ids), never a
// number: every number is read from report.Engine's released view of the
// closed wave when the page is shown.
package heard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/actionplan"
	"github.com/allypulse/allypulse/survey/report"
)

// MaxMessage caps the lead's message, in characters.
const MaxMessage = 2000

// Page is a published "What we heard" page.
type Page struct {
	ID          string
	SurveyID    string
	Wave        int
	Slug        string
	Message     string
	Metrics     []string
	FocusIDs    []string
	Revision    int
	PublishedAt time.Time
	UpdatedAt   time.Time
}

// Input is what the lead publishes.
type Input struct {
	Message  string
	Metrics  []string
	FocusIDs []string
}

// Pages reads and publishes pages.
type Pages struct {
	db      *gorm.DB
	surveys *survey.Store
	engine  *report.Engine
	plans   *actionplan.Plans
	clock   kernel.Clock
}

// New returns the pages over db.
func New(db *gorm.DB, surveys *survey.Store, engine *report.Engine, plans *actionplan.Plans, clock kernel.Clock) *Pages {
	return &Pages{db: db, surveys: surveys, engine: engine, plans: plans, clock: clock}
}

// pageRow is a row of heard_pages.
type pageRow struct {
	ID          string
	SurveyID    string
	Wave        int
	Slug        string
	Message     string
	Metrics     string
	FocusIDs    string
	Revision    int
	PublishedAt time.Time
	UpdatedAt   time.Time
}

func (pageRow) TableName() string { return "heard_pages" }

func (r pageRow) page() (Page, error) {
	p := Page{ID: r.ID, SurveyID: r.SurveyID, Wave: r.Wave, Slug: r.Slug, Message: r.Message,
		Revision: r.Revision, PublishedAt: r.PublishedAt, UpdatedAt: r.UpdatedAt}
	if err := json.Unmarshal([]byte(r.Metrics), &p.Metrics); err != nil {
		return Page{}, fmt.Errorf("heard page metrics: %w", err)
	}
	if err := json.Unmarshal([]byte(r.FocusIDs), &p.FocusIDs); err != nil {
		return Page{}, fmt.Errorf("heard page focus areas: %w", err)
	}
	return p, nil
}

// Metric keys a page may show besides competency and access keys.
const (
	MetricIndex         = "index"
	MetricENPS          = "enps"
	MetricParticipation = "participation"
	MetricRespondents   = "respondents"
)

// Choices lists the metrics the lead may share from wave n: the headline
// numbers, then each competency and development access row, with their names.
func (p *Pages) Choices(ctx context.Context, surveyID string, n int) ([]Choice, error) {
	r, err := p.engine.Release(ctx, surveyID, report.Query{Wave: n})
	if err != nil {
		return nil, err
	}
	out := []Choice{
		{Key: MetricRespondents, Name: "People who answered"},
		{Key: MetricParticipation, Name: "Participation"},
		{Key: MetricIndex, Name: r.Index.Name},
		{Key: MetricENPS, Name: "Employee Net Promoter Score (eNPS)"},
	}
	for _, row := range append(slices.Clone(r.Competencies), r.Access...) {
		out = append(out, Choice{Key: row.Key, Name: row.Name})
	}
	return out, nil
}

// Choice is a metric the lead may share.
type Choice struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Get returns the page of wave n (ErrNotFound when none is published).
func (p *Pages) Get(ctx context.Context, surveyID string, n int) (Page, error) {
	var r pageRow
	err := p.db.WithContext(ctx).Where("survey_id = ? AND wave = ?", surveyID, n).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Page{}, fmt.Errorf("wave %d has no published page: %w", n, kernel.ErrNotFound)
	}
	if err != nil {
		return Page{}, err
	}
	return r.page()
}

// Latest returns the survey's newest published page (ErrNotFound when
// none): the employee page links to it from the thank-you message and from
// the next wave's form.
func (p *Pages) Latest(ctx context.Context, surveyID string) (Page, error) {
	var r pageRow
	err := p.db.WithContext(ctx).Where("survey_id = ?", surveyID).Order("wave DESC").Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Page{}, fmt.Errorf("this survey has no published page: %w", kernel.ErrNotFound)
	}
	if err != nil {
		return Page{}, err
	}
	return r.page()
}

// Publish creates or replaces the page of closed wave n; the slug of an
// existing page stays, so a shared link keeps working.
func (p *Pages) Publish(ctx context.Context, surveyID string, n int, in Input) (Page, error) {
	sv, err := p.surveys.GetSurvey(ctx, surveyID)
	if err != nil {
		return Page{}, err
	}
	w, err := p.surveys.WaveByNumber(ctx, sv.ID, n)
	if err != nil {
		return Page{}, err
	}
	if w.Status(p.clock.Now()) != survey.WaveClosed {
		return Page{}, fmt.Errorf("only a closed wave's results can be shared; wave %d is not closed: %w", n, kernel.ErrConflict)
	}
	var ve kernel.ValidationError
	in.Message = strings.TrimSpace(in.Message)
	if utf8.RuneCountInString(in.Message) > MaxMessage {
		ve.Add("message", "must be at most 2000 characters")
	}
	if strings.ContainsFunc(in.Message, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' }) {
		ve.Add("message", "must not hold control characters")
	}
	choices, err := p.Choices(ctx, sv.ID, n)
	if err != nil {
		return Page{}, err
	}
	if len(in.Metrics) == 0 {
		ve.Add("metrics", "choose at least one number to share")
	}
	seen := map[string]bool{}
	for i, m := range in.Metrics {
		if seen[m] {
			ve.Add(fmt.Sprintf("metrics[%d]", i), "is listed twice")
		}
		seen[m] = true
		if !slices.ContainsFunc(choices, func(c Choice) bool { return c.Key == m }) {
			ve.Add(fmt.Sprintf("metrics[%d]", i), "is not a result of this wave that can be shared")
		}
	}
	if in.FocusIDs == nil {
		in.FocusIDs = []string{}
	}
	focus, err := p.plans.List(ctx, sv.ID)
	if err != nil {
		return Page{}, err
	}
	for i, id := range in.FocusIDs {
		if !slices.ContainsFunc(focus, func(f actionplan.Focus) bool { return f.ID == id }) {
			ve.Add(fmt.Sprintf("focus_ids[%d]", i), "is not a focus area of this survey")
		}
	}
	if err := ve.Err(); err != nil {
		return Page{}, err
	}
	metrics, _ := json.Marshal(in.Metrics)
	ids, _ := json.Marshal(in.FocusIDs)
	now := p.clock.Now().UTC().Truncate(time.Microsecond)
	r := pageRow{ID: kernel.NewID(), SurveyID: sv.ID, Wave: n, Slug: kernel.NewSecret(), Message: in.Message,
		Metrics: string(metrics), FocusIDs: string(ids), PublishedAt: now, UpdatedAt: now}
	err = p.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "survey_id"}, {Name: "wave"}},
		DoUpdates: clause.Assignments(map[string]any{"message": r.Message, "metrics": r.Metrics, "focus_ids": r.FocusIDs,
			"updated_at": now, "revision": gorm.Expr("heard_pages.revision + 1")}),
	}).Create(&r).Error
	if err != nil {
		return Page{}, err
	}
	return p.Get(ctx, sv.ID, n)
}

// Unpublish removes the page of wave n; its link stops working.
func (p *Pages) Unpublish(ctx context.Context, surveyID string, n int) error {
	res := p.db.WithContext(ctx).Where("survey_id = ? AND wave = ?", surveyID, n).Delete(&pageRow{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("wave %d has no published page: %w", n, kernel.ErrNotFound)
	}
	return nil
}
