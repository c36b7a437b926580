// Package migrations embeds the versioned SQL migrations, one folder per dialect.
// Both folders hold the same versions; a test checks that they produce the same
// tables and columns.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// FS returns the migrations for a dialect ("sqlite" or "postgres").
func FS(dialect string) (fs.FS, error) {
	return fs.Sub(files, dialect)
}
