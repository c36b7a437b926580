package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/people"
)

// A wave's people list and its e-mail (survey/peoplelist.go,
// survey/outbox.go). No address leaves the server through these routes:
// the lead sees counts, per-row problems by line, and progress.

// peopleImported answers an upload: how many people were stored and the
// rows left out (only with ?confirm=valid).
type peopleImported struct {
	Stored   int              `json:"stored"`
	People   int              `json:"people"`
	Problems []people.Problem `json:"problems"`
}

// peopleStatus is a wave's list and mail progress.
type peopleStatus struct {
	Wave   int                 `json:"wave"`
	People int                 `json:"people"`
	Mail   survey.MailProgress `json:"mail"`
	// Sending says whether e-mail can be sent (ALLYPULSE_SMTP_HOST).
	Sending bool `json:"sending"`
}

// mailRetry queues the failed messages again (POST .../mail).
const mailRetry = "retry"

type mailRequest struct {
	Kind string `json:"kind"`
}

type mailQueued struct {
	Kind   string `json:"kind"`
	Queued int    `json:"queued"`
}

// problemsError turns a per-row report into a validation error whose fields
// name the line and column ("rows[3].email", "rows[1]" for a whole row).
func problemsError(problems []people.Problem) error {
	ve := &kernel.ValidationError{}
	for _, p := range problems {
		field := fmt.Sprintf("rows[%d]", p.Line)
		if p.Column != "" {
			field += "." + p.Column
		}
		ve.Fields = append(ve.Fields, kernel.FieldError{Field: field, Code: kernel.CodeInvalid, Message: p.Reason})
	}
	return ve
}

func (s *Server) handleUploadPeople(c echo.Context) error {
	ct := strings.ToLower(c.Request().Header.Get(echo.HeaderContentType))
	if !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "Send the people list as text/csv.")
	}
	confirm := c.QueryParam("confirm")
	if confirm != "" && confirm != "valid" {
		return kernel.Invalid("confirm", "must be valid (store the valid rows and leave out the others) or absent")
	}
	sv, w, err := s.surveyWave(c)
	if err != nil {
		return err
	}
	if w.Status(s.clock.Now()) == survey.WaveClosed || sv.Status == survey.StatusClosed || sv.Status == survey.StatusArchived {
		return kernel.ErrClosed // before the rows, whose checks would only confuse
	}
	ctx := c.Request().Context()
	dims := survey.Dimensions(sv)
	rows, problems, err := people.Parse(c.Request().Body, dims)
	var unreadable *people.UnreadableError
	if errors.As(err, &unreadable) {
		return kernel.Invalid("file", unreadable.Reason)
	}
	if err != nil {
		return err
	}
	existing, err := s.surveys.PeopleEmails(ctx, w)
	if err != nil {
		return err
	}
	fresh := rows[:0]
	for _, p := range rows {
		if existing[p.Email] {
			problems = append(problems, people.Problem{Line: p.Line, Column: "email", Reason: "is already on this wave's list"})
			continue
		}
		fresh = append(fresh, p)
	}
	groups, small := people.Groups(fresh, dims, sv.Anonymity.MinGroupSize, sv.Anonymity.MinSensitiveGroupSize)
	problems = append(problems, small...)
	sortProblems(problems)
	if len(problems) > 0 && confirm != "valid" {
		return problemsError(problems)
	}
	n, err := s.surveys.ImportPeople(ctx, sv, w, groups, s.clock.Now())
	if err != nil {
		return err
	}
	total, err := s.surveys.PeopleCount(ctx, w)
	if err != nil {
		return err
	}
	s.audit(c, "people.import", sv.ID, fmt.Sprintf("wave %d: %d people stored, %d rows left out", w.Number, n, len(problems)))
	if problems == nil {
		problems = []people.Problem{}
	}
	return c.JSON(http.StatusCreated, peopleImported{Stored: n, People: total, Problems: problems})
}

func sortProblems(ps []people.Problem) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Line < ps[j-1].Line; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func (s *Server) handlePeopleStatus(c echo.Context) error {
	sv, w, err := s.surveyWave(c)
	if err != nil {
		return err
	}
	_ = sv
	ctx := c.Request().Context()
	n, err := s.surveys.PeopleCount(ctx, w)
	if err != nil {
		return err
	}
	prog, err := s.surveys.MailProgress(ctx, w)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, peopleStatus{Wave: w.Number, People: n, Mail: prog, Sending: s.cfg.Mail.Enabled()})
}

