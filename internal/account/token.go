package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"gorm.io/gorm"
)

// TokenPrefix starts every API token, so that a leaked one is easy to
// recognise in logs and by secret scanners.
const TokenPrefix = "apt_"

// Token is an API token for scripts and BI tools. It acts as the user who
// created it, with that user's role or the lesser role stated at creation.
type Token struct {
	ID        string
	UserID    string
	UserEmail string
	Name      string
	Role      string
	CreatedAt time.Time
	RevokedAt *time.Time
}

type tokenRow struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	Name      string
	Role      string
	TokenHash string
	CreatedAt time.Time
	RevokedAt *time.Time
}

func (tokenRow) TableName() string { return "api_tokens" }

func (r tokenRow) token(email string) Token {
	t := Token{ID: r.ID, UserID: r.UserID, UserEmail: email, Name: r.Name, Role: r.Role, CreatedAt: r.CreatedAt.UTC()}
	if r.RevokedAt != nil {
		at := r.RevokedAt.UTC()
		t.RevokedAt = &at
	}
	return t
}

// ErrTokenInvalid is returned for an unknown or revoked token, or one whose
// user is disabled or gone.
var ErrTokenInvalid = fmt.Errorf("the API token is not valid: %w", kernel.ErrUnauthorized)

// CreateToken makes a token for creator. role may be empty (the creator's
// role) or a role no greater than the creator's. The secret is returned
// once; only its hash is stored.
func (s *Store) CreateToken(ctx context.Context, creator User, name, role string) (Token, string, error) {
	name = cleanName(name)
	if role == "" {
		role = creator.Role
	}
	var ve kernel.ValidationError
	if msg := nameProblem(name, 100); name == "" {
		ve.AddCode("name", kernel.CodeRequired, "is required")
	} else if msg != "" {
		ve.Add("name", msg)
	}
	if !ValidRole(role) {
		ve.Add("role", "must be admin, lead or executive")
	} else if !RoleAtMost(role, creator.Role) {
		ve.Add("role", "must not exceed your own role")
	}
	if err := ve.Err(); err != nil {
		return Token{}, "", err
	}
	secret := TokenPrefix + kernel.NewSecret()
	row := tokenRow{ID: kernel.NewID(), UserID: creator.ID, Name: name, Role: role,
		TokenHash: kernel.HashSecret(secret), CreatedAt: s.now()}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return Token{}, "", err
	}
	return row.token(creator.Email), secret, nil
}

// Tokens returns up to limit tokens, newest first, revoked ones included,
// starting after cursor (empty for the first page), and the cursor of the
// next page ("" at the end).
func (s *Store) Tokens(ctx context.Context, limit int, cursor string) ([]Token, string, error) {
	limit = listLimit(limit)
	db := s.db.WithContext(ctx)
	q, err := newestFirst(db, "created_at", limit, cursor)
	if err != nil {
		return nil, "", err
	}
	var rows []tokenRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, "", err
	}
	rows, next := cutPage(rows, limit, func(r tokenRow) string { return encodeCursor(r.CreatedAt, r.ID) })
	userIDs := make([]string, len(rows))
	for i, r := range rows {
		userIDs[i] = r.UserID
	}
	var users []userRow
	if err := db.Select("id", "email").Where("id IN ?", userIDs).Find(&users).Error; err != nil {
		return nil, "", err
	}
	emails := make(map[string]string, len(users))
	for _, u := range users {
		emails[u.ID] = u.Email
	}
	out := make([]Token, len(rows))
	for i, r := range rows {
		out[i] = r.token(emails[r.UserID])
	}
	return out, next, nil
}

// RevokeToken ends a token for good. Revoking it twice is no error.
func (s *Store) RevokeToken(ctx context.Context, id string) (Token, error) {
	var out Token
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row tokenRow
		err := tx.Where("id = ?", id).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return kernel.ErrNotFound
		}
		if err != nil {
			return err
		}
		if row.RevokedAt == nil {
			now := s.now()
			row.RevokedAt = &now
			if err := tx.Model(&tokenRow{}).Where("id = ?", id).Update("revoked_at", now).Error; err != nil {
				return err
			}
		}
		u, err := s.userRow(tx, row.UserID)
		if err != nil {
			return err
		}
		out = row.token(u.Email)
		return nil
	})
	return out, err
}

func revokeTokensOf(tx *gorm.DB, userID string, at time.Time) error {
	return tx.Model(&tokenRow{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", at).Error
}

// TokenUser returns the user a bearer secret acts as, with Role set to the
// token's role (never more than the user's current role), and the token.
func (s *Store) TokenUser(ctx context.Context, secret string) (User, Token, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return User{}, Token{}, ErrTokenInvalid
	}
	var row tokenRow
	err := s.db.WithContext(ctx).Where("token_hash = ?", kernel.HashSecret(secret)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, Token{}, ErrTokenInvalid
	}
	if err != nil {
		return User{}, Token{}, err
	}
	if row.RevokedAt != nil {
		return User{}, Token{}, ErrTokenInvalid
	}
	u, err := s.User(ctx, row.UserID)
	if errors.Is(err, kernel.ErrNotFound) || (err == nil && u.Disabled) {
		return User{}, Token{}, ErrTokenInvalid
	}
	if err != nil {
		return User{}, Token{}, err
	}
	// A user demoted after creating the token drags the token down too.
	if !RoleAtMost(row.Role, u.Role) {
		row.Role = u.Role
	}
	u.Role = row.Role
	return u, row.token(u.Email), nil
}
