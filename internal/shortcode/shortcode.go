// Package shortcode makes invite codes a person can type: 12 random
// characters of Crockford's base32 alphabet (60 bits) and a check
// character, shown in groups of four ("7KQ2-M9XD-4TRC-B").
//
// Reading is forgiving the way Crockford's alphabet intends: case does not
// matter, hyphens and spaces are ignored, O reads as 0 and I or L as 1. The
// check character (Luhn mod 32) catches every single mistyped character and
// every swap of two neighbours, so a typo is told apart from a code that
// does not exist without asking the server.
package shortcode

import (
	"crypto/rand"
	"errors"
	"strings"
)

// alphabet is Crockford's base32: digits and letters without I, L, O and U.
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Random is the number of random characters; with the check character a
// code has Length characters.
const (
	Random = 12
	Length = Random + 1
)

// Errors of Parse. ErrTypo means the characters are all valid but the check
// character does not match: most likely one was mistyped.
var (
	ErrLength   = errors.New("a code has 13 characters")
	ErrAlphabet = errors.New("a code has only digits and the letters A-Z without U")
	ErrTypo     = errors.New("the code has a typo: check each character")
)

// New returns a fresh code in its canonical form (13 characters, no
// hyphens, upper case).
func New() string {
	var raw [Random]byte
	if _, err := rand.Read(raw[:]); err != nil {
		panic("crypto/rand failed: " + err.Error()) // the OS RNG never fails on Linux
	}
	var b [Length]byte
	vals := make([]int, Random)
	for i, r := range raw {
		vals[i] = int(r & 31)
		b[i] = alphabet[vals[i]]
	}
	b[Random] = alphabet[check(vals)]
	return string(b[:])
}

// Parse reads what a person typed and returns the canonical code. It
// returns ErrLength, ErrAlphabet or ErrTypo for input that is not a code.
func Parse(s string) (string, error) {
	vals := make([]int, 0, Length)
	for _, r := range s {
		switch r {
		case '-', ' ', '\t', '\u00a0':
			continue
		}
		v := value(r)
		if v < 0 {
			return "", ErrAlphabet
		}
		if len(vals) == Length {
			return "", ErrLength
		}
		vals = append(vals, v)
	}
	if len(vals) != Length {
		return "", ErrLength
	}
	if check(vals[:Random]) != vals[Random] {
		return "", ErrTypo
	}
	var b [Length]byte
	for i, v := range vals {
		b[i] = alphabet[v]
	}
	return string(b[:]), nil
}

// Looks reports whether s has the shape of a short code (13 characters of
// the alphabet once hyphens and spaces are dropped), whatever its check
// character. Longer invite codes and open-link slugs do not.
func Looks(s string) bool {
	_, err := Parse(s)
	return err == nil || errors.Is(err, ErrTypo)
}

// Format groups a canonical code for reading: 4-4-4-1.
func Format(code string) string {
	if len(code) != Length {
		return code
	}
	return code[0:4] + "-" + code[4:8] + "-" + code[8:12] + "-" + code[12:]
}

// value returns the value of one typed character, or -1.
func value(r rune) int {
	switch r {
	case 'o', 'O':
		return 0
	case 'i', 'I', 'l', 'L':
		return 1
	}
	if r >= 'a' && r <= 'z' {
		r -= 'a' - 'A'
	}
	if r > 0x7f {
		return -1
	}
	return strings.IndexByte(alphabet, byte(r))
}

// check is the check value of vals in GF(32): the sum of vals[i]·α^(n-i),
// where α generates the field's multiplicative group (x⁵+x²+1). With the
// check character at weight α⁰, a whole code sums to zero. Distinct nonzero
// weights catch every single substitution and every swap of two characters.
func check(vals []int) int {
	sum, w := 0, 1
	for i := len(vals) - 1; i >= 0; i-- {
		w = gfMul(w, 2)
		sum ^= gfMul(vals[i], w)
	}
	return sum
}

// gfMul multiplies in GF(32) modulo x⁵+x²+1.
func gfMul(a, b int) int {
	p := 0
	for b > 0 {
		if b&1 != 0 {
			p ^= a
		}
		b >>= 1
		a <<= 1
		if a&32 != 0 {
			a ^= 0b100101
		}
	}
	return p
}
