package survey

import "testing"

// Shorthands for the placeholders in the tables below.
const (
	e = EmailPlaceholder
	u = URLPlaceholder
	p = PhonePlaceholder
	h = HandlePlaceholder
)

func TestScrubRemovesContactDetails(t *testing.T) {
	cases := []struct{ name, in, want string }{
		// E-mail addresses, English and symbols.
		{"plain", "mail jane.doe+x@corp.example.co.uk now", "mail " + e + " now"},
		{"spelled", "write to jane dot doe at example dot com please", "write to " + e + " please"},
		{"parentheses", "jane.doe (at) example (dot) com", e},
		{"square brackets", "jane [at] example [dot] com", e},
		{"braces", "jane{at}example{dot}com", e},
		{"angle brackets", "jane<at>example<dot>com", e},
		{"symbols in brackets", "jane(@)example(.)com", e},
		{"spaced letters", "mail j a n e @ e x a m p l e . c o m today", "mail " + e + " today"},
		{"fullwidth at and dot", "jane＠example．com", e},
		{"fullwidth letters", "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", e},
		{"cyrillic look-alikes", "jаne@exаmple.com", e},
		{"zero-width space", "jane\u200b@example\u200b.com", e},
		{"small commercial at", "jane﹫example.com", e},
		{"at word, dotted domain", "reach me: jane at example.com", "reach me: " + e},
		{"upper case", "JANE AT EXAMPLE DOT COM", e},
		{"spaced symbols", "jane @ example . com", e},
		{"several dots", "jane.doe at example dot co dot uk", e},
		{"dot word before a word-like domain", "jane at example dot de", e},
		{"accented name", "josé@example.com", e},
		// French.
		{"fr arobase point", "écrivez à jean arobase exemple point fr merci", "écrivez à " + e + " merci"},
		{"fr point in the name", "jean point dupont arobase exemple point com", e},
		{"fr chez", "jean chez exemple point fr", e},
		{"fr brackets", "jean (arobase) exemple (point) fr", e},
		// German.
		{"de ät Punkt", "schreib an hans ät beispiel punkt de", "schreib an " + e},
		{"de at Punkt", "hans at beispiel Punkt de", e},
		{"de Klammeraffe", "hans Klammeraffe beispiel Punkt de", e},
		{"de brackets", "hans (at) beispiel (punkt) de", e},
		// Spanish.
		{"es arroba punto", "escribe a juan arroba ejemplo punto es", "escribe a " + e},
		{"es arroba punto com", "juan arroba ejemplo punto com", e},
		{"es brackets", "juan [arroba] ejemplo [punto] es", e},

		// Phone numbers.
		{"international", "call +44 20 7946 0958 today", "call " + p + " today"},
		{"brackets and hyphen", "call (555) 123-4567", "call " + p},
		{"spaced groups", "07 700 900 123", p},
		{"trunk prefix", "+44 (0) 7700-900-123", p},
		{"spaced digits", "0 7 7 0 0 9 0 0 1 2 3", p},
		{"en digit words", "ring zero seven seven zero zero nine zero zero one two three tonight", "ring " + p + " tonight"},
		{"en oh and double", "oh seven seven double oh nine oh oh one two three", p},
		{"en hyphenated digit words", "zero-seven-seven-zero-zero-nine-zero-zero", p},
		{"fr digit words", "appelle-moi au zéro six un deux trois quatre cinq six sept huit", "appelle-moi au " + p},
		{"de digit words", "ruf an: null eins sieben null eins zwei drei vier fünf sechs", "ruf an: " + p},
		{"es digit words", "llámame al seis uno dos tres cuatro cinco seis siete ocho", "llámame al " + p},
		{"fr dotted pairs", "mon portable 06.12.34.56.78", "mon portable " + p},
		{"es mobile", "mi móvil 612 345 678", "mi móvil " + p},
		{"fullwidth digits", "０７７００ ９００１２３", p},
		{"en dashes", "07700–900–123", p},

		// Links.
		{"scheme", "see https://intranet.example.com/p?id=4 please", "see " + u + " please"},
		{"www", "visit www.example.org", "visit " + u},
		{"bare domain with path", "my profile linkedin.com/in/someone", "my profile " + u},
		{"no scheme", "example.com/jane", u},
		{"www spaced", "see www example com for more", "see " + u + " for more"},
		{"www spelled", "www dot example dot com", u},
		{"bracketed dot with path", "example[.]com/jane", u},
		{"dot word in brackets", "see example (dot) org", "see " + u},
		{"fr point", "voir exemple point fr", "voir " + u},
		{"es punto", "ver ejemplo punto com", "ver " + u},
		{"de Punkt in brackets", "siehe beispiel(punkt)de", "siehe " + u},

		// Handles.
		{"handle", "ping @jdoe on chat", "ping " + h + " on chat"},
		{"handle first", "@jdoe said", h + " said"},
		{"handle after a space", "@ jane_doe", h},
		{"handle with digits after a space", "ask @ jdoe42 about it", "ask " + h + " about it"},
		{"fullwidth at", "＠jdoe", h},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Scrub(c.in); got != c.want {
				t.Errorf("Scrub(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestScrubKeepsProse(t *testing.T) {
	for _, text := range []string{
		// English.
		"we meet at noon",
		"point of view",
		"at the end of the day",
		"3 out of 10",
		"in 2024 we grew 15% across 3 teams",
		"my manager is supportive",
		"we were at this point in time unsure",
		"look at the dot com era",
		"I worked at a dot net shop",
		"I'm @ home. It was fine",
		"meet @ 5pm",
		"we met at noon. UK staff joined later",
		"a red dot at the top",
		"between 2019-2024 things improved",
		"on 12/03/2024 we had a review",
		"one of the two managers said three things",
		"we scored 7/10 and 80%",
		// French.
		"chez nous point de vue ambiance c'est bien",
		"à mon point de vue, la réunion est à midi",
		"il y a 3 personnes sur 10",
		"je travaille chez Renault depuis 2019",
		"le 12.03.2024 nous avons parlé",
		"deux ou trois collègues sur dix",
		"un point important à la fin",
		"le budget est de 1 000 000 euros",
		// German.
		"Der Punkt ist wichtig",
		"Wir treffen uns um Punkt drei Uhr",
		"Das ist der Punkt, den ich meine",
		"ein Punkt in der Mitte",
		"Wir sind 2.500.000 Euro über dem Budget",
		"alles null acht fünfzehn",
		"am 12.03.2024 von 9.00-17.30 Uhr",
		// Spanish.
		"una arroba de trigo",
		"arroba",
		"desde mi punto de vista",
		"en este punto es difícil",
		"3 de cada 10 personas",
		"dos o tres compañeros",
		"en 2024 crecimos un 15%",
	} {
		if got := Scrub(text); got != text {
			t.Errorf("Scrub(%q) = %q, want it unchanged", text, got)
		}
	}
}

func TestLooksIdentifying(t *testing.T) {
	for text, want := range map[string]bool{
		"My manager John Smith ignores me":   true,
		"Dr. Patel was great":                true,
		"write to a@b.io":                    true,
		"jane dot doe at example dot com":    true,
		"The team is kind and meetings help": false,
		"I feel included.":                   false,
		"from my point of view it is fine":   false,
	} {
		if got := LooksIdentifying(text); got != want {
			t.Errorf("LooksIdentifying(%q) = %v", text, got)
		}
	}
}
