package survey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey/framework"
)

// Limits on custom items.
const (
	MaxItemTextChars  = 300
	MaxItemOptions    = 10
	MaxConstructChars = 100
)

// itemKeyPattern is what a custom item or construct key looks like.
var itemKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9_.-]{0,63}$`)

// CustomItemInput is a lead's new item for the bank. The item belongs to a
// competency: an existing one (Construct) or a new custom one (NewConstruct).
type CustomItemInput struct {
	Key          string
	Text         string
	Scale        string
	Construct    string
	Reverse      bool
	Options      []string
	Source       string
	NewConstruct *CustomConstructInput
}

// CustomConstructInput is a new custom competency.
type CustomConstructInput struct {
	Key         string
	Name        string
	Description string
	Source      string
}

type customConstructRow struct {
	Key         string `gorm:"primaryKey;column:key"`
	Name        string
	Kind        string
	Description string
	Source      string
	CreatedAt   time.Time
}

func (customConstructRow) TableName() string { return "custom_constructs" }

type customItemRow struct {
	Key         string `gorm:"primaryKey;column:key"`
	Text        string
	Scale       string
	Construct   string
	Behaviour   string
	Perspective string
	Reverse     bool
	Source      string
	Options     string
	CreatedBy   string
	CreatedAt   time.Time
}

func (customItemRow) TableName() string { return "custom_items" }

// Framework returns the built-in framework merged with the custom constructs
// and items stored in the database.
func (s *Store) Framework(ctx context.Context) (framework.Framework, error) {
	var crows []customConstructRow
	if err := s.db.WithContext(ctx).Order("created_at, key").Find(&crows).Error; err != nil {
		return framework.Framework{}, err
	}
	var irows []customItemRow
	if err := s.db.WithContext(ctx).Order("created_at, key").Find(&irows).Error; err != nil {
		return framework.Framework{}, err
	}
	constructs := make([]framework.Construct, 0, len(crows))
	for _, r := range crows {
		constructs = append(constructs, framework.Construct{Key: r.Key, Name: r.Name, Kind: r.Kind, Description: r.Description, Source: r.Source})
	}
	items := make([]framework.Item, 0, len(irows))
	for _, r := range irows {
		it := framework.Item{Key: r.Key, Text: r.Text, Scale: r.Scale, Construct: r.Construct,
			Behaviour: r.Behaviour, Perspective: r.Perspective, Reverse: r.Reverse, Source: r.Source}
		if err := json.Unmarshal([]byte(r.Options), &it.Options); err != nil {
			return framework.Framework{}, fmt.Errorf("custom item %s options: %w", r.Key, err)
		}
		if len(it.Options) == 0 {
			it.Options = nil
		}
		items = append(items, it)
	}
	return framework.BuiltIn().WithCustom(constructs, items), nil
}

// AddCustomItem validates a custom item against the current framework and
// stores it, with its new competency if it brings one.
func (s *Store) AddCustomItem(ctx context.Context, in CustomItemInput, createdBy string, now time.Time) (framework.Item, error) {
	fw, err := s.Framework(ctx)
	if err != nil {
		return framework.Item{}, err
	}
	it, cons, err := validateCustomItem(in, fw)
	if err != nil {
		return framework.Item{}, err
	}
	options, err := json.Marshal(append([]string{}, it.Options...))
	if err != nil {
		return framework.Item{}, err
	}
	now = now.UTC()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if cons != nil {
			row := customConstructRow{Key: cons.Key, Name: cons.Name, Kind: cons.Kind, Description: cons.Description, Source: cons.Source, CreatedAt: now}
			if err := tx.Create(&row).Error; err != nil {
				return duplicateAs(err, "new_construct.key")
			}
		}
		row := customItemRow{Key: it.Key, Text: it.Text, Scale: it.Scale, Construct: it.Construct, Reverse: it.Reverse,
			Source: it.Source, Options: string(options), CreatedBy: createdBy, CreatedAt: now}
		return duplicateAs(tx.Create(&row).Error, "key")
	})
	if err != nil {
		return framework.Item{}, err
	}
	it.Custom = true
	return it, nil
}

// duplicateAs reports a unique-key violation as a validation error of field.
func duplicateAs(err error, field string) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return kernel.InvalidCode(field, kernel.CodeDuplicate, "is already used")
	}
	return err
}

// validateCustomItem checks a custom item and returns it with the new
// construct (nil when it joins an existing competency).
func validateCustomItem(in CustomItemInput, fw framework.Framework) (framework.Item, *framework.Construct, error) {
	ve := &kernel.ValidationError{}
	it := framework.Item{
		Key: strings.TrimSpace(in.Key), Text: oneLine(in.Text), Scale: strings.TrimSpace(in.Scale),
		Construct: strings.TrimSpace(in.Construct), Reverse: in.Reverse, Source: strings.TrimSpace(in.Source),
	}
	if it.Key == "" {
		it.Key = "custom." + kernel.NewID()
	}
	if !itemKeyPattern.MatchString(it.Key) {
		ve.Add("key", "use up to 64 lower-case letters, digits, dots, dashes or _, starting with a letter")
	} else if _, taken := fw.Item(it.Key); taken {
		ve.AddCode("key", kernel.CodeDuplicate, "is already used")
	}
	if checkText(ve, "text", it.Text, MaxItemTextChars, false) && len(strings.Fields(it.Text)) > framework.MaxItemWords {
		ve.Add("text", fmt.Sprintf("keep it to %d words and one idea", framework.MaxItemWords))
	}
	if utf8.RuneCountInString(it.Source) > MaxLabelChars {
		ve.AddCode("source", kernel.CodeTooLong, fmt.Sprintf("the limit is %d characters", MaxLabelChars))
	}
	scale, ok := fw.Scale(it.Scale)
	switch {
	case !ok || it.Scale == framework.ScaleText:
		ve.Add("scale", "must be one of agree5, frequency5, nps11, single")
	case it.Scale == framework.ScaleSingle:
		if len(in.Options) < 2 || len(in.Options) > MaxItemOptions {
			ve.Add("options", fmt.Sprintf("a choice item needs 2 to %d options", MaxItemOptions))
		}
		seen := map[string]bool{}
		for i, o := range in.Options {
			o = oneLine(o)
			field := fmt.Sprintf("options[%d]", i)
			if checkText(ve, field, o, MaxOptionChars, false) && seen[sameKey(o)] {
				ve.Add(field, "repeats an earlier option")
			}
			seen[sameKey(o)] = true
			it.Options = append(it.Options, o)
		}
		if it.Reverse {
			ve.Add("reverse", "only items on an ordered scale can be reverse-keyed")
		}
	case len(in.Options) > 0:
		ve.Add("options", fmt.Sprintf("items on the %s scale have no options", scale.Key))
	}
	cons := customConstruct(ve, in, &it, fw)
	if err := ve.Err(); err != nil {
		return framework.Item{}, nil, err
	}
	return it, cons, nil
}

// customConstruct checks the item's competency, creating the new one if asked.
func customConstruct(ve *kernel.ValidationError, in CustomItemInput, it *framework.Item, fw framework.Framework) *framework.Construct {
	if in.NewConstruct == nil {
		c, ok := fw.Construct(it.Construct)
		if !ok || c.Kind != framework.KindCompetency {
			ve.Add("construct", "must be a competency of the framework, or send new_construct")
		}
		return nil
	}
	c := framework.Construct{
		Key: strings.TrimSpace(in.NewConstruct.Key), Name: oneLine(in.NewConstruct.Name),
		Description: strings.TrimSpace(in.NewConstruct.Description), Source: strings.TrimSpace(in.NewConstruct.Source),
		Kind: framework.KindCompetency, Custom: true,
	}
	if it.Construct != "" && it.Construct != c.Key {
		ve.Add("construct", "leave it empty or equal to new_construct.key")
	}
	if !keyPattern.MatchString(c.Key) {
		ve.Add("new_construct.key", "use 1 to 40 lower-case letters, digits or _, starting with a letter")
	} else if _, taken := fw.Construct(c.Key); taken {
		ve.AddCode("new_construct.key", kernel.CodeDuplicate, "is already used")
	}
	checkText(ve, "new_construct.name", c.Name, MaxConstructChars, false)
	if utf8.RuneCountInString(c.Description) > MaxLabelChars || utf8.RuneCountInString(c.Source) > MaxLabelChars {
		ve.Add("new_construct", fmt.Sprintf("description and source are limited to %d characters", MaxLabelChars))
	}
	it.Construct = c.Key
	return &c
}
