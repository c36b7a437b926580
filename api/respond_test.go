package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
)

// respondEnv is a server on a real SQLite file with a launched survey whose
// first wave is open.
type respondEnv struct {
	t      testing.TB
	srv    *Server
	db     *db.DB
	store  *survey.Store
	survey survey.Survey
	wave   survey.Wave
	mu     sync.Mutex
	now    time.Time
	logs   *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (e *respondEnv) Now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *respondEnv) setNow(t time.Time) {
	e.mu.Lock()
	e.now = t
	e.mu.Unlock()
}

// respondDesign is a realistic design: 30 items incl. the ally screen and
// gated items, two demographics and a comment prompt.
func respondDesign() survey.Design {
	return survey.Design{
		Items: []string{
			"belonging.1", "belonging.2", "belonging.3", "belonging.4", "authenticity.1", "authenticity.2", "authenticity.3",
			"voice.1", "voice.2", "voice.3", "fairness.1", "fairness.2", "fairness.3", "decisions.1", "decisions.2", "decisions.3",
			"courage.1", "courage.2", "courage.3", framework.ScreenWitnessed, "ally.confront.self", "ally.confront.experienced",
			"ally.affirm.self", "ally.affirm.experienced", "access.mentor", "access.sponsor", "barrier.penalty", "barrier.wrong",
			"outcome.enps", "outcome.stay",
		},
		Demographics: []survey.Demographic{
			{Key: "department", Label: "Department", Options: []string{"Sales", "Engineering", survey.PreferNotToSay}},
			{Key: "gender", Label: "Gender", Options: []string{"Woman", "Man", "Non-binary", survey.PreferNotToSay}, Sensitive: true},
		},
		Comments: []survey.CommentPrompt{{Key: "general", Prompt: "What one thing would make this a more inclusive place to work?"}},
	}
}

func newRespondEnv(t testing.TB, cfg Config) *respondEnv {
	t.Helper()
	ctx := context.Background()
	d := testtools.OpenDB(t, db.SQLite)
	e := &respondEnv{t: t, db: d, store: survey.NewStore(d.Gorm), now: time.Now().UTC().Truncate(time.Second), logs: &lockedBuffer{}}
	e.survey = survey.Survey{
		ID: kernel.NewID(), Title: "Inclusion pulse", Intro: "Ten minutes, anonymous.", Status: survey.StatusLaunched,
		Design: respondDesign(), Anonymity: survey.DefaultAnonymity(),
		Schedule:           survey.Schedule{Cadence: survey.CadenceOnce, OpensAt: e.now.Add(-time.Hour), WaveDays: 14},
		PracticalGapPoints: 5, CreatedAt: e.now, UpdatedAt: e.now,
	}
	if err := e.store.CreateSurvey(ctx, e.survey); err != nil {
		t.Fatal(err)
	}
	var err error
	e.wave, err = e.store.CreateWave(ctx, survey.Wave{ID: kernel.NewID(), SurveyID: e.survey.ID, Number: 1,
		OpensAt: e.now.Add(-time.Hour), ClosesAt: e.now.Add(14 * 24 * time.Hour), Slug: kernel.NewSecret(), Items: e.survey.Design.Items})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(e.logs, nil))
	e.srv = New(cfg, Deps{DB: d, Log: log, Clock: kernel.ClockFunc(e.Now)})
	t.Cleanup(func() { e.srv.Shutdown(context.Background()) })
	return e
}

// fullAnswers answers all 30 items, the screen with Yes.
func fullAnswers() map[string]any {
	a := map[string]any{}
	for i, k := range respondDesign().Items {
		switch {
		case k == framework.ScreenWitnessed:
			a[k] = "Yes"
		case k == "outcome.enps":
			a[k] = 8
		default:
			a[k] = 1 + i%5
		}
	}
	return a
}

func submissionJSON(t *testing.T, answers map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"answers": answers, "demographics": map[string]string{"department": "Sales"},
		"comments": map[string]string{"general": "More mentoring, ping me at a@b.com"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (e *respondEnv) do(method, path, contentType, body string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	req.RemoteAddr = "203.0.113.77:40000"
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return rec
}

func (e *respondEnv) invites(n int, segment map[string]string) []string {
	e.t.Helper()
	_, codes, err := e.store.CreateInviteBatch(context.Background(), e.survey, e.wave, n, segment, e.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return codes
}

func problemFields(t *testing.T, rec *httptest.ResponseRecorder) []string {
	t.Helper()
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body %q: %v", rec.Body.String(), err)
	}
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Field)
	}
	return out
}

