// Package report is the aggregation engine and its release step: it computes
// every number of docs/statistics.md from a wave's responses and applies the
// anonymity rules of docs/anonymity.md before anything leaves the package.
// The API, the dashboard and the Excel/CSV exports all call Engine.Release.
//
// Units used throughout the JSON: shares (favourable, neutral, unfavourable,
// participation) and their intervals are proportions in 0..1; scores and the
// inclusion index are 0..100; eNPS is −100..100; gaps and trend changes are
// percentage points (−100..100) with their intervals in points too.
//
// How a release is made:
//
//   - Query lattice (query.go): a view is an equality filter on one declared
//     dimension and/or a breakdown by another, never two sensitive ones;
//     anything else is a *kernel.QueryError naming the parameter (400).
//   - Cells (plan.go): every population a view can show is a cell of the
//     lattice with a canonical key ("*", "dept=0", "dept=0&gender=2"): the
//     wave, one margin per dimension, one cross table per allowed pair.
//   - Aggregation (compute.go, values.go, population.go): two passes over the
//     decoded wave with counters indexed by cell, item and value.
//   - Suppression (suppress.go): per metric, primary (k, k_s, k_d on valid
//     answers), then siblings and remainders in the margins, then along rows
//     and columns of each cross table. Margins depend only on the wave and
//     cross tables only on their margins, so a cell is released the same way
//     by every view that shows it (one view's row is another's column).
//   - Audit (audit.go, internal/gauss): exact elimination over everything
//     the lattice releases hides what would determine a small group.
//   - Release (snapshot.go, history.go): every view reads one stored release
//     of the whole lattice; an open wave publishes snapshots, each audited
//     with every earlier one (the ledger), and a cell is republished only
//     when every metric it shows grew by its threshold.
package report

import "time"

// Reasons a cell is suppressed. A group of 0 and a group of 1..k−1 get the
// same reason, so an empty group cannot be told from a small one.
const (
	// ReasonTooFew: fewer valid answers than the cell's threshold (k, k_s or
	// k_d), including none at all.
	ReasonTooFew = "fewer than the minimum group size"
	// ReasonSecondary: hidden to protect a suppressed sibling, a remainder or
	// an overlap (docs/anonymity.md, "Secondary suppression").
	ReasonSecondary = "hidden to protect another group"
	// ReasonNotReported: the statistic is not defined for this population size
	// (reliability below 10 respondents, drivers below 30).
	ReasonNotReported = "not reported for a population this small"
)

// Query is one view of the closed lattice (docs/anonymity.md, "The query lattice"): an optional
// equality filter on one declared dimension and an optional breakdown by
// another. At most two dimensions, never two sensitive ones.
type Query struct {
	// Wave is the wave number; 0 means the latest wave that has opened.
	Wave int `json:"wave"`
	// By is the breakdown dimension key ("" for none).
	By string `json:"by,omitempty"`
	// Filter restricts the population to Dimension = Option (nil for the
	// whole wave).
	Filter *Filter `json:"filter,omitempty"`
}

// Filter is an equality filter DIM:OPTION; Option is one of the design's
// option labels (including "Prefer not to say").
type Filter struct {
	Dimension string `json:"dimension"`
	Option    string `json:"option"`
}

// Thresholds are the survey's frozen anonymity settings.
type Thresholds struct {
	K  int `json:"k"`
	KS int `json:"k_s"`
	KD int `json:"k_d"`
	KC int `json:"k_c"`
	// PracticalGapPoints is the practical minimum of a flagged gap or trend
	// change, in percentage points.
	PracticalGapPoints float64 `json:"practical_gap_points"`
}

// Cell is one released value of one group on one metric. A suppressed cell
// carries only Suppressed and Reason: no value, no n, no interval, no
// distribution (every other field is omitted from the JSON).
//
// Which value fields are set depends on the metric: competency rows set
// Score (0–100) and Favourable with its interval; item rows add Mean,
// Neutral, Unfavourable and Distribution; the eNPS row sets Value
// (−100..100); counts set only N; participation sets Value (a share) and N
// (responses); gap and trend cells set Value (points), Low/High (points) and
// Flagged.
type Cell struct {
	Suppressed bool   `json:"suppressed,omitempty"`
	Reason     string `json:"reason,omitempty"`

	// N is the number of respondents behind the value (valid answers for an
	// item; respondents with a score for a competency).
	N int `json:"n,omitempty"`
	// Answers is the number of valid item answers pooled into Favourable
	// (competency rows, where one respondent answers several items).
	Answers int `json:"answers,omitempty"`

	// Value is the cell's headline number when it is not a score or share:
	// eNPS, participation rate, gap or trend change.
	Value *float64 `json:"value,omitempty"`
	// Score is the 0–100 score of a competency or the inclusion index.
	Score *float64 `json:"score,omitempty"`
	// Mean is the item mean on its scale (reverse items recoded).
	Mean *float64 `json:"mean,omitempty"`
	// Favourable is the favourable (or "frequent", or "agree" for barriers)
	// share, 0..1.
	Favourable   *float64 `json:"favourable,omitempty"`
	Neutral      *float64 `json:"neutral,omitempty"`
	Unfavourable *float64 `json:"unfavourable,omitempty"`
	// Low and High bound the 95 % interval of Favourable (Wilson), or of
	// Value for gaps and trend changes (Newcombe, in points).
	Low  *float64 `json:"low,omitempty"`
	High *float64 `json:"high,omitempty"`
	// Distribution counts each scale point from the scale's minimum upwards;
	// present only when the cell has at least k_d answers.
	Distribution []int `json:"distribution,omitempty"`
	// Flagged marks a gap or trend change whose interval excludes 0 and
	// whose size reaches the practical minimum.
	Flagged bool `json:"flagged,omitempty"`
	// ItemsUsed lists the items of a composite that passed in this cell when
	// some did not (composite scores use only passing items).
	ItemsUsed []string `json:"items_used,omitempty"`

	// AsOf is set when an open wave shows a cell's previously published
	// value because its respondents grew by fewer than k since then.
	AsOf *AsOf `json:"as_of,omitempty"`
}

