// Package framework holds the built-in measurement framework: scales, constructs
// (inclusion competencies, behaviour families, development access, barriers,
// outcomes) and the item bank a DEI lead designs surveys from.
package framework

// Scale keys.
const (
	ScaleAgree5    = "agree5"
	ScaleFrequency = "frequency5"
	ScaleNPS       = "nps11"
	ScaleSingle    = "single"
	ScaleText      = "text"
)

// Construct kinds.
const (
	KindCompetency = "competency"
	KindBehaviour  = "behaviour" // ally or advocate behaviour family
	KindAccess     = "access"
	KindBarrier    = "barrier"
	KindOutcome    = "outcome"
	KindScreen     = "screen"
)

// Perspectives of a behaviour item.
const (
	PerspectiveSelf        = "self"
	PerspectiveExperienced = "experienced"
)

// ScalePoint is one labelled answer on a scale.
type ScalePoint struct {
	Value int    `json:"value"`
	Label string `json:"label"`
}

// Scale is an answer scale. Ordinal scales have Min..Max points; FavourableMin is
// the lowest favourable value (4 on 1..5, 9 for eNPS promoters).
type Scale struct {
	Key           string       `json:"key"`
	Name          string       `json:"name"`
	Min           int          `json:"min"`
	Max           int          `json:"max"`
	Points        []ScalePoint `json:"points,omitempty"`
	AllowsNA      bool         `json:"allows_na"`
	NALabel       string       `json:"na_label,omitempty"`
	FavourableMin int          `json:"favourable_min,omitempty"`
	// FavourableLabel is how the favourable share is named ("favourable", "frequent").
	FavourableLabel string `json:"favourable_label,omitempty"`
}

// Ordinal reports whether answers on the scale are numbers.
func (s Scale) Ordinal() bool { return s.Key != ScaleSingle && s.Key != ScaleText }

// Construct is a competency, behaviour family or other grouping of items.
type Construct struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	// Heading is the section title respondents see when Name is analysts'
	// wording ("Opportunity screen"); empty means Name.
	Heading     string `json:"heading,omitempty"`
	Kind        string `json:"kind"`
	Description string `json:"description"`
	Source      string `json:"source"`
	Custom      bool   `json:"custom,omitempty"`
}

// SectionTitle is the title of the construct's section on the respondent form.
func (c Construct) SectionTitle() string {
	if c.Heading != "" {
		return c.Heading
	}
	return c.Name
}

// Item is one question in the bank.
type Item struct {
	Key       string `json:"key"`
	Text      string `json:"text"`
	Scale     string `json:"scale"`
	Construct string `json:"construct"`
	// Behaviour links the self and experienced items of one behaviour
	// ("ally.confront"); for access, barrier and outcome items it is the item's own key.
	Behaviour   string   `json:"behaviour,omitempty"`
	Perspective string   `json:"perspective,omitempty"`
	Reverse     bool     `json:"reverse,omitempty"`
	Source      string   `json:"source"`
	Options     []string `json:"options,omitempty"`
	// OptionLabels are the Options as shown in a translation (Framework.In);
	// empty means the options show as they are.
	OptionLabels []string `json:"option_labels,omitempty"`
	// GatedBy names the screen item whose answer "No" (option index 1) skips this item.
	GatedBy string `json:"gated_by,omitempty"`
	Custom  bool   `json:"custom,omitempty"`
}

// Framework is the complete bank: scales, constructs and items in display order.
type Framework struct {
	Scales     []Scale     `json:"scales"`
	Constructs []Construct `json:"constructs"`
	Items      []Item      `json:"items"`
}
