package api

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"crypto/rsa"

	"github.com/cloudflare/circl/blindsign/blindrsa"

	"github.com/allypulse/allypulse/internal/ballot"
)

// heldBallot is a finalized ballot, as the page keeps it.
type heldBallot struct {
	Key, Token, Signature string
}

// takeBallot does what frontend/static/ballot.js does, with circl's client:
// read the form's key, blind a random token, ask for the signature,
// finalize it.
func (e *respondEnv) takeBallot(t *testing.T, code string) (heldBallot, *httptest.ResponseRecorder) {
	t.Helper()
	rec := e.do(http.MethodGet, "/api/v1/respond/"+code, "", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("form: %d %s", rec.Code, rec.Body)
	}
	var form respondForm
	if err := json.Unmarshal(rec.Body.Bytes(), &form); err != nil || form.Ballot == nil {
		t.Fatalf("form without a ballot key: %v %s", err, rec.Body)
	}
	n, _ := base64.RawURLEncoding.DecodeString(form.Ballot.JWK.N)
	ee, _ := base64.RawURLEncoding.DecodeString(form.Ballot.JWK.E)
	pk := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(ee).Int64())}
	client, err := blindrsa.NewClient(ballot.Variant, pk)
	if err != nil {
		t.Fatal(err)
	}
	token := make([]byte, ballot.TokenSize)
	_, _ = rand.Read(token)
	blinded, state, err := client.Blind(rand.Reader, token)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(ballotRequest{Key: form.Ballot.Key, Blinded: base64.RawURLEncoding.EncodeToString(blinded)})
	rec = e.do(http.MethodPost, "/api/v1/respond/"+code+"/ballot", "application/json", string(body))
	if rec.Code != http.StatusOK {
		return heldBallot{}, rec
	}
	var issued ballotIssued
	if err := json.Unmarshal(rec.Body.Bytes(), &issued); err != nil {
		t.Fatal(err)
	}
	bsig, _ := base64.RawURLEncoding.DecodeString(issued.BlindSignature)
	sig, err := client.Finalize(state, bsig)
	if err != nil {
		t.Fatalf("finalize: %v", err)
	}
	return heldBallot{Key: form.Ballot.Key, Token: base64.RawURLEncoding.EncodeToString(token), Signature: base64.RawURLEncoding.EncodeToString(sig)}, rec
}

// submitBallot sends a submission body (JSON object) with the ballot.
func (e *respondEnv) submitBallot(b heldBallot, body string) *httptest.ResponseRecorder {
	var m map[string]any
	_ = json.Unmarshal([]byte(body), &m)
	if m == nil {
		m = map[string]any{}
	}
	m["ballot"] = map[string]string{"key": b.Key, "token": b.Token, "signature": b.Signature}
	out, _ := json.Marshal(m)
	return e.do(http.MethodPost, "/api/v1/ballots", "application/json", string(out))
}

// answer responds with code as the employee page does: an invitation takes
// a ballot and answers with it; an open link answers directly.
func (e *respondEnv) answer(t *testing.T, code, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	if code == e.wave.Slug {
		return e.do(http.MethodPost, "/api/v1/respond/"+code, "application/json", body, headers...)
	}
	b, rec := e.takeBallot(t, code)
	if rec.Code != http.StatusOK {
		return rec
	}
	return e.submitBallot(b, body)
}

