package account

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// User is a staff account. The password hash never leaves this package.
type User struct {
	ID        string
	Email     string
	Name      string
	Role      string
	Disabled  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NewUser is what it takes to create a user.
type NewUser struct {
	Email    string
	Name     string
	Role     string
	Password string
}

// UserChange is a partial update; nil fields stay as they are.
type UserChange struct {
	Name     *string
	Role     *string
	Disabled *bool
	Password *string
}

// TakesAdminAway reports whether ch demotes or disables the user it is
// applied to.
func (ch UserChange) TakesAdminAway() bool {
	return (ch.Role != nil && *ch.Role != RoleAdmin) || (ch.Disabled != nil && *ch.Disabled)
}

// ErrOwnAccount refuses an admin demoting, disabling or deleting their own
// account: another admin must do it, so nobody locks themselves out by a
// slip (and the last admin, who has no other admin, never can).
var ErrOwnAccount = fmt.Errorf("you cannot demote, disable or delete your own account; another admin can: %w", kernel.ErrConflict)

type userRow struct {
	ID           string `gorm:"primaryKey"`
	Email        string
	Name         string
	Role         string
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

func (r userRow) user() User {
	return User{ID: r.ID, Email: r.Email, Name: r.Name, Role: r.Role, Disabled: r.Disabled,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// normalEmail is the form e-mail addresses are stored and looked up in.
func normalEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// ValidEmail reports whether e, in any case and with surrounding spaces,
// is an e-mail address a user can be created with.
func ValidEmail(e string) bool { return validEmail(normalEmail(e)) }

func validEmail(e string) bool {
	if e == "" || len(e) > 254 || strings.ContainsAny(e, " <>") {
		return false
	}
	a, err := mail.ParseAddress(e)
	return err == nil && a.Address == e
}

// CreateUser adds a user after checking e-mail, role and password policy.
// An e-mail already in use is a conflict.
func (s *Store) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	nu.Email = normalEmail(nu.Email)
	nu.Name = cleanName(nu.Name)
	var ve kernel.ValidationError
	if !validEmail(nu.Email) {
		ve.Add("email", "must be an e-mail address")
	}
	if msg := nameProblem(nu.Name, 200); msg != "" {
		ve.Add("name", msg)
	}
	if !ValidRole(nu.Role) {
		ve.Add("role", "must be admin, lead or executive")
	}
	if msg := PasswordProblem(nu.Password); msg != "" {
		ve.Add("password", msg)
	}
	if err := ve.Err(); err != nil {
		return User{}, err
	}
	hash, err := hashPassword(nu.Password)
	if err != nil {
		return User{}, err
	}
	now := s.now()
	row := userRow{ID: kernel.NewID(), Email: nu.Email, Name: nu.Name, Role: nu.Role, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&userRow{}).Where("email = ?", nu.Email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errEmailTaken
		}
		return tx.Create(&row).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		err = errEmailTaken
	}
	if err != nil {
		return User{}, err
	}
	return row.user(), nil
}

var errEmailTaken = fmt.Errorf("an account with this e-mail address already exists: %w", kernel.ErrConflict)

// User returns the user with id, or kernel.ErrNotFound.
func (s *Store) User(ctx context.Context, id string) (User, error) {
	row, err := s.userRow(s.db.WithContext(ctx), id)
	return row.user(), err
}

func (s *Store) userRow(tx *gorm.DB, id string) (userRow, error) {
	var row userRow
	err := tx.Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return userRow{}, kernel.ErrNotFound
	}
	return row, err
}

// Users returns up to limit users by e-mail, starting after cursor (empty
// for the first page), and the cursor of the next page ("" at the end).
func (s *Store) Users(ctx context.Context, limit int, cursor string) ([]User, string, error) {
	limit = listLimit(limit)
	q := s.db.WithContext(ctx).Order("email").Limit(limit + 1)
	if cursor != "" {
		after, err := decodeKeyCursor(cursor)
		if err != nil {
			return nil, "", err
		}
		q = q.Where("email > ?", after)
	}
	var rows []userRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, "", err
	}
	rows, next := cutPage(rows, limit, func(r userRow) string { return encodeKeyCursor(r.Email) })
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	return out, next, nil
}

