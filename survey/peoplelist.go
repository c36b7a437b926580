package survey

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/shortcode"
	"github.com/allypulse/allypulse/survey/people"
)

// A wave's people list: the lead's e-mail addresses, each with a personal
// short code, kept only until the wave closes (PurgeClosedPeople). Each
// group of people sharing attributes becomes an invite batch with those
// attributes, so the attributes travel with the ballot and never with the
// person: the batch's segment picks the ballot's signing key
// (survey/ballots.go).

type personRow struct {
	ID       string `gorm:"primaryKey"`
	WaveID   string
	Email    string
	Code     string
	CodeHash string
}

func (personRow) TableName() string { return "wave_people" }

// Dimensions returns the survey's demographic questions as the people list
// reads them.
func Dimensions(sv Survey) []people.Dimension {
	out := make([]people.Dimension, len(sv.Design.Demographics))
	for i, d := range sv.Design.Demographics {
		out[i] = people.Dimension{Key: d.Key, Label: d.Label, Options: d.Options, Sensitive: d.Sensitive}
	}
	return out
}

// PeopleEmails returns the addresses already on wave w's list.
func (s *Store) PeopleEmails(ctx context.Context, w Wave) (map[string]bool, error) {
	var emails []string
	if err := s.db.WithContext(ctx).Model(&personRow{}).Where("wave_id = ?", w.ID).Pluck("email", &emails).Error; err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(emails))
	for _, e := range emails {
		out[e] = true
	}
	return out, nil
}

// PeopleCount returns how many people are on wave w's list.
func (s *Store) PeopleCount(ctx context.Context, w Wave) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&personRow{}).Where("wave_id = ?", w.ID).Count(&n).Error
	return int(n), err
}

// ImportPeople stores groups (already checked by people.Groups) on wave
// w's list in one transaction: all of them or, on an error, none.
func (s *Store) ImportPeople(ctx context.Context, sv Survey, w Wave, groups []people.Group, now time.Time) (int, error) {
	if w.SurveyID != sv.ID {
		return 0, kernel.ErrNotFound
	}
	if w.Status(now) == WaveClosed || sv.Status == StatusClosed || sv.Status == StatusArchived {
		return 0, kernel.ErrClosed
	}
	n := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, g := range groups {
			if err := validateSegment(sv.Design, g.Attributes); err != nil {
				return err
			}
			seg, err := json.Marshal(g.Attributes)
			if err != nil {
				return err
			}
			batch := inviteBatchRow{ID: kernel.NewID(), WaveID: w.ID, Segment: string(seg), Count: len(g.People), CreatedAt: now.UTC().Truncate(time.Microsecond)}
			if err := tx.Create(&batch).Error; err != nil {
				return err
			}
			invites := make([]inviteRow, len(g.People))
			persons := make([]personRow, len(g.People))
			for i, p := range g.People {
				code := shortcode.New()
				hash := kernel.HashSecret(code)
				invites[i] = inviteRow{CodeHash: hash, BatchID: batch.ID, WaveID: w.ID}
				persons[i] = personRow{ID: kernel.NewID(), WaveID: w.ID, Email: p.Email, Code: code, CodeHash: hash}
			}
			if err := tx.CreateInBatches(invites, insertChunk).Error; err != nil {
				return err
			}
			if err := tx.CreateInBatches(persons, insertChunk).Error; err != nil {
				return err
			}
			n += len(g.People)
		}
		return nil
	})
	return n, err
}

// PurgeClosedPeople deletes the people lists (with their queued e-mail) and
// the ballot signing keys of every wave that no longer takes responses at
// now. It returns how many people it deleted.
func (s *Store) PurgeClosedPeople(ctx context.Context, now time.Time) (int, error) {
	closed := s.db.Table("waves").Select("waves.id").
		Joins("JOIN surveys ON surveys.id = waves.survey_id").
		Where("waves.closes_at <= ? OR surveys.status IN ?", now, []string{StatusClosed, StatusArchived})
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM mail_outbox WHERE wave_id IN (?)", closed).Error; err != nil {
			return err
		}
		res := tx.Exec("DELETE FROM wave_people WHERE wave_id IN (?)", closed)
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		return tx.Exec("DELETE FROM ballot_keys WHERE wave_id IN (?)", closed).Error
	})
	return int(n), err
}
