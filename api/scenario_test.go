package api

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cloudflare/circl/blindsign/blindrsa"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/allypulse/allypulse/internal/ballot"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/mailer"
	"github.com/allypulse/allypulse/internal/testtools"
)

// The API scenario runner: one server on a real database of either dialect,
// driven through a table of steps that a lead, an executive, an admin and
// employees would take, from the first admin's setup to the public "What we
// heard" page. Every response of every step is validated against the served
// OpenAPI document by openapiValidator (kin-openapi's openapi3filter, the one
// response validator of the test suite), and the run fails when an
// operation of the document was never exercised.

// openapiValidator checks responses against the served document.
type openapiValidator struct {
	doc    *openapi3.T
	router routers.Router
}

func newOpenAPIValidator(t *testing.T) *openapiValidator {
	t.Helper()
	doc := loadServedOpenAPI(t)
	doc.Servers = nil // the document's one server is "/": match paths as they are
	// Responses may carry only what the document declares: an object
	// schema with properties and no word on others allows none here.
	seen := map[*openapi3.Schema]bool{}
	for _, ref := range doc.Components.Schemas {
		closeObjects(ref, seen)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, resp := range op.Responses.Map() {
				if resp.Value != nil {
					for _, mt := range resp.Value.Content {
						closeObjects(mt.Schema, seen)
					}
				}
			}
		}
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatalf("routing the document: %v", err)
	}
	return &openapiValidator{doc: doc, router: router}
}

// closeObjects sets additionalProperties false on every object schema
// under ref that lists properties and says nothing about others.
func closeObjects(ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return
	}
	sc := ref.Value
	seen[sc] = true
	if len(sc.Properties) > 0 && sc.AdditionalProperties.Has == nil && sc.AdditionalProperties.Schema == nil {
		no := false
		sc.AdditionalProperties.Has = &no
	}
	for _, p := range sc.Properties {
		closeObjects(p, seen)
	}
	closeObjects(sc.Items, seen)
	closeObjects(sc.AdditionalProperties.Schema, seen)
	for _, list := range [][]*openapi3.SchemaRef{sc.OneOf, sc.AnyOf, sc.AllOf} {
		for _, x := range list {
			closeObjects(x, seen)
		}
	}
}

// check validates one response: its status must be documented for the
// operation, its content type listed, and a JSON body must match the
// schema. It returns the operation ("GET /api/v1/surveys/{id}").
func (v *openapiValidator) check(req *http.Request, rec *httptest.ResponseRecorder) (string, error) {
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return "", fmt.Errorf("%s %s: not in the OpenAPI document: %w", req.Method, req.URL, err)
	}
	op := req.Method + " " + route.Path
	// Bodies other than JSON (pages, workbooks, PDF, CSV) are checked for
	// their media type only.
	mediaType, _, _ := strings.Cut(rec.Header().Get("Content-Type"), ";")
	isJSON := mediaType == "application/json" || mediaType == "application/problem+json"
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, ExcludeResponseBody: !isJSON},
	}
	in.SetBodyBytes(rec.Body.Bytes())
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return op, fmt.Errorf("%s %s → %d does not match the document: %w\n%.600s", req.Method, req.URL, rec.Code, err, rec.Body)
	}
	if !isJSON && rec.Body.Len() > 0 {
		resp := route.Operation.Responses.Status(rec.Code)
		if resp == nil || resp.Value == nil || resp.Value.Content.Get(mediaType) == nil {
			return op, fmt.Errorf("%s %s → %d: the document lists no %q body", req.Method, req.URL, rec.Code, mediaType)
		}
	}
	return op, nil
}