// AsOf names the stored snapshot whose value a cell shows.
type AsOf struct {
	Snapshot    int       `json:"snapshot"`
	PublishedAt time.Time `json:"published_at"`
}

// Group is one column of a breakdown: an option of the By dimension,
// including "Prefer not to say" and "Not answered".
type Group struct {
	// Key is "DIM:OPTION" (for "not answered" the option is NotAnswered).
	Key       string `json:"key"`
	Dimension string `json:"dimension"`
	Option    string `json:"option"`
	// Count is the number of respondents of the group (a count cell under
	// the same rules as every other cell).
	Count Cell `json:"count"`
}

// NotAnswered is the option label of respondents who skipped a dimension.
const NotAnswered = "Not answered"

// Row is one metric: its value for the whole population (Overall) and for
// each group of the breakdown (Groups, aligned with Release.Groups).
type Row struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	// Kind is the construct kind (competency, behaviour, access, barrier,
	// outcome) or "index" / "enps" / "item".
	Kind    string `json:"kind"`
	Overall Cell   `json:"overall"`
	Groups  []Cell `json:"groups,omitempty"`
}

// ItemRow is a Row for one item, with its text and scale.
type ItemRow struct {
	Row
	Text      string `json:"text"`
	Scale     string `json:"scale"`
	Construct string `json:"construct"`
	Reverse   bool   `json:"reverse,omitempty"`
	// Labels are the scale point labels, aligned with Cell.Distribution.
	Labels []string `json:"labels,omitempty"`
}

// BehaviourRow is an ally or advocate behaviour: how often people say they
// act (Self) and how often others experience it (Experienced), as frequent
// shares, and the perception gap Self − Experienced in points.
type BehaviourRow struct {
	Key    string `json:"key"`
	Family string `json:"family"`
	// SelfText and ExperiencedText are the two item texts.
	SelfText        string `json:"self_text"`
	ExperiencedText string `json:"experienced_text"`
	Self            Cell   `json:"self"`
	Experienced     Cell   `json:"experienced"`
	// Gap is the perception gap (Value, Low, High in points; Flagged).
	Gap Cell `json:"gap"`
}

// ReliabilityRow is Cronbach's α and the mean inter-item correlation of a
// competency with at least two items. Alpha and MeanR are nil ("—") when
// fewer than 10 respondents answered all items.
type ReliabilityRow struct {
	Key   string   `json:"key"`
	Name  string   `json:"name"`
	Items int      `json:"items"`
	N     int      `json:"n,omitempty"`
	Alpha *float64 `json:"alpha,omitempty"`
	MeanR *float64 `json:"mean_r,omitempty"`
	// Reason says why Alpha is not shown.
	Reason string `json:"reason,omitempty"`
}

// DriverRow is the Pearson correlation of a competency score with an outcome
// across respondents, ranked "high impact, low score" first.
type DriverRow struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	// Score is the competency's 0–100 score and BelowIndex how many points it
	// lies below the inclusion index (negative when above).
	Score      float64 `json:"score"`
	BelowIndex float64 `json:"below_index"`
	// ENPS and Stay are correlations with outcome.enps and outcome.stay.
	ENPS  *Correlation `json:"enps,omitempty"`
	Stay  *Correlation `json:"stay,omitempty"`
	Rank  int          `json:"rank"`
	Label string       `json:"label"`
}

// Correlation is a Pearson r with its n.
type Correlation struct {
	R float64 `json:"r"`
	N int     `json:"n"`
}

// Drivers is the driver analysis, present only for populations of at least
// 30 respondents (otherwise Reason says why).
type Drivers struct {
	Rows   []DriverRow `json:"rows,omitempty"`
	Reason string      `json:"reason,omitempty"`
}

