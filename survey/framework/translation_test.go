package framework

import (
	"strconv"
	"testing"
)

// TestTranslationsComplete checks that every built-in scale point, construct,
// item and option has a wording in every shipped language, and nothing more.
func TestTranslationsComplete(t *testing.T) {
	fw := BuiltIn()
	for _, lang := range Languages()[1:] {
		tr, ok := TranslationOf(lang)
		if !ok {
			t.Fatalf("%s: no translation", lang)
		}
		if tr.PreferNotToSay == "" {
			t.Errorf("%s: no wording of %q", lang, "Prefer not to say")
		}
		for _, s := range fw.Scales {
			st, ok := tr.Scales[s.Key]
			if !ok || st.Name == "" {
				t.Errorf("%s: scale %s has no name", lang, s.Key)
			}
			for _, p := range s.Points {
				if _, ok := st.Points[p.Value]; !ok && p.Label != strconv.Itoa(p.Value) {
					t.Errorf("%s: scale %s point %d (%q) untranslated", lang, s.Key, p.Value, p.Label)
				}
			}
			if (s.NALabel == "") != (st.NALabel == "") {
				t.Errorf("%s: scale %s no-opportunity label %q", lang, s.Key, st.NALabel)
			}
		}
		for _, c := range fw.Constructs {
			ct, ok := tr.Constructs[c.Key]
			if !ok || ct.Name == "" || ct.Description == "" || (c.Heading == "") != (ct.Heading == "") {
				t.Errorf("%s: construct %s wording %+v", lang, c.Key, ct)
			}
		}
		for _, it := range fw.Items {
			w, ok := tr.Items[it.Key]
			if !ok || w.Text == "" {
				t.Errorf("%s: item %s untranslated", lang, it.Key)
			}
			if len(w.Options) != len(it.Options) {
				t.Errorf("%s: item %s has %d option wordings for %d options", lang, it.Key, len(w.Options), len(it.Options))
			}
		}
		if len(tr.Items) != len(fw.Items) || len(tr.Constructs) != len(fw.Constructs) || len(tr.Scales) != len(fw.Scales) {
			t.Errorf("%s: %d items, %d constructs, %d scales translated; the framework has %d, %d, %d (stale keys?)",
				lang, len(tr.Items), len(tr.Constructs), len(tr.Scales), len(fw.Items), len(fw.Constructs), len(fw.Scales))
		}
	}
}

func TestInKeepsValuesAndCustomWording(t *testing.T) {
	custom := Item{Key: "custom.x", Text: "Our own question.", Scale: ScaleAgree5, Construct: "belonging"}
	fw := BuiltIn().WithCustom(nil, []Item{custom})
	fr := fw.In(LangFrench)
	if it, _ := fr.Item("belonging.1"); it.Text != "Je me sens pleinement membre de mon équipe." {
		t.Errorf("belonging.1 in French: %q", it.Text)
	}
	if it, _ := fr.Item("custom.x"); it.Text != custom.Text {
		t.Errorf("a custom item took a built-in wording: %q", it.Text)
	}
	screen, _ := fr.Item(ScreenWitnessed)
	if screen.Options[1] != "No" || screen.OptionLabels[1] != "Non" {
		t.Errorf("screen options %v labels %v: values must stay English", screen.Options, screen.OptionLabels)
	}
	sc, _ := fr.Scale(ScaleAgree5)
	if sc.Points[0].Value != 1 || sc.Points[0].Label != "Pas du tout d'accord" {
		t.Errorf("agree5 in French: %+v", sc.Points[0])
	}
	if orig, _ := fw.Item("belonging.1"); orig.Text != "I feel like a real part of my team." {
		t.Error("In changed the receiver")
	}
	if en := fw.In(LangEnglish); len(en.Items) != len(fw.Items) {
		t.Error("English copy lost items")
	}
}
