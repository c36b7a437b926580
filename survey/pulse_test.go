package survey_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
)

// bankItems returns every built-in item of the given construct kinds that a
// survey may ask (no free text), in framework order.
func bankItems(fw framework.Framework, kinds ...string) []string {
	var out []string
	for _, it := range fw.Items {
		c, _ := fw.Construct(it.Construct)
		if slices.Contains(kinds, c.Kind) && it.Scale != framework.ScaleText {
			out = append(out, it.Key)
		}
	}
	return out
}

// TestPulseLimitKeepsItsPromises: for designs of every size and every limit
// the validation accepts, each wave asks at most the limit, every chosen
// competency in every wave, the outcomes in every wave, both perspectives of
// a behaviour together, the screen before any item it gates, and every item
// at least every survey.PulseCoverWaves waves.
func TestPulseLimitKeepsItsPromises(t *testing.T) {
	fw := framework.BuiltIn()
	designs := map[string][]string{
		"whole bank":                bankItems(fw, framework.KindCompetency, framework.KindBehaviour, framework.KindAccess, framework.KindBarrier, framework.KindOutcome, framework.KindScreen),
		"competencies and outcomes": bankItems(fw, framework.KindCompetency, framework.KindOutcome),
		"competencies only":         bankItems(fw, framework.KindCompetency),
		"behaviours and barriers":   bankItems(fw, framework.KindBehaviour, framework.KindBarrier, framework.KindScreen),
	}
	for name, items := range designs {
		min := survey.MinPulseItems(items, fw)
		for _, limit := range []int{min, min + 1, min + 4, survey.DefaultPulseItems, len(items) - 1} {
			if limit < min || limit >= len(items) {
				continue
			}
			d := survey.Design{Items: items, PulseItems: limit}
			competencies := map[string]bool{}
			for _, k := range items {
				it, _ := fw.Item(k)
				if c, _ := fw.Construct(it.Construct); c.Kind == framework.KindCompetency {
					competencies[c.Key] = true
				}
			}
			last := map[string]int{}
			const waves = 30
			for n := 1; n <= waves; n++ {
				got := survey.WaveItems(d, n, fw)
				if !slices.Equal(got, survey.WaveItems(d, n, fw)) {
					t.Fatalf("%s/%d wave %d: not deterministic", name, limit, n)
				}
				if len(got) > limit {
					t.Errorf("%s/%d wave %d: %d items, want at most %d", name, limit, n, len(got), limit)
				}
				seen := map[string]bool{}
				prev := -1
				for _, k := range got {
					i := slices.Index(items, k)
					if i <= prev {
						t.Fatalf("%s/%d wave %d: %q out of design order", name, limit, n, k)
					}
					prev = i
					it, _ := fw.Item(k)
					seen[it.Construct] = true
					if it.GatedBy != "" && !slices.Contains(got, it.GatedBy) {
						t.Errorf("%s/%d wave %d: %s asked without its screen", name, limit, n, k)
					}
					if it.Perspective != "" {
						for _, other := range items {
							o, _ := fw.Item(other)
							if o.Behaviour == it.Behaviour && !slices.Contains(got, other) {
								t.Errorf("%s/%d wave %d: %s asked without %s", name, limit, n, k, other)
							}
						}
					}
					last[k] = n
				}
				for c := range competencies {
					if !seen[c] {
						t.Errorf("%s/%d wave %d: competency %s not measured", name, limit, n, c)
					}
				}
				for _, k := range items {
					if it, _ := fw.Item(k); it.Construct == "outcome" && !slices.Contains(got, k) {
						t.Errorf("%s/%d wave %d: outcome %s not asked", name, limit, n, k)
					}
					if n-last[k] >= survey.PulseCoverWaves {
						t.Errorf("%s/%d wave %d: %s last asked in wave %d, want every %d waves", name, limit, n, k, last[k], survey.PulseCoverWaves)
					}
				}
			}
			cover, ok := survey.PulseCover(d, fw)
			if !ok || cover > survey.PulseCoverWaves {
				t.Errorf("%s/%d: cover %d %v", name, limit, cover, ok)
			}
		}
	}
}

