package survey

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey/framework"
)

// MaxLanguages is the most languages one survey is offered in.
const MaxLanguages = 4

// Translation is a survey's own texts in one of its other languages: what
// the framework cannot translate because the lead wrote it. Keys are the
// design's item, demographic and comment keys. Answers are stored by the
// design's option values, so a translation only changes what people read.
type Translation struct {
	Title        string                     `json:"title,omitempty"`
	Intro        string                     `json:"intro,omitempty"`
	ThankYou     string                     `json:"thank_you,omitempty"`
	Items        map[string]string          `json:"items,omitempty"`
	Demographics map[string]DemographicText `json:"demographics,omitempty"`
	Comments     map[string]string          `json:"comments,omitempty"`
}

// DemographicText is a demographic question in another language; Options
// follow the design's options in order, "Prefer not to say" excepted (the
// product words it in every shipped language).
type DemographicText struct {
	Label   string   `json:"label"`
	Options []string `json:"options"`
}

// SurveyLanguages returns the languages a design is offered in, its first
// (the language its own texts are written in) first; a design from before
// languages existed is English.
func (d Design) SurveyLanguages() []string {
	if len(d.Languages) == 0 {
		return []string{framework.LangEnglish}
	}
	return append([]string(nil), d.Languages...)
}

// validateLanguages checks the language list: shipped languages, no repeats,
// at most MaxLanguages; empty means English.
func validateLanguages(ve *kernel.ValidationError, langs []string) []string {
	if len(langs) == 0 {
		return []string{framework.LangEnglish}
	}
	if len(langs) > MaxLanguages {
		ve.Add("languages", fmt.Sprintf("at most %d languages", MaxLanguages))
	}
	for i, l := range langs {
		switch {
		case !framework.Shipped(l):
			ve.Add(fmt.Sprintf("languages[%d]", i), fmt.Sprintf("%q is not offered; choose from %v", l, framework.Languages()))
		case slices.Index(langs, l) < i:
			ve.Add(fmt.Sprintf("languages[%d]", i), fmt.Sprintf("%q is listed twice", l))
		}
	}
	return langs
}

// validateTranslations trims and length-checks the texts of each
// translation, and drops those of languages the survey does not offer.
func validateTranslations(ve *kernel.ValidationError, trs map[string]Translation, langs []string) map[string]Translation {
	out := map[string]Translation{}
	for lang, tr := range trs {
		if !slices.Contains(langs[1:], lang) {
			continue
		}
		f := "translations." + lang
		tr.Items, tr.Comments, tr.Demographics = maps.Clone(tr.Items), maps.Clone(tr.Comments), maps.Clone(tr.Demographics)
		tr.Title = oneLine(tr.Title)
		tr.Intro = strings.TrimSpace(tr.Intro)
		tr.ThankYou = strings.TrimSpace(tr.ThankYou)
		optional(ve, f+".title", tr.Title, MaxTitleChars, false)
		optional(ve, f+".intro", tr.Intro, MaxIntroChars, true)
		optional(ve, f+".thank_you", tr.ThankYou, MaxIntroChars, true)
		for k, v := range tr.Items {
			tr.Items[k] = oneLine(v)
			optional(ve, f+".items."+k, tr.Items[k], MaxItemTextChars, false)
		}
		for k, v := range tr.Comments {
			tr.Comments[k] = oneLine(v)
			optional(ve, f+".comments."+k, tr.Comments[k], MaxPromptChars, false)
		}
		for k, dt := range tr.Demographics {
			dt.Label = oneLine(dt.Label)
			dt.Options = slices.Clone(dt.Options)
			optional(ve, f+".demographics."+k+".label", dt.Label, MaxLabelChars, false)
			for j, o := range dt.Options {
				dt.Options[j] = oneLine(o)
				optional(ve, fmt.Sprintf("%s.demographics.%s.options[%d]", f, k, j), dt.Options[j], MaxOptionChars, false)
			}
			tr.Demographics[k] = dt
		}
		out[lang] = tr
	}
	return out
}

// optional checks a text that may be empty (a gap, reported at launch).
func optional(ve *kernel.ValidationError, field, text string, limit int, multiline bool) {
	if text != "" {
		checkText(ve, field, text, limit, multiline)
	}
}

// TranslationGaps lists every text of a draft missing in one of its other
// languages: the title, the intro, the thank-you note (when the first
// language has them), each custom item chosen, each demographic label and
// option, each comment prompt. Fields name the language and the text
// (translations.fr.demographics.department.options[2]); launch refuses a
// draft with gaps.
func TranslationGaps(d Draft, fw framework.Framework) []kernel.FieldError {
	langs := d.Languages
	if len(langs) < 2 {
		return nil
	}
	var gaps []kernel.FieldError
	for _, lang := range langs[1:] {
		tr := d.Translations[lang]
		f := "translations." + lang
		missing := func(field, what string) {
			gaps = append(gaps, kernel.FieldError{Field: f + "." + field, Code: kernel.CodeMissing, Message: fmt.Sprintf("%s in %s is missing", what, framework.LanguageName(lang))})
		}
		if tr.Title == "" {
			missing("title", "the title")
		}
		if d.Intro != "" && tr.Intro == "" {
			missing("intro", "the introduction")
		}
		if d.ThankYou != "" && tr.ThankYou == "" {
			missing("thank_you", "the note on when results are shared")
		}
		for _, k := range d.Items {
			if it, ok := fw.Item(k); ok && it.Custom && tr.Items[k] == "" {
				missing("items."+k, fmt.Sprintf("the text of item %q", k))
			}
		}
		for _, dm := range d.Demographics {
			dt := tr.Demographics[dm.Key]
			if dt.Label == "" {
				missing("demographics."+dm.Key+".label", fmt.Sprintf("the question %q", dm.Label))
			}
			for j, o := range dm.Options {
				if o == PreferNotToSay {
					continue
				}
				if j >= len(dt.Options) || dt.Options[j] == "" {
					missing(fmt.Sprintf("demographics.%s.options[%d]", dm.Key, j), fmt.Sprintf("the option %q", o))
				}
			}
		}
		for _, c := range d.Comments {
			if tr.Comments[c.Key] == "" {
				missing("comments."+c.Key, fmt.Sprintf("the prompt %q", c.Prompt))
			}
		}
	}
	return gaps
}
