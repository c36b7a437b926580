// Package frontend embeds the web pages: the staff app (static/index.html and
// its modules) and the employee survey page (static/respond.html).
package frontend

import "embed"

// Files holds everything under static/.
//
//go:embed static
var Files embed.FS
