package framework

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrInvalid is wrapped by every problem Validate reports.
var ErrInvalid = errors.New("invalid framework")

// MaxItemWords is the longest item text, in words, that Validate accepts.
const MaxItemWords = 25

// minCompetencyItems is the fewest items a competency may have.
const minCompetencyItems = 2

// knownKinds lists the construct kinds Validate accepts.
func knownKinds() []string {
	return []string{KindCompetency, KindBehaviour, KindAccess, KindBarrier, KindOutcome, KindScreen}
}

// Validate checks that the framework is internally consistent: keys are unique,
// every item's scale and construct exist, behaviour items come in self and
// experienced pairs, gates refer to screen items, choice items have options,
// competencies have enough items and item texts are short. It reports every
// problem found, each wrapping ErrInvalid.
func (f Framework) Validate() error {
	v := validator{}
	scales := v.scales(f.Scales)
	constructs := v.constructs(f.Constructs)
	items := v.items(f.Items, scales, constructs)
	v.gates(f.Items, items, constructs)
	v.behaviours(f.Items, constructs)
	v.competencies(f.Constructs, f.Items)
	return errors.Join(v.errs...)
}

// validator collects the problems found by Validate.
type validator struct {
	errs []error
}

func (v *validator) fail(format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...))
}

// indexByKey maps each element of list by its key, reporting empty and duplicate keys.
// The first element with a key wins.
func indexByKey[T any](v *validator, what string, list []T, key func(T) string) map[string]T {
	byKey := make(map[string]T, len(list))
	for i, x := range list {
		k := key(x)
		_, dup := byKey[k]
		switch {
		case k == "":
			v.fail("%s #%d has no key", what, i+1)
		case dup:
			v.fail("duplicate %s key %q", what, k)
		default:
			byKey[k] = x
		}
	}
	return byKey
}

func (v *validator) scales(scales []Scale) map[string]Scale {
	byKey := indexByKey(v, "scale", scales, func(s Scale) string { return s.Key })
	for _, s := range scales {
		if s.AllowsNA && s.NALabel == "" {
			v.fail("scale %q allows n/a but has no n/a label", s.Key)
		}
		if !s.Ordinal() {
			continue
		}
		if s.Min >= s.Max {
			v.fail("scale %q has min %d not below max %d", s.Key, s.Min, s.Max)
		}
		if s.FavourableMin != 0 && (s.FavourableMin < s.Min || s.FavourableMin > s.Max) {
			v.fail("scale %q favourable min %d outside %d..%d", s.Key, s.FavourableMin, s.Min, s.Max)
		}
		for _, p := range s.Points {
			if p.Value < s.Min || p.Value > s.Max {
				v.fail("scale %q point %d outside %d..%d", s.Key, p.Value, s.Min, s.Max)
			}
		}
	}
	return byKey
}

func (v *validator) constructs(constructs []Construct) map[string]Construct {
	byKey := indexByKey(v, "construct", constructs, func(c Construct) string { return c.Key })
	kinds := knownKinds()
	for _, c := range constructs {
		if !slices.Contains(kinds, c.Kind) {
			v.fail("construct %q has unknown kind %q", c.Key, c.Kind)
		}
		if !c.Custom && c.Source == "" {
			v.fail("construct %q cites no source", c.Key)
		}
	}
	return byKey
}

func (v *validator) items(items []Item, scales map[string]Scale, constructs map[string]Construct) map[string]Item {
	byKey := indexByKey(v, "item", items, func(it Item) string { return it.Key })
	for _, it := range items {
		if strings.TrimSpace(it.Text) == "" {
			v.fail("item %q has no text", it.Key)
		}
		if n := len(strings.Fields(it.Text)); n > MaxItemWords {
			v.fail("item %q has %d words, more than %d", it.Key, n, MaxItemWords)
		}
		if _, ok := constructs[it.Construct]; !ok {
			v.fail("item %q refers to unknown construct %q", it.Key, it.Construct)
		}
		scale, ok := scales[it.Scale]
		if !ok {
			v.fail("item %q refers to unknown scale %q", it.Key, it.Scale)
			continue
		}
		if it.Scale == ScaleSingle && len(it.Options) < 2 {
			v.fail("choice item %q needs at least two options", it.Key)
		}
		if it.Scale != ScaleSingle && len(it.Options) > 0 {
			v.fail("item %q on scale %q must not declare options", it.Key, it.Scale)
		}
		if it.Reverse && !scale.Ordinal() {
			v.fail("item %q is reverse-keyed on non-ordinal scale %q", it.Key, it.Scale)
		}
	}
	return byKey
}

// gates checks that every GatedBy names a single-choice item of a screen construct
// with a "No" option at index 1.
func (v *validator) gates(items []Item, byKey map[string]Item, constructs map[string]Construct) {
	for _, it := range items {
		if it.GatedBy == "" {
			continue
		}
		screen, ok := byKey[it.GatedBy]
		switch {
		case !ok:
			v.fail("item %q is gated by unknown item %q", it.Key, it.GatedBy)
		case constructs[screen.Construct].Kind != KindScreen:
			v.fail("item %q is gated by %q, which is not a screen item", it.Key, it.GatedBy)
		case screen.Scale != ScaleSingle || len(screen.Options) < 2:
			v.fail("item %q is gated by %q, which is not a choice with a No option", it.Key, it.GatedBy)
		case screen.Key == it.Key:
			v.fail("item %q gates itself", it.Key)
		}
	}
}

// behaviours checks that every item of a behaviour family names its behaviour
// and perspective, and that each behaviour has exactly one item per perspective.
func (v *validator) behaviours(items []Item, constructs map[string]Construct) {
	type pair struct{ self, experienced int }
	counts := map[string]*pair{}
	var order []string
	for _, it := range items {
		if constructs[it.Construct].Kind != KindBehaviour {
			continue
		}
		if it.Behaviour == "" {
			v.fail("behaviour item %q has no behaviour key", it.Key)
			continue
		}
		p, seen := counts[it.Behaviour]
		if !seen {
			p = &pair{}
			counts[it.Behaviour] = p
			order = append(order, it.Behaviour)
		}
		switch it.Perspective {
		case PerspectiveSelf:
			p.self++
		case PerspectiveExperienced:
			p.experienced++
		default:
			v.fail("behaviour item %q has perspective %q, want %q or %q",
				it.Key, it.Perspective, PerspectiveSelf, PerspectiveExperienced)
		}
	}
	for _, b := range order {
		p := counts[b]
		if p.self != 1 || p.experienced != 1 {
			v.fail("behaviour %q has %d self and %d experienced items, want one of each",
				b, p.self, p.experienced)
		}
	}
}

// competencies checks that every competency has enough items to score.
func (v *validator) competencies(constructs []Construct, items []Item) {
	count := map[string]int{}
	for _, it := range items {
		count[it.Construct]++
	}
	for _, c := range constructs {
		if c.Kind == KindCompetency && count[c.Key] < minCompetencyItems {
			v.fail("competency %q has %d items, needs at least %d", c.Key, count[c.Key], minCompetencyItems)
		}
	}
}
