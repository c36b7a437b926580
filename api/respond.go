package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/catalog"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/shortcode"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
	"github.com/allypulse/allypulse/survey/report"
)

// headerAcceptLanguage names the header the respondent's language defaults from.
const headerAcceptLanguage = "Accept-Language"

// respondBodyLimit caps a submission: 30-odd answers, a few demographics and
// comments of at most 2,000 characters fit well within it.
const respondBodyLimit = 64 << 10

// inviteRequest is the body of POST /surveys/{id}/waves/{wave}/invites.
type inviteRequest struct {
	Count   int               `json:"count"`
	Segment map[string]string `json:"segment"`
}

// inviteBatchJSON is one batch as the lead issued it. It carries no count of
// used codes: how many people of its segment answered is a result, shown
// only as the results engine releases it for the segment's group (see
// handleListInviteBatches).
type inviteBatchJSON struct {
	ID        string            `json:"id"`
	Wave      int               `json:"wave"`
	Segment   map[string]string `json:"segment"`
	Issued    int               `json:"issued"`
	CreatedAt time.Time         `json:"created_at"`
	// SegmentRespondents and SegmentParticipation are the released
	// respondent count and participation of the group with the segment's
	// attributes in this wave (the same cells as in the results, suppressed
	// when they are). Absent for a batch without a segment and before the
	// wave opens; batches with the same segment show the same cells.
	SegmentRespondents   *report.Cell `json:"segment_respondents,omitempty"`
	SegmentParticipation *report.Cell `json:"segment_participation,omitempty"`
}

// inviteCode is one code and its survey link, shown once.
type inviteCode struct {
	Code string `json:"code"`
	Link string `json:"link"`
}

type createdInvites struct {
	Batch inviteBatchJSON `json:"batch"`
	Codes []inviteCode    `json:"codes"`
}

type inviteBatchList struct {
	Wave int `json:"wave"`
	// Participation is the wave's released participation (as in the
	// results); absent before the wave opens.
	Participation *report.Cell      `json:"participation,omitempty"`
	Batches       []inviteBatchJSON `json:"batches"`
}

// respondForm is the respondent's form; invite says whether the code is a
// single-use invitation rather than an open link. Messages are the page's
// own words in the form's language; Notice names a message to show first
// ("language_fallback" when the language asked for is not offered).
type respondForm struct {
	survey.RespondentForm
	Invite bool `json:"invite"`
	// Ballot is the key an invitation's ballot is blindly signed with
	// (ballots.go); absent for an open link.
	Ballot   *ballotInfo                `json:"ballot,omitempty"`
	Messages map[string]catalog.Message `json:"messages"`
	Notice   string                     `json:"notice,omitempty"`
}

type recorded struct {
	Status string `json:"status"`
}

// surveyWave loads the survey and wave named by the :id and :wave params.
func (s *Server) surveyWave(c echo.Context) (survey.Survey, survey.Wave, error) {
	ctx := c.Request().Context()
	sv, err := s.surveys.GetSurvey(ctx, c.Param("id"))
	if err != nil {
		return survey.Survey{}, survey.Wave{}, err
	}
	n, err := strconv.Atoi(c.Param("wave"))
	if err != nil || n < 1 {
		return survey.Survey{}, survey.Wave{}, kernel.ErrNotFound
	}
	w, err := s.surveys.WaveByNumber(ctx, sv.ID, n)
	return sv, w, err
}

