package survey

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/allypulse/allypulse/internal/ballot"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/shortcode"
)

// Ballots turn an invitation into an unlinkable ballot (see
// internal/ballot/ballot.go and docs/anonymity.md). Issuance marks the
// invitation used and signs a blinded token with the key of the
// invitation's segment; submission (SubmitBallot) checks the unblinded
// signature and spends the token. The two are separate requests that share
// nothing the server can see: the token was blinded when it was signed.

// ErrBallotRequired refuses a direct submission with an invitation code: an
// invitation answers only with a ballot, so its code never travels with
// answers.
var ErrBallotRequired = fmt.Errorf("an invitation answers with a ballot: take one with POST /api/v1/respond/{code}/ballot and send the answers to POST /api/v1/ballots: %w", kernel.ErrConflict)

// BallotKey is the public half of a segment's signing key.
type BallotKey struct {
	ID     string
	WaveID string
	// Segment holds the attributes every ballot of this key carries.
	Segment map[string]string
	Public  ballot.PublicKey
}

// ballotKeys caches keys by id; keys never change once made.
type ballotKeys struct {
	mu   sync.Mutex
	byID map[string]cachedKey
}

type cachedKey struct {
	key  ballot.Key
	meta BallotKey
}

// segmentJSON is a segment's canonical text: json.Marshal sorts map keys.
func segmentJSON(segment map[string]string) string {
	if segment == nil {
		segment = map[string]string{}
	}
	b, _ := json.Marshal(segment)
	return string(b)
}

// ballotKey returns the key of wave's segment, making it on first use.
// Concurrent first uses meet at the table's unique (wave_id, segment).
func (in *Intake) ballotKey(ctx context.Context, waveID string, segment map[string]string) (cachedKey, error) {
	seg := segmentJSON(segment)
	if k, err := in.readBallotKey(ctx, "wave_id = ? AND segment = ?", waveID, seg); err == nil || !errors.Is(err, kernel.ErrNotFound) {
		return k, err
	}
	k, err := ballot.NewKey()
	if err != nil {
		return cachedKey{}, err
	}
	_, err = in.sqlDB.ExecContext(ctx, in.rebind("INSERT INTO ballot_keys (id, wave_id, segment, private_key) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"),
		kernel.NewID(), waveID, seg, k.Marshal())
	if err != nil {
		return cachedKey{}, err
	}
	return in.readBallotKey(ctx, "wave_id = ? AND segment = ?", waveID, seg)
}

// keyByID returns a key by its id (kernel.ErrNotFound when there is none).
func (in *Intake) keyByID(ctx context.Context, id string) (cachedKey, error) {
	in.keys.mu.Lock()
	k, ok := in.keys.byID[id]
	in.keys.mu.Unlock()
	if ok {
		return k, nil
	}
	return in.readBallotKey(ctx, "id = ?", id)
}

func (in *Intake) readBallotKey(ctx context.Context, where string, args ...any) (cachedKey, error) {
	var id, waveID, seg string
	var der []byte
	err := in.sqlDB.QueryRowContext(ctx, in.rebind("SELECT id, wave_id, segment, private_key FROM ballot_keys WHERE "+where), args...).Scan(&id, &waveID, &seg, &der)
	if errors.Is(err, sql.ErrNoRows) {
		return cachedKey{}, kernel.ErrNotFound
	}
	if err != nil {
		return cachedKey{}, err
	}
	k, err := ballot.ParseKey(der)
	if err != nil {
		return cachedKey{}, err
	}
	var segment map[string]string
	if err := json.Unmarshal([]byte(seg), &segment); err != nil {
		return cachedKey{}, fmt.Errorf("ballot key segment: %w", err)
	}
	ck := cachedKey{key: k, meta: BallotKey{ID: id, WaveID: waveID, Segment: segment, Public: k.Public()}}
	in.keys.mu.Lock()
	if len(in.keys.byID) >= maxCachedWaves {
		clear(in.keys.byID)
	}
	in.keys.byID[id] = ck
	in.keys.mu.Unlock()
	return ck, nil
}

