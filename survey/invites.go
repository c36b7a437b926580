package survey

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/shortcode"
	"gorm.io/gorm"
)

// MaxInviteBatch caps the codes of one batch.
const MaxInviteBatch = 10000

// InviteBatch is a set of single-use invite codes for one wave. Segment holds
// the attributes copied to every response made with one of its codes.
type InviteBatch struct {
	ID        string
	WaveID    string
	Segment   map[string]string
	Count     int
	CreatedAt time.Time
}

type inviteBatchRow struct {
	ID        string `gorm:"primaryKey"`
	WaveID    string
	Segment   string
	Count     int
	CreatedAt time.Time
}

func (inviteBatchRow) TableName() string { return "invite_batches" }

type inviteRow struct {
	CodeHash string `gorm:"primaryKey"`
	BatchID  string
	WaveID   string
	Used     bool
}

func (inviteRow) TableName() string { return "invites" }

// minSegmentSize is the fewest codes a batch with segment attributes holds:
// k, or k_s when an attribute is a sensitive dimension.
func minSegmentSize(sv Survey, segment map[string]string) int {
	n := sv.Anonymity.MinGroupSize
	for key := range segment {
		if dm, _, ok := sv.Design.Demographic(key); ok && dm.Sensitive {
			n = max(n, sv.Anonymity.MinSensitiveGroupSize)
		}
	}
	return n
}

// CreateInviteBatch issues count new codes for wave w of survey sv. The codes
// are returned once and stored only as hashes. A closed wave takes no new
// batch (kernel.ErrClosed).
func (s *Store) CreateInviteBatch(ctx context.Context, sv Survey, w Wave, count int, segment map[string]string, now time.Time) (InviteBatch, []string, error) {
	if w.SurveyID != sv.ID {
		return InviteBatch{}, nil, kernel.ErrNotFound
	}
	if w.Status(now) == WaveClosed || sv.Status == StatusClosed || sv.Status == StatusArchived {
		return InviteBatch{}, nil, kernel.ErrClosed
	}
	ve := &kernel.ValidationError{}
	if count < 1 || count > MaxInviteBatch {
		ve.Add("count", fmt.Sprintf("must be from 1 to %d", MaxInviteBatch))
	}
	if err := validateSegment(sv.Design, segment); err != nil {
		return InviteBatch{}, nil, err
	}
	if k := minSegmentSize(sv, segment); len(segment) > 0 && count < k {
		ve.Add("count", fmt.Sprintf("a batch with segment attributes must hold at least %d codes, so no group smaller than the anonymity threshold is singled out", k))
	}
	if err := ve.Err(); err != nil {
		return InviteBatch{}, nil, err
	}
	if segment == nil {
		segment = map[string]string{}
	}
	segJSON, err := json.Marshal(segment)
	if err != nil {
		return InviteBatch{}, nil, err
	}
	b := InviteBatch{ID: kernel.NewID(), WaveID: w.ID, Segment: segment, Count: count, CreatedAt: now.UTC().Truncate(time.Microsecond)} // what PostgreSQL keeps
	codes := make([]string, count)
	rows := make([]inviteRow, count)
	for i := range codes {
		codes[i] = shortcode.New()
		rows[i] = inviteRow{CodeHash: kernel.HashSecret(codes[i]), BatchID: b.ID, WaveID: w.ID}
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&inviteBatchRow{ID: b.ID, WaveID: b.WaveID, Segment: string(segJSON), Count: count, CreatedAt: b.CreatedAt}).Error; err != nil {
			return err
		}
		return tx.CreateInBatches(rows, insertChunk).Error
	})
	if err != nil {
		return InviteBatch{}, nil, err
	}
	return b, codes, nil
}

// InviteBatches lists the batches of wave w, oldest first: what the lead
// issued, never how many codes were used. How many people of a segment
// answered is a result, and only the results engine releases it
// (report.Engine.Segments), under the same suppression as every other
// number; a count kept here with rules of its own could undo it.
func (s *Store) InviteBatches(ctx context.Context, sv Survey, w Wave) ([]InviteBatch, error) {
	if w.SurveyID != sv.ID {
		return nil, kernel.ErrNotFound
	}
	var rows []inviteBatchRow
	if err := s.db.WithContext(ctx).Where("wave_id = ?", w.ID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]InviteBatch, 0, len(rows))
	for _, r := range rows {
		var seg map[string]string
		if r.Segment == "" {
			r.Segment = "{}"
		}
		if err := json.Unmarshal([]byte(r.Segment), &seg); err != nil {
			return nil, fmt.Errorf("invite batch %s segment: %w", r.ID, err)
		}
		if seg == nil {
			seg = map[string]string{}
		}
		out = append(out, InviteBatch{ID: r.ID, WaveID: r.WaveID, Segment: seg, Count: r.Count, CreatedAt: r.CreatedAt.UTC()})
	}
	return out, nil
}
