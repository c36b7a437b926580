package framework

// Languages the built-in framework and the employee page ship in. English
// is the language the bank is written in; the others are translations kept
// in this package (builtin_fr.go, builtin_de.go, builtin_es.go).
const (
	LangEnglish = "en"
	LangFrench  = "fr"
	LangGerman  = "de"
	LangSpanish = "es"
)

// Languages returns the shipped languages, English first.
func Languages() []string { return []string{LangEnglish, LangFrench, LangGerman, LangSpanish} }

// Shipped reports whether lang is one of Languages.
func Shipped(lang string) bool {
	for _, l := range Languages() {
		if l == lang {
			return true
		}
	}
	return false
}

// LanguageName is the name of a shipped language in that language, as a
// language picker shows it; other codes come back unchanged.
func LanguageName(lang string) string {
	switch lang {
	case LangEnglish:
		return "English"
	case LangFrench:
		return "Français"
	case LangGerman:
		return "Deutsch"
	case LangSpanish:
		return "Español"
	}
	return lang
}

// Translation is the built-in framework's wording in one language. Keys are
// the same as in BuiltIn; every built-in scale, construct and item has an
// entry (TestTranslationsComplete).
type Translation struct {
	Scales     map[string]ScaleWording
	Constructs map[string]ConstructWording
	Items      map[string]ItemWording
	// PreferNotToSay is the wording of the option every demographic question ends with.
	PreferNotToSay string
}

// ScaleWording is a scale's wording: its name and the labels of its points
// (by value; a point without a label here keeps its number, as on 0–10).
type ScaleWording struct {
	Name    string
	Points  map[int]string
	NALabel string
}

// ConstructWording is a construct's wording.
type ConstructWording struct {
	Name, Heading, Description string
}

// ItemWording is an item's wording; Options translate the item's options in
// order (their stored values stay the English ones).
type ItemWording struct {
	Text    string
	Options []string
}

// TranslationOf returns the built-in translation into lang and whether one
// ships. English has none: it is the framework itself.
func TranslationOf(lang string) (Translation, bool) {
	switch lang {
	case LangFrench:
		return french(), true
	case LangGerman:
		return german(), true
	case LangSpanish:
		return spanish(), true
	}
	return Translation{}, false
}

// In returns a copy of the framework worded in lang: built-in scales,
// constructs and items take the shipped translation; custom ones, and every
// text of a language without one, keep their own wording. Option values stay
// as they are; OptionLabels carries their translation.
func (f Framework) In(lang string) Framework {
	out := f.WithCustom(nil, nil)
	tr, ok := TranslationOf(lang)
	if !ok {
		return out
	}
	for i, s := range out.Scales {
		st, ok := tr.Scales[s.Key]
		if !ok {
			continue
		}
		out.Scales[i].Name = st.Name
		for j, p := range s.Points {
			if label, ok := st.Points[p.Value]; ok {
				out.Scales[i].Points[j].Label = label
			}
		}
		if st.NALabel != "" {
			out.Scales[i].NALabel = st.NALabel
		}
	}
	for i, c := range out.Constructs {
		ct, ok := tr.Constructs[c.Key]
		if !ok || c.Custom {
			continue
		}
		out.Constructs[i].Name, out.Constructs[i].Description = ct.Name, ct.Description
		if c.Heading != "" {
			out.Constructs[i].Heading = ct.Heading
		}
	}
	for i, it := range out.Items {
		t, ok := tr.Items[it.Key]
		if !ok || it.Custom {
			continue
		}
		out.Items[i].Text = t.Text
		if len(t.Options) == len(it.Options) {
			out.Items[i].OptionLabels = append([]string(nil), t.Options...)
		}
	}
	return out
}

// npsAnchors labels the ends of the 0–10 scale.
func npsAnchors(low, high string) map[int]string {
	return map[int]string{0: low, 10: high}
}
