package survey

import (
	"fmt"
	"sort"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey/framework"
)

// Pulses short by design.
//
// A pulse's design may hold more items than one wave asks: Design.PulseItems
// caps every wave at that many questions. The outcomes are asked in every
// wave (driver analysis correlates every competency with them), and so is
// one item of every chosen competency, so every competency has a score in
// every wave. The rest of the budget goes to the items asked least recently
// (ties in design order), where both perspectives of a behaviour count as
// one unit (the report compares them with each other) and a gated item
// brings its screen along. With enough room every item comes back within
// PulseCoverWaves waves; ValidateDraft refuses a limit that cannot keep
// that promise. The choice depends only on the design and the wave number,
// so every replica computes the same wave.

// Limits of Design.PulseItems.
const (
	DefaultPulseItems = 15
	MaxPulseItems     = 200
	// PulseCoverWaves is the most waves any chosen item waits for its turn.
	PulseCoverWaves = 6
)

// pulseUnit is what the limit rotates: one item, or the two perspectives of
// one behaviour.
type pulseUnit struct {
	items []string // in design order
	// competency is the competency the unit's item measures, or "".
	competency string
	// gate is the screen item asked before the unit, or "".
	gate string
}

// pulsePlan is a design split for the limit: items asked every wave, and
// units that take turns.
type pulsePlan struct {
	fixed []string
	units []pulseUnit
	// competencies are the chosen competencies in design order.
	competencies []string
}

// planPulse splits the design's items. A screen that gates a chosen item
// is asked with it, never alone; an item the framework does not know is
// asked every wave.
func planPulse(items []string, fw framework.Framework) pulsePlan {
	var p pulsePlan
	gates := map[string]bool{}
	for _, k := range items {
		if it, ok := fw.Item(k); ok && it.GatedBy != "" {
			gates[it.GatedBy] = true
		}
	}
	byBehaviour := map[string]int{}
	seen := map[string]bool{}
	for _, k := range items {
		it, ok := fw.Item(k)
		if !ok {
			p.fixed = append(p.fixed, k)
			continue
		}
		if gates[k] {
			continue
		}
		c, _ := fw.Construct(it.Construct)
		switch {
		case c.Kind == framework.KindOutcome:
			p.fixed = append(p.fixed, k)
		case c.Kind == framework.KindBehaviour && it.Behaviour != "":
			if i, ok := byBehaviour[it.Behaviour]; ok {
				p.units[i].items = append(p.units[i].items, k)
				continue
			}
			byBehaviour[it.Behaviour] = len(p.units)
			p.units = append(p.units, pulseUnit{items: []string{k}, gate: it.GatedBy})
		case c.Kind == framework.KindCompetency:
			p.units = append(p.units, pulseUnit{items: []string{k}, competency: c.Key})
			if !seen[c.Key] {
				seen[c.Key] = true
				p.competencies = append(p.competencies, c.Key)
			}
		default:
			p.units = append(p.units, pulseUnit{items: []string{k}, gate: it.GatedBy})
		}
	}
	return p
}

// limited reports whether the limit changes anything for the design.
func pulseLimited(d Design) bool {
	return d.Rotation == nil && d.PulseItems > 0 && len(d.Items) > d.PulseItems
}

// pulseWaves returns the items asked in waves 1..n under the limit, each in
// design order.
func pulseWaves(items []string, limit, n int, fw framework.Framework) [][]string {
	p := planPulse(items, fw)
	last := make([]int, len(p.units)) // wave a unit was last asked; 0 = never
	order := make([]int, len(p.units))
	out := make([][]string, 0, n)
	for w := 1; w <= n; w++ {
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return last[order[a]] < last[order[b]] })
		asked := map[string]bool{}
		for _, k := range p.fixed {
			asked[k] = true
		}
		budget := limit - len(p.fixed)
		taken := make([]bool, len(p.units))
		take := func(u int) {
			cost := len(p.units[u].items)
			gate := p.units[u].gate
			if gate != "" && !asked[gate] {
				cost++
			}
			if taken[u] || cost > budget {
				return
			}
			taken[u], last[u] = true, w
			budget -= cost
			for _, k := range p.units[u].items {
				asked[k] = true
			}
			if gate != "" {
				asked[gate] = true
			}
		}
		covered := map[string]bool{}
		for _, u := range order {
			if c := p.units[u].competency; c != "" && !covered[c] {
				covered[c] = true
				take(u)
			}
		}
		for _, u := range order {
			take(u)
		}
		wave := make([]string, 0, limit)
		for _, k := range items {
			if asked[k] {
				wave = append(wave, k)
			}
		}
		out = append(out, wave)
	}
	return out
}

