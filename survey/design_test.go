package survey_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
)

var designNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func validDraft() survey.Draft {
	d := survey.NewDraft()
	d.Title = "Spring pulse"
	d.Items = []string{"belonging.1", "voice.1", "outcome.enps"}
	d.Demographics = []survey.Demographic{{Key: "department", Label: "Department", Options: []string{"Sales", "Engineering"}}}
	return d
}

// fieldsOf returns the field names of a validation error, failing the test
// for any other error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var ve *kernel.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a validation error, got %v", err)
	}
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestValidateDraftDefaults(t *testing.T) {
	d, err := survey.ValidateDraft(validDraft(), framework.BuiltIn(), designNow)
	if err != nil {
		t.Fatalf("valid draft refused: %v", err)
	}
	if want := survey.DefaultAnonymity(); d.Anonymity != want {
		t.Errorf("anonymity = %+v, want defaults %+v", d.Anonymity, want)
	}
	if d.PracticalGapPoints != survey.DefaultPracticalGapPoints {
		t.Errorf("practical gap = %v", d.PracticalGapPoints)
	}
	if len(d.Comments) != 1 || d.Comments[0].Key != survey.DefaultCommentKey || d.Comments[0].Prompt != survey.DefaultCommentPrompt {
		t.Errorf("comments = %+v", d.Comments)
	}
	if got := d.Demographics[0].Options; !slices.Equal(got, []string{"Sales", "Engineering", survey.PreferNotToSay}) {
		t.Errorf("options = %q, want Prefer not to say appended", got)
	}
	if d.Schedule.Cadence != survey.CadenceOnce || d.Schedule.WaveDays != 14 || !d.Schedule.OpensAt.IsZero() {
		t.Errorf("schedule = %+v", d.Schedule)
	}
}

func TestValidateDraftPreferNotToSayNotDoubled(t *testing.T) {
	d := validDraft()
	d.Demographics[0].Options = []string{"prefer not to say", "Sales"}
	got, err := survey.ValidateDraft(d, framework.BuiltIn(), designNow)
	if err != nil {
		t.Fatal(err)
	}
	if opts := got.Demographics[0].Options; !slices.Equal(opts, []string{survey.PreferNotToSay, "Sales"}) {
		t.Errorf("options = %q", opts)
	}
}

// TestValidateDraftLookalikePreferNotToSay checks that an option which only
// looks different from "Prefer not to say" (other spaces, invisible
// characters) is that option, so respondents never see two of them.
func TestValidateDraftLookalikePreferNotToSay(t *testing.T) {
	for _, o := range []string{"Prefer\u00a0not to say", "Prefer\u200b not  to say", "PREFER not\tto say\u200e"} {
		d := validDraft()
		d.Title = "  Spring\u00a0\u00a0pulse\n"
		d.Demographics[0].Options = []string{"Sales", o}
		got, err := survey.ValidateDraft(d, framework.BuiltIn(), designNow)
		if err != nil {
			t.Fatalf("%q: %v", o, err)
		}
		if opts := got.Demographics[0].Options; !slices.Equal(opts, []string{"Sales", survey.PreferNotToSay}) {
			t.Errorf("%q: options = %q, want one %q", o, opts, survey.PreferNotToSay)
		}
		if got.Title != "Spring pulse" {
			t.Errorf("title = %q, want its spaces folded", got.Title)
		}
	}
}

func TestValidateDraftScreenAddedBeforeAllyItems(t *testing.T) {
	d := validDraft()
	d.Items = []string{"belonging.1", "ally.confront.self", "ally.confront.experienced", "outcome.enps"}
	got, err := survey.ValidateDraft(d, framework.BuiltIn(), designNow)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"belonging.1", framework.ScreenWitnessed, "ally.confront.self", "ally.confront.experienced", "outcome.enps"}
	if !slices.Equal(got.Items, want) {
		t.Errorf("items = %q, want %q", got.Items, want)
	}
	// A screen chosen after the ally items moves before them.
	d.Items = []string{"ally.confront.self", "belonging.1", framework.ScreenWitnessed}
	got, err = survey.ValidateDraft(d, framework.BuiltIn(), designNow)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{framework.ScreenWitnessed, "ally.confront.self", "belonging.1"}; !slices.Equal(got.Items, want) {
		t.Errorf("items = %q, want %q", got.Items, want)
	}
}

