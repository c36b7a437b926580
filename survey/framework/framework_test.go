package framework

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestBuiltInValidates(t *testing.T) {
	if err := BuiltIn().Validate(); err != nil {
		t.Fatalf("BuiltIn().Validate() = %v", err)
	}
}

func TestBuiltInCompetenciesHaveItems(t *testing.T) {
	f := BuiltIn()
	var competencies int
	for _, c := range f.Constructs {
		if c.Kind != KindCompetency {
			continue
		}
		competencies++
		items := f.ItemsOf(c.Key)
		if len(items) < 2 || len(items) > 4 {
			t.Errorf("competency %q has %d items, want 2..4", c.Key, len(items))
		}
		for _, it := range items {
			if it.Scale != ScaleAgree5 {
				t.Errorf("competency item %q uses scale %q, want %q", it.Key, it.Scale, ScaleAgree5)
			}
			if it.Source != c.Source {
				t.Errorf("item %q cites %q, construct cites %q", it.Key, it.Source, c.Source)
			}
		}
	}
	if competencies != 7 {
		t.Errorf("found %d competencies, want 7", competencies)
	}
	for _, key := range []string{"belonging", "authenticity"} {
		var reversed bool
		for _, it := range f.ItemsOf(key) {
			reversed = reversed || it.Reverse
		}
		if !reversed {
			t.Errorf("competency %q has no reverse-keyed item", key)
		}
	}
}

func TestBuiltInBehavioursHaveBothPerspectives(t *testing.T) {
	f := BuiltIn()
	behaviours := []string{
		"ally.confront", "ally.stereotype", "ally.deescalate", "ally.affirm",
		"ally.report", "ally.amplify", "ally.language",
		"advocate.process", "advocate.transparency", "advocate.goals",
		"advocate.intersectionality", "advocate.hiring",
	}
	for _, b := range behaviours {
		family, _, _ := strings.Cut(b, ".")
		for _, p := range []string{PerspectiveSelf, PerspectiveExperienced} {
			it, ok := f.Item(b + "." + p)
			if !ok {
				t.Errorf("missing item %s.%s", b, p)
				continue
			}
			if it.Behaviour != b || it.Perspective != p || it.Construct != family || it.Scale != ScaleFrequency {
				t.Errorf("item %q = behaviour %q, perspective %q, construct %q, scale %q",
					it.Key, it.Behaviour, it.Perspective, it.Construct, it.Scale)
			}
			wantGate := ""
			if family == "ally" {
				wantGate = ScreenWitnessed
			}
			if it.GatedBy != wantGate {
				t.Errorf("item %q gated by %q, want %q", it.Key, it.GatedBy, wantGate)
			}
			if p == PerspectiveSelf && !strings.HasPrefix(it.Text, "I ") && !strings.HasPrefix(it.Text, "When I ") {
				t.Errorf("self item %q should speak in the first person: %q", it.Key, it.Text)
			}
		}
	}
	for _, it := range f.Items {
		c, _ := f.Construct(it.Construct)
		if c.Kind == KindBehaviour && !slices.Contains(behaviours, it.Behaviour) {
			t.Errorf("unexpected behaviour item %q", it.Key)
		}
	}
}

func TestBuiltInScreenAndOwnKeyItems(t *testing.T) {
	f := BuiltIn()
	screen, ok := f.Item(ScreenWitnessed)
	if !ok || screen.Scale != ScaleSingle || len(screen.Options) != 2 ||
		screen.Options[0] != "Yes" || screen.Options[1] != "No" || screen.Construct != "screen" {
		t.Errorf("screen item = %+v", screen)
	}
	for _, key := range []string{
		"access.mentor", "access.sponsor", "access.advocate",
		"barrier.penalty", "barrier.wrong", "barrier.fatigue", "barrier.performative",
		"outcome.enps", "outcome.stay",
	} {
		it, ok := f.Item(key)
		if !ok {
			t.Errorf("missing item %q", key)
			continue
		}
		construct, _, _ := strings.Cut(key, ".")
		if it.Construct != construct || it.Behaviour != key {
			t.Errorf("item %q: construct %q, behaviour %q", key, it.Construct, it.Behaviour)
		}
	}
	if enps, _ := f.Item("outcome.enps"); enps.Scale != ScaleNPS {
		t.Errorf("outcome.enps scale %q, want %q", enps.Scale, ScaleNPS)
	}
}

