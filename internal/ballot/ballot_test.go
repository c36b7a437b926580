package ballot

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/cloudflare/circl/blindsign/blindrsa"
)

// The full round: a client blinds, the key signs, the client finalizes and
// the server verifies, after the key went through storage.
func TestBlindRoundTrip(t *testing.T) {
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	k, err = ParseKey(k.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	pub := k.Public()
	client, err := blindrsa.NewClient(Variant, pub.RSA())
	if err != nil {
		t.Fatal(err)
	}
	token := make([]byte, TokenSize)
	_, _ = rand.Read(token)
	blinded, state, err := client.Blind(rand.Reader, token)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(blinded, token) {
		t.Fatal("the blinded token shows the token")
	}
	bsig, err := k.Sign(blinded)
	if err != nil {
		t.Fatal(err)
	}
	again, err := k.Sign(blinded)
	if err != nil || !bytes.Equal(again, bsig) {
		t.Fatal("signing is not deterministic")
	}
	sig, err := client.Finalize(state, bsig)
	if err != nil {
		t.Fatal(err)
	}
	if err := pub.Verify(token, sig); err != nil {
		t.Fatal(err)
	}
	other := bytes.Clone(token)
	other[0] ^= 1
	if err := pub.Verify(other, sig); !errors.Is(err, ErrSignature) {
		t.Fatalf("another token: %v", err)
	}
	if err := pub.Verify(token[:5], sig); !errors.Is(err, ErrToken) {
		t.Fatalf("short token: %v", err)
	}
	// A signature of another key does not pass.
	k2, _ := NewKey()
	if err := k2.Public().Verify(token, sig); !errors.Is(err, ErrSignature) {
		t.Fatalf("other key: %v", err)
	}
	if _, err := k.Sign([]byte{1, 2, 3}); !errors.Is(err, ErrBlinded) {
		t.Fatalf("short blinded: %v", err)
	}
	if _, err := k.Sign(bytes.Repeat([]byte{0xff}, 256)); !errors.Is(err, ErrBlinded) {
		t.Fatalf("blinded above the modulus: %v", err)
	}
}
