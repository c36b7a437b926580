package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/survey"
)

// templateJSON is a survey template: what the builder fills a new draft
// with, and the estimate of its waves.
type templateJSON struct {
	Key         string       `json:"key"`
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Draft       draftJSON    `json:"draft"`
	WavePlan    wavePlanJSON `json:"wave_plan"`
}

// draftJSON is a draft in the shape POST /surveys takes.
type draftJSON struct {
	Title              string            `json:"title"`
	Intro              string            `json:"intro"`
	Items              []string          `json:"items"`
	Demographics       []demographicJSON `json:"demographics"`
	Comments           []commentJSON     `json:"comments"`
	PulseItems         int               `json:"pulse_items"`
	Anonymity          survey.Anonymity  `json:"anonymity"`
	Schedule           scheduleJSON      `json:"schedule"`
	PracticalGapPoints float64           `json:"practical_gap_points"`
	Languages          []string          `json:"languages"`
	ThankYou           string            `json:"thank_you"`
}

type templateList struct {
	Templates []templateJSON `json:"templates"`
}

// templateSurveyRequest is the body of POST /templates/{key}/surveys: the
// new draft's title, when it is not the template's.
type templateSurveyRequest struct {
	Title *string `json:"title"`
}

func toDraftJSON(d survey.Draft) draftJSON {
	out := draftJSON{
		Title: d.Title, Intro: d.Intro, Items: append([]string{}, d.Items...),
		Demographics: make([]demographicJSON, 0, len(d.Demographics)),
		Comments:     make([]commentJSON, 0, len(d.Comments)),
		PulseItems:   d.PulseItems, Anonymity: d.Anonymity,
		Schedule:           scheduleJSON{Cadence: d.Schedule.Cadence, WaveDays: d.Schedule.WaveDays},
		PracticalGapPoints: d.PracticalGapPoints,
		Languages:          append([]string{}, d.Languages...), ThankYou: d.ThankYou,
	}
	for _, dm := range d.Demographics {
		out.Demographics = append(out.Demographics, demographicJSON(dm))
	}
	for _, cp := range d.Comments {
		out.Comments = append(out.Comments, commentJSON(cp))
	}
	return out
}

// handleListTemplates lists the built-in templates, each as a valid draft
// with "Prefer not to say" added and the screen question placed.
func (s *Server) handleListTemplates(c echo.Context) error {
	ctx := c.Request().Context()
	fw, err := s.surveys.Framework(ctx)
	if err != nil {
		return err
	}
	out := templateList{Templates: []templateJSON{}}
	for _, t := range survey.Templates(fw) {
		d, err := survey.ValidateDraft(t.Draft, fw, s.clock.Now())
		if err != nil {
			return err
		}
		var sv survey.Survey
		d.Apply(&sv)
		out.Templates = append(out.Templates, templateJSON{Key: t.Key, Name: t.Name, Description: t.Description,
			Draft: toDraftJSON(d), WavePlan: *toWavePlanJSON(survey.PlanOf(sv.Design, fw))})
	}
	return c.JSON(http.StatusOK, out)
}

// handleCreateFromTemplate stores a new draft made from a template.
func (s *Server) handleCreateFromTemplate(c echo.Context) error {
	var req templateSurveyRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	fw, err := s.surveys.Framework(ctx)
	if err != nil {
		return err
	}
	t, err := survey.TemplateByKey(c.Param("key"), fw)
	if err != nil {
		return err
	}
	d := t.Draft
	set(&d.Title, req.Title)
	sv, err := s.lifecycle().Create(ctx, d, actorID(c))
	if err != nil {
		return err
	}
	s.audit(c, "survey.create", sv.ID, sv.Title+" (template "+t.Key+")")
	return s.replySurvey(c, http.StatusCreated, sv)
}
