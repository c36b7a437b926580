package survey

import (
	"regexp"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Placeholders that replace contact details in comments (docs/anonymity.md, "Comments").
const (
	EmailPlaceholder  = "[e-mail removed]"
	URLPlaceholder    = "[link removed]"
	PhonePlaceholder  = "[phone removed]"
	HandlePlaceholder = "[handle removed]"
)

// Scrub replaces e-mail addresses, URLs, phone numbers and @-handles in a
// comment with placeholders, before it is stored. It also finds them when
// they are disguised: spelled out ("jane dot doe at example dot com", "jean
// arobase exemple point fr"), spaced out ("j a n e @ e x a m p l e . c o m"),
// written with look-alike characters ("jane＠example．com") or with digit
// words ("zero seven seven ..."). The text around a detail is kept byte for
// byte. Scrub repeats until nothing changes, since a replacement can expose a
// match next to it ("@a@b").
func Scrub(text string) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	for range 8 {
		next := scrubOnce(text)
		if next == text {
			break
		}
		text = next
	}
	return text
}

func scrubOnce(text string) string {
	for _, d := range detectors {
		text = d.replace(text)
	}
	return text
}

// LooksIdentifying reports whether text holds contact details that Scrub
// would remove, or seems to name a person. The employee page
// (frontend/static/respond.js) applies the plain forms of the same rules to
// warn before submitting; the disguised forms are only caught here.
func LooksIdentifying(text string) bool {
	return Scrub(text) != text || namePattern.MatchString(text)
}

// A person's name: a title and a capitalised word, or two capitalised words
// in a row ("Jane Doe"). A heuristic for a warning, not for removal.
var namePattern = regexp.MustCompile(`\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+[A-Z][a-z]+|\b[A-Z][a-z]+\s+[A-Z][a-z]+\b`)

// ---- The view: a comment as the detectors see it ----

// view is a comment normalised for matching: NFKC (fullwidth "＠" becomes
// "@"), lower case, look-alike letters replaced by the ASCII ones they
// imitate, invisible characters dropped and spaced-out letters joined. For
// each byte of the view it remembers which bytes of the comment it came from,
// so that a match in the view can be cut out of the comment itself.
type view struct {
	text     string
	from, to []int
}

// piece is one character of the comment (a letter with its accents) and what
// the view makes of it.
type piece struct {
	text       string
	start, end int
}

func newView(comment string) view {
	var v view
	var b strings.Builder
	for _, p := range joinSpacedLetters(normalise(comment)) {
		b.WriteString(p.text)
		for range len(p.text) {
			v.from = append(v.from, p.start)
			v.to = append(v.to, p.end)
		}
	}
	v.text = b.String()
	return v
}

// original returns the bytes of the comment that view bytes [start, end)
// came from.
func (v view) original(start, end int) (int, int) {
	return v.from[start], v.to[end-1]
}

// normalise splits the comment into characters and folds each one; the
// characters that fold to nothing are left out.
func normalise(comment string) []piece {
	var pieces []piece
	var it norm.Iter
	it.InitString(norm.NFKC, comment)
	for !it.Done() {
		start := it.Pos()
		text := fold(string(it.Next()))
		if text != "" {
			pieces = append(pieces, piece{text: text, start: start, end: it.Pos()})
		}
	}
	return pieces
}

// fold lower-cases a character, swaps a look-alike for the ASCII character
// it imitates and drops invisible ones (zero-width spaces, soft hyphens).
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		r = unicode.ToLower(r)
		if ascii, ok := lookAlikes[r]; ok {
			return ascii
		}
		return r
	}, s)
}

// lookAlikes are characters that NFKC leaves alone but that pass for ASCII
// letters or punctuation in an address: Cyrillic and Greek letters, the
// ideographic full stop, dashes.
var lookAlikes = map[rune]rune{
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x',
	'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'һ': 'h', 'ӏ': 'l', 'ԛ': 'q', 'ԝ': 'w', 'к': 'k',
	'α': 'a', 'ο': 'o', 'ρ': 'p', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'υ': 'u', 'χ': 'x',
	'。': '.', '·': '.',
	'‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '−': '-',
}

// joinSpacedLetters drops the spaces from a run of at least three lone
// characters set apart by single spaces ("j a n e", "0 7 7 0"), so that the
// detectors see what they spell.
func joinSpacedLetters(pieces []piece) []piece {
	var out []piece
	for i := 0; i < len(pieces); {
		n := spacedRun(pieces, i)
		if n < 3 {
			out = append(out, pieces[i])
			i++
			continue
		}
		for k := range n {
			out = append(out, pieces[i+2*k])
		}
		i += 2*n - 1
	}
	return out
}

