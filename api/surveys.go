package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
	"github.com/allypulse/allypulse/survey/report"
)

// Pagination of GET /surveys.
const (
	defaultSurveyLimit = 50
	maxSurveyLimit     = 200
)

// surveyRequest is the body of POST /surveys and PATCH /surveys/{id}. Every
// field is optional: create starts from the defaults, PATCH from the stored
// draft, and each field present replaces the value it names.
type surveyRequest struct {
	Title              *string            `json:"title"`
	Intro              *string            `json:"intro"`
	Items              *[]string          `json:"items"`
	Demographics       *[]demographicJSON `json:"demographics"`
	Comments           *[]commentJSON     `json:"comments"`
	Rotation           json.RawMessage    `json:"rotation"`
	PulseItems         *int               `json:"pulse_items"`
	Anonymity          *anonymityRequest  `json:"anonymity"`
	Schedule           *scheduleRequest   `json:"schedule"`
	PracticalGapPoints *float64           `json:"practical_gap_points"`
	ExpectedHeadcount  *int               `json:"expected_headcount"`
	// Languages, Translations and ThankYou: the languages the survey is
	// offered in, its own texts in the others, and the thank-you note.
	Languages    *[]string                      `json:"languages"`
	Translations *map[string]survey.Translation `json:"translations"`
	ThankYou     *string                        `json:"thank_you"`
}

type demographicJSON struct {
	Key       string   `json:"key"`
	Label     string   `json:"label"`
	Options   []string `json:"options"`
	Sensitive bool     `json:"sensitive"`
}

type commentJSON struct {
	Key    string `json:"key"`
	Prompt string `json:"prompt"`
}

type rotationJSON struct {
	ItemsPerWave int `json:"items_per_wave"`
	CoverEvery   int `json:"cover_every"`
}

type anonymityRequest struct {
	MinGroupSize          *int `json:"min_group_size"`
	MinSensitiveGroupSize *int `json:"min_sensitive_group_size"`
	MinDistributionSize   *int `json:"min_distribution_size"`
	MinCommentGroupSize   *int `json:"min_comment_group_size"`
}

// scheduleRequest: opens_at is RFC 3339, or null or "" to open at launch.
type scheduleRequest struct {
	Cadence  *string         `json:"cadence"`
	OpensAt  json.RawMessage `json:"opens_at"`
	WaveDays *int            `json:"wave_days"`
}

// apply overlays the fields present in r onto d. A field it cannot read is
// reported and left as it was; every other field is still applied, so that
// validation can report the draft's other problems too.
func (r surveyRequest) apply(d *survey.Draft) error {
	ve := &kernel.ValidationError{}
	set(&d.Title, r.Title)
	set(&d.Intro, r.Intro)
	set(&d.Items, r.Items)
	set(&d.PracticalGapPoints, r.PracticalGapPoints)
	set(&d.ExpectedHeadcount, r.ExpectedHeadcount)
	set(&d.Languages, r.Languages)
	set(&d.Translations, r.Translations)
	set(&d.ThankYou, r.ThankYou)
	set(&d.PulseItems, r.PulseItems)
	if r.Demographics != nil {
		d.Demographics = make([]survey.Demographic, 0, len(*r.Demographics))
		for _, dm := range *r.Demographics {
			d.Demographics = append(d.Demographics, survey.Demographic(dm))
		}
	}
	if r.Comments != nil {
		d.Comments = make([]survey.CommentPrompt, 0, len(*r.Comments))
		for _, cp := range *r.Comments {
			d.Comments = append(d.Comments, survey.CommentPrompt(cp))
		}
	}
	if len(r.Rotation) > 0 {
		var rot *rotationJSON
		switch err := decodeJSON(strings.NewReader(string(r.Rotation)), &rot); {
		case err != nil:
			ve.Fields = append(ve.Fields, prefixField("rotation", err).Fields...)
		case rot == nil:
			d.Rotation = nil
		default:
			d.Rotation = &survey.Rotation{ItemsPerWave: rot.ItemsPerWave, CoverEvery: rot.CoverEvery}
		}
	}
	if a := r.Anonymity; a != nil {
		set(&d.Anonymity.MinGroupSize, a.MinGroupSize)
		set(&d.Anonymity.MinSensitiveGroupSize, a.MinSensitiveGroupSize)
		set(&d.Anonymity.MinDistributionSize, a.MinDistributionSize)
		set(&d.Anonymity.MinCommentGroupSize, a.MinCommentGroupSize)
	}
	if sc := r.Schedule; sc != nil {
		set(&d.Schedule.Cadence, sc.Cadence)
		set(&d.Schedule.WaveDays, sc.WaveDays)
		if len(sc.OpensAt) > 0 {
			if at, ok := parseOpensAt(sc.OpensAt); ok {
				d.Schedule.OpensAt = at
			} else {
				ve.Add("schedule.opens_at", "must be an RFC 3339 time such as 2026-05-04T09:00:00Z, or null")
			}
		}
	}
	return ve.Err()
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// parseOpensAt reads an RFC 3339 time; null or "" means "at launch". It
// reports false for anything else.
func parseOpensAt(raw json.RawMessage) (time.Time, bool) {
	var s *string
	if err := json.Unmarshal(raw, &s); err != nil {
		return time.Time{}, false
	}
	if s == nil || *s == "" {
		return time.Time{}, true
	}
	at, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		return time.Time{}, false
	}
	return at.UTC(), true
}