func (s *Server) handleCreateInvites(c echo.Context) error {
	var req inviteRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	sv, w, err := s.surveyWave(c)
	if err != nil {
		return err
	}
	b, codes, err := s.surveys.CreateInviteBatch(c.Request().Context(), sv, w, req.Count, req.Segment, s.clock.Now())
	if err != nil {
		return err
	}
	s.audit(c, "invites.create", sv.ID, fmt.Sprintf("wave %d: %d codes, segment %v", w.Number, b.Count, b.Segment))
	out := createdInvites{
		Batch: inviteBatchJSON{ID: b.ID, Wave: w.Number, Segment: b.Segment, Issued: b.Count, CreatedAt: b.CreatedAt},
		Codes: make([]inviteCode, len(codes)),
	}
	for i, code := range codes {
		out.Codes[i] = inviteCode{Code: shortcode.Format(code), Link: strings.TrimRight(s.cfg.BaseURL, "/") + "/s/" + shortcode.Format(code)}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if wantsCSV(c) {
		return writeInviteCSV(c, out.Codes, sv.ID, w.Number)
	}
	if wantsHTML(c) {
		return writeCodeSheet(c, codeSheetData{Title: sv.Title, Start: strings.TrimRight(s.cfg.BaseURL, "/") + "/",
			Closes: w.ClosesAt.UTC().Format("2 January 2006"), K: sv.Anonymity.MinGroupSize}, out.Codes)
	}
	return c.JSON(http.StatusCreated, out)
}

// wantsCSV reports whether the client asked for CSV (Accept or ?format=csv).
func wantsCSV(c echo.Context) bool {
	return c.QueryParam("format") == "csv" || strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/csv")
}

// writeInviteCSV writes the codes for a mail merge.
func writeInviteCSV(c echo.Context, codes []inviteCode, surveyID string, wave int) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="invites-%s-wave%d.csv"`, surveyID, wave))
	c.Response().WriteHeader(http.StatusCreated)
	w := csv.NewWriter(c.Response())
	_ = w.Write([]string{"code", "link"})
	for _, ic := range codes {
		_ = w.Write([]string{ic.Code, ic.Link})
	}
	w.Flush()
	return w.Error()
}

// handleListInviteBatches lists a wave's batches with what the results
// release about their segments. No count is made here: the engine releases
// each segment's group from a results view (report.Engine.Segments), so the
// list moves only when the results do and hides what they hide.
func (s *Server) handleListInviteBatches(c echo.Context) error {
	sv, w, err := s.surveyWave(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	list, err := s.surveys.InviteBatches(ctx, sv, w)
	if err != nil {
		return err
	}
	out := inviteBatchList{Wave: w.Number, Batches: make([]inviteBatchJSON, len(list))}
	segments := make([]map[string]string, len(list))
	for i, b := range list {
		out.Batches[i] = inviteBatchJSON{ID: b.ID, Wave: w.Number, Segment: b.Segment, Issued: b.Count, CreatedAt: b.CreatedAt}
		segments[i] = b.Segment
	}
	if w.Status(s.clock.Now()) == survey.WaveScheduled {
		return c.JSON(http.StatusOK, out) // no results before the wave opens
	}
	part, cells, err := s.report.Segments(ctx, sv.ID, w.Number, segments)
	if err != nil {
		return err
	}
	out.Participation = &part
	for i := range cells {
		if len(segments[i]) > 0 {
			out.Batches[i].SegmentRespondents = &cells[i].Respondents
			out.Batches[i].SegmentParticipation = &cells[i].Participation
		}
	}
	return c.JSON(http.StatusOK, out)
}

// limitRespondent applies the in-memory rate limit of the respond routes.
// The client address is the one the server's IP extractor trusts
// (clientip.go), so a client cannot dodge the limit by sending a header.
func (s *Server) limitRespondent(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	if wait := s.respondLimit.Allow(c.RealIP()); wait > 0 {
		return &RetryAfterError{After: wait}
	}
	return nil
}

func (s *Server) handleRespondForm(c echo.Context) error {
	if err := s.limitRespondent(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	target, err := s.intake.Lookup(ctx, c.Param("code"))
	if err != nil {
		return err
	}
	fw, err := s.surveys.Framework(ctx)
	if err != nil {
		return err
	}
	// The language is chosen per request and never stored: with a small
	// language group it would be a quasi-identifier of the response.
	choice := catalog.Choose(c.QueryParam("lang"), c.Request().Header.Get(headerAcceptLanguage), target.Survey.Design.SurveyLanguages())
	c.Response().Header().Add(echo.HeaderVary, headerAcceptLanguage)
	form := survey.FormIn(target.Survey, target.Wave, fw, choice.Language)
	if s.publishedResults != nil {
		form.ResultsURL = s.publishedResults(ctx, target.Survey.ID)
	}
	// A demographic the invitation already fixes is not asked again.
	asked := form.Demographics[:0]
	for _, dm := range form.Demographics {
		if _, fixed := target.Segment[dm.Key]; !fixed {
			asked = append(asked, dm)
		}
	}
	form.Demographics = asked
	ballot, err := s.ballotInfoFor(c, target)
	if err != nil {
		return err
	}
	out := respondForm{RespondentForm: form, Invite: target.Invite, Ballot: ballot, Messages: s.catalog.Page("respond", choice.Language)}
	if choice.Fallback {
		out.Notice = "language_fallback"
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) handleRespondSubmit(c echo.Context) error {
	if err := s.limitRespondent(c); err != nil {
		return err
	}
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, respondBodyLimit)
	var sub survey.Submission
	if err := bindJSON(c, &sub); err != nil {
		return err
	}
	if err := s.intake.SubmitLink(c.Request().Context(), c.Param("code"), sub); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, recorded{Status: "recorded"})
}

// handleRespondPage serves the employee page; it reads its code from the
// address and loads the form itself, so the page is the same for every code.
func (s *Server) handleRespondPage(c echo.Context) error {
	if err := s.limitRespondent(c); err != nil {
		return err
	}
	return s.assets.page(c, "respond.html")
}

// respondMessages is GET /api/v1/respond-messages: the employee page's words
// in the language of ?lang= or Accept-Language among the shipped ones, for
// the pages shown when no form loads (a broken link, a closed survey).
type respondMessages struct {
	Language string                     `json:"language"`
	Messages map[string]catalog.Message `json:"messages"`
}

func (s *Server) handleRespondMessages(c echo.Context) error {
	if err := s.limitRespondent(c); err != nil {
		return err
	}
	choice := catalog.Choose(c.QueryParam("lang"), c.Request().Header.Get(headerAcceptLanguage), framework.Languages())
	c.Response().Header().Add(echo.HeaderVary, headerAcceptLanguage)
	return c.JSON(http.StatusOK, respondMessages{Language: choice.Language, Messages: s.catalog.Page("respond", choice.Language)})
}