// spacedRun counts the lone characters in the run that starts at pieces[i].
func spacedRun(pieces []piece, i int) int {
	n := 0
	for j := i; lone(pieces, j); j += 2 {
		n++
		if j+1 >= len(pieces) || pieces[j+1].text != " " {
			break
		}
	}
	return n
}

// lone reports whether pieces[i] is a character with a space or the end of
// the text on either side.
func lone(pieces []piece, i int) bool {
	if i >= len(pieces) || pieces[i].text == " " {
		return false
	}
	return (i == 0 || pieces[i-1].text == " ") && (i+1 == len(pieces) || pieces[i+1].text == " ")
}

// ---- Detectors ----

// A detector finds one kind of contact detail in the view of a comment and
// replaces it with its placeholder. The detail is the group named "x" of the
// pattern, or the whole match; the groups around it only check what stands
// next to it. When accept turns a match down, the search goes on from the end
// of the group named "resume", or else from the end of the match.
type detector struct {
	pattern     *regexp.Regexp
	accept      func(match) bool
	placeholder string
}

// match is one match of a detector's pattern in a view.
type match struct {
	re  *regexp.Regexp
	s   string
	loc []int
}

// group returns the text of a named group, or "" when it took no part.
func (m match) group(name string) string {
	start, end := m.span(name)
	if start < 0 {
		return ""
	}
	return m.s[start:end]
}

// span returns where a named group stands, or the whole match for a group the
// pattern lacks, or -1, -1 when the group took no part.
func (m match) span(name string) (int, int) {
	i := m.re.SubexpIndex(name)
	if i < 0 {
		i = 0
	}
	return m.loc[2*i], m.loc[2*i+1]
}

func (d detector) replace(comment string) string {
	v := newView(comment)
	spans := d.find(v.text)
	if len(spans) == 0 {
		return comment
	}
	var out strings.Builder
	last := 0
	for _, span := range spans {
		start, end := v.original(span[0], span[1])
		out.WriteString(comment[last:start])
		out.WriteString(d.placeholder)
		last = end
	}
	out.WriteString(comment[last:])
	return out.String()
}

// find returns the spans of the view that hold a contact detail.
func (d detector) find(s string) [][2]int {
	var found [][2]int
	for pos := 0; pos < len(s); {
		loc := d.pattern.FindStringSubmatchIndex(s[pos:])
		if loc == nil {
			break
		}
		m := match{re: d.pattern, s: s[pos:], loc: loc}
		next := loc[1]
		if d.accept == nil || d.accept(m) {
			if start, end := m.span("x"); start < end {
				found = append(found, [2]int{pos + start, pos + end})
			}
		} else if _, end := m.span("resume"); d.pattern.SubexpIndex("resume") >= 0 && end > 0 {
			next = end
		}
		if next == 0 {
			next = 1
		}
		pos += next
	}
	return found
}

// detectors run in this order: a plain e-mail address before the link in
// it, an e-mail address before the @-handle in it.
var detectors = []detector{
	{pattern: plainEmailPattern, placeholder: EmailPlaceholder},
	{pattern: spelledEmailPattern, accept: plausibleEmail, placeholder: EmailPlaceholder},
	{pattern: urlPattern, placeholder: URLPlaceholder},
	{pattern: wwwPattern, placeholder: URLPlaceholder},
	{pattern: spelledURLPattern, accept: plausibleURL, placeholder: URLPlaceholder},
	{pattern: handlePattern, placeholder: HandlePlaceholder},
	{pattern: spacedHandlePattern, accept: plausibleSpacedHandle, placeholder: HandlePlaceholder},
	{pattern: phonePattern, accept: plausiblePhone, placeholder: PhonePlaceholder},
	{pattern: digitWordsPattern, accept: plausibleDigitWords, placeholder: PhonePlaceholder},
}

// ---- E-mail addresses and links ----

// Words that stand for "@" and "." in a spelled-out address, in English,
// French, German and Spanish.
const (
	atWords  = `at|ät|arobase|arroba|klammeraffe|chez`
	dotWords = `dot|point|punkt|punto`
)