func TestValidateDraftFieldErrors(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*survey.Draft)
		field string
	}{
		{"empty title", func(d *survey.Draft) { d.Title = "  " }, "title"},
		{"long title", func(d *survey.Draft) { d.Title = strings.Repeat("é", 201) }, "title"},
		{"invisible title", func(d *survey.Draft) { d.Title = "\u200b\u200e\u00a0" }, "title"},
		{"control character in title", func(d *survey.Draft) { d.Title = "Spring\x07pulse" }, "title"},
		{"control character in intro", func(d *survey.Draft) { d.Intro = "Hello\x1b[31m" }, "intro"},
		{"invisible option", func(d *survey.Draft) { d.Demographics[0].Options = []string{"Sales", "\u200b"} }, "demographics[0].options[1]"},
		{"option differing only by an invisible character", func(d *survey.Draft) {
			d.Demographics[0].Options = []string{"Sales", "Sa\u200bles"}
		}, "demographics[0].options[1]"},
		{"option differing only by a no-break space", func(d *survey.Draft) {
			d.Demographics[0].Options = []string{"North site", "North\u00a0site"}
		}, "demographics[0].options[1]"},
		{"invisible label", func(d *survey.Draft) { d.Demographics[0].Label = "\u2060" }, "demographics[0].label"},
		{"invisible comment prompt", func(d *survey.Draft) { d.Comments[0].Prompt = "\ufeff" }, "comments[0].prompt"},
		{"no items", func(d *survey.Draft) { d.Items = nil }, "items"},
		{"unknown item", func(d *survey.Draft) { d.Items = append(d.Items, "belonging.99") }, "items[3]"},
		{"duplicate item", func(d *survey.Draft) { d.Items = append(d.Items, "voice.1") }, "items[3]"},
		{"demographic without options", func(d *survey.Draft) { d.Demographics[0].Options = nil }, "demographics[0].options"},
		{"only prefer not to say", func(d *survey.Draft) { d.Demographics[0].Options = []string{survey.PreferNotToSay} }, "demographics[0].options"},
		{"duplicate option", func(d *survey.Draft) { d.Demographics[0].Options = []string{"Sales", "sales"} }, "demographics[0].options[1]"},
		{"duplicate demographic key", func(d *survey.Draft) {
			d.Demographics = append(d.Demographics, survey.Demographic{Key: "department", Label: "Dept", Options: []string{"A"}})
		}, "demographics[1].key"},
		{"bad demographic key", func(d *survey.Draft) { d.Demographics[0].Key = "Dept name" }, "demographics[0].key"},
		{"no label", func(d *survey.Draft) { d.Demographics[0].Label = "" }, "demographics[0].label"},
		{"k below floor", func(d *survey.Draft) { d.Anonymity.MinGroupSize = 2 }, "anonymity.min_group_size"},
		{"k_s below k", func(d *survey.Draft) { d.Anonymity.MinGroupSize = 8; d.Anonymity.MinSensitiveGroupSize = 7 }, "anonymity.min_sensitive_group_size"},
		{"k_d below k", func(d *survey.Draft) { d.Anonymity.MinDistributionSize = 4 }, "anonymity.min_distribution_size"},
		{"k_c below k", func(d *survey.Draft) { d.Anonymity.MinCommentGroupSize = 3 }, "anonymity.min_comment_group_size"},
		{"opens in the past", func(d *survey.Draft) { d.Schedule.OpensAt = designNow.Add(-time.Hour) }, "schedule.opens_at"},
		{"unknown cadence", func(d *survey.Draft) { d.Schedule.Cadence = "daily" }, "schedule.cadence"},
		{"wave too long", func(d *survey.Draft) { d.Schedule.WaveDays = 91 }, "schedule.wave_days"},
		{"wave longer than week", func(d *survey.Draft) { d.Schedule.Cadence = survey.CadenceWeekly; d.Schedule.WaveDays = 7 }, "schedule.wave_days"},
		{"negative wave", func(d *survey.Draft) { d.Schedule.WaveDays = -1 }, "schedule.wave_days"},
		{"gap too large", func(d *survey.Draft) { d.PracticalGapPoints = 51 }, "practical_gap_points"},
		{"gap negative", func(d *survey.Draft) { d.PracticalGapPoints = -1 }, "practical_gap_points"},
		{"comment without prompt", func(d *survey.Draft) { d.Comments[0].Prompt = "" }, "comments[0].prompt"},
		{"rotation on once", func(d *survey.Draft) { d.Rotation = &survey.Rotation{ItemsPerWave: 1, CoverEvery: 2} }, "rotation"},
		{"rotation too small", func(d *survey.Draft) {
			d.Schedule.Cadence = survey.CadenceMonthly
			d.Items = []string{"belonging.1", "belonging.2", "voice.1", "voice.2", "fairness.1"}
			d.Rotation = &survey.Rotation{ItemsPerWave: 1, CoverEvery: 2}
		}, "rotation.items_per_wave"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := validDraft()
			tc.edit(&d)
			_, err := survey.ValidateDraft(d, framework.BuiltIn(), designNow)
			if got := fieldsOf(t, err); !slices.Contains(got, tc.field) {
				t.Errorf("fields = %q, want %q among them", got, tc.field)
			}
		})
	}
}

// TestValidateDraftHugeKNamesOnlyK checks that a minimum group size above the
// ceiling is the only error: the other thresholds are not told to reach it.
func TestValidateDraftHugeKNamesOnlyK(t *testing.T) {
	d := validDraft()
	d.Anonymity.MinGroupSize = 1_000_000_000
	_, err := survey.ValidateDraft(d, framework.BuiltIn(), designNow)
	if got := fieldsOf(t, err); !slices.Equal(got, []string{"anonymity.min_group_size"}) {
		t.Errorf("fields = %q, want only anonymity.min_group_size", got)
	}
}

func TestValidateDraftFutureScheduleAccepted(t *testing.T) {
	d := validDraft()
	d.Schedule = survey.Schedule{Cadence: survey.CadenceQuarterly, OpensAt: designNow.Add(48 * time.Hour), WaveDays: 88}
	if _, err := survey.ValidateDraft(d, framework.BuiltIn(), designNow); err != nil {
		t.Fatalf("quarterly with 88-day waves refused: %v", err)
	}
}
