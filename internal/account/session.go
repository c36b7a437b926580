package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"gorm.io/gorm"
)

// SessionTTL is how long a sign-in lasts.
const SessionTTL = 12 * time.Hour

// Session is a signed-in browser. Only the hash of its token is stored; the
// token itself lives in the browser's HttpOnly cookie.
type Session struct {
	UserID    string
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
}

type sessionRow struct {
	ID        string `gorm:"primaryKey"` // HashSecret of the cookie token
	UserID    string
	CSRFToken string `gorm:"column:csrf_token"`
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

func (sessionRow) TableName() string { return "sessions" }

// ErrSessionEnded is returned for an unknown, expired or revoked session.
var ErrSessionEnded = fmt.Errorf("your session has ended; sign in again: %w", kernel.ErrUnauthorized)

// CreateSession signs userID in and returns the secret token for the cookie
// and the session with its CSRF token.
func (s *Store) CreateSession(ctx context.Context, userID string) (string, Session, error) {
	token := kernel.NewSecret()
	now := s.now()
	row := sessionRow{ID: kernel.HashSecret(token), UserID: userID, CSRFToken: kernel.NewSecret(),
		CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", Session{}, err
	}
	return token, row.session(), nil
}

func (r sessionRow) session() Session {
	return Session{UserID: r.UserID, CSRFToken: r.CSRFToken, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC()}
}

// SessionUser returns the user signed in with token and the session, or
// ErrSessionEnded. A disabled user's sessions no longer work.
func (s *Store) SessionUser(ctx context.Context, token string) (User, Session, error) {
	if token == "" {
		return User{}, Session{}, ErrSessionEnded
	}
	var row sessionRow
	err := s.db.WithContext(ctx).Where("id = ?", kernel.HashSecret(token)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, Session{}, ErrSessionEnded
	}
	if err != nil {
		return User{}, Session{}, err
	}
	if row.RevokedAt != nil || !s.now().Before(row.ExpiresAt) {
		return User{}, Session{}, ErrSessionEnded
	}
	u, err := s.User(ctx, row.UserID)
	if errors.Is(err, kernel.ErrNotFound) || (err == nil && u.Disabled) {
		return User{}, Session{}, ErrSessionEnded
	}
	if err != nil {
		return User{}, Session{}, err
	}
	return u, row.session(), nil
}

// RevokeSession ends the session of token; an unknown token is no error.
func (s *Store) RevokeSession(ctx context.Context, token string) error {
	now := s.now()
	return s.db.WithContext(ctx).Model(&sessionRow{}).
		Where("id = ? AND revoked_at IS NULL", kernel.HashSecret(token)).
		Update("revoked_at", now).Error
}

func revokeSessionsOf(tx *gorm.DB, userID string, at time.Time) error {
	return tx.Model(&sessionRow{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", at).Error
}

// DeleteExpiredSessions removes sessions that ended before now, to keep the
// table small.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at < ?", s.now()).Delete(&sessionRow{})
	return res.RowsAffected, res.Error
}
