package api

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/report"
)

// leadAuth creates a lead with an API token and returns its header pair.
func (e *respondEnv) leadAuth() []string {
	e.t.Helper()
	ctx := context.Background()
	acc := account.NewStore(e.db.Gorm, kernel.ClockFunc(e.Now))
	lead, err := acc.CreateUser(ctx, account.NewUser{Email: "lead@example.org", Name: "Lead", Role: account.RoleLead, Password: "a long enough password"})
	if err != nil {
		e.t.Fatal(err)
	}
	_, secret, err := acc.CreateToken(ctx, lead, "test", account.RoleLead)
	if err != nil {
		e.t.Fatal(err)
	}
	return []string{"Authorization", "Bearer " + secret}
}

// getOK GETs path and fails the test on any status but 200.
func (e *respondEnv) getOK(path string, auth []string) []byte {
	e.t.Helper()
	rec := e.do(http.MethodGet, path, "", "", auth...)
	if rec.Code != http.StatusOK {
		e.t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// submitAs answers with code, giving demographics (those the code's segment
// fixes come from the segment).
func (e *respondEnv) submitAs(t *testing.T, code string, demographics map[string]string) {
	t.Helper()
	b, err := json.Marshal(map[string]any{"answers": fullAnswers(), "demographics": demographics})
	if err != nil {
		t.Fatal(err)
	}
	if rec := e.answer(t, code, string(b)); rec.Code != http.StatusCreated {
		t.Fatalf("submit: %d %s", rec.Code, rec.Body)
	}
}

// segmentView is the results view that shows a segment's group, and that
// group's option.
func segmentView(seg map[string]string) (query, by string) {
	if len(seg) == 1 {
		for k := range seg {
			return "by=" + k, k
		}
	}
	// Two attributes: the design lists department before gender.
	return "filter=" + url.QueryEscape("department:"+seg["department"]) + "&by=gender", "gender"
}

// checkInvitationsMatchResults compares every batch's segment cells with
// the group the results release for it, and the wave's participation.
func checkInvitationsMatchResults(t *testing.T, e *respondEnv, list inviteBatchList, auth []string) {
	t.Helper()
	base := "/api/v1/surveys/" + e.survey.ID + "/results?wave=1"
	var whole report.Release
	if err := json.Unmarshal(e.getOK(base, auth), &whole); err != nil {
		t.Fatal(err)
	}
	if list.Participation == nil || !cellsEqual(*list.Participation, whole.Participation.Overall) {
		t.Errorf("wave participation %+v, results %+v", list.Participation, whole.Participation.Overall)
	}
	for _, b := range list.Batches {
		if len(b.Segment) == 0 {
			if b.SegmentRespondents != nil || b.SegmentParticipation != nil {
				t.Errorf("batch without a segment shows cells of its own: %+v", b)
			}
			continue
		}
		if b.SegmentRespondents == nil || b.SegmentParticipation == nil {
			t.Errorf("batch %v lacks its segment's cells", b.Segment)
			continue
		}
		q, by := segmentView(b.Segment)
		var r report.Release
		if err := json.Unmarshal(e.getOK(base+"&"+q, auth), &r); err != nil {
			t.Fatal(err)
		}
		found := false
		for i, g := range r.Groups {
			if g.Option != b.Segment[by] {
				continue
			}
			found = true
			part := report.Cell{}
			if i < len(r.Participation.Groups) {
				part = r.Participation.Groups[i]
			}
			if !cellsEqual(*b.SegmentRespondents, g.Count) || !cellsEqual(*b.SegmentParticipation, part) {
				t.Errorf("segment %v: invitations show %+v / %+v, results (%s) %+v / %+v",
					b.Segment, *b.SegmentRespondents, *b.SegmentParticipation, q, g.Count, part)
			}
		}
		if !found {
			t.Errorf("no group %s in %s", b.Segment[by], q)
		}
	}
}

func cellsEqual(a, b report.Cell) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// TestInvitationsShowOnlyReleasedResults: the invitations view shows, per
// segmented batch, the respondents and participation of the segment's group
// exactly as the results release them (suppressed when they are), the
// wave's released participation, and no count of used codes; and it does
// not move when one more person answers while the results stay as they are.
func TestInvitationsShowOnlyReleasedResults(t *testing.T) {
	e := newRespondEnv(t, Config{RespondRate: -1})
	auth := e.leadAuth()
	sales := e.invites(8, map[string]string{"department": "Sales"})
	eng := e.invites(40, map[string]string{"department": "Engineering"})
	women := e.invites(12, map[string]string{"gender": "Woman"})
	e.invites(10, map[string]string{"department": "Engineering", "gender": "Woman"})
	plain := e.invites(20, nil)
	for _, c := range sales[:3] { // 3 < k = 5
		e.submitAs(t, c, nil)
	}
	for _, c := range eng[:30] {
		e.submitAs(t, c, map[string]string{"gender": "Man"})
	}
	for _, c := range women[:7] { // 7 < k_s = 10
		e.submitAs(t, c, map[string]string{"department": "Engineering"})
	}
	for _, c := range plain[:12] {
		e.submitAs(t, c, map[string]string{"department": survey.PreferNotToSay, "gender": "Man"})
	}
	path := "/api/v1/surveys/" + e.survey.ID + "/waves/1/invites"
	first := e.getOK(path, auth)
	for _, leak := range []string{`"used"`, "used_at_least", `"suppressed":false`} {
		if bytes.Contains(first, []byte(leak)) {
			t.Errorf("the invitations hold %s: %s", leak, first)
		}
	}
	var list inviteBatchList
	if err := json.Unmarshal(first, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Batches) != 5 {
		t.Fatalf("%d batches", len(list.Batches))
	}
	bySegment := map[string]inviteBatchJSON{}
	for _, b := range list.Batches {
		keys, _ := json.Marshal(b.Segment)
		bySegment[string(keys)] = b
	}
	// Segments the results suppress are suppressed here, with the engine's
	// reason; a group large enough shows its released count.
	for seg, want := range map[string]string{
		`{"department":"Sales"}`: report.ReasonTooFew,
		`{"gender":"Woman"}`:     report.ReasonTooFew,
	} {
		b := bySegment[seg]
		if r := b.SegmentRespondents; r == nil || !r.Suppressed || r.Reason != want || r.N != 0 {
			t.Errorf("%s: respondents %+v, want suppressed: %s", seg, r, want)
		}
		if p := b.SegmentParticipation; p == nil || !p.Suppressed || p.Value != nil {
			t.Errorf("%s: participation %+v, want suppressed", seg, p)
		}
	}
	if r := bySegment[`{"department":"Engineering"}`].SegmentRespondents; r == nil || r.Suppressed || r.N != 37 {
		t.Errorf("Engineering: %+v, want 37 respondents released", r)
	}
	if p := list.Participation; p == nil || p.Suppressed || p.Value == nil || p.N != 52 || math.Abs(*p.Value-52.0/90) > 0.001 {
		t.Errorf("wave participation %+v, want 52 of 90", p)
	}
	checkInvitationsMatchResults(t, e, list, auth)

	// One more person answers; the results hold their published values (a
	// group is republished only once it grew by k), and so do the
	// invitations, to the byte.
	resultsBefore := e.getOK("/api/v1/surveys/"+e.survey.ID+"/results?wave=1&by=department", auth)
	e.submitAs(t, eng[30], map[string]string{"gender": "Man"})
	if n, _ := e.store.CountResponses(context.Background(), e.wave.ID); n != 53 {
		t.Fatalf("%d responses stored, want 53", n)
	}
	if after := e.getOK("/api/v1/surveys/"+e.survey.ID+"/results?wave=1&by=department", auth); !bytes.Equal(after, resultsBefore) {
		t.Fatalf("the results moved with one response; the test needs them held")
	}
	if again := e.getOK(path, auth); !bytes.Equal(again, first) {
		t.Errorf("the invitations changed with one more response while the results did not:\n%s\n%s", first, again)
	}

	// After close the final values: still the results' cells.
	e.setNow(e.wave.ClosesAt.Add(time.Minute))
	var closed inviteBatchList
	if err := json.Unmarshal(e.getOK(path, auth), &closed); err != nil {
		t.Fatal(err)
	}
	checkInvitationsMatchResults(t, e, closed, auth)
}

// TestInvitationsBeforeTheWaveOpens: batches issued for a scheduled wave are
// listed with their issued counts and nothing released.
func TestInvitationsBeforeTheWaveOpens(t *testing.T) {
	e := newRespondEnv(t, Config{})
	auth := e.leadAuth()
	w2, err := e.store.CreateWave(context.Background(), survey.Wave{ID: kernel.NewID(), SurveyID: e.survey.ID, Number: 2,
		OpensAt: e.now.Add(30 * 24 * time.Hour), ClosesAt: e.now.Add(44 * 24 * time.Hour), Slug: kernel.NewSecret(), Items: e.survey.Design.Items})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.store.CreateInviteBatch(context.Background(), e.survey, w2, 6, map[string]string{"department": "Sales"}, e.Now()); err != nil {
		t.Fatal(err)
	}
	var list inviteBatchList
	if err := json.Unmarshal(e.getOK("/api/v1/surveys/"+e.survey.ID+"/waves/2/invites", auth), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Batches) != 1 || list.Batches[0].Issued != 6 || list.Batches[0].SegmentRespondents != nil || list.Participation != nil || list.Wave != 2 {
		t.Errorf("scheduled wave: %+v", list)
	}
}
