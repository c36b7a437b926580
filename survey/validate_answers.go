package survey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey/framework"
)

// MaxCommentLength caps one comment, in characters.
const MaxCommentLength = 2000

// NotApplicableAnswer is the JSON string that answers "No opportunity" on a
// scale that allows it.
const NotApplicableAnswer = "na"

// Submission is what a respondent sends: answers by item key, demographics
// by key (an option's text), comments by prompt key.
type Submission struct {
	Answers      map[string]AnswerValue `json:"answers"`
	Demographics map[string]string      `json:"demographics"`
	Comments     map[string]string      `json:"comments"`
}

type answerKind uint8

const (
	answerInvalid answerKind = iota
	answerNumber
	answerText
)

// AnswerValue is one answer as sent: a number on the item's scale, the text
// of an option for a single-choice item, or "na" for "No opportunity". Any
// other JSON value decodes without error and is refused by validation with
// the item's field name, so the respondent learns which answer is wrong.
type AnswerValue struct {
	kind answerKind
	num  float64
	text string
}

// ScaleAnswer answers a value on an ordinal scale.
func ScaleAnswer(v int) AnswerValue { return AnswerValue{kind: answerNumber, num: float64(v)} }

// ChoiceAnswer answers a single-choice item with one of its options.
func ChoiceAnswer(option string) AnswerValue { return AnswerValue{kind: answerText, text: option} }

// NotApplicable answers "No opportunity".
func NotApplicable() AnswerValue { return ChoiceAnswer(NotApplicableAnswer) }

// UnmarshalJSON accepts any JSON value; see AnswerValue.
func (a *AnswerValue) UnmarshalJSON(b []byte) error {
	*a = AnswerValue{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		var s string
		if json.Unmarshal(b, &s) == nil {
			*a = AnswerValue{kind: answerText, text: s}
		}
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		// The decoder has already checked the number's syntax.
		if f, err := strconv.ParseFloat(string(b), 64); err == nil {
			*a = AnswerValue{kind: answerNumber, num: f}
		}
	}
	return nil
}

// MarshalJSON writes the answer as it was sent.
func (a AnswerValue) MarshalJSON() ([]byte, error) {
	switch a.kind {
	case answerNumber:
		return json.Marshal(a.num)
	case answerText:
		return json.Marshal(a.text)
	}
	return []byte("null"), nil
}

// askedItem is what validation needs to know about one item asked in a wave.
type askedItem struct {
	key     string
	index   int // position in Design.Items, i.e. in Response.Answers
	scale   framework.Scale
	options []string
	gatedBy string
}

// askedItems resolves the items a wave asks. A wave without its own list asks
// every item of the design.
func askedItems(fw framework.Framework, d Design, w Wave) ([]askedItem, error) {
	keys := w.Items
	if len(keys) == 0 {
		keys = d.Items
	}
	out := make([]askedItem, 0, len(keys))
	for _, key := range keys {
		idx := d.ItemIndex(key)
		if idx < 0 {
			return nil, fmt.Errorf("wave %s asks %q, which is not in the survey design", w.ID, key)
		}
		it, ok := fw.Item(key)
		if !ok {
			return nil, fmt.Errorf("item %q is not in the framework", key)
		}
		sc, ok := fw.Scale(it.Scale)
		if !ok {
			return nil, fmt.Errorf("item %q has unknown scale %q", key, it.Scale)
		}
		out = append(out, askedItem{key: key, index: idx, scale: sc, options: it.Options, gatedBy: it.GatedBy})
	}
	return out, nil
}

// encodedSubmission is a validated submission in storage form.
type encodedSubmission struct {
	demo     []byte
	answers  []byte
	comments []storedComment
}

// storedComment is one scrubbed comment with the non-sensitive segment
// attributes it may be filtered by.
type storedComment struct {
	prompt  string
	body    string
	segment string
}

// screenNo is the option index of "No" on a screen item: it skips the items
// the screen gates.
const screenNo = 1