// Participation is responses over invited for the population and per group.
// Invited is the number of invite codes issued in the wave, or the survey's
// expected headcount for an open link.
type Participation struct {
	// Invited is the denominator used; 0 when unknown.
	Invited int `json:"invited,omitempty"`
	// Source is "invites" or "expected_headcount".
	Source  string `json:"source,omitempty"`
	Overall Cell   `json:"overall"`
	// Groups are per-segment rates where invite batches carry the segment
	// (aligned with Release.Groups); nil when the denominator is unknown.
	Groups []Cell `json:"groups,omitempty"`
}

// GapRow is the inclusion gap of each group against the rest of the
// population on one metric's favourable share (Value, Low, High in points).
type GapRow struct {
	Key    string `json:"key"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Groups []Cell `json:"groups"`
}

// Meta identifies a release: which survey, wave and view, when, and under
// which thresholds. Every projection (Heatmap, Gaps, ...) repeats it.
type Meta struct {
	SurveyID   string     `json:"survey_id"`
	Title      string     `json:"title"`
	Wave       int        `json:"wave"`
	WaveStatus string     `json:"wave_status"`
	Query      Query      `json:"query"`
	Thresholds Thresholds `json:"thresholds"`
	// Population describes the filtered population ("All respondents" or
	// "Department: Sales").
	Population string `json:"population"`
	// Snapshot is the number of the newest snapshot that this view shows
	// (open waves); Final marks a closed wave's fixed values.
	Snapshot int  `json:"snapshot,omitempty"`
	Final    bool `json:"final"`
	// Notes explain anything a reader must know (held values, closing rule).
	Notes []string `json:"notes,omitempty"`
}

// Release is everything one view releases: the results endpoint returns it
// whole; the other endpoints and the exports project it. Every number in it
// has passed the release step.
type Release struct {
	Meta
	// Respondents is the population's respondent count.
	Respondents Cell `json:"respondents"`
	// Groups are the breakdown's columns (empty without By).
	Groups        []Group          `json:"groups,omitempty"`
	Index         Row              `json:"index"`
	ENPS          Row              `json:"enps"`
	Competencies  []Row            `json:"competencies"`
	Behaviours    []BehaviourRow   `json:"behaviours"`
	Access        []Row            `json:"access"`
	Barriers      []Row            `json:"barriers"`
	Items         []ItemRow        `json:"items"`
	Gaps          []GapRow         `json:"gaps,omitempty"`
	Reliability   []ReliabilityRow `json:"reliability"`
	Drivers       Drivers          `json:"drivers"`
	Participation Participation    `json:"participation"`
}

// Heatmap is competencies (and the index) × groups.
type Heatmap struct {
	Meta
	Groups []Group `json:"groups"`
	Rows   []Row   `json:"rows"`
}

// Gaps is every group's inclusion gap against the rest of the population.
type Gaps struct {
	Meta
	Groups []Group  `json:"groups"`
	Rows   []GapRow `json:"rows"`
}

// Behaviours is the ally and advocate section with barriers and access.
type Behaviours struct {
	Meta
	Rows     []BehaviourRow `json:"rows"`
	Barriers []Row          `json:"barriers"`
	Access   []Row          `json:"access"`
}

// Trend is each metric across the survey's waves, using published values
// only; a change against the previous wave is flagged by the gap rule.
type Trend struct {
	SurveyID   string        `json:"survey_id"`
	Title      string        `json:"title"`
	Query      Query         `json:"query"`
	Thresholds Thresholds    `json:"thresholds"`
	Waves      []TrendWave   `json:"waves"`
	Series     []TrendSeries `json:"series"`
}

// TrendWave is one wave on the trend's axis.
type TrendWave struct {
	Number   int       `json:"number"`
	OpensAt  time.Time `json:"opens_at"`
	ClosesAt time.Time `json:"closes_at"`
	Status   string    `json:"status"`
	Snapshot int       `json:"snapshot,omitempty"`
}

// TrendSeries is one metric (and group, when By is set) across the waves.
// Points align with Trend.Waves (Score/Favourable/Value as in Row cells);
// Changes[i] compares wave i with wave i−1 on the favourable share (points,
// Newcombe interval, Flagged); Changes[0] is always suppressed/empty.
type TrendSeries struct {
	Key     string `json:"key"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Group   string `json:"group,omitempty"`
	Points  []Cell `json:"points"`
	Changes []Cell `json:"changes"`
}

// Comments are free-text answers of a population of at least k_c
// respondents, detached from scores and each other, in a stable shuffled
// order and without dates. When the population is too small, Suppressed and
// Reason are set and Items is empty.
type Comments struct {
	Meta
	Suppressed bool          `json:"suppressed,omitempty"`
	Reason     string        `json:"reason,omitempty"`
	Prompts    []Prompt      `json:"prompts"`
	Items      []CommentItem `json:"items"`
}

// Prompt is one comment question of the design.
type Prompt struct {
	Key    string `json:"key"`
	Prompt string `json:"prompt"`
}

// CommentItem is one comment, with only its prompt key.
type CommentItem struct {
	Prompt string `json:"prompt"`
	Text   string `json:"text"`
}