// IssueBallot signs blinded, a blinded token, for the invitation code, once.
// The invitation is marked used (it took its ballot) with the blinded
// token's hash, so the same request can be answered again after a lost
// answer; a different blinded token for a used invitation is kernel.ErrConflict.
// keyID must be the invitation's key as the form named it.
func (in *Intake) IssueBallot(ctx context.Context, code, keyID string, blinded []byte) ([]byte, error) {
	form, segment, codeHash, _, err := in.resolve(ctx, code)
	if err != nil {
		return nil, err
	}
	if codeHash == "" {
		return nil, kernel.Invalid("code", "an open link needs no ballot: send the answers to POST /api/v1/respond/{code}")
	}
	if err := in.checkWindow(form); err != nil {
		return nil, err
	}
	k, err := in.ballotKey(ctx, form.wave.ID, segment)
	if err != nil {
		return nil, err
	}
	if keyID != k.meta.ID {
		return nil, kernel.Invalid("key", "is not this invitation's ballot key: reload the page")
	}
	sig, err := k.key.Sign(blinded)
	if err != nil {
		return nil, kernel.Invalid("blinded", err.Error())
	}
	bh := ballot.BlindedHash(blinded)
	res, err := in.sqlDB.ExecContext(ctx, in.rebind("UPDATE invites SET used = TRUE, blinded_hash = ? WHERE code_hash = ? AND used = FALSE"), bh, codeHash)
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, err
	} else if n == 1 {
		return sig, nil
	}
	var taken string
	if err := in.sqlDB.QueryRowContext(ctx, in.rebind("SELECT blinded_hash FROM invites WHERE code_hash = ?"), codeHash).Scan(&taken); err != nil {
		return nil, err
	}
	if taken != bh {
		return nil, fmt.Errorf("this invitation's ballot has already been taken: %w", kernel.ErrConflict)
	}
	return sig, nil
}

// SubmitBallot records a response made with a ballot: the token and its
// signature under the key keyID. The key gives the wave and the segment;
// the token is spent in the transaction that stores the response.
func (in *Intake) SubmitBallot(ctx context.Context, keyID string, token, sig []byte, sub Submission) error {
	k, err := in.keyByID(ctx, keyID)
	if errors.Is(err, kernel.ErrNotFound) {
		return kernel.Invalid("ballot.key", "is not a ballot key of an open wave")
	}
	if err != nil {
		return err
	}
	if err := k.meta.Public.Verify(token, sig); err != nil {
		return kernel.Invalid("ballot.signature", "the ballot's signature does not match its token")
	}
	form, err := in.formByID(ctx, k.meta.WaveID)
	if err != nil {
		return err
	}
	if err := in.checkWindow(form); err != nil {
		return err
	}
	return in.submitWith(ctx, form, k.meta.Segment, pendingKey{tokenHash: ballot.TokenHash(token)}, sub)
}

// BallotKeyFor returns the public key an invitation's ballot is signed
// with, for the form (nil for an open link).
func (in *Intake) BallotKeyFor(ctx context.Context, t Target) (*BallotKey, error) {
	if !t.Invite {
		return nil, nil
	}
	k, err := in.ballotKey(ctx, t.Wave.ID, t.Segment)
	if err != nil {
		return nil, err
	}
	return &k.meta, nil
}

// inviteHash returns the stored hash of an invite code: a short code
// (internal/shortcode) in its canonical form, anything else as typed. A
// short code with a wrong check character is a typo, told apart from an
// unknown code.
func inviteHash(code string) (string, error) {
	if shortcode.Looks(code) {
		canon, err := shortcode.Parse(code)
		if err != nil {
			return "", kernel.Invalid("code", "this code has a typo: check each character (O and 0, I and 1 are the same)")
		}
		return kernel.HashSecret(canon), nil
	}
	return kernel.HashSecret(code), nil
}
