package ballot

import (
	"crypto/rand"
	"testing"

	"github.com/cloudflare/circl/blindsign/blindrsa"
)

// benchBallot is a key and a blinded token made by circl's client, as the
// employee page makes it.
type benchBallot struct {
	key     Key
	client  blindrsa.Client
	token   []byte
	blinded []byte
	state   blindrsa.State
}

func newBenchBallot(b *testing.B) benchBallot {
	b.Helper()
	k, err := NewKey()
	if err != nil {
		b.Fatal(err)
	}
	client, err := blindrsa.NewClient(Variant, k.Public().RSA())
	if err != nil {
		b.Fatal(err)
	}
	token := make([]byte, TokenSize)
	_, _ = rand.Read(token)
	blinded, state, err := client.Blind(rand.Reader, token)
	if err != nil {
		b.Fatal(err)
	}
	return benchBallot{key: k, client: client, token: token, blinded: blinded, state: state}
}

// BenchmarkSign is the server's share of one ballot: the blind signature
// (docs/benchmarks.md, "The ballot path").
func BenchmarkSign(b *testing.B) {
	bb := newBenchBallot(b)
	for b.Loop() {
		if _, err := bb.key.Sign(bb.blinded); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify is the server's check of a spent ballot.
func BenchmarkVerify(b *testing.B) {
	bb := newBenchBallot(b)
	bsig, err := bb.key.Sign(bb.blinded)
	if err != nil {
		b.Fatal(err)
	}
	sig, err := bb.client.Finalize(bb.state, bsig)
	if err != nil {
		b.Fatal(err)
	}
	pub := bb.key.Public()
	for b.Loop() {
		if err := pub.Verify(bb.token, sig); err != nil {
			b.Fatal(err)
		}
	}
}