func TestBuiltInScales(t *testing.T) {
	f := BuiltIn()
	for _, key := range []string{ScaleAgree5, ScaleFrequency, ScaleNPS, ScaleSingle, ScaleText} {
		s, ok := f.Scale(key)
		if !ok {
			t.Errorf("missing scale %q", key)
			continue
		}
		if !s.Ordinal() {
			continue
		}
		if len(s.Points) != s.Max-s.Min+1 {
			t.Errorf("scale %q has %d points for %d..%d", key, len(s.Points), s.Min, s.Max)
		}
		for i, p := range s.Points {
			if p.Value != s.Min+i || p.Label == "" {
				t.Errorf("scale %q point %d = %+v", key, i, p)
			}
		}
	}
	if freq, _ := f.Scale(ScaleFrequency); !freq.AllowsNA || freq.NALabel == "" {
		t.Errorf("frequency5 must allow a labelled n/a: %+v", freq)
	}
}

func TestBuiltInItemsReferToExistingScalesAndConstructs(t *testing.T) {
	f := BuiltIn()
	seen := map[string]bool{}
	for _, it := range f.Items {
		if seen[it.Key] {
			t.Errorf("duplicate item key %q", it.Key)
		}
		seen[it.Key] = true
		if _, ok := f.Scale(it.Scale); !ok {
			t.Errorf("item %q: unknown scale %q", it.Key, it.Scale)
		}
		if _, ok := f.Construct(it.Construct); !ok {
			t.Errorf("item %q: unknown construct %q", it.Key, it.Construct)
		}
		if it.Source == "" {
			t.Errorf("item %q cites no source", it.Key)
		}
		if n := len(strings.Fields(it.Text)); n > 20 {
			t.Errorf("item %q has %d words; keep built-in items to 20", it.Key, n)
		}
	}
	for _, c := range f.Constructs {
		if c.Source == "" {
			t.Errorf("construct %q cites no source", c.Key)
		}
	}
}

func TestLookupMisses(t *testing.T) {
	f := BuiltIn()
	if _, ok := f.Item("nope"); ok {
		t.Error("Item(nope) found")
	}
	if _, ok := f.Scale("nope"); ok {
		t.Error("Scale(nope) found")
	}
	if _, ok := f.Construct("nope"); ok {
		t.Error("Construct(nope) found")
	}
	if items := f.ItemsOf("nope"); len(items) != 0 {
		t.Errorf("ItemsOf(nope) = %v", items)
	}
}

func TestBuiltInReturnsFreshCopy(t *testing.T) {
	a := BuiltIn()
	a.Items[0].Text = "changed"
	if BuiltIn().Items[0].Text == "changed" {
		t.Error("BuiltIn shares state between calls")
	}
}

func TestWithCustom(t *testing.T) {
	base := BuiltIn()
	base.Items = append(base.Items, Item{Key: "screen.extra", Text: "Pick one", Scale: ScaleSingle,
		Construct: "screen", Source: "test", Options: []string{"Yes", "No"}})
	custom := base.WithCustom(
		[]Construct{{Key: "wellbeing", Name: "Wellbeing", Kind: KindCompetency}},
		[]Item{
			{Key: "wellbeing.1", Text: "My workload is manageable.", Scale: ScaleAgree5, Construct: "wellbeing"},
			{Key: "wellbeing.2", Text: "I can switch off after work.", Scale: ScaleAgree5, Construct: "wellbeing"},
		},
	)
	if err := custom.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	c, ok := custom.Construct("wellbeing")
	if !ok || !c.Custom {
		t.Errorf("custom construct = %+v, %v", c, ok)
	}
	for _, it := range custom.ItemsOf("wellbeing") {
		if !it.Custom {
			t.Errorf("item %q not marked custom", it.Key)
		}
	}
	if it, _ := custom.Item("belonging.1"); it.Custom {
		t.Error("built-in item marked custom")
	}
	if _, ok := base.Construct("wellbeing"); ok {
		t.Error("WithCustom modified its receiver's constructs")
	}
	if len(custom.Items) != len(base.Items)+2 {
		t.Errorf("custom has %d items, want %d", len(custom.Items), len(base.Items)+2)
	}
	last := len(custom.Items) - 3
	custom.Items[last].Options[0] = "changed"
	if base.Items[len(base.Items)-1].Options[0] == "changed" {
		t.Error("WithCustom shares item options with its receiver")
	}
}

