// Package account holds staff users, sessions, API tokens and the audit log.
package account

// Roles of staff users.
const (
	RoleAdmin     = "admin"
	RoleLead      = "lead"
	RoleExecutive = "executive"
)

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool {
	return r == RoleAdmin || r == RoleLead || r == RoleExecutive
}
