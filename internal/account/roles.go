// Package account holds staff users, sessions, API tokens, one-time setup
// tokens, the audit log and the failed-login limiter.
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

// rank orders roles by what they may do: an admin may do all a lead may do,
// and a lead all an executive may do.
func rank(r string) int {
	switch r {
	case RoleAdmin:
		return 3
	case RoleLead:
		return 2
	case RoleExecutive:
		return 1
	}
	return 0
}

// RoleAtMost reports whether role grants no more than limit does; an API
// token may act with its creator's role or a lesser one.
func RoleAtMost(role, limit string) bool {
	return ValidRole(role) && rank(role) <= rank(limit)
}
