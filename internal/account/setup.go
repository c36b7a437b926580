package account

import (
	"context"
	"fmt"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"gorm.io/gorm"
)

// SetupTTL is how long a first-start setup link stays valid.
const SetupTTL = 24 * time.Hour

type setupRow struct {
	TokenHash string `gorm:"primaryKey"`
	ExpiresAt time.Time
	Used      bool
}

func (setupRow) TableName() string { return "setup_tokens" }

// ErrSetupInvalid is returned for an unknown, used or expired setup token.
var ErrSetupInvalid = fmt.Errorf("the setup link is not valid; restart the server for a new one: %w", kernel.ErrUnauthorized)

// errSetupDone refuses setup once any user exists.
var errSetupDone = fmt.Errorf("setup is already done; sign in instead: %w", kernel.ErrConflict)

// CreateSetupToken replaces any earlier unused setup token with a new one,
// for the first admin, and returns its secret. Only its hash is stored.
func (s *Store) CreateSetupToken(ctx context.Context) (string, error) {
	secret := kernel.NewSecret()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("1 = 1").Delete(&setupRow{}).Error; err != nil {
			return err
		}
		return tx.Create(&setupRow{TokenHash: kernel.HashSecret(secret), ExpiresAt: s.now().Add(SetupTTL)}).Error
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// Setup uses a setup token once to create the first admin. The token is
// marked used in the same transaction that creates the user, so two
// concurrent uses cannot both succeed.
func (s *Store) Setup(ctx context.Context, secret string, nu NewUser) (User, error) {
	nu.Role = RoleAdmin
	var out User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&setupRow{}).
			Where("token_hash = ? AND used = ? AND expires_at > ?", kernel.HashSecret(secret), false, s.now()).
			Update("used", true)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrSetupInvalid
		}
		var n int64
		if err := tx.Model(&userRow{}).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errSetupDone
		}
		u, err := (&Store{db: tx, clock: s.clock}).CreateUser(ctx, nu)
		out = u
		return err
	})
	return out, err
}
