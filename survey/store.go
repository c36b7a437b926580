package survey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Store persists surveys, waves and responses with gorm, on SQLite or
// PostgreSQL.
type Store struct {
	db *gorm.DB
}

// NewStore returns a Store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// DB returns the underlying gorm handle, for packages of the domain that keep
// their own tables (accounts, reports).
func (s *Store) DB() *gorm.DB { return s.db }

type surveyRow struct {
	ID                    string `gorm:"primaryKey"`
	Title                 string
	Intro                 string
	Status                string
	Design                string
	MinGroupSize          int
	MinSensitiveGroupSize int
	MinDistributionSize   int
	MinCommentGroupSize   int
	PracticalGapPoints    float64
	Cadence               string
	OpensAt               time.Time
	WaveDays              int
	ExpectedHeadcount     int
	CreatedBy             string
	CreatedAt             time.Time
	UpdatedAt             time.Time `gorm:"autoUpdateTime:false"` // the lifecycle's clock, not gorm's
	LaunchedAt            *time.Time
	ClosedAt              *time.Time
	Revision              int
}

func (surveyRow) TableName() string { return "surveys" }

type waveRow struct {
	ID       string `gorm:"primaryKey"`
	SurveyID string
	Number   int
	OpensAt  time.Time
	ClosesAt time.Time
	Slug     string
	Items    string
}

func (waveRow) TableName() string { return "waves" }

func toRow(s Survey) (surveyRow, error) {
	design, err := json.Marshal(s.Design)
	if err != nil {
		return surveyRow{}, err
	}
	return surveyRow{
		ID: s.ID, Title: s.Title, Intro: s.Intro, Status: s.Status, Design: string(design),
		MinGroupSize: s.Anonymity.MinGroupSize, MinSensitiveGroupSize: s.Anonymity.MinSensitiveGroupSize,
		MinDistributionSize: s.Anonymity.MinDistributionSize, MinCommentGroupSize: s.Anonymity.MinCommentGroupSize,
		PracticalGapPoints: s.PracticalGapPoints, Cadence: s.Schedule.Cadence, OpensAt: s.Schedule.OpensAt.UTC(),
		WaveDays: s.Schedule.WaveDays, ExpectedHeadcount: s.ExpectedHeadcount, CreatedBy: s.CreatedBy,
		CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC(), LaunchedAt: utcPtr(s.LaunchedAt), ClosedAt: utcPtr(s.ClosedAt),
		Revision: s.Revision,
	}, nil
}

func (r surveyRow) toSurvey() (Survey, error) {
	var d Design
	if err := json.Unmarshal([]byte(r.Design), &d); err != nil {
		return Survey{}, fmt.Errorf("survey %s design: %w", r.ID, err)
	}
	return Survey{
		ID: r.ID, Title: r.Title, Intro: r.Intro, Status: r.Status, Design: d,
		Anonymity:          Anonymity{r.MinGroupSize, r.MinSensitiveGroupSize, r.MinDistributionSize, r.MinCommentGroupSize},
		Schedule:           Schedule{Cadence: r.Cadence, OpensAt: r.OpensAt.UTC(), WaveDays: r.WaveDays},
		PracticalGapPoints: r.PracticalGapPoints, ExpectedHeadcount: r.ExpectedHeadcount, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), LaunchedAt: utcPtr(r.LaunchedAt), ClosedAt: utcPtr(r.ClosedAt),
		Revision: r.Revision,
	}, nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return kernel.ErrNotFound
	}
	return err
}

// CreateSurvey inserts a survey (its ID must be set).
func (s *Store) CreateSurvey(ctx context.Context, sv Survey) error {
	row, err := toRow(sv)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Create(&row).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return kernel.ErrConflict
	}
	return err
}

// GetSurvey loads a survey by id.
func (s *Store) GetSurvey(ctx context.Context, id string) (Survey, error) {
	var row surveyRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return Survey{}, notFound(err)
	}
	return row.toSurvey()
}

// ListSurveys returns up to limit surveys, newest first, after the cursor (the
// id of the last survey of the previous page).
func (s *Store) ListSurveys(ctx context.Context, cursor string, limit int) ([]Survey, error) {
	q := s.db.WithContext(ctx).Order("created_at DESC, id DESC").Limit(limit)
	if cursor != "" {
		var last surveyRow
		if err := s.db.WithContext(ctx).Where("id = ?", cursor).Take(&last).Error; err != nil {
			return nil, notFound(err)
		}
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", last.CreatedAt, last.CreatedAt, last.ID)
	}
	var rows []surveyRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	return toSurveys(rows)
}

