package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"time"

	"github.com/cloudflare/circl/blindsign/blindrsa"

	"github.com/allypulse/allypulse/internal/ballot"
	"github.com/allypulse/allypulse/survey"
)

// The ballot path (--ballots): each operation is what an invited person's
// page does (frontend/static/ballot.js): blind a random token, have it
// signed (POST /api/v1/respond/{code}/ballot), finalize the signature, and
// send the answers with the ballot (POST /api/v1/ballots). Every code is
// used once, so the run makes its codes first (--codes).

// ballotForm is the part of the form the page blinds its token for.
type ballotForm struct {
	Ballot *struct {
		Key string `json:"key"`
		JWK struct {
			N string `json:"n"`
			E string `json:"e"`
		} `json:"jwk"`
	} `json:"ballot"`
}

// ballotClient reads the ballot key from the form of code.
func ballotClient(ctx context.Context, client *http.Client, base, code string) (string, blindrsa.Client, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/respond/"+code, nil)
	resp, err := client.Do(req)
	if err != nil {
		return "", blindrsa.Client{}, err
	}
	defer resp.Body.Close()
	var f ballotForm
	if err := json.NewDecoder(resp.Body).Decode(&f); err != nil || f.Ballot == nil {
		return "", blindrsa.Client{}, fmt.Errorf("the form of an invitation has no ballot key (%s)", resp.Status)
	}
	n, err1 := base64.RawURLEncoding.DecodeString(f.Ballot.JWK.N)
	e, err2 := base64.RawURLEncoding.DecodeString(f.Ballot.JWK.E)
	if err1 != nil || err2 != nil {
		return "", blindrsa.Client{}, fmt.Errorf("ballot key: bad JWK")
	}
	pk := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	bc, err := blindrsa.NewClient(ballot.Variant, pk)
	return f.Ballot.Key, bc, err
}

// makeCodes issues n invitation codes for wave w.
func makeCodes(ctx context.Context, store *survey.Store, sv survey.Survey, w survey.Wave, n int) ([]string, error) {
	var codes []string
	for len(codes) < n {
		_, c, err := store.CreateInviteBatch(ctx, sv, w, min(survey.MaxInviteBatch, n-len(codes)), nil, time.Now())
		if err != nil {
			return nil, err
		}
		codes = append(codes, c...)
	}
	return codes, nil
}

// takeAndSpend does one ballot operation; it returns the status of the
// first request that did not succeed ("" when both did).
func takeAndSpend(ctx context.Context, client *http.Client, base, code, key string, bc blindrsa.Client, body []byte) string {
	token := make([]byte, ballot.TokenSize)
	_, _ = rand.Read(token)
	blinded, state, err := bc.Blind(rand.Reader, token)
	if err != nil {
		return "blind"
	}
	req, _ := json.Marshal(map[string]string{"key": key, "blinded": base64.RawURLEncoding.EncodeToString(blinded)})
	var issued struct {
		BlindSignature string `json:"blind_signature"`
	}
	if status := postJSON(ctx, client, base+"/api/v1/respond/"+code+"/ballot", req, http.StatusOK, &issued); status != "" {
		return "ballot " + status
	}
	bsig, err := base64.RawURLEncoding.DecodeString(issued.BlindSignature)
	if err != nil {
		return "ballot body"
	}
	sig, err := bc.Finalize(state, bsig)
	if err != nil {
		return "finalize"
	}
	var sub map[string]any
	_ = json.Unmarshal(body, &sub)
	sub["ballot"] = map[string]string{"key": key, "token": base64.RawURLEncoding.EncodeToString(token), "signature": base64.RawURLEncoding.EncodeToString(sig)}
	out, _ := json.Marshal(sub)
	if status := postJSON(ctx, client, base+"/api/v1/ballots", out, http.StatusCreated, nil); status != "" {
		return "submit " + status
	}
	return ""
}

func postJSON(ctx context.Context, client *http.Client, url string, body []byte, want int, into any) string {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return "transport"
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.Status
	}
	if into != nil {
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			return "body"
		}
		return ""
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return ""
}

// runBallots runs the ballot path with every code once at most.
func runBallots(ctx context.Context, client *http.Client, base string, codes []string, key string, bc blindrsa.Client, bodies [][]byte, o options) result {
	return runOps(ctx, "ballot path (issue + submit)", o, len(codes), func(i int) string {
		return takeAndSpend(ctx, client, base, codes[i], key, bc, bodies[i%len(bodies)])
	})
}
