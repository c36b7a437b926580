package survey

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey/framework"
)

// Limits on a survey draft.
const (
	MaxTitleChars        = 200
	MaxIntroChars        = 2000
	MaxLabelChars        = 200
	MaxOptionChars       = 100
	MaxPromptChars       = 300
	MaxDemographics      = 12
	MaxDemographicOption = 30
	MaxCommentPrompts    = 5
	MaxWaveDays          = 90
	MaxCoverEvery        = 12
	MaxPracticalGap      = 50
	// MaxExpectedHeadcount is far above any employer and fits every
	// database's integer column.
	MaxExpectedHeadcount = 10_000_000
	// MaxScheduleAhead is how far in the future a survey may first open.
	MaxScheduleAhead = 5 * 365 * 24 * time.Hour
	// ScheduleSlack is how far in the past opens_at may be when a draft is
	// saved, so that "now" typed in a form is not refused a second later.
	ScheduleSlack = 5 * time.Minute
)

// DefaultCommentKey and DefaultCommentPrompt are the comment prompt a new
// draft starts with.
const (
	DefaultCommentKey    = "general"
	DefaultCommentPrompt = "Anything else you would like to share?"
)

// keyPattern is what demographic and comment keys look like: they appear in
// query strings (by=KEY, filter=KEY:OPTION), so they stay simple.
var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Draft is the editable part of a survey: what a lead sends to create or
// edit one. NewDraft returns one with the defaults; ValidateDraft checks it
// and returns the normalised survey design.
type Draft struct {
	Title        string
	Intro        string
	Items        []string
	Demographics []Demographic
	Comments     []CommentPrompt
	Rotation     *Rotation
	// PulseItems caps each pulse wave's questions (survey/pulse.go); 0
	// asks every item in every wave. It does not apply to one-off surveys.
	PulseItems         int
	Anonymity          Anonymity
	Schedule           Schedule
	PracticalGapPoints float64
	ExpectedHeadcount  int
	Languages          []string
	Translations       map[string]Translation
	ThankYou           string
}

// NewDraft returns a draft holding every default: the anonymity thresholds
// (docs/anonymity.md, "Thresholds"), a one-off schedule that opens at launch,
// the practical gap threshold and one general comment prompt.
func NewDraft() Draft {
	return Draft{
		Anonymity:          DefaultAnonymity(),
		Schedule:           Schedule{Cadence: CadenceOnce},
		PracticalGapPoints: DefaultPracticalGapPoints,
		PulseItems:         DefaultPulseItems,
		Comments:           []CommentPrompt{{Key: DefaultCommentKey, Prompt: DefaultCommentPrompt}},
	}
}

// DraftOf returns the editable part of a stored survey.
func DraftOf(sv Survey) Draft {
	d := Draft{
		Title: sv.Title, Intro: sv.Intro,
		Items:              append([]string(nil), sv.Design.Items...),
		Comments:           append([]CommentPrompt(nil), sv.Design.Comments...),
		Anonymity:          sv.Anonymity,
		Schedule:           sv.Schedule,
		PracticalGapPoints: sv.PracticalGapPoints,
		ExpectedHeadcount:  sv.ExpectedHeadcount,
		Languages:          append([]string(nil), sv.Design.Languages...),
		Translations:       sv.Design.Translations,
		ThankYou:           sv.Design.ThankYou,
		PulseItems:         sv.Design.PulseItems,
	}
	if sv.Schedule.Cadence == CadenceOnce {
		// A one-off survey stores no limit; a pulse made from it starts
		// from the default.
		d.PulseItems = DefaultPulseItems
	}
	for _, dm := range sv.Design.Demographics {
		dm.Options = append([]string(nil), dm.Options...)
		d.Demographics = append(d.Demographics, dm)
	}
	if sv.Design.Rotation != nil {
		r := *sv.Design.Rotation
		d.Rotation = &r
	}
	return d
}

// Apply copies a valid draft into sv (title, intro, design, thresholds,
// schedule); it leaves identity and lifecycle fields alone.
func (d Draft) Apply(sv *Survey) {
	sv.Title = d.Title
	sv.Intro = d.Intro
	sv.Design = Design{Items: d.Items, Demographics: d.Demographics, Comments: d.Comments, Rotation: d.Rotation,
		Languages: d.Languages, Translations: d.Translations, ThankYou: d.ThankYou}
	if d.Schedule.Cadence != CadenceOnce && d.Rotation == nil {
		sv.Design.PulseItems = d.PulseItems
	}
	sv.Anonymity = d.Anonymity
	sv.Schedule = d.Schedule
	sv.PracticalGapPoints = d.PracticalGapPoints
	sv.ExpectedHeadcount = d.ExpectedHeadcount
}

