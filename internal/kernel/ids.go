package kernel

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"
)

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewID returns an opaque random identifier (80 bits, base32, lower case).
func NewID() string { return randomString(10) }

// NewSecret returns a random code with 160 bits of entropy, for invite codes,
// open-link slugs and tokens.
func NewSecret() string { return randomString(20) }

func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // the OS RNG never fails on Linux
	}
	return idEncoding.EncodeToString(b)
}

// HashSecret returns the hex SHA-256 of a secret. Secrets carry ≥128 random
// bits, so an unsalted fast hash is enough to make the stored value useless.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(secret)))
	return hex.EncodeToString(sum[:])
}
