package heard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/actionplan"
	"github.com/allypulse/allypulse/survey/report"
)

// Public is what anyone with the link sees: the survey's title, the wave's
// dates, the lead's message, the chosen numbers as released for the whole
// organisation, and the chosen focus areas with their actions (no owners,
// no notes).
type Public struct {
	// Language is the language of the title and the names: one the survey
	// is offered in, as the reader's choice picked it.
	Language string    `json:"language"`
	Title    string    `json:"title"`
	Wave     int       `json:"wave"`
	OpensAt  time.Time `json:"opens_at"`
	ClosesAt time.Time `json:"closes_at"`
	Message  string    `json:"message,omitempty"`
	// MinGroupSize is k: no number stands for fewer people.
	MinGroupSize int            `json:"min_group_size"`
	Numbers      []PublicNumber `json:"numbers"`
	Focus        []PublicFocus  `json:"focus_areas"`
	PublishedAt  time.Time      `json:"published_at"`
}

// PublicNumber is one released number. Cell is the headline of the
// released cell (see Headline; a withheld one carries only suppressed and
// reason).
type PublicNumber struct {
	Key  string      `json:"key"`
	Name string      `json:"name"`
	Kind string      `json:"kind"`
	Cell report.Cell `json:"cell"`
}

// PublicFocus is a focus area as employees see it.
type PublicFocus struct {
	Title   string         `json:"title"`
	About   string         `json:"about"`
	Actions []PublicAction `json:"actions"`
}

// PublicAction is an action as employees see it.
type PublicAction struct {
	Title  string `json:"title"`
	Status string `json:"status"`
	Due    string `json:"due,omitempty"`
}

// BySlug returns the public page at slug in the language choose picks
// from the survey's languages (nil: the survey's first); an unknown slug,
// or a page whose wave is no longer closed, is ErrNotFound.
func (p *Pages) BySlug(ctx context.Context, slug string, choose func(offered []string) string) (Public, error) {
	var r pageRow
	err := p.db.WithContext(ctx).Where("slug = ?", slug).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Public{}, fmt.Errorf("no such page: %w", kernel.ErrNotFound)
	}
	if err != nil {
		return Public{}, err
	}
	pg, err := r.page()
	if err != nil {
		return Public{}, err
	}
	return p.public(ctx, pg, choose)
}

// public builds the page from the released view of its closed wave.
func (p *Pages) public(ctx context.Context, pg Page, choose func([]string) string) (Public, error) {
	w, err := p.surveys.WaveByNumber(ctx, pg.SurveyID, pg.Wave)
	if err != nil {
		return Public{}, err
	}
	sv, err := p.surveys.GetSurvey(ctx, pg.SurveyID)
	if err != nil {
		return Public{}, err
	}
	langs := sv.Design.SurveyLanguages()
	lang := langs[0]
	if choose != nil {
		if c := choose(langs); slices.Contains(langs, c) {
			lang = c
		}
	}
	fw, err := p.surveys.Framework(ctx)
	if err != nil {
		return Public{}, err
	}
	fw = fw.In(lang)
	if w.Status(p.clock.Now()) != survey.WaveClosed {
		return Public{}, fmt.Errorf("no such page: %w", kernel.ErrNotFound)
	}
	rel, err := p.engine.Release(ctx, pg.SurveyID, report.Query{Wave: pg.Wave})
	if err != nil {
		return Public{}, err
	}
	title := rel.Title
	if tr := sv.Design.Translations[lang].Title; lang != langs[0] && tr != "" {
		title = tr
	}
	out := Public{Language: lang, Title: title, Wave: pg.Wave, OpensAt: w.OpensAt, ClosesAt: w.ClosesAt, Message: pg.Message,
		MinGroupSize: rel.Thresholds.K, Numbers: []PublicNumber{}, Focus: []PublicFocus{}, PublishedAt: pg.UpdatedAt}
	rows := append(slices.Clone(rel.Competencies), rel.Access...)
	for _, key := range pg.Metrics {
		n := PublicNumber{Key: key}
		switch key {
		case MetricRespondents:
			n.Name, n.Kind, n.Cell = "People who answered", "count", report.Cell{Suppressed: rel.Respondents.Suppressed, Reason: rel.Respondents.Reason, N: rel.Respondents.N}
		case MetricParticipation:
			n.Name, n.Kind, n.Cell = "Participation", "participation", rel.Participation.Overall
		case MetricIndex:
			n.Name, n.Kind, n.Cell = rel.Index.Name, "index", rel.Index.Overall
		case MetricENPS:
			n.Name, n.Kind, n.Cell = "Employee Net Promoter Score (eNPS)", "enps", rel.ENPS.Overall
		default:
			i := slices.IndexFunc(rows, func(r report.Row) bool { return r.Key == key })
			if i < 0 {
				continue // no longer shown by the release
			}
			n.Name, n.Kind, n.Cell = rows[i].Name, rows[i].Kind, rows[i].Overall
			if c, ok := fw.Construct(key); ok {
				n.Name = c.Name // in the page's language
			}
		}
		n.Cell = Headline(n.Cell)
		out.Numbers = append(out.Numbers, n)
	}
	focus, err := p.plans.List(ctx, pg.SurveyID)
	if err != nil {
		return Public{}, err
	}
	for _, f := range focus {
		if !slices.Contains(pg.FocusIDs, f.ID) {
			continue
		}
		pf := PublicFocus{Title: f.Title, About: actionplan.About(f), Actions: []PublicAction{}}
		for _, a := range f.Actions {
			if a.Status == actionplan.StatusDropped {
				continue
			}
			pf.Actions = append(pf.Actions, PublicAction{Title: a.Title, Status: a.Status, Due: a.Due})
		}
		out.Focus = append(out.Focus, pf)
	}
	return out, nil
}

// Headline keeps what the public page shows of a released cell (its n,
// score or value and favourable share), not the distribution, the mean or
// the interval the lead did not choose to publish.
func Headline(c report.Cell) report.Cell {
	if c.Suppressed {
		return report.Cell{Suppressed: true, Reason: c.Reason}
	}
	return report.Cell{N: c.N, Score: c.Score, Value: c.Value, Favourable: c.Favourable}
}