// ValidateDraft checks a draft against the framework fw at time now and
// returns it normalised: text trimmed, "Prefer not to say" appended to every
// demographic, the ally opportunity screen placed before the ally items, the
// wave length defaulted. Problems come back as one *kernel.ValidationError naming
// each field (title, items[3], demographics[1].options,
// anonymity.min_group_size, schedule.opens_at, …).
func ValidateDraft(d Draft, fw framework.Framework, now time.Time) (Draft, error) {
	ve := &kernel.ValidationError{}
	d.Title = oneLine(d.Title)
	d.Intro = strings.TrimSpace(d.Intro)
	checkText(ve, "title", d.Title, MaxTitleChars, false)
	if d.Intro != "" {
		checkText(ve, "intro", d.Intro, MaxIntroChars, true)
	}
	d.ThankYou = strings.TrimSpace(d.ThankYou)
	if d.ThankYou != "" {
		checkText(ve, "thank_you", d.ThankYou, MaxIntroChars, true)
	}
	d.Languages = validateLanguages(ve, d.Languages)
	d.Translations = validateTranslations(ve, d.Translations, d.Languages)
	d.Items = validateItems(ve, d.Items, fw)
	d.Demographics = validateDemographics(ve, d.Demographics)
	d.Comments = validateComments(ve, d.Comments)
	validateAnonymity(ve, d.Anonymity)
	d.Schedule = validateSchedule(ve, d.Schedule, now)
	validateRotation(ve, d.Rotation, d.Schedule.Cadence, d.Items, fw)
	validatePulseItems(ve, d, fw)
	if d.PracticalGapPoints < 0 || d.PracticalGapPoints > MaxPracticalGap {
		ve.Add("practical_gap_points", fmt.Sprintf("must be between 0 and %d points", MaxPracticalGap))
	}
	if d.ExpectedHeadcount < 0 || d.ExpectedHeadcount > MaxExpectedHeadcount {
		ve.Add("expected_headcount", fmt.Sprintf("must be from 0 to %d", MaxExpectedHeadcount))
	}
	if err := ve.Err(); err != nil {
		return d, err
	}
	return d, nil
}

// validateItems reports unknown and duplicate item keys and returns the items
// with the ally opportunity screen placed right before the first gated item.
func validateItems(ve *kernel.ValidationError, keys []string, fw framework.Framework) []string {
	if len(keys) == 0 {
		ve.Add("items", "choose at least one item")
		return keys
	}
	seen := make(map[string]int, len(keys))
	out := make([]string, 0, len(keys)+1)
	for i, k := range keys {
		field := fmt.Sprintf("items[%d]", i)
		k = strings.TrimSpace(k)
		if first, dup := seen[k]; dup {
			ve.Add(field, fmt.Sprintf("%q is already chosen as items[%d]", k, first))
			continue
		}
		seen[k] = i
		it, ok := fw.Item(k)
		switch {
		case !ok:
			ve.Add(field, fmt.Sprintf("%q is not an item of the framework", k))
			continue
		case it.Scale == framework.ScaleText:
			ve.Add(field, fmt.Sprintf("%q is a free-text item; use a comment prompt instead", k))
			continue
		}
		out = append(out, k)
	}
	return placeGates(out, fw)
}

