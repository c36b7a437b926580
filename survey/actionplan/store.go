package actionplan

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"gorm.io/gorm"
)

// focusRow is a row of focus_areas.
type focusRow struct {
	ID          string
	SurveyID    string
	Wave        int
	SourceKind  string
	Metric      string
	MetricName  string
	Dimension   string
	OptionLabel string
	Title       string
	Notes       string
	Revision    int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (focusRow) TableName() string { return "focus_areas" }

// actionRow is a row of plan_actions.
type actionRow struct {
	ID         string
	FocusID    string
	Title      string
	OwnerID    *string
	Due        string
	Status     string
	Notes      string
	Suggestion string
	Revision   int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (actionRow) TableName() string { return "plan_actions" }

func (r focusRow) focus() Focus {
	return Focus{ID: r.ID, SurveyID: r.SurveyID, Wave: r.Wave,
		Source:     Source{Kind: r.SourceKind, Metric: r.Metric, Dimension: r.Dimension, Option: r.OptionLabel},
		MetricName: r.MetricName, Title: r.Title, Notes: r.Notes, Revision: r.Revision, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Actions: []Action{}}
}

func (r actionRow) action() Action {
	a := Action{ID: r.ID, FocusID: r.FocusID, Title: r.Title, Due: r.Due, Status: r.Status, Notes: r.Notes,
		Suggestion: r.Suggestion, Revision: r.Revision, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.OwnerID != nil {
		a.OwnerID = *r.OwnerID
	}
	return a
}

func (p *Plans) now() time.Time { return p.clock.Now().UTC().Truncate(time.Microsecond) }

// List returns the survey's focus areas, oldest first, with their actions
// and the stored name of each focus area's metric.
func (p *Plans) List(ctx context.Context, surveyID string) ([]Focus, error) {
	if _, err := p.surveys.GetSurvey(ctx, surveyID); err != nil {
		return nil, err
	}
	var rows []focusRow
	if err := p.db.WithContext(ctx).Where("survey_id = ?", surveyID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Focus, len(rows))
	at := map[string]int{}
	ids := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.focus()
		at[r.ID] = i
		ids[i] = r.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var acts []actionRow
	if err := p.db.WithContext(ctx).Where("focus_id IN ?", ids).Order("created_at, id").Find(&acts).Error; err != nil {
		return nil, err
	}
	for _, a := range acts {
		i := at[a.FocusID]
		out[i].Actions = append(out[i].Actions, a.action())
	}
	return out, nil
}

// Get returns one focus area of the survey with its actions.
func (p *Plans) Get(ctx context.Context, surveyID, focusID string) (Focus, error) {
	all, err := p.List(ctx, surveyID)
	if err != nil {
		return Focus{}, err
	}
	for _, f := range all {
		if f.ID == focusID {
			return f, nil
		}
	}
	return Focus{}, fmt.Errorf("this survey has no focus area %q: %w", focusID, kernel.ErrNotFound)
}

// CreateFocus adds a focus area taken from a released result of a closed
// wave.
func (p *Plans) CreateFocus(ctx context.Context, surveyID string, in FocusInput) (Focus, error) {
	sv, err := p.surveys.GetSurvey(ctx, surveyID)
	if err != nil {
		return Focus{}, err
	}
	var ve kernel.ValidationError
	in.Title = checkTitle(&ve, "title", in.Title)
	in.Notes = checkNotes(&ve, "notes", in.Notes)
	if err := ve.Err(); err != nil {
		return Focus{}, err
	}
	if _, err := p.closedWave(ctx, sv, in.Wave, "wave"); err != nil {
		return Focus{}, err
	}
	name, err := p.checkSource(ctx, sv, in.Wave, in.Source)
	if err != nil {
		return Focus{}, err
	}
	now := p.now()
	r := focusRow{ID: kernel.NewID(), SurveyID: sv.ID, Wave: in.Wave, SourceKind: in.Source.Kind, Metric: in.Source.Metric,
		MetricName: name, Dimension: in.Source.Dimension, OptionLabel: in.Source.Option, Title: in.Title, Notes: in.Notes,
		CreatedAt: now, UpdatedAt: now}
	if err := p.db.WithContext(ctx).Create(&r).Error; err != nil {
		return Focus{}, err
	}
	return r.focus(), nil
}

// UpdateFocus edits a focus area; an edit made from an older revision is
// refused with ErrConflict.
func (p *Plans) UpdateFocus(ctx context.Context, surveyID, focusID string, ch FocusChange) (Focus, error) {
	var ve kernel.ValidationError
	checkRevision(&ve, ch.Revision)
	set := map[string]any{}
	if ch.Title != nil {
		set["title"] = checkTitle(&ve, "title", *ch.Title)
	}
	if ch.Notes != nil {
		set["notes"] = checkNotes(&ve, "notes", *ch.Notes)
	}
	if err := ve.Err(); err != nil {
		return Focus{}, err
	}
	q := p.db.WithContext(ctx).Model(&focusRow{}).Where("id = ? AND survey_id = ?", focusID, surveyID)
	if err := p.updateAt(ctx, q, *ch.Revision, set, surveyID, focusID, ""); err != nil {
		return Focus{}, err
	}
	return p.Get(ctx, surveyID, focusID)
}

// DeleteFocus removes a focus area and its actions.
func (p *Plans) DeleteFocus(ctx context.Context, surveyID, focusID string) error {
	return p.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("focus_id IN (?)", tx.Model(&focusRow{}).Select("id").
			Where("id = ? AND survey_id = ?", focusID, surveyID)).Delete(&actionRow{}).Error; err != nil {
			return err
		}
		res := tx.Where("id = ? AND survey_id = ?", focusID, surveyID).Delete(&focusRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("this survey has no focus area %q: %w", focusID, kernel.ErrNotFound)
		}
		return nil
	})
}

// CreateAction adds an action to a focus area.
func (p *Plans) CreateAction(ctx context.Context, surveyID, focusID string, in ActionInput) (Action, error) {
	if _, err := p.Get(ctx, surveyID, focusID); err != nil {
		return Action{}, err
	}
	var ve kernel.ValidationError
	in.Title = checkTitle(&ve, "title", in.Title)
	in.Notes = checkNotes(&ve, "notes", in.Notes)
	in.Due = checkDue(&ve, "due", in.Due)
	in.Status = checkStatus(&ve, "status", in.Status)
	if in.Suggestion != "" {
		if _, ok := suggestionByKey(in.Suggestion); !ok {
			ve.Add("suggestion", "is not a suggestion of the framework")
		}
	}
	if err := p.checkOwner(ctx, &ve, in.OwnerID); err != nil {
		return Action{}, err
	}
	if err := ve.Err(); err != nil {
		return Action{}, err
	}
	now := p.now()
	r := actionRow{ID: kernel.NewID(), FocusID: focusID, Title: in.Title, Due: in.Due, Status: in.Status,
		Notes: in.Notes, Suggestion: in.Suggestion, CreatedAt: now, UpdatedAt: now}
	if in.OwnerID != "" {
		r.OwnerID = &in.OwnerID
	}
	if err := p.db.WithContext(ctx).Create(&r).Error; err != nil {
		return Action{}, err
	}
	return r.action(), nil
}

// UpdateAction edits an action; an edit made from an older revision is
// refused with ErrConflict.
func (p *Plans) UpdateAction(ctx context.Context, surveyID, focusID, actionID string, ch ActionChange) (Action, error) {
	if _, err := p.Get(ctx, surveyID, focusID); err != nil {
		return Action{}, err
	}
	var ve kernel.ValidationError
	checkRevision(&ve, ch.Revision)
	set := map[string]any{}
	if ch.Title != nil {
		set["title"] = checkTitle(&ve, "title", *ch.Title)
	}
	if ch.Notes != nil {
		set["notes"] = checkNotes(&ve, "notes", *ch.Notes)
	}
	if ch.Due != nil {
		set["due"] = checkDue(&ve, "due", *ch.Due)
	}
	if ch.Status != nil {
		if *ch.Status == "" {
			ve.Add("status", "must be one of planned, in_progress, done, dropped")
		} else {
			set["status"] = checkStatus(&ve, "status", *ch.Status)
		}
	}
	if ch.OwnerID != nil {
		if err := p.checkOwner(ctx, &ve, *ch.OwnerID); err != nil {
			return Action{}, err
		}
		if *ch.OwnerID == "" {
			set["owner_id"] = nil
		} else {
			set["owner_id"] = *ch.OwnerID
		}
	}
	if err := ve.Err(); err != nil {
		return Action{}, err
	}
	q := p.db.WithContext(ctx).Model(&actionRow{}).Where("id = ? AND focus_id = ?", actionID, focusID)
	if err := p.updateAt(ctx, q, *ch.Revision, set, surveyID, focusID, actionID); err != nil {
		return Action{}, err
	}
	var r actionRow
	if err := p.db.WithContext(ctx).Where("id = ?", actionID).Take(&r).Error; err != nil {
		return Action{}, err
	}
	return r.action(), nil
}

// DeleteAction removes an action.
func (p *Plans) DeleteAction(ctx context.Context, surveyID, focusID, actionID string) error {
	if _, err := p.Get(ctx, surveyID, focusID); err != nil {
		return err
	}
	res := p.db.WithContext(ctx).Where("id = ? AND focus_id = ?", actionID, focusID).Delete(&actionRow{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("this focus area has no action %q: %w", actionID, kernel.ErrNotFound)
	}
	return nil
}

// updateAt applies set to the row q selects when it is still at revision
// rev, raising its revision; otherwise ErrNotFound or ErrConflict.
func (p *Plans) updateAt(ctx context.Context, q *gorm.DB, rev int, set map[string]any, surveyID, focusID, actionID string) error {
	set["revision"] = rev + 1
	set["updated_at"] = p.now()
	res := q.Where("revision = ?", rev).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return p.missingOrChanged(ctx, surveyID, focusID, actionID)
	}
	return nil
}

// checkOwner records a problem when id is not an active staff user.
func (p *Plans) checkOwner(ctx context.Context, ve *kernel.ValidationError, id string) error {
	if id == "" {
		return nil
	}
	_, err := p.owners.OwnerName(ctx, id)
	if errors.Is(err, kernel.ErrNotFound) {
		ve.Add("owner_id", "is not an active staff user")
		return nil
	}
	return err
}

// missingOrChanged tells a vanished row (ErrNotFound) from one changed by
// someone else since it was read (ErrConflict).
func (p *Plans) missingOrChanged(ctx context.Context, surveyID, focusID, actionID string) error {
	var n int64
	q := p.db.WithContext(ctx)
	if actionID == "" {
		q = q.Model(&focusRow{}).Where("id = ? AND survey_id = ?", focusID, surveyID)
	} else {
		q = q.Model(&actionRow{}).Where("id = ? AND focus_id = ?", actionID, focusID)
	}
	if err := q.Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("not found: %w", kernel.ErrNotFound)
	}
	return fmt.Errorf("someone else changed this since you loaded it; reload and make your change again: %w", kernel.ErrConflict)
}