func TestBallotPath(t *testing.T) {
	e := newRespondEnv(t, Config{RespondRate: -1})
	codes := e.invites(5, map[string]string{"department": "Sales"})
	good := submissionJSON(t, fullAnswers())

	// A direct submission with an invitation is refused: it answers with
	// a ballot only.
	if rec := e.do(http.MethodPost, "/api/v1/respond/"+codes[0], "application/json", good); rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "ballot") {
		t.Fatalf("direct submit: %d %s", rec.Code, rec.Body)
	}
	b, rec := e.takeBallot(t, codes[0])
	if rec.Code != http.StatusOK {
		t.Fatalf("ballot: %d %s", rec.Code, rec.Body)
	}
	// The form of an invitation that took its ballot still opens (no 409
	// that would tell a code holder that its owner took part).
	if rec := e.do(http.MethodGet, "/api/v1/respond/"+codes[0], "", ""); rec.Code != http.StatusOK {
		t.Errorf("form after the ballot: %d", rec.Code)
	}
	// A second ballot for the same invitation is refused.
	if _, rec := e.takeBallot(t, codes[0]); rec.Code != http.StatusConflict {
		t.Errorf("second ballot: %d %s", rec.Code, rec.Body)
	}
	// A tampered token, a wrong key, bad encodings: named fields.
	bad := b
	bad.Token = base64.RawURLEncoding.EncodeToString(make([]byte, 32))
	for name, tc := range map[string]struct {
		b     heldBallot
		field string
	}{
		"token":     {bad, "ballot.signature"},
		"key":       {heldBallot{Key: "nokey", Token: b.Token, Signature: b.Signature}, "ballot.key"},
		"encoding":  {heldBallot{Key: b.Key, Token: "!!", Signature: b.Signature}, "ballot.token"},
		"signature": {heldBallot{Key: b.Key, Token: b.Token, Signature: ""}, "ballot.signature"},
	} {
		rec := e.submitBallot(tc.b, good)
		if rec.Code != http.StatusUnprocessableEntity || !contains(problemFields(t, rec), tc.field) {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body)
		}
	}
	if rec := e.do(http.MethodPost, "/api/v1/ballots", "application/json", good); rec.Code != http.StatusUnprocessableEntity || problemFields(t, rec)[0] != "ballot" {
		t.Errorf("no ballot: %d %s", rec.Code, rec.Body)
	}
	if rec := e.do(http.MethodPost, "/api/v1/respond/"+codes[1]+"/ballot", "application/json", `{"key":"k","blinded":"AAAA"}`); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("wrong key at issuance: %d %s", rec.Code, rec.Body)
	}
	// The ballot is spent once (TestConcurrentSubmitsOverHTTP sends it
	// fifty times at once).
	if rec := e.submitBallot(b, good); rec.Code != http.StatusCreated {
		t.Fatalf("submit: %d %s", rec.Code, rec.Body)
	}
	if rec := e.submitBallot(b, good); rec.Code != http.StatusConflict {
		t.Errorf("spent ballot: %d %s", rec.Code, rec.Body)
	}
	// A short code typed with a typo is told apart from an unknown one.
	typo := []byte(codes[1])
	typo[0] = map[bool]byte{true: 'A', false: 'B'}[typo[0] != 'A']
	if rec := e.do(http.MethodGet, "/api/v1/respond/"+string(typo), "", ""); rec.Code != http.StatusUnprocessableEntity || problemFields(t, rec)[0] != "code" {
		t.Errorf("typo: %d %s", rec.Code, rec.Body)
	}
	lower := strings.ToLower(codes[1][:4] + "-" + codes[1][4:])
	if rec := e.do(http.MethodGet, "/api/v1/respond/"+lower, "", ""); rec.Code != http.StatusOK {
		t.Errorf("lower case and a hyphen: %d %s", rec.Code, rec.Body)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestBallotsUnlinkable reads every table and the log of a run in which
// people took ballots and answered, and finds nothing that matches a ballot
// issuance to a response: no token, signature, blinded value or code in
// any row or log line, no column of time or order on responses or spent
// ballots.
func TestBallotsUnlinkable(t *testing.T) {
	e := newRespondEnv(t, Config{RespondRate: -1})
	codes := e.invites(6, map[string]string{"department": "Sales"})
	var held []heldBallot
	for _, c := range codes {
		b, rec := e.takeBallot(t, c)
		if rec.Code != http.StatusOK {
			t.Fatalf("ballot: %d", rec.Code)
		}
		held = append(held, b)
	}
	for i := len(held) - 1; i >= 1; i-- { // answered in another order
		if rec := e.submitBallot(held[i], submissionJSON(t, fullAnswers())); rec.Code != http.StatusCreated {
			t.Fatalf("submit: %d %s", rec.Code, rec.Body)
		}
	}
	var tables []string
	if err := e.db.Gorm.Raw("SELECT name FROM sqlite_master WHERE type = 'table'").Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	var dump strings.Builder
	for _, table := range tables {
		rows, err := e.db.SQL.Query("SELECT * FROM " + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		if table == "responses" || table == "spent_ballots" {
			for _, c := range cols {
				if strings.Contains(c, "at") && c != "wave_id" || strings.Contains(c, "time") || strings.Contains(c, "seq") || strings.Contains(c, "key") || strings.Contains(c, "invite") || strings.Contains(c, "code") {
					t.Errorf("%s has a column %q", table, c)
				}
			}
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				switch v := v.(type) {
				case []byte:
					dump.WriteString(base64.RawURLEncoding.EncodeToString(v) + " " + string(v) + "\n")
				default:
					dump.WriteString(fmt.Sprint(v) + "\n")
				}
			}
		}
		rows.Close()
	}
	dump.WriteString(e.logs.String())
	all := dump.String()
	for _, b := range held {
		tok, _ := base64.RawURLEncoding.DecodeString(b.Token)
		for _, secret := range []string{b.Token, b.Signature, hex.EncodeToString(tok)} {
			if strings.Contains(all, secret) {
				t.Errorf("stored or logged: %.20s…", secret)
			}
		}
	}
	for _, c := range codes {
		if strings.Contains(all, c) {
			t.Errorf("code %s stored or logged", c)
		}
	}
	// Neither request logs the client's address (respondEnv.do sends from
	// 203.0.113.77), which with the log's times would link the two.
	if strings.Contains(e.logs.String(), "203.0.113.77") {
		t.Error("a ballot request logged the client address")
	}
	// What is stored of the spent ballots are hashes of tokens the server
	// never saw at issuance: the blinded values it signed (kept as hashes
	// on invites) share nothing with them.
	var spent, blinded []string
	e.db.Gorm.Raw("SELECT token_hash FROM spent_ballots").Scan(&spent)
	e.db.Gorm.Raw("SELECT blinded_hash FROM invites WHERE used").Scan(&blinded)
	if len(spent) != 5 || len(blinded) != 6 {
		t.Fatalf("%d spent, %d issued", len(spent), len(blinded))
	}
	for _, s := range spent {
		if contains(blinded, s) {
			t.Error("a spent ballot matches an issuance")
		}
	}
}
