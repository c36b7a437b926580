package survey

import (
	"sort"

	"github.com/allypulse/allypulse/survey/framework"
)

// Question rotation for pulses.
//
// Only competency items rotate. Every other chosen item (the opportunity
// screen, behaviour pairs, development access, barriers and outcomes) is
// asked in every wave: the screen must come with the items it gates, the two
// perspectives of a behaviour are compared with each other, and the outcomes
// are what driver analysis correlates every competency with.
//
// Each wave's budget of ItemsPerWave competency items goes round the
// competencies, least recently asked first (ties in design order), one item
// per competency per pass. With G competencies every competency is asked at
// least every ceil(G/ItemsPerWave) waves, evenly, which is within CoverEvery
// because validation requires ItemsPerWave >= ceil(G/CoverEvery). Within a
// competency items are asked in turn. The choice depends only on the design
// and the wave number, so every replica computes the same subset.

// rotationGroup is one chosen competency and its chosen items, in design order.
type rotationGroup struct {
	construct string
	items     []string
}

// rotatingGroups returns the chosen competency items grouped by competency,
// in order of first appearance.
func rotatingGroups(items []string, fw framework.Framework) []rotationGroup {
	var groups []rotationGroup
	at := map[string]int{}
	for _, k := range items {
		it, ok := fw.Item(k)
		if !ok {
			continue
		}
		c, _ := fw.Construct(it.Construct)
		if c.Kind != framework.KindCompetency {
			continue
		}
		i, seen := at[c.Key]
		if !seen {
			i = len(groups)
			at[c.Key] = i
			groups = append(groups, rotationGroup{construct: c.Key})
		}
		groups[i].items = append(groups[i].items, k)
	}
	return groups
}

// WaveItems returns the item keys asked in wave number n (1-based), in design
// order: every item without rotation or pulse limit, else the wave's subset
// (survey/pulse.go for the limit).
func WaveItems(d Design, n int, fw framework.Framework) []string {
	if pulseLimited(d) && n >= 1 {
		waves := pulseWaves(d.Items, d.PulseItems, n, fw)
		return waves[n-1]
	}
	if d.Rotation == nil || d.Rotation.CoverEvery < 1 || d.Rotation.ItemsPerWave < 1 || n < 1 {
		return append([]string(nil), d.Items...)
	}
	groups := rotatingGroups(d.Items, fw)
	chosen := rotationChoice(groups, *d.Rotation, n)
	rotating := map[string]bool{}
	for _, g := range groups {
		for _, k := range g.items {
			rotating[k] = true
		}
	}
	out := make([]string, 0, len(d.Items))
	for _, k := range d.Items {
		if !rotating[k] || chosen[k] {
			out = append(out, k)
		}
	}
	return out
}

// rotationChoice simulates waves 1..n and returns the competency items chosen
// in wave n.
func rotationChoice(groups []rotationGroup, r Rotation, n int) map[string]bool {
	next := make([]int, len(groups))      // next item to ask, per competency
	lastAsked := make([]int, len(groups)) // last wave (1-based) it was asked; 0 = never
	var chosen map[string]bool
	for w := 1; w <= n; w++ {
		chosen = map[string]bool{}
		budget := r.ItemsPerWave
		take := func(g int) bool {
			for tries := 0; tries < len(groups[g].items); tries++ {
				k := groups[g].items[next[g]%len(groups[g].items)]
				next[g]++
				if !chosen[k] {
					chosen[k] = true
					lastAsked[g] = w
					budget--
					return true
				}
			}
			return false
		}
		order := make([]int, len(groups))
		for g := range order {
			order[g] = g
		}
		for budget > 0 {
			sort.SliceStable(order, func(a, b int) bool { return lastAsked[order[a]] < lastAsked[order[b]] })
			progress := false
			for _, g := range order {
				if budget == 0 {
					break
				}
				if take(g) {
					progress = true
				}
			}
			if !progress {
				break
			}
		}
	}
	return chosen
}