// prefixField puts a nested decoder's field names under prefix.
func prefixField(prefix string, err error) *kernel.ValidationError {
	var ve *kernel.ValidationError
	if !errors.As(err, &ve) {
		return &kernel.ValidationError{Fields: []kernel.FieldError{{Field: prefix, Code: kernel.CodeInvalid, Message: "must be an object with items_per_wave and cover_every, or null"}}}
	}
	out := &kernel.ValidationError{}
	for _, f := range ve.Fields {
		if f.Field == "body" { // the nested value itself
			out.AddCode(prefix, f.Code, f.Message)
			continue
		}
		out.AddCode(prefix+"."+f.Field, f.Code, f.Message)
	}
	return out
}

// surveyJSON is a survey as the API shows it.
type surveyJSON struct {
	ID                 string                        `json:"id"`
	Title              string                        `json:"title"`
	Intro              string                        `json:"intro"`
	Status             string                        `json:"status"`
	Items              []string                      `json:"items"`
	Demographics       []demographicJSON             `json:"demographics"`
	Comments           []commentJSON                 `json:"comments"`
	Rotation           *rotationJSON                 `json:"rotation"`
	PulseItems         int                           `json:"pulse_items"`
	Anonymity          survey.Anonymity              `json:"anonymity"`
	Schedule           scheduleJSON                  `json:"schedule"`
	PracticalGapPoints float64                       `json:"practical_gap_points"`
	ExpectedHeadcount  int                           `json:"expected_headcount"`
	Languages          []string                      `json:"languages"`
	Translations       map[string]survey.Translation `json:"translations,omitempty"`
	ThankYou           string                        `json:"thank_you,omitempty"`
	CreatedAt          time.Time                     `json:"created_at"`
	UpdatedAt          time.Time                     `json:"updated_at"`
	LaunchedAt         *time.Time                    `json:"launched_at"`
	ClosedAt           *time.Time                    `json:"closed_at"`
	// CurrentWave is the open wave, else the next scheduled one, else the
	// last closed one; null for drafts.
	CurrentWave *waveJSON `json:"current_wave"`
	// WavePlan estimates each wave (absent in lists).
	WavePlan *wavePlanJSON `json:"wave_plan,omitempty"`
}

// wavePlanJSON is survey.WavePlan: the most questions a wave asks
// (demographics included), its comment prompts, the estimated minutes, and
// the number of waves within which every question is asked.
type wavePlanJSON struct {
	Questions  int `json:"questions"`
	Comments   int `json:"comments"`
	Minutes    int `json:"minutes"`
	CoverWaves int `json:"cover_waves"`
}

func toWavePlanJSON(p survey.WavePlan) *wavePlanJSON {
	return &wavePlanJSON{Questions: p.Questions, Comments: p.Comments, Minutes: p.Minutes, CoverWaves: p.CoverWaves}
}

// replySurvey answers with the stored survey sv and its wave plan, as
// create, update and a template's draft do.
func (s *Server) replySurvey(c echo.Context, status int, sv survey.Survey) error {
	out, err := s.withPlan(c.Request().Context(), toSurveyJSON(sv, nil), sv)
	if err != nil {
		return err
	}
	return c.JSON(status, out)
}

// withPlan adds the wave plan of sv to its view.
func (s *Server) withPlan(ctx context.Context, v surveyJSON, sv survey.Survey) (surveyJSON, error) {
	fw, err := s.surveys.Framework(ctx)
	if err != nil {
		return v, err
	}
	v.WavePlan = toWavePlanJSON(survey.PlanOf(sv.Design, fw))
	return v, nil
}

// scheduleJSON: opens_at is null while a draft opens at launch.
type scheduleJSON struct {
	Cadence  string     `json:"cadence"`
	OpensAt  *time.Time `json:"opens_at"`
	WaveDays int        `json:"wave_days"`
}