// placeGates moves (or adds) each screen item right before the first item it
// gates, so a respondent always answers the screen first.
func placeGates(keys []string, fw framework.Framework) []string {
	out := keys
	for i := 0; i < len(out); i++ {
		it, _ := fw.Item(out[i])
		if it.GatedBy == "" {
			continue
		}
		at := indexOf(out, it.GatedBy)
		if at >= 0 && at < i {
			continue
		}
		moved := make([]string, 0, len(out)+1)
		for _, k := range out[:i] {
			if k != it.GatedBy {
				moved = append(moved, k)
			}
		}
		moved = append(moved, it.GatedBy)
		for _, k := range out[i:] {
			if k != it.GatedBy {
				moved = append(moved, k)
			}
		}
		out = moved
	}
	return out
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// validateDemographics checks keys, labels and options, and appends
// PreferNotToSay where it is missing.
func validateDemographics(ve *kernel.ValidationError, dems []Demographic) []Demographic {
	if len(dems) > MaxDemographics {
		ve.Add("demographics", fmt.Sprintf("at most %d questions", MaxDemographics))
	}
	keys := map[string]int{}
	out := make([]Demographic, 0, len(dems))
	for i, dm := range dems {
		field := fmt.Sprintf("demographics[%d]", i)
		dm.Key = strings.TrimSpace(dm.Key)
		dm.Label = oneLine(dm.Label)
		checkKey(ve, keys, "demographics", i, dm.Key)
		checkText(ve, field+".label", dm.Label, MaxLabelChars, false)
		dm.Options = validateOptions(ve, field+".options", dm.Options)
		out = append(out, dm)
	}
	return out
}

// checkKey reports a malformed or repeated key of list[i]; keys maps each
// key seen so far to its index.
func checkKey(ve *kernel.ValidationError, keys map[string]int, list string, i int, key string) {
	field := fmt.Sprintf("%s[%d].key", list, i)
	switch first, dup := keys[key]; {
	case !keyPattern.MatchString(key):
		ve.Add(field, "use 1 to 40 lower-case letters, digits or _, starting with a letter")
	case dup:
		ve.AddCode(field, kernel.CodeDuplicate, fmt.Sprintf("%q is already used by %s[%d]", key, list, first))
	default:
		keys[key] = i
	}
}

func validateOptions(ve *kernel.ValidationError, field string, options []string) []string {
	seen := map[string]int{}
	out := make([]string, 0, len(options)+1)
	for j, o := range options {
		o = oneLine(o)
		of := fmt.Sprintf("%s[%d]", field, j)
		key := sameKey(o)
		first, dup := seen[key]
		switch {
		case !checkText(ve, of, o, MaxOptionChars, false):
			continue
		case dup:
			ve.Add(of, fmt.Sprintf("%q repeats %s[%d]", o, field, first))
			continue
		case key == sameKey(PreferNotToSay):
			o = PreferNotToSay
		}
		seen[key] = j
		out = append(out, o)
	}
	real := len(out)
	if indexOf(out, PreferNotToSay) < 0 {
		out = append(out, PreferNotToSay)
	} else {
		real--
	}
	switch {
	case real == 0:
		ve.Add(field, "add at least one option (\"Prefer not to say\" is added for you)")
	case len(out) > MaxDemographicOption:
		ve.Add(field, fmt.Sprintf("at most %d options", MaxDemographicOption))
	}
	return out
}

func validateComments(ve *kernel.ValidationError, prompts []CommentPrompt) []CommentPrompt {
	if len(prompts) > MaxCommentPrompts {
		ve.Add("comments", fmt.Sprintf("at most %d prompts", MaxCommentPrompts))
	}
	keys := map[string]int{}
	out := make([]CommentPrompt, 0, len(prompts))
	for i, p := range prompts {
		field := fmt.Sprintf("comments[%d]", i)
		p.Key = strings.TrimSpace(p.Key)
		p.Prompt = oneLine(p.Prompt)
		checkKey(ve, keys, "comments", i, p.Key)
		checkText(ve, field+".prompt", p.Prompt, MaxPromptChars, false)
		out = append(out, p)
	}
	return out
}

// validateAnonymity enforces the floors of the thresholds (docs/anonymity.md,
// "Thresholds"): k ≥ 3 and every other threshold at least k.
func validateAnonymity(ve *kernel.ValidationError, a Anonymity) {
	const ceiling = 1000
	k := a.MinGroupSize
	if k < FloorK || k > ceiling {
		// k is reported below; the others are held to the floor meanwhile.
		k = FloorK
	}
	if a.MinGroupSize < FloorK {
		ve.Add("anonymity.min_group_size", fmt.Sprintf("must be at least %d", FloorK))
	}
	for _, t := range []struct {
		field string
		v     int
	}{
		{"anonymity.min_sensitive_group_size", a.MinSensitiveGroupSize},
		{"anonymity.min_distribution_size", a.MinDistributionSize},
		{"anonymity.min_comment_group_size", a.MinCommentGroupSize},
	} {
		if t.v < k {
			ve.Add(t.field, fmt.Sprintf("must be at least the minimum group size (%d)", k))
		}
	}
	for field, v := range map[string]int{
		"anonymity.min_group_size": a.MinGroupSize, "anonymity.min_sensitive_group_size": a.MinSensitiveGroupSize,
		"anonymity.min_distribution_size": a.MinDistributionSize, "anonymity.min_comment_group_size": a.MinCommentGroupSize,
	} {
		if v > ceiling {
			ve.Add(field, fmt.Sprintf("must be at most %d", ceiling))
		}
	}
}

// validateSchedule checks the cadence, the open time (zero means "when the
// survey is launched") and the wave length, which must fit inside one period
// so that two waves of a pulse never overlap.
func validateSchedule(ve *kernel.ValidationError, sc Schedule, now time.Time) Schedule {
	sc.Cadence = strings.TrimSpace(sc.Cadence)
	if sc.Cadence == "" {
		sc.Cadence = CadenceOnce
	}
	limit, known := maxWaveDays(sc.Cadence)
	if !known {
		ve.Add("schedule.cadence", "must be one of once, weekly, biweekly, monthly, quarterly")
		limit = MaxWaveDays
	}
	if sc.WaveDays == 0 {
		sc.WaveDays = defaultWaveDays(sc.Cadence)
	}
	if sc.WaveDays < 1 || sc.WaveDays > limit {
		msg := fmt.Sprintf("must be between 1 and %d days", limit)
		if limit < MaxWaveDays {
			msg += fmt.Sprintf(", shorter than the %s period so that waves never overlap", sc.Cadence)
		}
		ve.Add("schedule.wave_days", msg)
	}
	if !sc.OpensAt.IsZero() {
		sc.OpensAt = sc.OpensAt.UTC().Truncate(time.Second)
		if sc.OpensAt.Before(now.Add(-ScheduleSlack)) {
			ve.Add("schedule.opens_at", "is in the past; choose a later time, or leave it empty to open at launch")
		}
		if sc.OpensAt.After(now.Add(MaxScheduleAhead)) {
			ve.Add("schedule.opens_at", "is more than 5 years away; choose an earlier time")
		}
	}
	return sc
}

// maxWaveDays is the longest wave for a cadence: below the shortest period.
func maxWaveDays(cadence string) (int, bool) {
	switch cadence {
	case CadenceOnce:
		return MaxWaveDays, true
	case CadenceWeekly:
		return 6, true
	case CadenceBiweekly:
		return 13, true
	case CadenceMonthly:
		return 27, true // February has 28 days
	case CadenceQuarterly:
		return 88, true // the shortest quarter (Feb–Apr) has 89 days
	}
	return 0, false
}

func defaultWaveDays(cadence string) int {
	switch cadence {
	case CadenceWeekly:
		return 5
	case CadenceBiweekly, CadenceMonthly:
		return 7
	}
	return 14
}

// validateRotation checks that a rotation can keep its promise: pulses only,
// enough items per wave to cover every due competency, fewer than all items.
func validateRotation(ve *kernel.ValidationError, r *Rotation, cadence string, items []string, fw framework.Framework) {
	if r == nil {
		return
	}
	if cadence == CadenceOnce {
		ve.Add("rotation", "applies to pulses only; choose a weekly, biweekly, monthly or quarterly cadence")
		return
	}
	if r.CoverEvery < 1 || r.CoverEvery > MaxCoverEvery {
		ve.Add("rotation.cover_every", fmt.Sprintf("must be between 1 and %d waves", MaxCoverEvery))
		return
	}
	groups := rotatingGroups(items, fw)
	total := 0
	for _, g := range groups {
		total += len(g.items)
	}
	need := (len(groups) + r.CoverEvery - 1) / r.CoverEvery
	switch {
	case total == 0:
		ve.Add("rotation", "rotation needs competency items to rotate")
	case r.ItemsPerWave < max(need, 1):
		ve.Add("rotation.items_per_wave", fmt.Sprintf("must be at least %d to cover every competency every %d waves", max(need, 1), r.CoverEvery))
	case r.ItemsPerWave >= total:
		ve.Add("rotation.items_per_wave", fmt.Sprintf("must be fewer than the %d competency items chosen, or remove the rotation", total))
	}
}