// UserByEmail returns the user with e-mail address email, or
// kernel.ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	var row userRow
	err := s.db.WithContext(ctx).Where("email = ?", normalEmail(email)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, kernel.ErrNotFound
	}
	return row.user(), err
}

// CountUsers returns how many users exist, disabled ones included.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&userRow{}).Count(&n).Error
	return n, err
}

// UpdateUser applies ch. Demoting or disabling the last active admin is a
// conflict. Disabling a user or changing a password ends their sessions;
// disabling also revokes their API tokens.
func (s *Store) UpdateUser(ctx context.Context, id string, ch UserChange) (User, error) {
	var ve kernel.ValidationError
	if ch.Name != nil {
		n := cleanName(*ch.Name)
		ch.Name = &n
		if msg := nameProblem(n, 200); msg != "" {
			ve.Add("name", msg)
		}
	}
	if ch.Role != nil && !ValidRole(*ch.Role) {
		ve.Add("role", "must be admin, lead or executive")
	}
	var hash string
	if ch.Password != nil {
		if msg := PasswordProblem(*ch.Password); msg != "" {
			ve.Add("password", msg)
		}
	}
	if err := ve.Err(); err != nil {
		return User{}, err
	}
	if ch.Password != nil {
		var err error
		if hash, err = hashPassword(*ch.Password); err != nil {
			return User{}, err
		}
	}
	var out userRow
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.userRow(tx, id)
		if err != nil {
			return err
		}
		wasAdmin := row.Role == RoleAdmin && !row.Disabled
		if ch.Name != nil {
			row.Name = *ch.Name
		}
		if ch.Role != nil {
			row.Role = *ch.Role
		}
		if ch.Disabled != nil {
			row.Disabled = *ch.Disabled
		}
		if hash != "" {
			row.PasswordHash = hash
		}
		if wasAdmin && (row.Role != RoleAdmin || row.Disabled) {
			if err := lastAdminGuard(tx, id); err != nil {
				return err
			}
		}
		row.UpdatedAt = s.now()
		if err := tx.Select("*").Updates(&row).Error; err != nil {
			return err
		}
		if row.Disabled || hash != "" {
			if err := revokeSessionsOf(tx, id, row.UpdatedAt); err != nil {
				return err
			}
		}
		// Disabling ends the user's API tokens for good: enabling them
		// again gives back their sign-in, not tokens that may have leaked
		// meanwhile.
		if row.Disabled {
			if err := revokeTokensOf(tx, id, row.UpdatedAt); err != nil {
				return err
			}
		}
		out = row
		return nil
	})
	if err != nil {
		return User{}, err
	}
	return out.user(), nil
}

// DeleteUser removes a user with their sessions and tokens. Deleting the
// last active admin is a conflict.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.userRow(tx, id)
		if err != nil {
			return err
		}
		if row.Role == RoleAdmin && !row.Disabled {
			if err := lastAdminGuard(tx, id); err != nil {
				return err
			}
		}
		// Explicit deletes, so nothing depends on the foreign-key pragma.
		if err := tx.Where("user_id = ?", id).Delete(&sessionRow{}).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", id).Delete(&tokenRow{}).Error; err != nil {
			return err
		}
		return tx.Where("id = ?", id).Delete(&userRow{}).Error
	})
}

var errLastAdmin = fmt.Errorf("this is the last active admin; make another user admin first: %w", kernel.ErrConflict)

