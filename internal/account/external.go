package account

import (
	"context"
	"errors"
	"fmt"

	"github.com/allypulse/allypulse/internal/kernel"
	"gorm.io/gorm"
)

// ExternalUser is a staff member as an OpenID provider vouches for them:
// the provider's issuer and subject identify them for good; e-mail, name
// and role are refreshed at every sign-in.
type ExternalUser struct {
	Issuer  string
	Subject string
	Email   string
	Name    string
	Role    string
}

// Errors of SignInExternal.
var (
	// ErrAccountDisabled: an admin disabled the account the identity
	// belongs to.
	ErrAccountDisabled = fmt.Errorf("this account has been disabled by an admin: %w", kernel.ErrForbidden)
	// ErrLinkedElsewhere: the e-mail address belongs to an account linked
	// to another identity.
	ErrLinkedElsewhere = fmt.Errorf("the e-mail address belongs to an account linked to another single sign-on identity: %w", kernel.ErrConflict)
)

// SignInExternal returns the user for an external identity and whether it
// was created now. The first sign-in creates the user with the mapped role
// and no password, or links an existing account with the same e-mail that
// is not linked yet; later sign-ins update e-mail, name and role. The
// provider is the authority on roles, so a role it lowers is lowered.
func (s *Store) SignInExternal(ctx context.Context, eu ExternalUser) (User, bool, error) {
	eu.Email, eu.Name = normalEmail(eu.Email), cleanName(eu.Name)
	if eu.Issuer == "" || eu.Subject == "" || !validEmail(eu.Email) || !ValidRole(eu.Role) {
		return User{}, false, fmt.Errorf("incomplete external identity %q %q %q %q", eu.Issuer, eu.Subject, eu.Email, eu.Role)
	}
	if msg := nameProblem(eu.Name, 200); msg != "" {
		eu.Name = ""
	}
	var out userRow
	created := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row userRow
		err := tx.Where("oidc_issuer = ? AND oidc_subject = ?", eu.Issuer, eu.Subject).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			err = tx.Where("email = ?", eu.Email).Take(&row).Error
			if err == nil {
				var linked int64
				if err := tx.Model(&userRow{}).Where("id = ? AND oidc_subject <> ''", row.ID).Count(&linked).Error; err != nil {
					return err
				}
				if linked > 0 {
					return ErrLinkedElsewhere
				}
			}
		}
		now := s.now()
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			row = userRow{ID: kernel.NewID(), Email: eu.Email, Name: eu.Name, Role: eu.Role, CreatedAt: now, UpdatedAt: now}
			created = true
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
		case err != nil:
			return err
		case row.Disabled:
			return ErrAccountDisabled
		default:
			if eu.Email != row.Email {
				var n int64
				if err := tx.Model(&userRow{}).Where("email = ? AND id <> ?", eu.Email, row.ID).Count(&n).Error; err != nil {
					return err
				}
				if n > 0 {
					return ErrLinkedElsewhere
				}
			}
			row.Email, row.Role, row.UpdatedAt = eu.Email, eu.Role, now
			if eu.Name != "" {
				row.Name = eu.Name
			}
		}
		out = row
		return tx.Model(&userRow{}).Where("id = ?", row.ID).Updates(map[string]any{
			"email": row.Email, "name": row.Name, "role": row.Role, "updated_at": row.UpdatedAt,
			"oidc_issuer": eu.Issuer, "oidc_subject": eu.Subject}).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		err = ErrLinkedElsewhere
	}
	if err != nil {
		return User{}, false, err
	}
	return out.user(), created, nil
}

// settingPasswordSignIn is the settings key that turns password sign-in
// off ("off"); absent, password sign-in is on.
const settingPasswordSignIn = "password_sign_in"

type settingRow struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (settingRow) TableName() string { return "settings" }

// ErrPasswordSignInOff answers a password sign-in while an admin has
// turned password sign-in off.
var ErrPasswordSignInOff = fmt.Errorf("password sign-in is turned off; sign in with single sign-on: %w", kernel.ErrForbidden)

// ErrNoExternalAdmin refuses turning password sign-in off while no active
// admin signs in through single sign-on: nobody could administer then.
var ErrNoExternalAdmin = fmt.Errorf("no active admin signs in with single sign-on yet; sign in once that way as an admin first: %w", kernel.ErrConflict)

// PasswordSignIn reports whether password sign-in is on.
func (s *Store) PasswordSignIn(ctx context.Context) (bool, error) {
	var row settingRow
	err := s.db.WithContext(ctx).Where("key = ?", settingPasswordSignIn).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return true, nil
	}
	return row.Value != "off", err
}

// SetPasswordSignIn turns password sign-in on or off. Off needs an active
// admin linked to a single sign-on identity. "allypulse user add" turns it
// back on: it is the way in when single sign-on fails.
func (s *Store) SetPasswordSignIn(ctx context.Context, on bool) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if !on {
			var n int64
			err := tx.Table("users").Where("role = ? AND disabled = ? AND oidc_subject <> ''", RoleAdmin, false).Count(&n).Error
			if err != nil {
				return err
			}
			if n == 0 {
				return ErrNoExternalAdmin
			}
		}
		value := "on"
		if !on {
			value = "off"
		}
		if err := tx.Where("key = ?", settingPasswordSignIn).Delete(&settingRow{}).Error; err != nil {
			return err
		}
		return tx.Create(&settingRow{Key: settingPasswordSignIn, Value: value}).Error
	})
}