// The building blocks of the address patterns. A separator is a symbol
// ("@", "."), a word between spaces (" at ", " dot ") or a word or symbol in
// brackets ("(at)", "[dot]", "{.}").
var (
	atSep  = `(?:\s*@\s*|` + bracketed(atWords+`|@`) + `|\s+(?:` + atWords + `)\s+)`
	dotSep = `(?:\.|\s+\.\s+|` + bracketed(dotWords+`|\.`) + `|\s+(?:` + dotWords + `)\s+)`
	name   = `[\p{L}\p{N}_%+\-]+`
	label  = `[\p{L}\p{N}][\p{L}\p{N}\-]*`
	tld    = `(?P<tld>` + alternatives(knownTLDs) + `)`
	path   = `(?:/[^\s<>"]*)?`
	// wordEnd is what may follow an address: not a letter, digit or hyphen.
	wordEnd = `(?:[^\p{L}\p{N}_\-]|$)`
	// wordStart is what may stand before a link or handle.
	wordStart = `(?:^|[^\p{L}\p{N}_\-.@])`
)

func bracketed(words string) string {
	return `\s*[(\[{<]\s*(?:` + words + `)\s*[)\]}>]\s*`
}

var (
	plainEmailPattern = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}`)
	// "jane dot doe at example dot com", "jean(at)exemple(point)fr".
	spelledEmailPattern = regexp.MustCompile(`(?P<x>` + name + `(?:` + dotSep + name + `)*` +
		`(?P<at>` + atSep + `)(?P<resume>)(?P<label>` + label + `)(?:` + dotSep + label + `)*` +
		`(?P<dot>` + dotSep + `)` + tld + `)` + wordEnd)
	// A URL with a scheme or www., or a bare domain name with a common
	// top-level domain ("linkedin.com/in/someone").
	urlPattern = regexp.MustCompile(`\b(?:https?://|www\.)[^\s<>"]+|\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:com|org|net|io|co|uk|de|fr|nl|eu|info|biz|me|app|dev|ly|gl|us|ca|au|ch|se|no|dk|es|it)\b(?:/[^\s<>"]*)?`)
	// "www example com", "www dot example dot com".
	wwwPattern = regexp.MustCompile(wordStart + `(?P<x>www(?:(?:` + dotSep + `|\s+)` + label + `)+(?:` + dotSep + `|\s+)` + tld + path + `)` + wordEnd)
	// "example dot com/jane", "example[.]com".
	spelledURLPattern = regexp.MustCompile(wordStart + `(?P<x>(?P<label>` + label + `)(?P<resume>)(?:` + dotSep + label + `)*(?P<dot>` + dotSep + `)` + tld + path + `)` + wordEnd)
)

// knownTLDs are the top-level domains a spelled-out address may end in.
var knownTLDs = []string{
	"com", "org", "net", "edu", "gov", "io", "co", "uk", "de", "fr", "nl", "eu", "info", "biz",
	"me", "app", "dev", "ly", "gl", "us", "ca", "au", "ch", "se", "no", "dk", "es", "it",
	"at", "be", "lu", "ie", "pt",
}

// plainTLDs are the known top-level domains that are not also everyday
// words in English, French, German or Spanish ("de", "es", "it", "net" and
// "se" are).
var plainTLDs = setOf("com", "org", "edu", "gov", "io", "uk", "fr", "nl", "eu", "info", "biz",
	"dev", "app", "ly", "gl", "ch", "dk", "lu", "ie", "pt")

// articles never start a domain name: "the dot com era", "a dot net shop".
var articles = setOf("the", "a", "an", "this", "that", "le", "la", "les", "un", "une", "ce",
	"der", "die", "das", "ein", "eine", "el", "los", "las", "una", "uno")

// How sure a separator is to stand for "@" or ".".
const (
	// An everyday word ("at", "chez", "point", "punto") or a symbol between
	// spaces (" @ ", " . ").
	everyday = iota
	// A word that is only ever used for a symbol ("dot", "arobase", "ät").
	codeWord
	// The symbol itself, or anything in brackets.
	symbol
)

var codeWords = setOf("dot", "punkt", "ät", "arobase", "arroba", "klammeraffe")

func separatorKind(sep string) int {
	word := strings.TrimSpace(sep)
	switch {
	case sep == "@" || sep == "." || strings.ContainsAny(word[:1], "([{<"):
		return symbol
	case codeWords[word]:
		return codeWord
	default:
		return everyday
	}
}

// plausibleEmail turns down spelled-out addresses that may just be prose:
// "we met at this point in time", "chez nous point de vue" and "the office
// at the dot com" read like addresses only when their words are taken as
// symbols.
func plausibleEmail(m match) bool {
	if articles[m.group("label")] {
		return false
	}
	switch separatorKind(m.group("dot")) {
	case symbol, codeWord:
		return true
	default:
		return separatorKind(m.group("at")) != everyday || plainTLDs[m.group("tld")]
	}
}

// plausibleURL asks more of a link without an "@": "dot" is spelled out in
// prose too ("a red dot at the top").
func plausibleURL(m match) bool {
	if articles[m.group("label")] {
		return false
	}
	return separatorKind(m.group("dot")) == symbol || plainTLDs[m.group("tld")]
}