// PulseCover is the number of waves within which every item of the design
// is asked under its limit (1 without a limit), and false when some item
// would wait longer than the simulated waves.
func PulseCover(d Design, fw framework.Framework) (int, bool) {
	if !pulseLimited(d) {
		return 1, true
	}
	return pulseCover(d.Items, d.PulseItems, fw)
}

func pulseCover(items []string, limit int, fw framework.Framework) (int, bool) {
	// Four rounds of the longest allowed wait show the pattern settled.
	const waves = 4 * PulseCoverWaves
	last := map[string]int{}
	worst := 0
	for w, wave := range pulseWaves(items, limit, waves, fw) {
		for _, k := range wave {
			worst = max(worst, w+1-last[k])
			last[k] = w + 1
		}
	}
	for _, k := range items {
		if _, ok := last[k]; !ok {
			return 0, false
		}
		worst = max(worst, waves+1-last[k])
	}
	return worst, worst <= waves
}

// MinPulseItems is the smallest limit that asks every competency in every
// wave and every item within PulseCoverWaves waves.
func MinPulseItems(items []string, fw framework.Framework) int {
	p := planPulse(items, fw)
	for limit := max(len(p.fixed)+len(p.competencies), 1); limit < len(items); limit++ {
		if cover, ok := pulseCover(items, limit, fw); ok && cover <= PulseCoverWaves {
			return limit
		}
	}
	return len(items)
}

// validatePulseItems checks the limit of a pulse (once surveys ask every item
// in their single wave, so the limit does not apply to them).
func validatePulseItems(ve *kernel.ValidationError, d Draft, fw framework.Framework) {
	if d.PulseItems < 0 || d.PulseItems > MaxPulseItems {
		ve.Add("pulse_items", fmt.Sprintf("must be between 0 (ask every question in every wave) and %d", MaxPulseItems))
		return
	}
	if d.Schedule.Cadence == CadenceOnce || d.Rotation != nil || d.PulseItems == 0 || len(d.Items) <= d.PulseItems {
		return
	}
	if need := MinPulseItems(d.Items, fw); d.PulseItems < need {
		ve.Add("pulse_items", fmt.Sprintf("must be at least %d so that every competency is asked in every wave and every question at least every %d waves (or 0 to ask every question in every wave)", need, PulseCoverWaves))
	}
}

// WavePlan is what one wave of a design asks, for the builder's estimate.
type WavePlan struct {
	// Questions is the most questions any wave asks, demographics included.
	Questions int
	Comments  int
	// Minutes is the estimated time to answer (EstimatedMinutes).
	Minutes int
	// CoverWaves is the number of waves within which every question is asked.
	CoverWaves int
}

// PlanOf estimates the waves of a design.
func PlanOf(d Design, fw framework.Framework) WavePlan {
	most := len(d.Items)
	cover := 1
	if pulseLimited(d) {
		most = 0
		for _, w := range pulseWaves(d.Items, d.PulseItems, PulseCoverWaves, fw) {
			most = max(most, len(w))
		}
		cover, _ = PulseCover(d, fw)
	} else if d.Rotation != nil {
		most = 0
		for n := 1; n <= max(d.Rotation.CoverEvery, 1); n++ {
			most = max(most, len(WaveItems(d, n, fw)))
		}
		cover = max(d.Rotation.CoverEvery, 1)
	}
	q := most + len(d.Demographics)
	return WavePlan{Questions: q, Comments: len(d.Comments), Minutes: EstimatedMinutes(q, len(d.Comments)), CoverWaves: cover}
}
