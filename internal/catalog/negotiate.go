package catalog

import (
	"golang.org/x/text/language"
)

// maxAcceptLanguage caps the header parsed: a real one is a few dozen bytes.
const maxAcceptLanguage = 512

// Choice is the language a respondent sees and how it was chosen.
type Choice struct {
	Language string
	// Fallback is set when the respondent asked for a language by name
	// (?lang=) that the survey does not offer: the page says so.
	Fallback bool
}

// Choose picks a language from offered (the survey's languages, the first
// being its default): the one asked for by name if offered, else the best
// match of the Accept-Language header, else the first offered. offered must
// not be empty.
func Choose(asked, acceptLanguage string, offered []string) Choice {
	if asked != "" {
		for _, l := range offered {
			if l == asked {
				return Choice{Language: l}
			}
		}
		return Choice{Language: fromHeader(acceptLanguage, offered), Fallback: true}
	}
	return Choice{Language: fromHeader(acceptLanguage, offered)}
}

// fromHeader matches the Accept-Language header against offered; a
// missing, malformed or unmatched header gives offered[0].
func fromHeader(header string, offered []string) string {
	if header == "" || len(header) > maxAcceptLanguage {
		return offered[0]
	}
	prefs, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(prefs) == 0 {
		return offered[0]
	}
	tags := make([]language.Tag, len(offered))
	for i, l := range offered {
		tags[i] = language.Make(l)
	}
	_, i, conf := language.NewMatcher(tags).Match(prefs...)
	if conf == language.No {
		return offered[0]
	}
	return offered[i]
}
