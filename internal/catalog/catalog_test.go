package catalog

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/survey/framework"
)

var placeholder = regexp.MustCompile(`\{\{\.[A-Za-z]+\}\}`)

// placeholders lists the distinct placeholders of a text, sorted.
func placeholders(s string) []string {
	found := placeholder.FindAllString(s, -1)
	sort.Strings(found)
	return slices.Compact(found)
}

// TestCatalogsComplete checks that every message of the English catalog
// exists in every shipped language with the same placeholders in each of
// its forms, that plural messages carry the forms their language needs, and
// that no catalog holds a message English lacks.
func TestCatalogsComplete(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"respond", "heard"} {
		if got, want := c.Languages(name), slices.Sorted(slices.Values(framework.Languages())); !slices.Equal(got, want) {
			t.Fatalf("%s catalogs in %v, want %v", name, got, want)
		}
		t.Run(name, func(t *testing.T) { checkPage(t, c, name) })
	}
}

// checkPage compares every language's catalog of a page with English.
func checkPage(t *testing.T, c *Catalog, name string) {
	// The CLDR categories an integer count takes in each language.
	needs := map[string][]string{"en": {"one", "other"}, "de": {"one", "other"}, "fr": {"one", "many", "other"}, "es": {"one", "many", "other"}}
	en := c.Page(name, "en")
	for _, lang := range framework.Languages() {
		page := c.Page(name, lang)
		for id, msg := range en {
			got, ok := page[id]
			if !ok {
				t.Errorf("%s: message %q missing", lang, id)
				continue
			}
			want := placeholders(anyForm(msg))
			switch m := got.(type) {
			case string:
				if _, plural := msg.(map[string]string); plural {
					t.Errorf("%s: %q has no plural forms", lang, id)
				}
				checkPlaceholders(t, lang, id, m, want)
			case map[string]string:
				for _, cat := range needs[lang] {
					if m[cat] == "" {
						t.Errorf("%s: %q lacks the %q form", lang, id, cat)
					}
				}
				for _, form := range m {
					checkPlaceholders(t, lang, id, form, want)
				}
			}
		}
		for id := range page {
			if _, ok := en[id]; !ok {
				t.Errorf("%s: message %q is not in the English catalog", lang, id)
			}
		}
	}
}

func checkPlaceholders(t *testing.T, lang, id, text string, want []string) {
	t.Helper()
	if got := placeholders(text); !slices.Equal(got, want) {
		t.Errorf("%s: %q has placeholders %v, English has %v", lang, id, got, want)
	}
	if strings.TrimSpace(text) == "" {
		t.Errorf("%s: %q is empty", lang, id)
	}
}

func anyForm(m Message) string {
	if s, ok := m.(string); ok {
		return s
	}
	return m.(map[string]string)["other"]
}

func TestLocalizePlural(t *testing.T) {
	c := MustLoad()
	for _, tc := range []struct {
		lang  string
		count int
		want  string
	}{
		{"en", 1, "about 1 minute left"},
		{"en", 3, "about 3 minutes left"},
		{"fr", 0, "environ 0 minute restante"},
		{"fr", 2, "environ 2 minutes restantes"},
		{"de", 1, "noch etwa 1 Minute"},
		{"es", 4, "quedan aproximadamente 4 minutos"},
	} {
		got, err := c.Localize(tc.lang, "minutes_left", tc.count, map[string]any{"Count": tc.count})
		if err != nil || got != tc.want {
			t.Errorf("%s %d: %q (%v), want %q", tc.lang, tc.count, got, err, tc.want)
		}
	}
}

func TestChoose(t *testing.T) {
	offered := []string{"en", "fr", "de"}
	for _, tc := range []struct {
		asked, header string
		want          Choice
	}{
		{"", "", Choice{Language: "en"}},
		{"", "fr-CA,fr;q=0.9,en;q=0.5", Choice{Language: "fr"}},
		{"", "de-AT", Choice{Language: "de"}},
		{"", "ja, zh;q=0.8", Choice{Language: "en"}},
		{"", "es-ES,de;q=0.7", Choice{Language: "de"}},
		{"", ";;;q=bad", Choice{Language: "en"}},
		{"", strings.Repeat("fr,", 400), Choice{Language: "en"}},
		{"de", "fr", Choice{Language: "de"}},
		{"es", "fr", Choice{Language: "fr", Fallback: true}},
		{"xx-<script>", "", Choice{Language: "en", Fallback: true}},
	} {
		if got := Choose(tc.asked, tc.header, offered); got != tc.want {
			t.Errorf("Choose(%q, %q) = %+v, want %+v", tc.asked, tc.header, got, tc.want)
		}
	}
}

// FuzzChoose: whatever the query and header say, the choice is one of the
// offered languages.
func FuzzChoose(f *testing.F) {
	f.Add("", "fr-CA,fr;q=0.9")
	f.Add("es", "de;q=0.1,*;q=0.5")
	f.Add("fr", "\xff;q=1e999")
	f.Fuzz(func(t *testing.T, asked, header string) {
		offered := []string{"de", "es"}
		got := Choose(asked, header, offered)
		if !slices.Contains(offered, got.Language) {
			t.Fatalf("Choose(%q, %q) = %q, not offered", asked, header, got.Language)
		}
	})
}