func TestRespondStatusCodes(t *testing.T) {
	e := newRespondEnv(t, Config{})
	codes := e.invites(3, nil)
	good := submissionJSON(t, fullAnswers())
	post := func(code, ct, body string) *httptest.ResponseRecorder {
		return e.do(http.MethodPost, "/api/v1/respond/"+code, ct, body)
	}
	if rec := e.answer(t, codes[0], good); rec.Code != http.StatusCreated || strings.TrimSpace(rec.Body.String()) != `{"status":"recorded"}` {
		t.Fatalf("first submit: %d %s", rec.Code, rec.Body)
	}
	if rec := e.answer(t, codes[0], good); rec.Code != http.StatusConflict {
		t.Errorf("used code: %d", rec.Code)
	}
	if rec := e.do(http.MethodGet, "/api/v1/respond/"+codes[0], "", ""); rec.Code != http.StatusOK {
		t.Errorf("form of a used code: %d (it must not tell whether the ballot was taken)", rec.Code)
	}
	if rec := post("unknowncode", "application/json", good); rec.Code != http.StatusNotFound {
		t.Errorf("unknown code: %d", rec.Code)
	}
	if rec := post(e.wave.Slug, "application/json", good); rec.Code != http.StatusCreated {
		t.Errorf("open link: %d %s", rec.Code, rec.Body)
	}
	if rec := post(e.wave.Slug, "text/plain", good); rec.Code != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain: %d", rec.Code)
	}
	if rec := post(e.wave.Slug, "application/json", `{"answers":`); rec.Code != http.StatusBadRequest {
		t.Errorf("malformed: %d", rec.Code)
	}
	big := `{"comments":{"general":"` + strings.Repeat("x", respondBodyLimit) + `"}}`
	if rec := post(e.wave.Slug, "application/json", big); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("too large: %d", rec.Code)
	}

	bad := fullAnswers()
	bad["belonging.1"] = 9
	bad["voice.1"] = "often"
	bad["awareness.1"] = 3
	bad["outcome.enps"] = true
	rec := post(e.wave.Slug, "application/json", submissionJSON(t, bad))
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("invalid answers: %d %s", rec.Code, rec.Body)
	}
	want := []string{"answers.awareness.1", "answers.belonging.1", "answers.outcome.enps", "answers.voice.1"}
	if got := problemFields(t, rec); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("fields %v, want %v", got, want)
	}
	if rec := post(e.wave.Slug, "application/json", `{"answers":{},"extra":1}`); rec.Code != http.StatusUnprocessableEntity || problemFields(t, rec)[0] != "extra" {
		t.Errorf("unknown field: %d %s", rec.Code, rec.Body)
	}

	e.setNow(e.wave.ClosesAt.Add(time.Minute))
	if rec := post(codes[1], "application/json", good); rec.Code != http.StatusGone || !strings.Contains(rec.Body.String(), "/problems/closed") {
		t.Errorf("closed: %d %s", rec.Code, rec.Body)
	}
	e.setNow(e.wave.OpensAt.Add(-time.Minute))
	if rec := post(codes[1], "application/json", good); rec.Code != http.StatusGone || !strings.Contains(rec.Body.String(), "/problems/not-open") {
		t.Errorf("not open: %d %s", rec.Code, rec.Body)
	}
	n, _ := e.store.CountResponses(context.Background(), e.wave.ID)
	if n != 2 {
		t.Errorf("%d responses stored, want 2", n)
	}
}