func (s *Server) handleQueueMail(c echo.Context) error {
	var req mailRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.Kind != survey.MailInvitation && req.Kind != survey.MailReminder && req.Kind != mailRetry {
		return kernel.Invalid("kind", "must be invitation, reminder or retry")
	}
	if !s.cfg.Mail.Enabled() {
		return fmt.Errorf("e-mail sending is not configured on this server (ALLYPULSE_SMTP_HOST): %w", kernel.ErrConflict)
	}
	sv, w, err := s.surveyWave(c)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	if w.Status(now) != survey.WaveOpen {
		return fmt.Errorf("e-mail goes out only while the wave is open: %w", kernel.ErrConflict)
	}
	queue := s.surveys.QueueInvitations
	switch req.Kind {
	case survey.MailReminder:
		queue = s.surveys.QueueReminders
	case mailRetry:
		queue = s.surveys.RetryFailedMail
	}
	n, err := queue(c.Request().Context(), w, now)
	if err != nil {
		return err
	}
	s.audit(c, "mail.queue", sv.ID, fmt.Sprintf("wave %d: %d %s messages queued", w.Number, n, req.Kind))
	return c.JSON(http.StatusAccepted, mailQueued{Kind: req.Kind, Queued: n})
}

func (s *Server) mailKind(c echo.Context) (string, error) {
	kind := c.Param("kind")
	if kind != survey.MailInvitation && kind != survey.MailReminder {
		return "", kernel.ErrNotFound
	}
	return kind, nil
}

func (s *Server) handleGetMailTemplate(c echo.Context) error {
	kind, err := s.mailKind(c)
	if err != nil {
		return err
	}
	sv, err := s.surveys.GetSurvey(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	t, err := s.surveys.MailTemplate(c.Request().Context(), sv, kind)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

type mailTemplateIn struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// mailTemplateRequest reads the survey and the template a request names
// and sends.
func (s *Server) mailTemplateRequest(c echo.Context) (survey.Survey, survey.MailTemplate, error) {
	kind, err := s.mailKind(c)
	if err != nil {
		return survey.Survey{}, survey.MailTemplate{}, err
	}
	var in mailTemplateIn
	if err := bindJSON(c, &in); err != nil {
		return survey.Survey{}, survey.MailTemplate{}, err
	}
	sv, err := s.surveys.GetSurvey(c.Request().Context(), c.Param("id"))
	if err != nil {
		return survey.Survey{}, survey.MailTemplate{}, err
	}
	return sv, survey.MailTemplate{Kind: kind, Subject: in.Subject, Body: in.Body}, nil
}

func (s *Server) handleSetMailTemplate(c echo.Context) error {
	sv, t, err := s.mailTemplateRequest(c)
	if err != nil {
		return err
	}
	kind := t.Kind
	if err := s.surveys.SetMailTemplate(c.Request().Context(), sv, t); err != nil {
		return err
	}
	s.audit(c, "mail.template", sv.ID, kind)
	return c.JSON(http.StatusOK, t)
}

// handlePreviewMailTemplate renders a template (as sent, or stored when
// the body is empty) with an example code and the survey's first open or
// scheduled wave.
func (s *Server) handlePreviewMailTemplate(c echo.Context) error {
	sv, t, err := s.mailTemplateRequest(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	kind := t.Kind
	if err := survey.ValidateMailTemplate(t); err != nil {
		return err
	}
	waves, err := s.surveys.Waves(ctx, sv.ID)
	if err != nil {
		return err
	}
	// The wave mail goes out for: the open one, else the next to open, else
	// the last.
	now := s.clock.Now()
	w := survey.Wave{ClosesAt: now}
	if len(waves) > 0 {
		w = waves[len(waves)-1]
	}
	for i := len(waves) - 1; i >= 0; i-- {
		if st := waves[i].Status(now); st == survey.WaveOpen || st == survey.WaveScheduled {
			w = waves[i]
			if st == survey.WaveOpen {
				break
			}
		}
	}
	subject, body := t.Render(survey.MailVars(sv, w, s.cfg.BaseURL, "7KQ2M9XD4TRCB"))
	return c.JSON(http.StatusOK, survey.MailTemplate{Kind: kind, Subject: subject, Body: body})
}
