package people

import (
	"fmt"
	"sort"
	"strings"
)

// Group is the people sharing one set of attributes: one segment of the
// wave, with one ballot signing key (survey/ballots.go).
type Group struct {
	Attributes map[string]string
	People     []Person
}

// Key is a canonical text of the group's attributes.
func (g Group) Key() string { return SegmentKey(g.Attributes) }

// SegmentKey writes attributes as sorted key=value pairs.
func SegmentKey(attrs map[string]string) string {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + attrs[k]
	}
	return strings.Join(parts, ", ")
}

// Groups splits people by attributes and refuses each group with
// attributes that is smaller than the threshold: k, or kSensitive when an
// attribute is a sensitive dimension. A person of a refused group gets a
// problem on each of their lines. People without attributes form one group
// of any size: they are the wave's whole population.
func Groups(people []Person, dims []Dimension, k, kSensitive int) ([]Group, []Problem) {
	sensitive := map[string]bool{}
	for _, d := range dims {
		sensitive[d.Key] = d.Sensitive
	}
	byKey := map[string]*Group{}
	var order []string
	for _, p := range people {
		key := SegmentKey(p.Attributes)
		g, ok := byKey[key]
		if !ok {
			g = &Group{Attributes: p.Attributes}
			byKey[key] = g
			order = append(order, key)
		}
		g.People = append(g.People, p)
	}
	var out []Group
	var problems []Problem
	for _, key := range order {
		g := byKey[key]
		need := k
		for a := range g.Attributes {
			if sensitive[a] {
				need = max(need, kSensitive)
			}
		}
		if len(g.Attributes) > 0 && len(g.People) < need {
			for _, p := range g.People {
				problems = append(problems, Problem{Line: p.Line, Column: "", Reason: fmt.Sprintf(
					"the group %s would hold %d people, fewer than %d: no group smaller than the anonymity threshold is singled out (merge it or leave its cells empty)", key, len(g.People), need)})
			}
			continue
		}
		out = append(out, *g)
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
	return out, problems
}