func TestValidateCatchesBrokenFrameworks(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(f *Framework)
		want   string
	}{
		{"duplicate item key", func(f *Framework) {
			f.Items = append(f.Items, f.Items[0])
		}, "duplicate item key"},
		{"empty item key", func(f *Framework) {
			f.Items[0].Key = ""
		}, "has no key"},
		{"duplicate construct key", func(f *Framework) {
			f.Constructs = append(f.Constructs, f.Constructs[0])
		}, "duplicate construct key"},
		{"duplicate scale key", func(f *Framework) {
			f.Scales = append(f.Scales, f.Scales[0])
		}, "duplicate scale key"},
		{"unknown scale", func(f *Framework) {
			f.Items[0].Scale = "agree7"
		}, "unknown scale"},
		{"unknown construct", func(f *Framework) {
			f.Items[0].Construct = "nowhere"
		}, "unknown construct"},
		{"unknown construct kind", func(f *Framework) {
			f.Constructs[0].Kind = "mood"
		}, "unknown kind"},
		{"built-in construct without source", func(f *Framework) {
			f.Constructs[0].Source = ""
		}, "cites no source"},
		{"missing experienced perspective", func(f *Framework) {
			f.Items = removeItem(f.Items, "ally.confront.experienced")
		}, `behaviour "ally.confront" has 1 self and 0 experienced`},
		{"missing self perspective", func(f *Framework) {
			f.Items = removeItem(f.Items, "advocate.hiring.self")
		}, `behaviour "advocate.hiring" has 0 self and 1 experienced`},
		{"unknown perspective", func(f *Framework) {
			setItem(f, "ally.report.self", func(it *Item) { it.Perspective = "observer" })
		}, "perspective"},
		{"behaviour item without behaviour key", func(f *Framework) {
			setItem(f, "ally.report.self", func(it *Item) { it.Behaviour = "" })
		}, "no behaviour key"},
		{"gate refers to unknown item", func(f *Framework) {
			setItem(f, "ally.affirm.self", func(it *Item) { it.GatedBy = "screen.missing" })
		}, "gated by unknown item"},
		{"gate refers to non-screen item", func(f *Framework) {
			setItem(f, "ally.affirm.self", func(it *Item) { it.GatedBy = "belonging.1" })
		}, "not a screen item"},
		{"screen without options", func(f *Framework) {
			setItem(f, ScreenWitnessed, func(it *Item) { it.Options = nil })
		}, "needs at least two options"},
		{"single item with one option", func(f *Framework) {
			setItem(f, ScreenWitnessed, func(it *Item) { it.Options = []string{"Yes"} })
		}, "needs at least two options"},
		{"ordinal item with options", func(f *Framework) {
			setItem(f, "belonging.1", func(it *Item) { it.Options = []string{"A", "B"} })
		}, "must not declare options"},
		{"competency with one item", func(f *Framework) {
			for _, it := range f.ItemsOf("voice")[1:] {
				f.Items = removeItem(f.Items, it.Key)
			}
		}, `competency "voice" has 1 items`},
		{"text too long", func(f *Framework) {
			setItem(f, "belonging.1", func(it *Item) { it.Text = strings.Repeat("word ", MaxItemWords+1) })
		}, "words, more than"},
		{"empty text", func(f *Framework) {
			setItem(f, "belonging.1", func(it *Item) { it.Text = "  " })
		}, "has no text"},
		{"reverse item on text scale", func(f *Framework) {
			f.Items = append(f.Items, Item{Key: "comment", Text: "Anything else?", Scale: ScaleText,
				Construct: "outcome", Reverse: true})
		}, "reverse-keyed on non-ordinal"},
		{"scale n/a without label", func(f *Framework) {
			setScale(f, ScaleFrequency, func(s *Scale) { s.NALabel = "" })
		}, "no n/a label"},
		{"scale with min not below max", func(f *Framework) {
			setScale(f, ScaleAgree5, func(s *Scale) { s.Max = s.Min })
		}, "not below max"},
		{"favourable min outside range", func(f *Framework) {
			setScale(f, ScaleNPS, func(s *Scale) { s.FavourableMin = 11 })
		}, "favourable min"},
		{"point outside range", func(f *Framework) {
			setScale(f, ScaleAgree5, func(s *Scale) { s.Points = append(s.Points, ScalePoint{Value: 6, Label: "x"}) })
		}, "point 6 outside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := BuiltIn()
			tt.mutate(&f)
			err := f.Validate()
			if err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Validate() = %v, does not wrap ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func removeItem(items []Item, key string) []Item {
	out := items[:0:0]
	for _, it := range items {
		if it.Key != key {
			out = append(out, it)
		}
	}
	return out
}

func setItem(f *Framework, key string, change func(*Item)) {
	for i := range f.Items {
		if f.Items[i].Key == key {
			change(&f.Items[i])
			return
		}
	}
	panic("no item " + key)
}

func setScale(f *Framework, key string, change func(*Scale)) {
	for i := range f.Scales {
		if f.Scales[i].Key == key {
			change(&f.Scales[i])
			return
		}
	}
	panic("no scale " + key)
}