// validateSubmission checks a submission against the survey design and the
// items the wave asks, and encodes it. segment holds the attributes fixed by
// an invite batch. Rules (one field error each):
//   - answers: an unknown or rotated-out item; a wrong type; a number off the
//     scale or not whole; "na" where the scale has no "No opportunity"; an
//     option not offered; an item gated by a screen answered "No".
//   - Items are optional, so people may skip what they do not want to answer,
//     but a submission must answer at least one item, and the screen is
//     required when any item it gates is answered.
//   - demographics: an undeclared key, an undeclared option, or a value other
//     than the one the invitation fixed.
//   - comments: an unknown prompt or more than MaxCommentLength characters.
func validateSubmission(d Design, items []askedItem, segment map[string]string, sub Submission) (encodedSubmission, error) {
	ve := &kernel.ValidationError{}
	enc := encodedSubmission{demo: make([]byte, len(d.Demographics)), answers: make([]byte, len(d.Items))}

	byKey := make(map[string]*askedItem, len(items))
	for i := range items {
		byKey[items[i].key] = &items[i]
	}
	for key, v := range sub.Answers {
		field := "answers." + key
		it, ok := byKey[key]
		if !ok {
			if d.ItemIndex(key) >= 0 {
				ve.Add(field, "is not asked in this round of the survey")
			} else {
				ve.AddCode(field, kernel.CodeUnknown, "is not a question of this survey")
			}
			continue
		}
		b, msg := encodeAnswer(it, v)
		if msg != "" {
			ve.Add(field, msg)
			continue
		}
		enc.answers[it.index] = b
	}
	answered := 0
	for _, it := range items {
		if enc.answers[it.index] != AnswerMissing {
			answered++
		}
		if it.gatedBy == "" {
			continue
		}
		screen, ok := byKey[it.gatedBy]
		if !ok {
			continue
		}
		if enc.answers[it.index] == AnswerMissing {
			continue // not answered, or already refused with its own message
		}
		switch enc.answers[screen.index] {
		case AnswerMissing:
			if _, sentScreen := sub.Answers[screen.key]; !sentScreen {
				ve.Add("answers."+screen.key, "is required when you answer the questions it leads to")
			}
		case EncodeAnswer(screenNo):
			ve.Add("answers."+it.key, "is skipped when the answer to "+screen.key+" is No")
		}
	}
	if answered == 0 && len(ve.Fields) == 0 {
		ve.Add("answers", "answer at least one question")
	}

	commentSegment := map[string]string{}
	for i, dm := range d.Demographics {
		fixed, isFixed := segment[dm.Key]
		sent := strings.TrimSpace(sub.Demographics[dm.Key])
		value := sent
		if isFixed {
			if sent != "" && sent != fixed {
				ve.Add("demographics."+dm.Key, "is already set by your invitation")
				continue
			}
			value = fixed
		}
		if value == "" {
			continue
		}
		idx := dm.OptionIndex(value)
		if idx < 0 {
			ve.Add("demographics."+dm.Key, "must be one of the listed options")
			continue
		}
		enc.demo[i] = byte(idx + 1)
		if !dm.Sensitive {
			commentSegment[dm.Key] = value
		}
	}
	for key := range sub.Demographics {
		if _, _, ok := d.Demographic(key); !ok {
			ve.AddCode("demographics."+key, kernel.CodeUnknown, "is not a question of this survey")
		}
	}

	segJSON, err := json.Marshal(commentSegment)
	if err != nil {
		return encodedSubmission{}, err
	}
	for key, text := range sub.Comments {
		field := "comments." + key
		if !hasCommentPrompt(d, key) {
			ve.Add(field, "is not a comment question of this survey")
			continue
		}
		if !utf8.ValidString(text) {
			ve.Add(field, "is not valid text")
			continue
		}
		if utf8.RuneCountInString(text) > MaxCommentLength {
			ve.AddCode(field, kernel.CodeTooLong, fmt.Sprintf("must be at most %d characters", MaxCommentLength))
			continue
		}
		body := strings.TrimSpace(text)
		if body == "" {
			continue
		}
		enc.comments = append(enc.comments, storedComment{prompt: key, body: Scrub(body), segment: string(segJSON)})
	}
	if err := ve.Err(); err != nil {
		return encodedSubmission{}, err
	}
	return enc, nil
}

// encodeAnswer returns the stored byte of one answer, or a message saying
// why the answer is refused.
func encodeAnswer(it *askedItem, v AnswerValue) (byte, string) {
	sc := it.scale
	switch {
	case sc.Key == framework.ScaleText:
		return 0, "is a free-text question; send it under comments"
	case !sc.Ordinal():
		if v.kind != answerText {
			return 0, "must be one of the listed options, as text"
		}
		for i, o := range it.options {
			if o == v.text {
				return byte(i + 1), ""
			}
		}
		return 0, "must be one of the listed options"
	case v.kind == answerText && v.text == NotApplicableAnswer:
		if !sc.AllowsNA {
			return 0, "does not offer a \"" + NotApplicableAnswer + "\" answer"
		}
		return AnswerNA, ""
	case v.kind != answerNumber:
		return 0, fmt.Sprintf("must be a whole number from %d to %d", sc.Min, sc.Max)
	case v.num != math.Trunc(v.num) || v.num < float64(sc.Min) || v.num > float64(sc.Max):
		return 0, fmt.Sprintf("must be a whole number from %d to %d", sc.Min, sc.Max)
	}
	return EncodeAnswer(int(v.num)), ""
}

func hasCommentPrompt(d Design, key string) bool {
	for _, c := range d.Comments {
		if c.Key == key {
			return true
		}
	}
	return false
}

// validateSegment checks the attributes of an invite batch or of a synthetic
// response: every key a declared demographic, every value one of its options.
func validateSegment(d Design, segment map[string]string) error {
	ve := &kernel.ValidationError{}
	for key, value := range segment {
		dm, _, ok := d.Demographic(key)
		if !ok {
			ve.Add("segment."+key, "is not a demographic of this survey")
			continue
		}
		if dm.OptionIndex(value) < 0 {
			ve.Add("segment."+key, "must be one of the demographic's options")
		}
	}
	return ve.Err()
}
