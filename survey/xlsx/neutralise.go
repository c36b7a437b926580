package xlsx

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// formulaSigns are the characters that make a spreadsheet program read a
// typed or imported value as a formula (OWASP "CSV injection"): = + - @, and
// their fullwidth and small forms, which East Asian input methods produce
// and some programs fold to the ASCII sign.
const formulaSigns = "=+-@＝＋－＠﹦﹢﹣﹫"

// Neutralise makes text from outside (respondents' comments, titles and
// option labels a DEI lead typed) inert in a spreadsheet. A value whose first
// visible character is a formula sign gets a leading apostrophe, which is how
// a person types "this is text" into Excel or LibreOffice. "First visible"
// skips leading white space (tab, CR, LF, spaces of any width) and invisible
// format characters (zero-width space, byte order mark), which programs that
// trim the value before reading it would skip too; a value that begins with
// tab or CR is neutralised whatever follows, as OWASP advises. In the
// workbook the value is also always a string cell, so the apostrophe shows;
// that is deliberate: the same bytes go into the CSV, where nothing else
// protects a reader who opens the file in Excel, and a reader who copies a
// cell out of the workbook into another sheet carries the protection along.
// Every other value is returned unchanged.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	if s[0] == '\t' || s[0] == '\r' {
		return "'" + s
	}
	visible := strings.TrimLeftFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
	})
	if first, _ := utf8.DecodeRuneInString(visible); strings.ContainsRune(formulaSigns, first) {
		return "'" + s
	}
	return s
}
