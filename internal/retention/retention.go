// Package retention deletes the responses and comments of survey waves that
// closed longer ago than their survey's retention period. What was
// released from them stays: the stored snapshots of the wave's results are
// kept and marked as outliving their data.
package retention

import (
	"context"
	"errors"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"gorm.io/gorm"
)

// MaxMonths is the longest retention period that can be set (50 years);
// 0 keeps responses for as long as the survey exists.
const MaxMonths = 600

// Wave is one wave that retention deletes, or would delete in a dry run.
type Wave struct {
	SurveyID    string    `json:"survey_id"`
	SurveyTitle string    `json:"survey_title"`
	Wave        int       `json:"wave"`
	ClosedAt    time.Time `json:"closed_at"`
	// Months is the survey's retention period.
	Months    int `json:"retention_months"`
	Responses int `json:"responses"`
	Comments  int `json:"comments"`

	waveID string
}

// Store reads and applies retention on the database.
type Store struct {
	db    *gorm.DB
	clock kernel.Clock
}

// New returns a Store; clock tells when a wave's period has passed.
func New(db *gorm.DB, clock kernel.Clock) *Store {
	if clock == nil {
		clock = kernel.SystemClock{}
	}
	return &Store{db: db, clock: clock}
}

// SetMonths sets the retention period of a survey in months (0: keep).
func (s *Store) SetMonths(ctx context.Context, surveyID string, months int) error {
	if months < 0 || months > MaxMonths {
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

// WaveState is a wave as retention sees it.
type WaveState struct {
	Wave     int       `json:"wave"`
	ClosesAt time.Time `json:"closes_at"`
	// DeleteAfter is when the wave's responses are due to go; nil while the
	// survey keeps them.
	DeleteAfter *time.Time `json:"delete_after"`
	// DeletedAt is when they went; nil while they are kept.
	DeletedAt *time.Time `json:"responses_deleted_at"`
}

// Policy is a survey's retention period and where each wave stands.
type Policy struct {
	Months int         `json:"months"`
	Waves  []WaveState `json:"waves"`
}

// Policy returns the survey's retention period and its waves.
func (s *Store) Policy(ctx context.Context, surveyID string) (Policy, error) {
	var sv struct{ RetentionMonths int }
	err := s.db.WithContext(ctx).Table("surveys").Select("retention_months").Where("id = ?", surveyID).Take(&sv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Policy{}, kernel.ErrNotFound
	}
	if err != nil {
		return Policy{}, err
	}
	var rows []struct {
		Number             int
		ClosesAt           time.Time
		ResponsesDeletedAt *time.Time
	}
	err = s.db.WithContext(ctx).Table("waves").Select("number, closes_at, responses_deleted_at").
		Where("survey_id = ?", surveyID).Order("number").Find(&rows).Error
	if err != nil {
		return Policy{}, err
	}
	p := Policy{Months: sv.RetentionMonths, Waves: make([]WaveState, len(rows))}
	for i, r := range rows {
		w := WaveState{Wave: r.Number, ClosesAt: r.ClosesAt.UTC()}
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

// Due lists the waves whose responses are due for deletion now, with how
// many responses and comments each still holds.
func (s *Store) Due(ctx context.Context) ([]Wave, error) {
	now := s.clock.Now().UTC()
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
	var out []Wave
	for _, r := range rows {
		closed := r.ClosesAt.UTC()
		if deleteAfter(closed, r.RetentionMonths).After(now) {
			continue
		}
		w := Wave{SurveyID: r.SurveyID, SurveyTitle: r.Title, Wave: r.Number, ClosedAt: closed, Months: r.RetentionMonths, waveID: r.WaveID}
		if w.Responses, err = s.count(ctx, "responses", r.WaveID); err != nil {
			return nil, err
		}
		if w.Comments, err = s.count(ctx, "comments", r.WaveID); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

func (s *Store) count(ctx context.Context, table, waveID string) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Table(table).Where("wave_id = ?", waveID).Count(&n).Error
	return int(n), err
}

// Delete removes the responses and comments of w, a wave from Due, and
// marks the wave and its stored snapshots. It returns w with the counts
// actually deleted; a wave another process handled meanwhile deletes
// nothing and reports zero.
func (s *Store) Delete(ctx context.Context, w Wave) (Wave, error) {
	now := s.clock.Now().UTC().Truncate(time.Microsecond)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Table("waves").Where("id = ? AND responses_deleted_at IS NULL", w.waveID).Update("responses_deleted_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			w.Responses, w.Comments = 0, 0
			return nil
		}
		res = tx.Exec("DELETE FROM responses WHERE wave_id = ?", w.waveID)
		if res.Error != nil {
			return res.Error
		}
		w.Responses = int(res.RowsAffected)
		res = tx.Exec("DELETE FROM comments WHERE wave_id = ?", w.waveID)
		if res.Error != nil {
			return res.Error
		}
		w.Comments = int(res.RowsAffected)
		return tx.Table("report_snapshots").Where("wave_id = ?", w.waveID).Update("responses_deleted", true).Error
	})
	return w, err
}
