package survey

import (
	"time"

	"github.com/allypulse/allypulse/survey/framework"
)

// RespondentForm is what a respondent sees for one wave, as JSON: the staff preview
// and GET /api/v1/respond/{code} both return it. It holds nothing about the
// respondent and nothing the respondent does not need (no reverse keying, no
// sources, no construct kinds).
type RespondentForm struct {
	Title        string            `json:"title"`
	Intro        string            `json:"intro"`
	Sections     []FormSection     `json:"sections"`
	Demographics []FormDemographic `json:"demographics"`
	Comments     []CommentPrompt   `json:"comments"`
	MinGroupSize int               `json:"min_group_size"`
	// MinSensitiveGroupSize is the larger minimum group for the questions
	// marked sensitive, which the page states next to them.
	MinSensitiveGroupSize int       `json:"min_sensitive_group_size"`
	MinCommentGroupSize   int       `json:"min_comment_group_size"`
	ClosesAt              time.Time `json:"closes_at"`
}

// FormSection groups the consecutive items of one construct.
type FormSection struct {
	Key   string     `json:"key"`
	Title string     `json:"title"`
	Items []FormItem `json:"items"`
}

// FormItem is one question.
type FormItem struct {
	Key      string                 `json:"key"`
	Text     string                 `json:"text"`
	Scale    string                 `json:"scale"`
	Points   []framework.ScalePoint `json:"points,omitempty"`
	AllowsNA bool                   `json:"allows_na"`
	NALabel  string                 `json:"na_label,omitempty"`
	Options  []string               `json:"options,omitempty"`
	GatedBy  string                 `json:"gated_by,omitempty"`
}

// FormDemographic is one optional segment question; Options end with
// PreferNotToSay. Sensitive questions are compared only in larger groups
// (MinSensitiveGroupSize), and the page tells respondents so.
type FormDemographic struct {
	Key       string   `json:"key"`
	Label     string   `json:"label"`
	Options   []string `json:"options"`
	Sensitive bool     `json:"sensitive"`
}

// Form builds the respondent form of wave w of sv. The wave's items (a subset
// under rotation) are asked in design order; consecutive items of one
// construct form a section. A wave without its own item list asks every item.
func Form(sv Survey, w Wave, fw framework.Framework) RespondentForm {
	keys := w.Items
	if len(keys) == 0 {
		keys = sv.Design.Items
	}
	f := RespondentForm{
		Title: sv.Title, Intro: sv.Intro,
		Sections:              []FormSection{},
		Demographics:          make([]FormDemographic, 0, len(sv.Design.Demographics)),
		Comments:              append([]CommentPrompt{}, sv.Design.Comments...),
		MinGroupSize:          sv.Anonymity.MinGroupSize,
		MinSensitiveGroupSize: sv.Anonymity.MinSensitiveGroupSize,
		MinCommentGroupSize:   sv.Anonymity.MinCommentGroupSize,
		ClosesAt:              w.ClosesAt.UTC(),
	}
	for _, k := range keys {
		it, ok := fw.Item(k)
		if !ok {
			continue
		}
		fi := FormItem{Key: it.Key, Text: it.Text, Scale: it.Scale, GatedBy: it.GatedBy}
		if sc, ok := fw.Scale(it.Scale); ok {
			fi.Points = append([]framework.ScalePoint(nil), sc.Points...)
			fi.AllowsNA, fi.NALabel = sc.AllowsNA, sc.NALabel
		}
		if len(it.Options) > 0 {
			fi.Options = append([]string(nil), it.Options...)
		}
		if n := len(f.Sections); n == 0 || f.Sections[n-1].Key != it.Construct {
			title := it.Construct
			if c, ok := fw.Construct(it.Construct); ok {
				title = c.SectionTitle()
			}
			f.Sections = append(f.Sections, FormSection{Key: it.Construct, Title: title})
		}
		s := &f.Sections[len(f.Sections)-1]
		s.Items = append(s.Items, fi)
	}
	for _, dm := range sv.Design.Demographics {
		f.Demographics = append(f.Demographics, FormDemographic{Key: dm.Key, Label: dm.Label, Options: append([]string(nil), dm.Options...), Sensitive: dm.Sensitive})
	}
	return f
}