// waveJSON is one wave. Responses is the respondent count as released under
// the anonymity rules (absent before the wave opens, and in lists).
type waveJSON struct {
	Number    int           `json:"number"`
	Status    string        `json:"status"`
	OpensAt   time.Time     `json:"opens_at"`
	ClosesAt  time.Time     `json:"closes_at"`
	Items     int           `json:"items"`
	Responses *releasedJSON `json:"responses,omitempty"`
}

// releasedJSON is a count after the release step: a suppressed count has
// no n, only the reason.
type releasedJSON struct {
	N          *int   `json:"n,omitempty"`
	Suppressed bool   `json:"suppressed"`
	Reason     string `json:"reason,omitempty"`
}

type surveyList struct {
	Surveys []surveyJSON `json:"surveys"`
	// NextCursor fetches the next (older) page; empty on the last page.
	NextCursor string `json:"next_cursor"`
}

type waveList struct {
	Waves []waveJSON `json:"waves"`
}

type launchResponse struct {
	Survey surveyJSON `json:"survey"`
	// Link is the open link of the first wave.
	Link linkJSON `json:"link"`
}

type linkJSON struct {
	Wave     int       `json:"wave"`
	Status   string    `json:"status"`
	URL      string    `json:"url"`
	OpensAt  time.Time `json:"opens_at"`
	ClosesAt time.Time `json:"closes_at"`
}

// customItemRequest is the body of POST /items.
type customItemRequest struct {
	Key          string                 `json:"key"`
	Text         string                 `json:"text"`
	Scale        string                 `json:"scale"`
	Construct    string                 `json:"construct"`
	Reverse      bool                   `json:"reverse"`
	Options      []string               `json:"options"`
	Source       string                 `json:"source"`
	NewConstruct *customConstructFields `json:"new_construct"`
}

type customConstructFields struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Source      string `json:"source"`
}

func toWaveJSON(w survey.Wave, now time.Time) waveJSON {
	return waveJSON{Number: w.Number, Status: w.Status(now), OpensAt: w.OpensAt, ClosesAt: w.ClosesAt, Items: len(w.Items)}
}

func toSurveyJSON(sv survey.Survey, current *waveJSON) surveyJSON {
	out := surveyJSON{
		ID: sv.ID, Title: sv.Title, Intro: sv.Intro, Status: sv.Status,
		Items:              append([]string{}, sv.Design.Items...),
		Demographics:       make([]demographicJSON, 0, len(sv.Design.Demographics)),
		Comments:           make([]commentJSON, 0, len(sv.Design.Comments)),
		Anonymity:          sv.Anonymity,
		Schedule:           scheduleJSON{Cadence: sv.Schedule.Cadence, WaveDays: sv.Schedule.WaveDays},
		PracticalGapPoints: sv.PracticalGapPoints, ExpectedHeadcount: sv.ExpectedHeadcount,
		CreatedAt: sv.CreatedAt, UpdatedAt: sv.UpdatedAt, LaunchedAt: sv.LaunchedAt, ClosedAt: sv.ClosedAt,
		CurrentWave: current, PulseItems: sv.Design.PulseItems,
		Languages: sv.Design.SurveyLanguages(), Translations: sv.Design.Translations, ThankYou: sv.Design.ThankYou,
	}
	for _, dm := range sv.Design.Demographics {
		out.Demographics = append(out.Demographics, demographicJSON(dm))
	}
	for _, cp := range sv.Design.Comments {
		out.Comments = append(out.Comments, commentJSON(cp))
	}
	if r := sv.Design.Rotation; r != nil {
		out.Rotation = &rotationJSON{ItemsPerWave: r.ItemsPerWave, CoverEvery: r.CoverEvery}
	}
	if !sv.Schedule.OpensAt.IsZero() {
		at := sv.Schedule.OpensAt
		out.Schedule.OpensAt = &at
	}
	return out
}

// currentWave picks the wave a lead cares about now: the open one, else the
// next scheduled one, else the last one.
func currentWave(waves []survey.Wave, now time.Time) (survey.Wave, bool) {
	var next *survey.Wave
	for i := range waves {
		switch waves[i].Status(now) {
		case survey.WaveOpen:
			return waves[i], true
		case survey.WaveScheduled:
			if next == nil {
				next = &waves[i]
			}
		}
	}
	if next != nil {
		return *next, true
	}
	if len(waves) == 0 {
		return survey.Wave{}, false
	}
	return waves[len(waves)-1], true
}