// TestOpenAPIValidatorCatchesDrift: the runner's validator refuses an
// undocumented status, a body missing a required field, an undeclared
// media type and a path the document does not have.
func TestOpenAPIValidatorCatchesDrift(t *testing.T) {
	v := newOpenAPIValidator(t)
	respond := func(status int, ct, body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", ct)
		rec.WriteHeader(status)
		rec.WriteString(body)
		return rec
	}
	me := httptest.NewRequest("GET", "/api/v1/me", nil)
	if _, err := v.check(me, respond(200, "application/json", `{"user":{"id":"x"}}`)); err == nil {
		t.Error("a body without its required fields passes")
	}
	if _, err := v.check(me, respond(418, "application/problem+json", `{}`)); err == nil {
		t.Error("an undocumented status passes")
	}
	if _, err := v.check(me, respond(200, "text/html", `<p>hi</p>`)); err == nil {
		t.Error("an undeclared media type passes")
	}
	if _, err := v.check(httptest.NewRequest("GET", "/api/v1/nothing", nil), respond(200, "application/json", `{}`)); err == nil {
		t.Error("a path outside the document passes")
	}
}

// step is one request of a scenario. Path and body may name captured values
// as {name}; bodyFn, when set, builds the body instead.
type step struct {
	as          string // a role signed in by an earlier step, "bearer" (the admin's API token), "scraper" (the metrics token), or "" for none
	method      string
	path        string
	body        string
	bodyFn      func(s *scenario) string
	contentType string // default application/json when there is a body
	want        int
	capture     map[string]string // name → dotted path into the JSON response
	signIn      string            // keep the response's session cookies under this name
	after       func(s *scenario, body []byte)
}

// scenario is the state of one run.
type scenario struct {
	t        *testing.T
	srv      *Server
	valid    *openapiValidator
	vars     map[string]string
	browsers map[string]browser
	covered  map[string]bool
	ballot   struct {
		client blindrsa.Client
		state  blindrsa.State
		token  []byte
	}
}

func (s *scenario) expand(text string) string {
	for k, v := range s.vars {
		text = strings.ReplaceAll(text, "{"+k+"}", v)
	}
	return text
}

func (s *scenario) run(steps []step) {
	s.t.Helper()
	for i, st := range steps {
		path := s.expand(st.path)
		body := s.expand(st.body)
		if st.bodyFn != nil {
			body = st.bodyFn(s)
		}
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req := httptest.NewRequest(st.method, path, rd)
		if body != "" {
			req.Header.Set("Content-Type", cmpOr(st.contentType, "application/json"))
		}
		switch st.as {
		case "":
		case "bearer":
			withBearer(s.vars["token_secret"])(req)
		case "scraper":
			withBearer(scenarioMetricsToken)(req)
		default:
			b, ok := s.browsers[st.as]
			if !ok {
				s.t.Fatalf("step %d: nobody signed in as %s", i, st.as)
			}
			b.as()(req)
		}
		rec := httptest.NewRecorder()
		s.srv.ServeHTTP(rec, req)
		if rec.Code != st.want {
			s.t.Fatalf("step %d %s %s as %q: %d, want %d\n%.800s", i, st.method, path, st.as, rec.Code, st.want, rec.Body)
		}
		op, err := s.valid.check(httptest.NewRequest(st.method, path, nil), rec)
		if err != nil {
			s.t.Errorf("step %d: %v", i, err)
		}
		if op != "" {
			s.covered[op] = true
		}
		if st.signIn != "" {
			b := browserOf(rec)
			if b.session == "" {
				s.t.Fatalf("step %d: no session for %s", i, st.signIn)
			}
			s.browsers[st.signIn] = b
		}
		if len(st.capture) > 0 {
			var v any
			if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
				s.t.Fatalf("step %d: %v", i, err)
			}
			for name, at := range st.capture {
				got, ok := dig(v, at)
				if !ok {
					s.t.Fatalf("step %d %s %s: no %s in %.400s", i, st.method, path, at, rec.Body)
				}
				s.vars[name] = got
			}
		}
		if st.after != nil {
			st.after(s, rec.Body.Bytes())
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// dig follows a dotted path (numbers index lists) and returns the value as
// text.
func dig(v any, path string) (string, bool) {
	for _, part := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[part]
		case []any:
			var i int
			if _, err := fmt.Sscan(part, &i); err != nil || i < 0 || i >= len(x) {
				return "", false
			}
			v = x[i]
		default:
			return "", false
		}
	}
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return fmt.Sprint(x), true
	case nil:
		return "", false
	default:
		b, _ := json.Marshal(x)
		return string(b), true
	}
}