func TestPulseLimitOffAsksEverything(t *testing.T) {
	fw := framework.BuiltIn()
	items := bankItems(fw, framework.KindCompetency, framework.KindOutcome)
	for _, d := range []survey.Design{
		{Items: items},
		{Items: items, PulseItems: len(items)},
		{Items: items, PulseItems: 12, Rotation: &survey.Rotation{ItemsPerWave: 20, CoverEvery: 2}},
	} {
		got := survey.WaveItems(d, 1, fw)
		if d.Rotation == nil && !slices.Equal(got, items) {
			t.Errorf("%+v: wave 1 = %d items, want all %d", d.PulseItems, len(got), len(items))
		}
		if d.Rotation != nil && len(got) != 20+2 {
			t.Errorf("rotation wins over the limit: %d items", len(got))
		}
	}
}

// TestValidatePulseItems: the limit is named in the problem when it is out
// of range or too small to keep its promises, and ignored by one-off surveys.
func TestValidatePulseItems(t *testing.T) {
	fw := framework.BuiltIn()
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	items := bankItems(fw, framework.KindCompetency, framework.KindAccess, framework.KindBarrier, framework.KindOutcome)
	base := survey.NewDraft()
	base.Title = "Pulse"
	base.Items = items
	base.Schedule.Cadence = survey.CadenceMonthly
	if base.PulseItems != survey.DefaultPulseItems {
		t.Fatalf("default pulse items = %d", base.PulseItems)
	}
	if _, err := survey.ValidateDraft(base, fw, now); err != nil {
		t.Fatalf("default limit refused: %v", err)
	}
	min := survey.MinPulseItems(items, fw)
	for _, tc := range []struct {
		limit int
		ok    bool
	}{{-1, false}, {survey.MaxPulseItems + 1, false}, {1, false}, {min - 1, false}, {min, true}, {0, true}, {len(items) + 3, true}} {
		d := base
		d.PulseItems = tc.limit
		_, err := survey.ValidateDraft(d, fw, now)
		var ve *kernel.ValidationError
		switch {
		case tc.ok && err != nil:
			t.Errorf("limit %d refused: %v", tc.limit, err)
		case !tc.ok && (!errors.As(err, &ve) || !ve.Has("pulse_items")):
			t.Errorf("limit %d: err = %v, want one naming pulse_items", tc.limit, err)
		}
	}
	once := base
	once.Schedule.Cadence = survey.CadenceOnce
	once.PulseItems = 2
	d, err := survey.ValidateDraft(once, fw, now)
	if err != nil {
		t.Fatalf("once with a small limit: %v", err)
	}
	var sv survey.Survey
	d.Apply(&sv)
	if sv.Design.PulseItems != 0 || len(survey.WaveItems(sv.Design, 1, fw)) != len(items) {
		t.Errorf("a one-off survey asks everything: limit %d", sv.Design.PulseItems)
	}
	if got := survey.DraftOf(sv).PulseItems; got != survey.DefaultPulseItems {
		t.Errorf("a pulse made from a one-off draft starts at %d", got)
	}
}

func TestPlanOf(t *testing.T) {
	fw := framework.BuiltIn()
	items := bankItems(fw, framework.KindCompetency, framework.KindOutcome, framework.KindBarrier)
	d := survey.Design{Items: items, PulseItems: 15, Demographics: []survey.Demographic{{Key: "team"}}, Comments: []survey.CommentPrompt{{Key: "general"}}}
	p := survey.PlanOf(d, fw)
	if p.Questions != 16 || p.Comments != 1 || p.Minutes != survey.EstimatedMinutes(16, 1) || p.CoverWaves < 2 || p.CoverWaves > survey.PulseCoverWaves {
		t.Errorf("plan = %+v", p)
	}
	d.PulseItems = 0
	if p := survey.PlanOf(d, fw); p.Questions != len(items)+1 || p.CoverWaves != 1 {
		t.Errorf("plan without limit = %+v", p)
	}
}