func TestRespondFormHidesFixedDemographics(t *testing.T) {
	e := newRespondEnv(t, Config{})
	codes := e.invites(5, map[string]string{"department": "Engineering"})
	rec := e.do(http.MethodGet, "/api/v1/respond/"+codes[0], "", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var f respondForm
	if err := json.Unmarshal(rec.Body.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	if !f.Invite || f.MinGroupSize != 5 || len(f.Demographics) != 1 || f.Demographics[0].Key != "gender" {
		t.Errorf("form %+v", f)
	}
	// Respondents are told which questions get the larger minimum group.
	if !f.Demographics[0].Sensitive || f.MinSensitiveGroupSize != 10 {
		t.Errorf("the form does not say gender is compared only in groups of 10: %+v", f)
	}
	if strings.Contains(rec.Body.String(), codes[0]) {
		t.Error("the form echoes the code")
	}
}

func TestRespondRateLimit(t *testing.T) {
	e := newRespondEnv(t, Config{RespondRate: 1, RespondBurst: 2})
	for i := 0; i < 2; i++ {
		if rec := e.do(http.MethodGet, "/api/v1/respond/"+e.wave.Slug, "", ""); rec.Code != http.StatusOK {
			t.Fatalf("request %d: %d", i, rec.Code)
		}
	}
	rec := e.do(http.MethodPost, "/api/v1/respond/"+e.wave.Slug, "application/json", submissionJSON(t, fullAnswers()))
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("third request: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	e.setNow(e.Now().Add(2 * time.Second))
	if rec := e.do(http.MethodGet, "/api/v1/respond/"+e.wave.Slug, "", ""); rec.Code != http.StatusOK {
		t.Errorf("after waiting: %d", rec.Code)
	}
}

func TestRespondLogsHoldNoCodeOrAddress(t *testing.T) {
	e := newRespondEnv(t, Config{})
	codes := e.invites(2, nil)
	e.do(http.MethodGet, "/s/"+codes[0], "", "", "X-Forwarded-For", "198.51.100.9")
	e.do(http.MethodGet, "/api/v1/respond/"+codes[0], "", "", "X-Forwarded-For", "198.51.100.9")
	e.do(http.MethodPost, "/api/v1/respond/"+codes[0], "application/json", submissionJSON(t, fullAnswers()), "X-Forwarded-For", "198.51.100.9")
	e.do(http.MethodPost, "/api/v1/respond/"+codes[0], "application/json", submissionJSON(t, fullAnswers()))
	e.do(http.MethodPost, "/api/v1/respond/"+e.wave.Slug, "application/json", `{"answers":{"belonging.1":7}}`)
	logs := e.logs.String()
	if strings.Count(logs, "route=/api/v1/respond/:code") < 4 || !strings.Contains(logs, "route=/s/:code") {
		t.Fatalf("respond requests were not logged:\n%s", logs)
	}
	for _, secret := range []string{codes[0], kernel.HashSecret(codes[0]), e.wave.Slug, "203.0.113.77", "198.51.100.9", "a@b.com", "belonging"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds %q:\n%s", secret, logs)
		}
	}
}

// TestStoredResponsesHoldNothingIdentifying inspects the schema and the rows
// after submits: no client data or time on responses and comments, no column
// linking an invite to its response, no time of use on invites.
func TestStoredResponsesHoldNothingIdentifying(t *testing.T) {
	e := newRespondEnv(t, Config{})
	codes := e.invites(5, map[string]string{"department": "Sales"})
	for _, c := range append(codes[:3], e.wave.Slug) {
		if rec := e.answer(t, c, submissionJSON(t, fullAnswers()), "User-Agent", "Mozilla/5.0 Test"); rec.Code != http.StatusCreated {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
	columns := func(table string) map[string]bool {
		var cols []struct{ Name string }
		if err := e.db.Gorm.Raw("SELECT name FROM pragma_table_info(?)", table).Scan(&cols).Error; err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, c := range cols {
			out[c.Name] = true
		}
		return out
	}
	forbidden := []string{"ip", "addr", "agent", "time", "_at", "date", "created", "updated", "code", "invite", "session", "user", "seq", "order"}
	for _, table := range []string{"responses", "comments"} {
		for col := range columns(table) {
			for _, f := range forbidden {
				if strings.Contains(col, f) {
					t.Errorf("%s.%s looks like identifying or time data", table, col)
				}
			}
		}
	}
	inv := columns("invites")
	for col := range inv {
		if strings.Contains(col, "_at") || strings.Contains(col, "time") || strings.Contains(col, "response") {
			t.Errorf("invites.%s links to a response or a time", col)
		}
		if col != "wave_id" && (columns("responses")[col] || columns("comments")[col]) {
			t.Errorf("invites and responses share column %s", col)
		}
	}
	// WITHOUT ROWID: no hidden insertion counter on responses or comments.
	for _, table := range []string{"responses", "comments"} {
		if err := e.db.Gorm.Exec("SELECT rowid FROM " + table).Error; err == nil {
			t.Errorf("%s has a rowid, which records insertion order", table)
		}
	}
	// The rows: nothing from the request, no code or its hash.
	var dump []string
	rows, err := e.db.SQL.Query("SELECT id || ':' || hex(demo) || ':' || hex(answers) FROM responses UNION ALL SELECT id || ':' || prompt || ':' || body || ':' || segment FROM comments")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		dump = append(dump, s)
	}
	rows.Close()
	all := strings.Join(dump, "\n")
	if len(dump) != 8 {
		t.Fatalf("rows %d, want 8", len(dump))
	}
	for _, c := range codes[:3] {
		if strings.Contains(all, c) || strings.Contains(all, kernel.HashSecret(c)) {
			t.Error("a stored row holds an invite code or its hash")
		}
	}
	for _, s := range []string{"203.0.113", "Mozilla", "a@b.com", "2026"} {
		if strings.Contains(all, s) {
			t.Errorf("stored rows hold %q", s)
		}
	}
	var used int64
	e.db.Gorm.Table("invites").Where("used = ?", true).Count(&used)
	if used != 3 {
		t.Errorf("%d invites used, want 3", used)
	}
}

func TestInvitesHTTP(t *testing.T) {
	e := newRespondEnv(t, Config{BaseURL: "https://survey.example.org"})
	auth := e.leadAuth()
	path := "/api/v1/surveys/" + e.survey.ID + "/waves/1/invites"

	rec := e.do(http.MethodPost, path, "application/json", `{"count":6,"segment":{"department":"Sales"}}`, auth...)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var created createdInvites
	if err := json.Unmarshal(rec.Body.Bytes(), &created); err != nil {
		t.Fatal(err)
	}
	if len(created.Codes) != 6 || !strings.HasPrefix(created.Codes[0].Link, "https://survey.example.org/s/") || created.Batch.Issued != 6 {
		t.Fatalf("created %+v", created)
	}
	rec = e.do(http.MethodPost, path+"?format=csv", "application/json", `{"count":3}`, auth...)
	if rec.Code != http.StatusCreated || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", rec.Code, rec.Header())
	}
	records, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || len(records) != 4 || records[0][0] != "code" {
		t.Fatalf("csv records %v %v", records, err)
	}
	rec = e.do(http.MethodPost, path, "application/json", `{"count":3}`, append(auth, "Accept", "text/csv")...)
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Errorf("Accept: text/csv gave %s", rec.Header().Get("Content-Type"))
	}
	rec = e.do(http.MethodPost, path, "application/json", `{"count":2,"segment":{"department":"Sales"}}`, auth...)
	if rec.Code != http.StatusUnprocessableEntity || problemFields(t, rec)[0] != "count" {
		t.Errorf("small segmented batch: %d %s", rec.Code, rec.Body)
	}
	if rec := e.do(http.MethodPost, "/api/v1/surveys/"+e.survey.ID+"/waves/9/invites", "application/json", `{"count":2}`, auth...); rec.Code != http.StatusNotFound {
		t.Errorf("unknown wave: %d", rec.Code)
	}
	for _, c := range created.Codes[:5] {
		if rec := e.answer(t, c.Code, submissionJSON(t, fullAnswers())); rec.Code != http.StatusCreated {
			t.Fatalf("submit: %d %s", rec.Code, rec.Body)
		}
	}
	rec = e.do(http.MethodGet, path, "", "", auth...)
	var list inviteBatchList
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list.Batches) != 3 {
		t.Fatalf("list %d %s", rec.Code, rec.Body)
	}
	// The segment's group as the results release it: 5 respondents; its
	// participation is not known, as the other batches carry no department.
	// Batches without a segment show nothing of their own.
	for _, b := range list.Batches {
		r, p := b.SegmentRespondents, b.SegmentParticipation
		if b.Issued == 6 && (r == nil || r.Suppressed || r.N != 5 || p == nil || p.Suppressed || p.Value != nil) {
			t.Errorf("segmented batch %+v: %+v %+v", b, r, p)
		}
		if b.Issued == 3 && (r != nil || p != nil) {
			t.Errorf("batch without a segment %+v", b)
		}
	}
	if rec := e.do(http.MethodGet, path, "", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("anonymous list: %d", rec.Code)
	}
}