// ---- Handles ----

var (
	// An @-handle: @ at the start of a word followed by a name.
	handlePattern = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_])(?P<x>@[\p{L}\p{N}_][\p{L}\p{N}_.\-]*)`)
	// "@ jane_doe": since "@ home" is prose, a name after a space counts only
	// with an underscore or a digit in it.
	spacedHandlePattern = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_])(?P<x>@\s+(?P<name>\p{L}[\p{L}\p{N}_]*(?:\.[\p{L}\p{N}_]+)*))`)
)

func plausibleSpacedHandle(m match) bool {
	return strings.ContainsFunc(m.group("name"), func(r rune) bool {
		return r == '_' || unicode.IsDigit(r)
	})
}

// ---- Phone numbers ----

// minPhoneDigits is the fewest digits a phone number has; shorter runs are
// years, counts or amounts.
const minPhoneDigits = 7

var (
	// A run of digits with the usual separators.
	phonePattern = regexp.MustCompile(`\+?\(?\d[\d\s().\-/]{5,}\d`)
	// Runs of digits that are long enough for a phone number but are dates,
	// year or time ranges, or amounts with thousands separators.
	notPhonePattern = regexp.MustCompile(`^(?:` +
		`\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{1,2}-\d{1,2}-(?:\d{4}|\d{2})|` + // 12.03.2024
		`\d{4}-\d{1,2}-\d{1,2}|` + // 2024-03-12
		`(?:19|20)\d{2}\s*[-/]\s*(?:19|20)\d{2}|` + // 2019-2024
		`\d{1,2}\.\d{2}\s*-\s*\d{1,2}\.\d{2}|` + // 9.00-17.30
		`[1-9]\d?(?: \d{3}){2,}|[1-9]\d?(?:\.\d{3}){2,}` + // 1 000 000, 2.500.000
		`)$`)
	// Digits spelled as words: "zero seven seven zero ...".
	digitWordsPattern = regexp.MustCompile(`(?:^|[^\p{L}\p{N}])(?P<x>(?:` + alternatives(keys(digitWords)) + `|\d+)` +
		`(?:[\s,.\-/]+(?:` + alternatives(keys(digitWords)) + `|\d+))*)(?:[^\p{L}\p{N}]|$)`)
)

func plausiblePhone(m match) bool {
	number := m.group("x")
	return countDigits(number) >= minPhoneDigits && !notPhonePattern.MatchString(number)
}

// digitWords are the words for digits in English, French, German and
// Spanish, with how many digits each stands for ("double seven" is two).
var digitWords = map[string]int{
	"zero": 1, "oh": 1, "one": 1, "two": 1, "three": 1, "four": 1, "five": 1, "six": 1,
	"seven": 1, "eight": 1, "nine": 1, "double": 1, "triple": 2,
	"zéro": 1, "un": 1, "deux": 1, "trois": 1, "quatre": 1, "cinq": 1, "sept": 1, "huit": 1, "neuf": 1,
	"null": 1, "eins": 1, "zwei": 1, "zwo": 1, "drei": 1, "vier": 1, "fünf": 1, "sechs": 1,
	"sieben": 1, "acht": 1, "neun": 1,
	"cero": 1, "uno": 1, "dos": 1, "tres": 1, "cuatro": 1, "cinco": 1, "seis": 1, "siete": 1,
	"ocho": 1, "nueve": 1,
}

// plausibleDigitWords wants at least three digit words (plain numerals are
// the phone pattern's job) and enough digits for a phone number.
func plausibleDigitWords(m match) bool {
	words, digits := 0, 0
	for _, token := range strings.FieldsFunc(m.group("x"), func(r rune) bool {
		return strings.ContainsRune(" \t\n\r\f\v,.-/", r)
	}) {
		if n, ok := digitWords[token]; ok {
			words++
			digits += n
		} else {
			digits += len(token)
		}
	}
	return words >= 3 && digits >= minPhoneDigits
}

func countDigits(s string) int {
	return len(s) - len(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}, s))
}

// ---- Small helpers ----

// alternatives joins words into a regular expression alternation, longest
// first.
func alternatives(words []string) string {
	sorted := append([]string(nil), words...)
	sort.Slice(sorted, func(i, j int) bool { return len(sorted[i]) > len(sorted[j]) })
	for i, w := range sorted {
		sorted[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(sorted, "|")
}

func keys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func setOf(words ...string) map[string]bool {
	set := make(map[string]bool, len(words))
	for _, w := range words {
		set[w] = true
	}
	return set
}
