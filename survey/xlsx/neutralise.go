package xlsx

// formulaStarts are the first characters that make a spreadsheet program
// read a typed or imported value as a formula (OWASP "CSV injection"): the
// formula signs, and tab or carriage return, which some programs skip before
// looking at the next character.
const formulaStarts = "=+-@\t\r"

// Neutralise makes text from outside (respondents' comments, titles and
// option labels a DEI lead typed) inert in a spreadsheet. A value that begins
// with = + - @, tab or carriage return gets a leading apostrophe, which is
// how a person types "this is text" into Excel or LibreOffice. In the
// workbook the value is also always a string cell, so the apostrophe shows;
// that is deliberate: the same bytes go into the CSV, where nothing else
// protects a reader who opens the file in Excel, and a reader who copies a
// cell out of the workbook into another sheet carries the protection along.
// Every other value is returned unchanged.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	for i := 0; i < len(formulaStarts); i++ {
		if s[0] == formulaStarts[i] {
			return "'" + s
		}
	}
	return s
}
