package db

import (
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// IsPostgres reports whether g talks to PostgreSQL. It is the one place that
// asks a gorm handle for its dialect; SQL that differs between the dialects
// is chosen with it.
func IsPostgres(g *gorm.DB) bool { return g.Dialector.Name() == Postgres }

// Rebind turns the ? placeholders of q into $1, $2 … for PostgreSQL and
// returns q unchanged for SQLite. Raw SQL is written with ? and passed
// through here; q must not hold a literal question mark.
func Rebind(postgres bool, q string) string {
	if !postgres {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