func TestConcurrentSubmitsOverHTTP(t *testing.T) {
	e := newRespondEnv(t, Config{RespondRate: -1})
	code := e.invites(1, nil)[0]
	body := submissionJSON(t, fullAnswers())
	b, rec := e.takeBallot(t, code)
	if rec.Code != http.StatusOK {
		t.Fatalf("ballot: %d %s", rec.Code, rec.Body)
	}
	var wg sync.WaitGroup
	statuses := make([]int, 50)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = e.submitBallot(b, body).Code
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[http.StatusCreated] != 1 || count[http.StatusConflict] != 49 {
		t.Errorf("statuses %v", count)
	}
	if n, _ := e.store.CountResponses(context.Background(), e.wave.ID); n != 1 {
		t.Errorf("%d responses stored", n)
	}
}

func TestRespondOpenAPI(t *testing.T) {
	raw, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for path, methods := range map[string][]string{
		"/api/v1/surveys/{id}/waves/{wave}/invites": {"get", "post"},
		"/api/v1/respond/{code}":                    {"get", "post"},
		"/s/{code}":                                 {"get"},
	} {
		for _, m := range methods {
			if doc.Paths[path][m] == nil {
				t.Errorf("%s %s is not documented", m, path)
			}
		}
	}
	for _, ref := range regexpRefs.FindAllStringSubmatch(string(raw), -1) {
		if doc.Components.Schemas[ref[1]] == nil {
			t.Errorf("dangling $ref %s", ref[1])
		}
	}
}