// UpdateSurvey replaces a survey row, only while it has status wantStatus
// (e.g. draft) and is still at the revision sv was read at; otherwise
// kernel.ErrConflict. The stored row's revision goes up by one.
func (s *Store) UpdateSurvey(ctx context.Context, sv Survey, wantStatus string) error {
	row, err := toRow(sv)
	if err != nil {
		return err
	}
	row.Revision = sv.Revision + 1
	res := s.db.WithContext(ctx).Model(&surveyRow{}).
		Where("id = ? AND status = ? AND revision = ?", sv.ID, wantStatus, sv.Revision).
		Select("*").Omit("id", "created_at", "created_by").Updates(&row)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		if _, err := s.GetSurvey(ctx, sv.ID); err != nil {
			return err
		}
		return kernel.ErrConflict
	}
	return nil
}

// DeleteSurvey deletes a draft survey; other statuses give kernel.ErrConflict.
func (s *Store) DeleteSurvey(ctx context.Context, id string) error {
	res := s.db.WithContext(ctx).Where("id = ? AND status = ?", id, StatusDraft).Delete(&surveyRow{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		if _, err := s.GetSurvey(ctx, id); err != nil {
			return err
		}
		return kernel.ErrConflict
	}
	return nil
}

// CreateWave inserts a wave unless one with the same (survey, number) exists;
// it is idempotent, so several scheduler replicas may race on it safely. It
// returns the stored wave.
func (s *Store) CreateWave(ctx context.Context, w Wave) (Wave, error) {
	items, err := json.Marshal(w.Items)
	if err != nil {
		return Wave{}, err
	}
	row := waveRow{ID: w.ID, SurveyID: w.SurveyID, Number: w.Number, OpensAt: w.OpensAt.UTC(), ClosesAt: w.ClosesAt.UTC(), Slug: w.Slug, Items: string(items)}
	err = s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "survey_id"}, {Name: "number"}}, DoNothing: true}).Create(&row).Error
	if err != nil {
		return Wave{}, err
	}
	return s.WaveByNumber(ctx, w.SurveyID, w.Number)
}

func (r waveRow) toWave() (Wave, error) {
	var items []string
	if err := json.Unmarshal([]byte(r.Items), &items); err != nil {
		return Wave{}, fmt.Errorf("wave %s items: %w", r.ID, err)
	}
	return Wave{ID: r.ID, SurveyID: r.SurveyID, Number: r.Number, OpensAt: r.OpensAt.UTC(), ClosesAt: r.ClosesAt.UTC(), Slug: r.Slug, Items: items}, nil
}

func (s *Store) oneWave(ctx context.Context, where string, args ...any) (Wave, error) {
	var row waveRow
	if err := s.db.WithContext(ctx).Where(where, args...).Take(&row).Error; err != nil {
		return Wave{}, notFound(err)
	}
	return row.toWave()
}

// WaveByNumber loads wave n of a survey.
func (s *Store) WaveByNumber(ctx context.Context, surveyID string, n int) (Wave, error) {
	if n < 1 || n > math.MaxInt32 { // no wave has it; PostgreSQL's integer column cannot even hold it
		return Wave{}, kernel.ErrNotFound
	}
	return s.oneWave(ctx, "survey_id = ? AND number = ?", surveyID, n)
}

// WaveBySlug loads the wave whose open link is slug.
func (s *Store) WaveBySlug(ctx context.Context, slug string) (Wave, error) {
	return s.oneWave(ctx, "slug = ?", slug)
}

// WaveByID loads a wave.
func (s *Store) WaveByID(ctx context.Context, id string) (Wave, error) {
	return s.oneWave(ctx, "id = ?", id)
}

// Waves lists a survey's waves in order.
func (s *Store) Waves(ctx context.Context, surveyID string) ([]Wave, error) {
	var rows []waveRow
	if err := s.db.WithContext(ctx).Where("survey_id = ?", surveyID).Order("number").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Wave, 0, len(rows))
	for _, r := range rows {
		w, err := r.toWave()
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// SetWaveCloses moves a wave's close time (closing a survey closes its open wave now).
func (s *Store) SetWaveCloses(ctx context.Context, waveID string, at time.Time) error {
	return s.db.WithContext(ctx).Model(&waveRow{}).Where("id = ?", waveID).Update("closes_at", at.UTC()).Error
}

// CountResponses returns the number of responses in a wave.
func (s *Store) CountResponses(ctx context.Context, waveID string) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Table("responses").Where("wave_id = ?", waveID).Count(&n).Error
	return int(n), err
}

// WaveResponses reads every response of a wave with its id, for tests and
// tools; the results engine reads the flat form (ReadWave).
func (s *Store) WaveResponses(ctx context.Context, waveID string) ([]Response, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	q := db.Rebind(db.IsPostgres(s.db), "SELECT id, demo, answers FROM responses WHERE wave_id = ?")
	rows, err := sqlDB.QueryContext(ctx, q, waveID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Response
	for rows.Next() {
		var r Response
		if err := rows.Scan(&r.ID, &r.Demo, &r.Answers); err != nil {
			return nil, err
		}
		r.WaveID = waveID
		out = append(out, r)
	}
	return out, rows.Err()
}