// surveyView loads a survey's waves and renders it with its current wave.
func (s *Server) surveyView(ctx context.Context, sv survey.Survey) (surveyJSON, error) {
	waves, err := s.surveys.Waves(ctx, sv.ID)
	if err != nil {
		return surveyJSON{}, err
	}
	var cur *waveJSON
	if w, ok := currentWave(waves, s.clock.Now()); ok {
		wj := toWaveJSON(w, s.clock.Now())
		cur = &wj
	}
	return toSurveyJSON(sv, cur), nil
}

func (s *Server) link(w survey.Wave) linkJSON {
	return linkJSON{Wave: w.Number, Status: w.Status(s.clock.Now()), OpensAt: w.OpensAt, ClosesAt: w.ClosesAt,
		URL: strings.TrimRight(s.cfg.BaseURL, "/") + "/s/" + w.Slug}
}

func (s *Server) lifecycle() *survey.Lifecycle {
	return survey.NewLifecycle(s.surveys, s.clock, s.scheduler)
}

// actorID is the id of the signed-in user, recorded as a survey's creator.
func actorID(c echo.Context) string {
	u, _ := actorOf(c)
	return u.ID
}

func (s *Server) handleFramework(c echo.Context) error {
	fw, err := s.surveys.Framework(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, fw)
}

func (s *Server) handleCreateItem(c echo.Context) error {
	var req customItemRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	in := survey.CustomItemInput{Key: req.Key, Text: req.Text, Scale: req.Scale, Construct: req.Construct,
		Reverse: req.Reverse, Options: req.Options, Source: req.Source}
	if nc := req.NewConstruct; nc != nil {
		in.NewConstruct = &survey.CustomConstructInput{Key: nc.Key, Name: nc.Name, Description: nc.Description, Source: nc.Source}
	}
	it, err := s.surveys.AddCustomItem(c.Request().Context(), in, actorID(c), s.clock.Now())
	if err != nil {
		return err
	}
	detail := "construct " + it.Construct
	if in.NewConstruct != nil {
		detail = "new construct " + it.Construct
	}
	s.audit(c, "item.create", it.Key, detail)
	return c.JSON(http.StatusCreated, it)
}