// scenarioSurvey is the lead's survey: ten items incl. the ally screen, a
// department question, a comment prompt.
const scenarioSurvey = `{"title":"Autumn inclusion survey","items":["belonging.1","belonging.2","voice.1","voice.2","fairness.1",
 "fairness.2","screen.witnessed","ally.confront.self","outcome.enps","outcome.stay"],
 "demographics":[{"key":"department","label":"Department","options":["Sales","Engineering"]}],
 "comments":[{"key":"general","prompt":"What one thing would make this a more inclusive place to work?"}]}`

// scenarioAnswers answers every item; i varies the scores.
func scenarioAnswers(i int, dept string) string {
	a := map[string]any{"belonging.1": 1 + i%5, "belonging.2": 1 + (i+1)%5, "voice.1": 1 + (i+2)%5, "voice.2": 1 + i%4,
		"fairness.1": 2 + i%4, "fairness.2": 1 + (i*3)%5, "screen.witnessed": "Yes", "ally.confront.self": 1 + i%5,
		"outcome.enps": i % 11, "outcome.stay": 1 + (i+3)%5}
	b, _ := json.Marshal(map[string]any{"answers": a, "demographics": map[string]string{"department": dept},
		"comments": map[string]string{"general": fmt.Sprintf("Comment number %d about mentoring.", i)}})
	return string(b)
}

const scenarioMetricsToken = "a-scraper-token-of-some-length"

var scenarioLink = regexp.MustCompile(`/s/([0-9A-Z-]{13,16})`)

func TestScenarioEveryRouteSQLite(t *testing.T) { runScenario(t, db.SQLite) }

func TestScenarioEveryRoutePostgres(t *testing.T) { runScenario(t, db.Postgres) }