// lastAdminGuard fails when no active admin other than id would remain.
// Two admins demoting each other at once must not both succeed: SQLite
// serialises write transactions (immediate locking in the DSN); on
// PostgreSQL the active admins' rows are locked before counting.
func lastAdminGuard(tx *gorm.DB, id string) error {
	active := tx.Model(&userRow{}).Where("role = ? AND disabled = ?", RoleAdmin, false)
	if db.IsPostgres(tx) {
		var ids []string
		if err := active.Session(&gorm.Session{}).Clauses(clause.Locking{Strength: "UPDATE"}).Pluck("id", &ids).Error; err != nil {
			return err
		}
	}
	var n int64
	err := tx.Model(&userRow{}).Where("role = ? AND disabled = ? AND id <> ?", RoleAdmin, false, id).Count(&n).Error
	if err != nil {
		return err
	}
	if n == 0 {
		return errLastAdmin
	}
	return nil
}

// ErrBadCredentials is the one answer to a wrong e-mail, a wrong password or
// a disabled account, so a caller cannot tell which.
var ErrBadCredentials = fmt.Errorf("wrong e-mail address or password: %w", kernel.ErrUnauthorized)

// Authenticate checks an e-mail and password and returns the user.
// While password sign-in is turned off it answers ErrPasswordSignInOff
// before looking at the credentials. A user who signs in only with single
// sign-on has no password and is refused like a wrong password.
func (s *Store) Authenticate(ctx context.Context, email, password string) (User, error) {
	on, err := s.PasswordSignIn(ctx)
	if err != nil {
		return User{}, err
	}
	if !on {
		return User{}, ErrPasswordSignInOff
	}
	var row userRow
	err = s.db.WithContext(ctx).Where("email = ?", normalEmail(email)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && row.PasswordHash == "") {
		// Hash anyway, so that a wrong e-mail takes as long as a wrong password.
		_, _ = checkPassword(password, dummyHash)
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, err
	}
	ok, err := checkPassword(password, row.PasswordHash)
	if err != nil {
		return User{}, err
	}
	if !ok || row.Disabled {
		return User{}, ErrBadCredentials
	}
	return row.user(), nil
}

// ChangePassword sets userID's password to next when current is their
// password, and ends every other session of theirs: keepToken's session (the
// one making the change) stays signed in. A wrong current password is a
// *kernel.ValidationError naming current_password, a weak new one naming
// new_password; use WrongCurrentPassword to tell the first apart.
func (s *Store) ChangePassword(ctx context.Context, userID, keepToken, current, next string) error {
	var ve kernel.ValidationError
	if msg := PasswordProblem(next); msg != "" {
		ve.Add("new_password", msg)
	}
	row, err := s.userRow(s.db.WithContext(ctx), userID)
	if err != nil {
		return err
	}
	if row.PasswordHash == "" {
		return kernel.Invalid("current_password", "this account signs in with single sign-on and has no password")
	}
	ok, err := checkPassword(current, row.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		ve.Add("current_password", wrongCurrentPassword)
	}
	if err := ve.Err(); err != nil {
		return err
	}
	hash, err := hashPassword(next)
	if err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := s.now()
		res := tx.Model(&userRow{}).Where("id = ? AND password_hash = ?", userID, row.PasswordHash).
			Updates(map[string]any{"password_hash": hash, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			// Changed or deleted since the check: the current password no
			// longer holds.
			return errPasswordChanged
		}
		return tx.Model(&sessionRow{}).
			Where("user_id = ? AND revoked_at IS NULL AND id <> ?", userID, kernel.HashSecret(keepToken)).
			Update("revoked_at", now).Error
	})
}

const wrongCurrentPassword = "is not your current password"

var errPasswordChanged = fmt.Errorf("your password was changed meanwhile; sign in again: %w", kernel.ErrConflict)

// WrongCurrentPassword reports whether err from ChangePassword says the
// current password was wrong.
func WrongCurrentPassword(err error) bool {
	var ve *kernel.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, f := range ve.Fields {
		if f.Field == "current_password" && f.Message == wrongCurrentPassword {
			return true
		}
	}
	return false
}
