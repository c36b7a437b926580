// Package ballot holds the cryptography of unlinkable ballots: RSA blind
// signatures (RFC 9474, variant RSABSSA-SHA384-PSSZERO-Deterministic).
//
// A person with an invitation asks for a ballot with a blinded token; the
// server signs it without seeing the token. Later, in a separate request,
// the response arrives with the token and its unblinded signature: the
// signature proves that some invitation of the key's segment took a ballot,
// and nothing about which one. The token is 32 random bytes chosen by the
// respondent's browser (frontend/static/ballot.js), so the deterministic
// variant needs no prepared prefix.
package ballot

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"

	"github.com/cloudflare/circl/blindsign/blindrsa"
)

// Variant is the RFC 9474 variant every key uses.
const Variant = blindrsa.SHA384PSSZeroDeterministic

// VariantName names Variant for clients.
const VariantName = "RSABSSA-SHA384-PSSZERO-Deterministic"

// KeyBits is the modulus size of a signing key.
const KeyBits = 2048

// TokenSize is the size of a ballot token in bytes.
const TokenSize = 32

// Errors of Sign and Verify.
var (
	ErrBlinded   = errors.New("the blinded token is not a number of the key's size")
	ErrToken     = errors.New("the token is not 32 bytes")
	ErrSignature = errors.New("the signature does not match the token")
)

// Key is one signing key.
type Key struct {
	sk *rsa.PrivateKey
}

// NewKey generates a signing key.
func NewKey() (Key, error) {
	sk, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return Key{}, err
	}
	return Key{sk: sk}, nil
}

// ParseKey reads a key written by Key.Marshal.
func ParseKey(der []byte) (Key, error) {
	sk, err := x509.ParsePKCS1PrivateKey(der)
	if err != nil {
		return Key{}, fmt.Errorf("ballot key: %w", err)
	}
	return Key{sk: sk}, nil
}

// Marshal returns the private key as PKCS #1 DER.
func (k Key) Marshal() []byte { return x509.MarshalPKCS1PrivateKey(k.sk) }

// Public returns the key's public half.
func (k Key) Public() PublicKey { return PublicKey{pk: &k.sk.PublicKey} }

// Sign signs a blinded token. It is deterministic: the same blinded token
// gets the same signature, so a browser that lost the answer can ask again.
func (k Key) Sign(blinded []byte) ([]byte, error) {
	size := k.sk.Size()
	if len(blinded) != size || new(big.Int).SetBytes(blinded).Cmp(k.sk.N) >= 0 {
		return nil, ErrBlinded
	}
	sig, err := blindrsa.NewSigner(k.sk).BlindSign(blinded)
	if err != nil {
		return nil, ErrBlinded
	}
	return sig, nil
}

// PublicKey verifies ballots.
type PublicKey struct {
	pk *rsa.PublicKey
}

// RSA returns the key for a client (tests use circl's client with it).
func (p PublicKey) RSA() *rsa.PublicKey { return p.pk }

// JWK is the public key in JSON Web Key form (RFC 7517), which the browser
// reads with BigInt.
type JWK struct {
	Kty string `json:"kty"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// JWK returns the key as a JWK.
func (p PublicKey) JWK() JWK {
	return JWK{
		Kty: "RSA",
		N:   base64.RawURLEncoding.EncodeToString(p.pk.N.Bytes()),
		E:   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(p.pk.E)).Bytes()),
	}
}

// Verify checks a finalized signature on token.
func (p PublicKey) Verify(token, sig []byte) error {
	if len(token) != TokenSize {
		return ErrToken
	}
	v, err := blindrsa.NewVerifier(Variant, p.pk)
	if err != nil {
		return err
	}
	if len(sig) != p.pk.Size() || v.Verify(token, sig) != nil {
		return ErrSignature
	}
	return nil
}

// TokenHash is what the server keeps of a spent token: enough to refuse it
// a second time.
func TokenHash(token []byte) string {
	sum := sha256.Sum256(token)
	return hex.EncodeToString(sum[:])
}

// BlindedHash is what the server keeps of a blinded token it signed, so the
// same request can be answered again and a different one refused.
func BlindedHash(blinded []byte) string {
	sum := sha256.Sum256(blinded)
	return hex.EncodeToString(sum[:])
}