func runScenario(t *testing.T, dialect string) {
	d := testtools.OpenDB(t, dialect)
	mail := testtools.StartSMTP(t)
	clock := kernel.NewManualClock(time.Now().UTC().Truncate(time.Second))
	srv := New(Config{BaseURL: "http://allypulse.test", RespondRate: -1, MailEvery: time.Hour, MetricsToken: scenarioMetricsToken,
		Mail: mailer.Config{Host: mail.Host, Port: mail.Port, Username: testtools.SMTPUser, Password: testtools.SMTPPassword,
			From: "survey@example.com", TLS: mailer.TLSNone, Timeout: 5 * time.Second}},
		Deps{DB: d, Log: slog.New(slog.DiscardHandler), Clock: clock})
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	setup, err := srv.accounts.CreateSetupToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s := &scenario{t: t, srv: srv, valid: newOpenAPIValidator(t), vars: map[string]string{"setup": setup},
		browsers: map[string]browser{}, covered: map[string]bool{}}

	const pw = "correct horse battery"
	login := func(email string) string { return `{"email":"` + email + `","password":"` + pw + `"}` }
	sendMail := func(s *scenario, _ []byte) {
		for range 5 {
			if _, err := srv.Outbox().RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			clock.Advance(time.Hour)
		}
	}
	var people []string
	for i := range 12 {
		people = append(people, fmt.Sprintf("person%d@example.com,%s", i, []string{"Sales", "Engineering"}[i%2]))
	}
	peopleCSV := "email,department\n" + strings.Join(people, "\n") + "\n"

	s.run([]step{
		// Operations and the first admin.
		{method: "GET", path: "/healthz", want: 200},
		{method: "GET", path: "/readyz", want: 200},
		{method: "GET", path: "/metrics", want: 401},
		{as: "scraper", method: "GET", path: "/metrics", want: 200},
		{method: "GET", path: "/api/openapi.json", want: 200},
		{method: "GET", path: "/api/v1/auth/methods", want: 200},
		{method: "GET", path: "/api/v1/auth/oidc/start", want: 404},
		{method: "GET", path: "/api/v1/auth/oidc/callback?state=x&code=y", want: 404},
		{method: "GET", path: "/api/v1/me", want: 401},
		{method: "POST", path: "/api/v1/auth/setup", body: `{"token":"{setup}","email":"admin@example.com","name":"Ada","password":"` + pw + `"}`, want: 201},
		{method: "POST", path: "/api/v1/auth/login", body: login("admin@example.com"), want: 200, signIn: "admin"},
		// Staff accounts, tokens, the audit log.
		{as: "admin", method: "POST", path: "/api/v1/users", body: `{"email":"lead@example.com","name":"Lee","role":"lead","password":"` + pw + `"}`, want: 201, capture: map[string]string{"lead_id": "user.id"}},
		{as: "admin", method: "POST", path: "/api/v1/users", body: `{"email":"exec@example.com","name":"Eve","role":"executive","password":"` + pw + `"}`, want: 201},
		{as: "admin", method: "POST", path: "/api/v1/users", body: `{"email":"temp@example.com","name":"Tim","role":"lead","password":"` + pw + `"}`, want: 201, capture: map[string]string{"temp_id": "user.id"}},
		{as: "admin", method: "POST", path: "/api/v1/users", body: `{"email":"lead@example.com","role":"lead","password":"` + pw + `"}`, want: 409},
		{as: "admin", method: "PATCH", path: "/api/v1/users/{temp_id}", body: `{"name":"Tim B."}`, want: 200},
		{as: "admin", method: "GET", path: "/api/v1/users", want: 200},
		{method: "POST", path: "/api/v1/auth/login", body: login("temp@example.com"), want: 200, signIn: "temp"},
		{as: "temp", method: "POST", path: "/api/v1/me/password", body: `{"current_password":"` + pw + `","new_password":"another long passphrase"}`, want: 204},
		{as: "temp", method: "POST", path: "/api/v1/auth/logout", want: 204},
		{as: "admin", method: "DELETE", path: "/api/v1/users/{temp_id}", want: 204},
		{as: "admin", method: "POST", path: "/api/v1/tokens", body: `{"name":"script"}`, want: 201, capture: map[string]string{"token_id": "token.id", "token_secret": "secret"}},
		{as: "bearer", method: "GET", path: "/api/v1/me", want: 200},
		{as: "admin", method: "GET", path: "/api/v1/tokens", want: 200},
		{as: "admin", method: "DELETE", path: "/api/v1/tokens/{token_id}", want: 204},
		{as: "bearer", method: "GET", path: "/api/v1/me", want: 401},
		{as: "admin", method: "PUT", path: "/api/v1/auth/password-sign-in", body: `{"enabled":false}`, want: 409},
		{as: "admin", method: "PUT", path: "/api/v1/auth/password-sign-in", body: `{"enabled":true}`, want: 200},
		{as: "admin", method: "GET", path: "/api/v1/audit", want: 200},
		{as: "admin", method: "POST", path: "/api/v1/retention/run", body: `{"dry_run":true}`, want: 200},
		{method: "POST", path: "/api/v1/auth/login", body: login("lead@example.com"), want: 200, signIn: "lead"},
		{method: "POST", path: "/api/v1/auth/login", body: login("exec@example.com"), want: 200, signIn: "exec"},
		{method: "POST", path: "/api/v1/auth/login", body: `{"email":"lead@example.com","password":"wrong password"}`, want: 401},
		{as: "exec", method: "GET", path: "/api/v1/me", want: 200},

		// Design: the framework, a custom item, templates, the survey.
		{as: "lead", method: "GET", path: "/api/v1/framework", want: 200},
		{as: "lead", method: "POST", path: "/api/v1/items", body: `{"text":"I get credit for my work.","scale":"agree5","construct":"fairness"}`, want: 201},
		{as: "lead", method: "GET", path: "/api/v1/templates", want: 200},
		{as: "lead", method: "POST", path: "/api/v1/templates/pulse/surveys", body: `{"title":"June pulse"}`, want: 201, capture: map[string]string{"pulse": "id"}},
		{as: "lead", method: "POST", path: "/api/v1/templates/nothing/surveys", body: `{}`, want: 404},
		{as: "lead", method: "DELETE", path: "/api/v1/surveys/{pulse}", want: 204},
		{as: "exec", method: "POST", path: "/api/v1/surveys", body: scenarioSurvey, want: 403},
		{as: "lead", method: "POST", path: "/api/v1/surveys", body: `{"title":""}`, want: 422},
		{as: "lead", method: "POST", path: "/api/v1/surveys", body: scenarioSurvey, want: 201, capture: map[string]string{"id": "id"}},
		{as: "lead", method: "PATCH", path: "/api/v1/surveys/{id}", body: strings.Replace(scenarioSurvey, "Autumn", "Winter", 1), want: 200},
		{as: "lead", method: "GET", path: "/api/v1/surveys/{id}", want: 200},
		{as: "lead", method: "GET", path: "/api/v1/surveys/{id}/preview", want: 200},
		{as: "exec", method: "GET", path: "/api/v1/surveys", want: 200},
		{as: "lead", method: "GET", path: "/api/v1/surveys/{id}/retention", want: 200},
		{as: "lead", method: "PUT", path: "/api/v1/surveys/{id}/retention", body: `{"months":24}`, want: 200},
		{as: "lead", method: "POST", path: "/api/v1/surveys/{id}/launch", want: 200},
		{as: "lead", method: "POST", path: "/api/v1/surveys/{id}/launch", want: 409},
		{as: "lead", method: "GET", path: "/api/v1/surveys/{id}/waves", want: 200},
		{as: "lead", method: "GET", path: "/api/v1/surveys/{id}/link", want: 200, capture: map[string]string{"survey_url": "url"},
			after: func(s *scenario, _ []byte) {
				s.vars["slug"] = s.vars["survey_url"][strings.LastIndex(s.vars["survey_url"], "/")+1:]
			}},

		// Distribution: mail templates, the people list, invitations, codes.
		{as: "lead", method: "GET", path: "/api/v1/surveys/{id}/mail-templates/invitation", want: 200},
		{as: "lead", method: "PUT", path: "/api/v1/surveys/{id}/mail-templates/invitation", body: `{"subject":"Your voice counts","body":"Hello, answer here: {link} before {closes}."}`, want: 200},
		{as: "lead", method: "POST", path: "/api/v1/surveys/{id}/mail-templates/reminder/preview", body: `{"subject":"A reminder","body":"Still time: {link}"}`, want: 200},
		{as: "lead", method: "POST", path: "/api/v1/surveys/{id}/waves/1/people", body: "email,department\nnot-an-address,Sales\n", contentType: "text/csv", want: 422},
		{as: "lead", method: "POST", path: "/api/v1/surveys/{id}/waves/1/people", body: peopleCSV, contentType: "text/csv", want: 201},
		{as: "lead", method: "POST", path: "/api/v1/surveys/{id}/waves/1/mail", body: `{"kind":"invitation"}`, want: 202, after: sendMail},
		{as: "lead", method: "GET", path: "/api/v1/surveys/{id}/waves/1/people", want: 200},
		{as: "lead", method: "POST", path: "/api/v1/surveys/{id}/waves/1/invites", body: `{"count":6}`, want: 201},
		{as: "lead", method: "GET", path: "/api/v1/surveys/{id}/waves/1/invites", want: 200},
	})

	// An invited employee: the code from the delivered mail, a blind-signed
	// ballot, an answer submitted with it.
	msgs := mail.Messages()
	if len(msgs) != 12 {
		t.Fatalf("%d invitations delivered, want 12", len(msgs))
	}
	m := scenarioLink.FindStringSubmatch(msgs[0].Body)
	if m == nil {
		t.Fatalf("no link in the invitation %q", msgs[0].Body)
	}
	s.vars["code"] = strings.ReplaceAll(m[1], "-", "")
	s.run([]step{
		{method: "GET", path: "/s/{code}", want: 200},
		{method: "GET", path: "/api/v1/respond-messages?lang=fr", want: 200},
		{method: "GET", path: "/api/v1/respond/{code}", want: 200, capture: map[string]string{"ballot_key": "ballot.key", "n": "ballot.jwk.n", "e": "ballot.jwk.e"}},
		{method: "POST", path: "/api/v1/respond/{code}/ballot", bodyFn: blindedBallot, want: 200, capture: map[string]string{"blind_signature": "blind_signature"}},
		{method: "POST", path: "/api/v1/ballots", bodyFn: finishedBallot, want: 201},
		{method: "POST", path: "/api/v1/ballots", bodyFn: finishedBallot, want: 409},
		{method: "GET", path: "/api/v1/respond/NOSUCHCODE0", want: 404},
	})
	// Eleven more answers through the survey's open link.
	var answers []step
	for i := range 11 {
		answers = append(answers, step{method: "POST", path: "/api/v1/respond/{slug}", body: scenarioAnswers(i, []string{"Sales", "Engineering"}[i%2]), want: 201})
	}
	answers = append(answers, step{method: "POST", path: "/api/v1/respond/{slug}", body: `{"answers":{"belonging.1":9}}`, want: 422})
	s.run(answers)

	s.run([]step{
		// Results of the live wave, then of the closed one.
		{as: "lead", method: "GET", path: "/api/v1/surveys/{id}/results", want: 200},
		{as: "lead", method: "POST", path: "/api/v1/surveys/{id}/close", want: 200},
		{as: "lead", method: "POST", path: "/api/v1/surveys/{id}/waves/1/people", body: peopleCSV, contentType: "text/csv", want: 410},
		{as: "exec", method: "GET", path: "/api/v1/surveys/{id}/results?wave=1&by=department", want: 200},
		{as: "exec", method: "GET", path: "/api/v1/surveys/{id}/results?by=nothing", want: 400},
		{as: "exec", method: "GET", path: "/api/v1/surveys/{id}/heatmap?by=department", want: 200},
		{as: "exec", method: "GET", path: "/api/v1/surveys/{id}/gaps?by=department", want: 200},
		{as: "exec", method: "GET", path: "/api/v1/surveys/{id}/behaviours", want: 200},
		{as: "exec", method: "GET", path: "/api/v1/surveys/{id}/trend", want: 200},
		{as: "exec", method: "GET", path: "/api/v1/surveys/{id}/summary", want: 200},
		{as: "exec", method: "GET", path: "/api/v1/surveys/{id}/comments", want: 403},
		{as: "lead", method: "GET", path: "/api/v1/surveys/{id}/comments", want: 200},
		{as: "exec", method: "GET", path: "/api/v1/surveys/{id}/report.xlsx", want: 200},
		{as: "exec", method: "GET", path: "/api/v1/surveys/{id}/report.pdf", want: 200},
		{as: "exec", method: "GET", path: "/api/v1/surveys/{id}/results.csv", want: 200},
		{as: "exec", method: "GET", path: "/api/v1/surveys/{id}/results.csv?wave=banana", want: 400},

		// From results to action, and back to employees.
		{as: "lead", method: "GET", path: "/api/v1/plan-owners", want: 200},
		{as: "lead", method: "POST", path: "/api/v1/surveys/{id}/plans", body: `{"wave":1,"source":{"kind":"competency","metric":"voice"},"title":"Speak up safely"}`, want: 201, capture: map[string]string{"focus": "id"}},
		{as: "lead", method: "PATCH", path: "/api/v1/surveys/{id}/plans/{focus}", body: `{"title":"Speak up, safely","revision":0}`, want: 200},
		{as: "lead", method: "POST", path: "/api/v1/surveys/{id}/plans/{focus}/actions", body: `{"title":"Retrospectives without blame","owner_id":"{lead_id}","due":"2027-03-01"}`, want: 201, capture: map[string]string{"action": "id"}},
		{as: "lead", method: "PATCH", path: "/api/v1/surveys/{id}/plans/{focus}/actions/{action}", body: `{"status":"in_progress","revision":0}`, want: 200},
		{as: "lead", method: "PATCH", path: "/api/v1/surveys/{id}/plans/{focus}/actions/{action}", body: `{"status":"done","revision":0}`, want: 409},
		{as: "exec", method: "GET", path: "/api/v1/surveys/{id}/plans", want: 200},
		{as: "lead", method: "PUT", path: "/api/v1/surveys/{id}/waves/1/heard", body: `{"message":"Thank you.","metrics":["index","respondents","voice"],"focus_ids":["{focus}"]}`, want: 200, capture: map[string]string{"heard_url": "url"},
			after: func(s *scenario, _ []byte) {
				s.vars["heard"] = s.vars["heard_url"][strings.LastIndex(s.vars["heard_url"], "/")+1:]
			}},
		{as: "lead", method: "GET", path: "/api/v1/surveys/{id}/waves/1/heard", want: 200},
		{method: "GET", path: "/api/v1/heard/{heard}", want: 200},
		{method: "GET", path: "/heard/{heard}", want: 200},
		{as: "lead", method: "DELETE", path: "/api/v1/surveys/{id}/waves/1/heard", want: 204},
		{method: "GET", path: "/api/v1/heard/{heard}", want: 404},
		{as: "lead", method: "DELETE", path: "/api/v1/surveys/{id}/plans/{focus}/actions/{action}", want: 204},
		{as: "lead", method: "DELETE", path: "/api/v1/surveys/{id}/plans/{focus}", want: 204},
		{as: "lead", method: "POST", path: "/api/v1/surveys/{id}/archive", want: 200},
		{as: "lead", method: "DELETE", path: "/api/v1/surveys/{id}", want: 409},
	})

	// Every operation of the document was exercised.
	var missing []string
	for path, item := range s.valid.doc.Paths.Map() {
		for method := range item.Operations() {
			if op := method + " " + path; !s.covered[op] {
				missing = append(missing, op)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("the scenario never called %d documented operations:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}

// blindedBallot blinds a fresh token under the form's key, as ballot.js does.
func blindedBallot(s *scenario) string {
	n, _ := base64.RawURLEncoding.DecodeString(s.vars["n"])
	e, _ := base64.RawURLEncoding.DecodeString(s.vars["e"])
	pk := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	client, err := blindrsa.NewClient(ballot.Variant, pk)
	if err != nil {
		s.t.Fatal(err)
	}
	token := make([]byte, ballot.TokenSize)
	_, _ = rand.Read(token)
	blinded, state, err := client.Blind(rand.Reader, token)
	if err != nil {
		s.t.Fatal(err)
	}
	s.ballot.client, s.ballot.state, s.ballot.token = client, state, token
	body, _ := json.Marshal(ballotRequest{Key: s.vars["ballot_key"], Blinded: base64.RawURLEncoding.EncodeToString(blinded)})
	return string(body)
}

// finishedBallot unblinds the signature and answers with the ballot.
func finishedBallot(s *scenario) string {
	bsig, _ := base64.RawURLEncoding.DecodeString(s.vars["blind_signature"])
	sig, err := s.ballot.client.Finalize(s.ballot.state, bsig)
	if err != nil {
		s.t.Fatalf("finalize: %v", err)
	}
	var m map[string]any
	_ = json.Unmarshal([]byte(scenarioAnswers(99, "Sales")), &m)
	delete(m, "demographics") // the ballot's segment says the department
	m["ballot"] = map[string]string{"key": s.vars["ballot_key"], "token": base64.RawURLEncoding.EncodeToString(s.ballot.token),
		"signature": base64.RawURLEncoding.EncodeToString(sig)}
	out, _ := json.Marshal(m)
	return string(out)
}
