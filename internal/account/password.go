package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// MinPasswordLength is the password policy: at least this many characters.
// Length beats composition rules (NIST SP 800-63B).
const MinPasswordLength = 10

// maxPasswordLength keeps hashing cost bounded for absurd inputs.
const maxPasswordLength = 1024

// argon2id parameters: the OWASP minimum for argon2id (19 MiB, 2 passes,
// 1 lane), about 30 ms on one core here.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

var b64 = base64.RawStdEncoding

// PasswordProblem returns a user-facing message about what is wrong with
// pw, or "" when the password is acceptable. Spaces count towards the
// length, as in a passphrase, but a password of nothing else is refused.
func PasswordProblem(pw string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return fmt.Sprintf("must be at least %d characters", MinPasswordLength)
	case len(pw) > maxPasswordLength:
		return fmt.Sprintf("must be at most %d bytes", maxPasswordLength)
	case strings.TrimSpace(pw) == "":
		return "must not be only spaces"
	}
	return ""
}

// hashPassword returns a PHC-style argon2id string with a random salt.
func hashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("unrecognised password hash")

// checkPassword compares pw with an encoded hash in constant time. The
// parameters come from the hash, so raising them later keeps old hashes valid.
func checkPassword(pw, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var mem, iters uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil {
		return false, errBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, iters, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is the argon2id hash of a random throw-away password, checked
// against when an e-mail is unknown.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$0m8Kx6mJwJ7y2v6S5Nf0uCBvJqfF2WmlO0DTx0zvXj4"
