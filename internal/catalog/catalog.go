// Package catalog holds the message catalogs of the employee page, one file
// per language in messages/ (go-i18n's JSON format, CLDR plural forms), and
// picks a respondent's language from what a survey offers.
package catalog

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed messages/*.json
var files embed.FS

// Catalog is every page's messages in every shipped language.
type Catalog struct {
	bundle *i18n.Bundle
	// pages maps a page ("respond") to its messages per language.
	pages map[string]map[string]map[string]*i18n.Message
}

// Load parses the embedded catalogs. It fails only if a catalog file is
// malformed, which TestCatalogsParse rules out.
func Load() (*Catalog, error) {
	c := &Catalog{bundle: i18n.NewBundle(language.English), pages: map[string]map[string]map[string]*i18n.Message{}}
	c.bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	names, err := fs.Glob(files, "messages/*.json")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		page, lang, ok := strings.Cut(strings.TrimSuffix(path.Base(name), ".json"), ".")
		if !ok {
			return nil, fmt.Errorf("catalog %s: name it PAGE.LANG.json", name)
		}
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		mf, err := c.bundle.ParseMessageFileBytes(b, name)
		if err != nil {
			return nil, fmt.Errorf("catalog %s: %w", name, err)
		}
		if c.pages[page] == nil {
			c.pages[page] = map[string]map[string]*i18n.Message{}
		}
		byID := map[string]*i18n.Message{}
		for _, m := range mf.Messages {
			byID[m.ID] = m
		}
		c.pages[page][lang] = byID
	}
	return c, nil
}

// MustLoad is Load for program start: the catalogs are part of the binary.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Languages lists the languages a page has a catalog in, sorted.
func (c *Catalog) Languages(page string) []string {
	var out []string
	for lang := range c.pages[page] {
		out = append(out, lang)
	}
	sort.Strings(out)
	return out
}

// Message is one message as the page receives it: a plain text, or its
// plural forms by CLDR category ("one", "few", "many", "other"), with
// placeholders written {{.Name}}. The page picks a form with
// Intl.PluralRules for the same language.
type Message any

// Page returns a page's messages in lang (English where lang has none).
func (c *Catalog) Page(page, lang string) map[string]Message {
	msgs, ok := c.pages[page][lang]
	if !ok {
		msgs = c.pages[page]["en"]
	}
	out := make(map[string]Message, len(msgs))
	for id, m := range msgs {
		forms := pluralForms(m)
		if len(forms) == 1 && forms["other"] != "" && m.One == "" {
			out[id] = forms["other"]
			continue
		}
		out[id] = forms
	}
	return out
}

// Localize renders one message in lang for count (nil for a message without
// plural forms) with data filling its placeholders.
func (c *Catalog) Localize(lang, id string, count any, data map[string]any) (string, error) {
	return i18n.NewLocalizer(c.bundle, lang, "en").Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: data})
}

// pluralForms returns a message's non-empty forms by CLDR category.
func pluralForms(m *i18n.Message) map[string]string {
	out := map[string]string{}
	for cat, text := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other} {
		if text != "" {
			out[cat] = text
		}
	}
	return out
}
