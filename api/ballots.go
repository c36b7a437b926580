package api

import (
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/internal/ballot"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
)

// Unlinkable ballots (survey/ballots.go): the holder of an invitation takes
// a blindly signed ballot (POST /respond/{code}/ballot) and later sends the
// answers with it (POST /ballots), in a request that carries no code.

// ballotInfo is the part of the form the page blinds its token for.
type ballotInfo struct {
	Key     string     `json:"key"`
	Variant string     `json:"variant"`
	JWK     ballot.JWK `json:"jwk"`
}

type ballotRequest struct {
	Key     string `json:"key"`
	Blinded string `json:"blinded"`
}

type ballotIssued struct {
	Key            string `json:"key"`
	BlindSignature string `json:"blind_signature"`
}

// ballotSubmission is a response sent with a ballot.
type ballotSubmission struct {
	survey.Submission
	Ballot *struct {
		Key       string `json:"key"`
		Token     string `json:"token"`
		Signature string `json:"signature"`
	} `json:"ballot"`
}

// maxBallotField bounds a base64url field: a 4096-bit number fits.
const maxBallotField = 1024

func decodeB64(field, v string) ([]byte, error) {
	if v == "" || len(v) > maxBallotField {
		return nil, kernel.Invalid(field, "must be base64url without padding")
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return nil, kernel.Invalid(field, "must be base64url without padding")
	}
	return b, nil
}

func (s *Server) ballotInfoFor(c echo.Context, t survey.Target) (*ballotInfo, error) {
	k, err := s.intake.BallotKeyFor(c.Request().Context(), t)
	if err != nil || k == nil {
		return nil, err
	}
	return &ballotInfo{Key: k.ID, Variant: ballot.VariantName, JWK: k.Public.JWK()}, nil
}

func (s *Server) handleIssueBallot(c echo.Context) error {
	if err := s.limitRespondent(c); err != nil {
		return err
	}
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, 8<<10)
	var req ballotRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.Key == "" || len(req.Key) > 64 {
		return kernel.Invalid("key", "must name the form's ballot key")
	}
	blinded, err := decodeB64("blinded", req.Blinded)
	if err != nil {
		return err
	}
	sig, err := s.intake.IssueBallot(c.Request().Context(), c.Param("code"), req.Key, blinded)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ballotIssued{Key: req.Key, BlindSignature: base64.RawURLEncoding.EncodeToString(sig)})
}

func (s *Server) handleSubmitBallot(c echo.Context) error {
	if err := s.limitRespondent(c); err != nil {
		return err
	}
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, respondBodyLimit)
	var req ballotSubmission
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.Ballot == nil {
		return kernel.Invalid("ballot", "is required: {key, token, signature}")
	}
	if req.Ballot.Key == "" || len(req.Ballot.Key) > 64 {
		return kernel.Invalid("ballot.key", "must name the ballot's key")
	}
	token, err := decodeB64("ballot.token", req.Ballot.Token)
	if err != nil {
		return err
	}
	sig, err := decodeB64("ballot.signature", req.Ballot.Signature)
	if err != nil {
		return err
	}
	if err := s.intake.SubmitBallot(c.Request().Context(), req.Ballot.Key, token, sig, req.Submission); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, recorded{Status: "recorded"})
}