func (s *Server) handleListSurveys(c echo.Context) error {
	limit, cursor, err := pageQuery(c, defaultSurveyLimit, maxSurveyLimit)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	list, err := s.surveys.ListSurveys(ctx, cursor, limit+1)
	if errors.Is(err, kernel.ErrNotFound) {
		return kernel.Invalid("cursor", "is not a cursor from a previous page")
	}
	if err != nil {
		return err
	}
	out := surveyList{Surveys: make([]surveyJSON, 0, min(len(list), limit))}
	if len(list) > limit {
		list = list[:limit]
		out.NextCursor = list[limit-1].ID
	}
	for _, sv := range list {
		v, err := s.surveyView(ctx, sv)
		if err != nil {
			return err
		}
		out.Surveys = append(out.Surveys, v)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) handleCreateSurvey(c echo.Context) error {
	var req surveyRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	d := survey.NewDraft()
	if err := req.apply(&d); err != nil {
		return s.lifecycle().Check(c.Request().Context(), d, err)
	}
	sv, err := s.lifecycle().Create(c.Request().Context(), d, actorID(c))
	if err != nil {
		return err
	}
	s.audit(c, "survey.create", sv.ID, sv.Title)
	return s.replySurvey(c, http.StatusCreated, sv)
}

func (s *Server) handleGetSurvey(c echo.Context) error {
	ctx := c.Request().Context()
	sv, err := s.surveys.GetSurvey(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	v, err := s.surveyView(ctx, sv)
	if err != nil {
		return err
	}
	if v, err = s.withPlan(ctx, v, sv); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (s *Server) handleUpdateSurvey(c echo.Context) error {
	var req surveyRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	sv, err := s.lifecycle().Update(c.Request().Context(), c.Param("id"), req.apply)
	if err != nil {
		return err
	}
	s.audit(c, "survey.update", sv.ID, sv.Title)
	return s.replySurvey(c, http.StatusOK, sv)
}

func (s *Server) handleDeleteSurvey(c echo.Context) error {
	id := c.Param("id")
	if err := s.lifecycle().Delete(c.Request().Context(), id); err != nil {
		return err
	}
	s.audit(c, "survey.delete", id, "")
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) handleLaunchSurvey(c echo.Context) error {
	ctx := c.Request().Context()
	sv, _, err := s.lifecycle().Launch(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	first, err := s.surveys.WaveByNumber(ctx, sv.ID, 1)
	if err != nil {
		return err
	}
	s.audit(c, "survey.launch", sv.ID, fmt.Sprintf("%s; %s, wave 1 opens %s", sv.Title, sv.Schedule.Cadence, first.OpensAt.Format(time.RFC3339)))
	v, err := s.surveyView(ctx, sv)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, launchResponse{Survey: v, Link: s.link(first)})
}

func (s *Server) handleCloseSurvey(c echo.Context) error {
	return s.transition(c, "survey.close", s.lifecycle().Close)
}

func (s *Server) handleArchiveSurvey(c echo.Context) error {
	return s.transition(c, "survey.archive", s.lifecycle().Archive)
}

// transition runs a lifecycle step on the :id survey, records it in the
// audit log and answers with the survey.
func (s *Server) transition(c echo.Context, action string, step func(context.Context, string) (survey.Survey, error)) error {
	ctx := c.Request().Context()
	sv, err := step(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	s.audit(c, action, sv.ID, sv.Title)
	v, err := s.surveyView(ctx, sv)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// handlePreviewSurvey returns exactly the form respondents get: for a draft,
// the form of its first wave as it would open now; for a launched survey,
// the current wave's form.
func (s *Server) handlePreviewSurvey(c echo.Context) error {
	ctx := c.Request().Context()
	sv, err := s.surveys.GetSurvey(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	fw, err := s.surveys.Framework(ctx)
	if err != nil {
		return err
	}
	w, err := s.previewWave(ctx, sv, fw)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, survey.Form(sv, w, fw))
}

func (s *Server) previewWave(ctx context.Context, sv survey.Survey, fw framework.Framework) (survey.Wave, error) {
	waves, err := s.surveys.Waves(ctx, sv.ID)
	if err != nil {
		return survey.Wave{}, err
	}
	if w, ok := currentWave(waves, s.clock.Now()); ok {
		return w, nil
	}
	sc := sv.Schedule
	if sc.OpensAt.IsZero() {
		sc.OpensAt = s.clock.Now().UTC().Truncate(time.Second)
	}
	opens, closes := survey.WaveTimes(sc, 1)
	return survey.Wave{SurveyID: sv.ID, Number: 1, OpensAt: opens, ClosesAt: closes, Items: survey.WaveItems(sv.Design, 1, fw)}, nil
}

func (s *Server) handleListWaves(c echo.Context) error {
	ctx := c.Request().Context()
	sv, err := s.surveys.GetSurvey(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	waves, err := s.surveys.Waves(ctx, sv.ID)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	out := waveList{Waves: make([]waveJSON, 0, len(waves))}
	for _, w := range waves {
		wj := toWaveJSON(w, now)
		if wj.Status != survey.WaveScheduled {
			if wj.Responses, err = s.releasedCount(ctx, sv.ID, w.Number); err != nil {
				return err
			}
		}
		out.Waves = append(out.Waves, wj)
	}
	return c.JSON(http.StatusOK, out)
}

// releasedCount is a wave's respondent count as the release step publishes
// it, so that this list reveals nothing the results would not.
func (s *Server) releasedCount(ctx context.Context, surveyID string, wave int) (*releasedJSON, error) {
	rel, err := s.report.Release(ctx, surveyID, report.Query{Wave: wave})
	if err != nil {
		return nil, err
	}
	cell := rel.Respondents
	out := &releasedJSON{Suppressed: cell.Suppressed, Reason: cell.Reason}
	if !cell.Suppressed {
		n := cell.N
		out.N = &n
	}
	return out, nil
}

func (s *Server) handleSurveyLink(c echo.Context) error {
	ctx := c.Request().Context()
	sv, err := s.surveys.GetSurvey(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	waves, err := s.surveys.Waves(ctx, sv.ID)
	if err != nil {
		return err
	}
	v, err := queryOnce(c, "wave")
	if err != nil {
		return err
	}
	if v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return kernel.Invalid("wave", "must be a wave number")
		}
		w, err := s.surveys.WaveByNumber(ctx, sv.ID, n)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, s.link(w))
	}
	w, ok := currentWave(waves, s.clock.Now())
	if !ok {
		return fmt.Errorf("survey is %s; launch it to get a link: %w", sv.Status, kernel.ErrConflict)
	}
	return c.JSON(http.StatusOK, s.link(w))
}

// auditScheduledClose records a one-off survey closed by the scheduler when
// its wave ended; the actor is the scheduler, not a person.
func (s *Server) auditScheduledClose(ctx context.Context, sv survey.Survey) {
	err := s.accounts.Record(ctx, account.Event{ActorEmail: "scheduler", Action: "survey.close", Target: sv.ID, Detail: sv.Title + "; its wave closed"})
	if err != nil {
		s.log.ErrorContext(ctx, "audit log write failed", "action", "survey.close", "err", err)
	}
}
