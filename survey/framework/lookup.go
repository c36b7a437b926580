package framework

// Item returns the item with the given key.
func (f Framework) Item(key string) (Item, bool) {
	for _, it := range f.Items {
		if it.Key == key {
			return it, true
		}
	}
	return Item{}, false
}

// Scale returns the scale with the given key.
func (f Framework) Scale(key string) (Scale, bool) {
	for _, s := range f.Scales {
		if s.Key == key {
			return s, true
		}
	}
	return Scale{}, false
}

// Construct returns the construct with the given key.
func (f Framework) Construct(key string) (Construct, bool) {
	for _, c := range f.Constructs {
		if c.Key == key {
			return c, true
		}
	}
	return Construct{}, false
}

// ItemsOf returns the items of a construct in display order.
func (f Framework) ItemsOf(construct string) []Item {
	var items []Item
	for _, it := range f.Items {
		if it.Construct == construct {
			items = append(items, it)
		}
	}
	return items
}

// WithCustom returns a copy of the framework with the given constructs and items
// appended and marked Custom. The receiver and the arguments are not modified.
// Call Validate on the result before using it.
func (f Framework) WithCustom(constructs []Construct, items []Item) Framework {
	out := Framework{
		Scales:     make([]Scale, 0, len(f.Scales)),
		Constructs: make([]Construct, 0, len(f.Constructs)+len(constructs)),
		Items:      make([]Item, 0, len(f.Items)+len(items)),
	}
	for _, s := range f.Scales {
		s.Points = append([]ScalePoint(nil), s.Points...)
		out.Scales = append(out.Scales, s)
	}
	out.Constructs = append(out.Constructs, f.Constructs...)
	for _, c := range constructs {
		c.Custom = true
		out.Constructs = append(out.Constructs, c)
	}
	for _, it := range f.Items {
		out.Items = append(out.Items, copyItem(it))
	}
	for _, it := range items {
		it = copyItem(it)
		it.Custom = true
		out.Items = append(out.Items, it)
	}
	return out
}

// copyItem returns it with its own copy of Options.
func copyItem(it Item) Item {
	if it.Options != nil {
		it.Options = append([]string(nil), it.Options...)
	}
	if it.OptionLabels != nil {
		it.OptionLabels = append([]string(nil), it.OptionLabels...)
	}
	return it
}
