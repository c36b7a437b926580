package demo

import (
	"context"
	"errors"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/kernel"
)

// Password is the password of every demo account. The demo is for trying
// Allypulse out on a laptop; the command that seeds it says so.
const Password = "allypulse-demo"

// Credential is one demo account to sign in with.
type Credential struct {
	Role     string
	Email    string
	Password string
}

// Credentials are the demo's staff accounts: an administrator, a DEI lead
// and an executive.
func Credentials() []Credential {
	return []Credential{
		{Role: account.RoleAdmin, Email: "admin@northwind.example", Password: Password},
		{Role: account.RoleLead, Email: "lead@northwind.example", Password: Password},
		{Role: account.RoleExecutive, Email: "executive@northwind.example", Password: Password},
	}
}

// names are the display names of the demo accounts, by role.
var names = map[string]string{
	account.RoleAdmin:     "Alex Admin (demo)",
	account.RoleLead:      "Dana Lead (demo)",
	account.RoleExecutive: "Erin Executive (demo)",
}

// CreateUsers creates the demo accounts through the account store. An
// account whose e-mail is already taken is left as it is. It returns the
// lead's user id (empty when the lead existed before).
func CreateUsers(ctx context.Context, accounts *account.Store) (string, error) {
	leadID := ""
	for _, c := range Credentials() {
		u, err := accounts.CreateUser(ctx, account.NewUser{Email: c.Email, Name: names[c.Role], Role: c.Role, Password: c.Password})
		switch {
		case errors.Is(err, kernel.ErrConflict):
			continue
		case err != nil:
			return "", err
		}
		if c.Role == account.RoleLead {
			leadID = u.ID
		}
	}
	return leadID, nil
}
