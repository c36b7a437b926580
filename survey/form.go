package survey

import (
	"slices"
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
	// Language is the language of every text in the form; Languages are
	// those the survey offers, to switch between.
	Language  string         `json:"language"`
	Languages []FormLanguage `json:"languages"`
	// ThankYou is the lead's note on when and where results will be shared.
	ThankYou string `json:"thank_you,omitempty"`
	// ResultsURL is the survey's published "What we heard" page, once one
	// exists: the thank-you page links to it. The form itself never sets
	// it; the HTTP layer fills it from the published summary.
	ResultsURL string `json:"results_url,omitempty"`
	// SecondsPerQuestion and SecondsPerComment are the reading-and-answering
	// times the page estimates the time left with (EstimatedMinutes).
	SecondsPerQuestion int `json:"seconds_per_question"`
	SecondsPerComment  int `json:"seconds_per_comment"`
}

// FormLanguage is a language a survey is offered in, named in itself.
type FormLanguage struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Time estimates: a closed question takes about 10 seconds to read and
// answer on a phone, a comment about a minute.
const (
	SecondsPerQuestion = 10
	SecondsPerComment  = 60
)

// EstimatedMinutes is how long a wave takes to answer, rounded up to a
// whole minute: the builder shows it per wave and the employee page counts
// it down.
func EstimatedMinutes(questions, comments int) int {
	s := questions*SecondsPerQuestion + comments*SecondsPerComment
	return (s + 59) / 60
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
	// OptionLabels are the Options as shown in the form's language (the
	// answer sent back is the option itself); empty: show Options.
	OptionLabels []string `json:"option_labels,omitempty"`
	GatedBy      string   `json:"gated_by,omitempty"`
}

// FormDemographic is one optional segment question; Options end with
// PreferNotToSay. Sensitive questions are compared only in larger groups
// (MinSensitiveGroupSize), and the page tells respondents so.
type FormDemographic struct {
	Key     string   `json:"key"`
	Label   string   `json:"label"`
	Options []string `json:"options"`
	// OptionLabels are the Options as shown in the form's language.
	OptionLabels []string `json:"option_labels,omitempty"`
	Sensitive    bool     `json:"sensitive"`
}

// Form builds the respondent form of wave w of sv in the survey's first
// language.
func Form(sv Survey, w Wave, fw framework.Framework) RespondentForm {
	return FormIn(sv, w, fw, sv.Design.SurveyLanguages()[0])
}

// FormIn builds the respondent form of wave w of sv in lang, one of the
// survey's languages (another falls back to the first). The wave's items (a
// subset under rotation) are asked in design order; consecutive items of
// one construct form a section. A wave without its own item list asks every
// item. Built-in texts come from the framework's translation, the survey's
// own from its translation; the answers are the same in every language, so
// results pool them.
func FormIn(sv Survey, w Wave, fw framework.Framework, lang string) RespondentForm {
	keys := w.Items
	if len(keys) == 0 {
		keys = sv.Design.Items
	}
	langs := sv.Design.SurveyLanguages()
	if !slices.Contains(langs, lang) {
		lang = langs[0]
	}
	tr := sv.Design.Translations[lang] // empty for the first language
	fw = fw.In(lang)
	title, intro, thanks := sv.Title, sv.Intro, sv.Design.ThankYou
	if lang != langs[0] {
		title, intro, thanks = or(tr.Title, title), or(tr.Intro, intro), or(tr.ThankYou, thanks)
	}
	f := RespondentForm{
		Language: lang, ThankYou: thanks,
		SecondsPerQuestion: SecondsPerQuestion, SecondsPerComment: SecondsPerComment,
		Title: title, Intro: intro,
		Sections:              []FormSection{},
		Demographics:          make([]FormDemographic, 0, len(sv.Design.Demographics)),
		Comments:              make([]CommentPrompt, 0, len(sv.Design.Comments)),
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
		fi := FormItem{Key: it.Key, Text: or(tr.Items[it.Key], it.Text), Scale: it.Scale, GatedBy: it.GatedBy}
		if sc, ok := fw.Scale(it.Scale); ok {
			fi.Points = append([]framework.ScalePoint(nil), sc.Points...)
			fi.AllowsNA, fi.NALabel = sc.AllowsNA, sc.NALabel
		}
		if len(it.Options) > 0 {
			fi.Options = append([]string(nil), it.Options...)
			fi.OptionLabels = append([]string(nil), it.OptionLabels...)
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
	for _, l := range langs {
		f.Languages = append(f.Languages, FormLanguage{Code: l, Name: framework.LanguageName(l)})
	}
	preferNot := PreferNotToSay
	if t, ok := framework.TranslationOf(lang); ok {
		preferNot = t.PreferNotToSay
	}
	for _, dm := range sv.Design.Demographics {
		fd := FormDemographic{Key: dm.Key, Label: dm.Label, Options: append([]string(nil), dm.Options...), Sensitive: dm.Sensitive}
		if lang != langs[0] || preferNot != PreferNotToSay {
			dt := tr.Demographics[dm.Key]
			fd.Label = or(dt.Label, dm.Label)
			for j, o := range dm.Options {
				label := o
				switch {
				case o == PreferNotToSay:
					label = preferNot
				case j < len(dt.Options) && dt.Options[j] != "":
					label = dt.Options[j]
				}
				fd.OptionLabels = append(fd.OptionLabels, label)
			}
		}
		f.Demographics = append(f.Demographics, fd)
	}
	for _, c := range sv.Design.Comments {
		f.Comments = append(f.Comments, CommentPrompt{Key: c.Key, Prompt: or(tr.Comments[c.Key], c.Prompt)})
	}
	return f
}

// or returns s, or fallback when s is empty.
func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