var regexpRefs = regexp.MustCompile(`"#/components/schemas/([A-Za-z]+)"`)

func TestRespondRateLimitIgnoresSpoofedForwardedFor(t *testing.T) {
	e := newRespondEnv(t, Config{RespondRate: 1, RespondBurst: 1})
	if rec := e.do(http.MethodGet, "/api/v1/respond/"+e.wave.Slug, "", ""); rec.Code != http.StatusOK {
		t.Fatalf("first: %d", rec.Code)
	}
	rec := e.do(http.MethodGet, "/api/v1/respond/"+e.wave.Slug, "", "", "X-Forwarded-For", "192.0.2.1")
	if rec.Code != http.StatusTooManyRequests {
		t.Errorf("a public client dodged the limit with X-Forwarded-For: %d", rec.Code)
	}
}

// FuzzRespondSubmitBody posts arbitrary bodies to the respond route: the
// answer is always a 201 or a client error, never a 500, and only a 201
// stores a response.
func FuzzRespondSubmitBody(f *testing.F) {
	for _, s := range []string{
		`{"answers":{"belonging.1":4,"screen.witnessed":"Yes","ally.confront.self":"na"},"demographics":{"department":"Sales"},"comments":{"general":"hi @x"}}`,
		`{"answers":{"belonging.1":4.5}}`, `{"answers":{"outcome.enps":1e400}}`, `{"answers":[]}`, `{"answers":{"belonging.1":true}}`,
		`{"demographics":{"department":7}}`, `{"comments":{"general":"\ud800"}}`, `null`, `{}`, `{"answers":{}} {}`, ``,
	} {
		f.Add(s)
	}
	e := newRespondEnv(f, Config{RespondRate: -1})
	f.Fuzz(func(t *testing.T, body string) {
		before, _ := e.store.CountResponses(context.Background(), e.wave.ID)
		rec := e.do(http.MethodPost, "/api/v1/respond/"+e.wave.Slug, "application/json", body)
		after, _ := e.store.CountResponses(context.Background(), e.wave.ID)
		switch rec.Code {
		case http.StatusCreated:
			if after != before+1 {
				t.Fatalf("201 but %d responses stored", after-before)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
			if after != before {
				t.Fatalf("%d but a response was stored", rec.Code)
			}
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
	})
}
