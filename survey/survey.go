// Package survey is the domain: survey design, waves, response intake,
// storage. It imports no HTTP code.
package survey

import "time"

// Survey statuses.
const (
	StatusDraft    = "draft"
	StatusLaunched = "launched"
	StatusClosed   = "closed"
	StatusArchived = "archived"
)

// Cadences.
const (
	CadenceOnce      = "once"
	CadenceWeekly    = "weekly"
	CadenceBiweekly  = "biweekly"
	CadenceMonthly   = "monthly"
	CadenceQuarterly = "quarterly"
)

// PreferNotToSay is added to every demographic's options.
const PreferNotToSay = "Prefer not to say"

// Anonymity thresholds (docs/anonymity.md, "Thresholds"): defaults and floors.
const (
	DefaultK  = 5
	DefaultKS = 10
	DefaultKD = 10
	DefaultKC = 10
	FloorK    = 3
	// DefaultPracticalGapPoints is the practical minimum for a flagged gap.
	DefaultPracticalGapPoints = 5
)

// Survey is a survey design plus its lifecycle state.
type Survey struct {
	ID                 string
	Title              string
	Intro              string
	Status             string
	Design             Design
	Anonymity          Anonymity
	Schedule           Schedule
	PracticalGapPoints float64
	ExpectedHeadcount  int
	CreatedBy          string
	CreatedAt          time.Time
	UpdatedAt          time.Time
	LaunchedAt         *time.Time
	ClosedAt           *time.Time
	// Revision counts the stored changes; a change made from an older
	// revision is refused (see Store.UpdateSurvey).
	Revision int
}

// Design is the part of a survey frozen at launch.
type Design struct {
	// Items are item keys in the order respondents see them.
	Items        []string        `json:"items"`
	Demographics []Demographic   `json:"demographics"`
	Comments     []CommentPrompt `json:"comments"`
	Rotation     *Rotation       `json:"rotation,omitempty"`
	// PulseItems caps the questions of each pulse wave (survey/pulse.go);
	// 0 asks every item in every wave.
	PulseItems int `json:"pulse_items,omitempty"`
	// Languages the survey is offered in, the first being the language of
	// its own texts and the default; empty means English only.
	Languages []string `json:"languages,omitempty"`
	// Translations are the survey's own texts in its other languages.
	Translations map[string]Translation `json:"translations,omitempty"`
	// ThankYou is the lead's note on the thank-you page: when and where
	// results will be shared.
	ThankYou string `json:"thank_you,omitempty"`
}

// Demographic is a single-choice segment question. Options include
// PreferNotToSay (added automatically).
type Demographic struct {
	Key       string   `json:"key"`
	Label     string   `json:"label"`
	Options   []string `json:"options"`
	Sensitive bool     `json:"sensitive"`
}

// CommentPrompt is a free-text question.
type CommentPrompt struct {
	Key    string `json:"key"`
	Prompt string `json:"prompt"`
}

// Rotation asks a subset of items per pulse wave while covering every chosen
// competency at least every CoverEvery waves.
type Rotation struct {
	ItemsPerWave int `json:"items_per_wave"`
	CoverEvery   int `json:"cover_every"`
}

// Anonymity holds the survey's anonymity thresholds (docs/anonymity.md,
// "Thresholds").
type Anonymity struct {
	MinGroupSize          int `json:"min_group_size"`
	MinSensitiveGroupSize int `json:"min_sensitive_group_size"`
	MinDistributionSize   int `json:"min_distribution_size"`
	MinCommentGroupSize   int `json:"min_comment_group_size"`
}

// DefaultAnonymity returns the default thresholds.
func DefaultAnonymity() Anonymity {
	return Anonymity{DefaultK, DefaultKS, DefaultKD, DefaultKC}
}

// Schedule says when waves open.
type Schedule struct {
	Cadence  string    `json:"cadence"`
	OpensAt  time.Time `json:"opens_at"`
	WaveDays int       `json:"wave_days"`
}

// Demographic returns the demographic with key and its index.
func (d Design) Demographic(key string) (Demographic, int, bool) {
	for i, dm := range d.Demographics {
		if dm.Key == key {
			return dm, i, true
		}
	}
	return Demographic{}, -1, false
}

// ItemIndex returns the position of an item key in the design, or -1.
func (d Design) ItemIndex(key string) int {
	for i, k := range d.Items {
		if k == key {
			return i
		}
	}
	return -1
}

// OptionIndex returns the position of option in the demographic, or -1.
func (dm Demographic) OptionIndex(option string) int {
	for i, o := range dm.Options {
		if o == option {
			return i
		}
	}
	return -1
}
