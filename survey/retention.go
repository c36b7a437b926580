// retention.go: the responses and comments of waves that closed longer ago
// than their survey's retention period are deleted. What was released from
// them stays: the results engine keeps the stored snapshots of the wave's
// results and marks them as outliving their data
// (report.Engine.MarkResponsesDeleted).
package survey

import (
	"context"
	"errors"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"gorm.io/gorm"
)

// MaxRetentionMonths is the longest retention period that can be set (50 years);
// 0 keeps responses for as long as the survey exists.
const MaxRetentionMonths = 600

// RetentionWave is one wave that retention deletes, or would delete in a
// dry run.
type RetentionWave struct {
	SurveyID    string    `json:"survey_id"`
	SurveyTitle string    `json:"survey_title"`
	Wave        int       `json:"wave"`
	ClosedAt    time.Time `json:"closed_at"`
	// Months is the survey's retention period.
	Months    int `json:"retention_months"`
	Responses int `json:"responses"`
	Comments  int `json:"comments"`
	// WaveID names the wave for the results engine's mark.
	WaveID string `json:"-"`
}

// SetRetentionMonths sets the retention period of a survey in months (0: keep).
func (s *Store) SetRetentionMonths(ctx context.Context, surveyID string, months int) error {
	if months < 0 || months > MaxRetentionMonths {
		return kernel.Invalid("months", "must be a whole number of months from 0 (keep) to 600")
	}
	res := s.db.WithContext(ctx).Table("surveys").Where("id = ?", surveyID).Update("retention_months", months)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return kernel.ErrNotFound
	}
	return nil
}

// RetentionWaveState is a wave as retention sees it.
type RetentionWaveState struct {
	Wave     int       `json:"wave"`
	ClosesAt time.Time `json:"closes_at"`
	// DeleteAfter is when the wave's responses are due to go; nil while the
	// survey keeps them.
	DeleteAfter *time.Time `json:"delete_after"`
	// DeletedAt is when they went; nil while they are kept.
	DeletedAt *time.Time `json:"responses_deleted_at"`
}

// RetentionPolicy is a survey's retention period and where each wave stands.
type RetentionPolicy struct {
	Months int                  `json:"months"`
	Waves  []RetentionWaveState `json:"waves"`
}

// RetentionPolicy returns the survey's retention period and its waves.
func (s *Store) RetentionPolicy(ctx context.Context, surveyID string) (RetentionPolicy, error) {
	var sv struct{ RetentionMonths int }
	err := s.db.WithContext(ctx).Table("surveys").Select("retention_months").Where("id = ?", surveyID).Take(&sv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return RetentionPolicy{}, kernel.ErrNotFound
	}
	if err != nil {
		return RetentionPolicy{}, err
	}
	var rows []struct {
		Number             int
		ClosesAt           time.Time
		ResponsesDeletedAt *time.Time
	}
	err = s.db.WithContext(ctx).Table("waves").Select("number, closes_at, responses_deleted_at").
		Where("survey_id = ?", surveyID).Order("number").Find(&rows).Error
	if err != nil {
		return RetentionPolicy{}, err
	}
	p := RetentionPolicy{Months: sv.RetentionMonths, Waves: make([]RetentionWaveState, len(rows))}
	for i, r := range rows {
		w := RetentionWaveState{Wave: r.Number, ClosesAt: r.ClosesAt.UTC()}
		if p.Months > 0 {
			at := deleteAfter(w.ClosesAt, p.Months)
			w.DeleteAfter = &at
		}
		if r.ResponsesDeletedAt != nil {
			at := r.ResponsesDeletedAt.UTC()
			w.DeletedAt = &at
		}
		p.Waves[i] = w
	}
	return p, nil
}

// deleteAfter is when a wave closed at closed is due under a period of
// months: the same day and time, that many calendar months later.
func deleteAfter(closed time.Time, months int) time.Time {
	return closed.AddDate(0, months, 0)
}

// RetentionDue lists the waves whose responses are due for deletion at now,
// with how many responses and comments each still holds.
func (s *Store) RetentionDue(ctx context.Context, now time.Time) ([]RetentionWave, error) {
	now = now.UTC()
	var rows []struct {
		WaveID          string
		SurveyID        string
		Title           string
		Number          int
		ClosesAt        time.Time
		RetentionMonths int
	}
	err := s.db.WithContext(ctx).Table("waves").
		Select("waves.id AS wave_id, surveys.id AS survey_id, surveys.title, waves.number, waves.closes_at, surveys.retention_months").
		Joins("JOIN surveys ON surveys.id = waves.survey_id").
		Where("surveys.retention_months > 0 AND waves.responses_deleted_at IS NULL AND waves.closes_at <= ?", now).
		Order("surveys.id, waves.number").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	var out []RetentionWave
	for _, r := range rows {
		closed := r.ClosesAt.UTC()
		if deleteAfter(closed, r.RetentionMonths).After(now) {
			continue
		}
		w := RetentionWave{SurveyID: r.SurveyID, SurveyTitle: r.Title, Wave: r.Number, ClosedAt: closed, Months: r.RetentionMonths, WaveID: r.WaveID}
		if w.Responses, err = s.countOf(ctx, "responses", r.WaveID); err != nil {
			return nil, err
		}
		if w.Comments, err = s.countOf(ctx, "comments", r.WaveID); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// countOf counts the rows of table (responses or comments) of a wave.
func (s *Store) countOf(ctx context.Context, table, waveID string) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Table(table).Where("wave_id = ?", waveID).Count(&n).Error
	return int(n), err
}

// DeleteRetained removes the responses and comments of w, a wave from
// RetentionDue, and marks the wave. It returns w with the counts actually
// deleted; a wave another process handled meanwhile deletes nothing and
// reports zero.
func (s *Store) DeleteRetained(ctx context.Context, w RetentionWave, now time.Time) (RetentionWave, error) {
	now = now.UTC().Truncate(time.Microsecond)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Table("waves").Where("id = ? AND responses_deleted_at IS NULL", w.WaveID).Update("responses_deleted_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			w.Responses, w.Comments = 0, 0
			return nil
		}
		res = tx.Exec("DELETE FROM responses WHERE wave_id = ?", w.WaveID)
		if res.Error != nil {
			return res.Error
		}
		w.Responses = int(res.RowsAffected)
		res = tx.Exec("DELETE FROM comments WHERE wave_id = ?", w.WaveID)
		if res.Error != nil {
			return res.Error
		}
		w.Comments = int(res.RowsAffected)
		return nil
	})
	return w, err
}
