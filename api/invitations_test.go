package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/mailer"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
)

// mailEnv is a respondEnv whose server sends through a real SMTP server in
// the test process (internal/testtools/smtp.go).
type mailEnv struct {
	*respondEnv
	smtp *testtools.SMTPServer
	mail mailer.Config
	lead []string
}

func newMailEnv(t testing.TB) *mailEnv {
	t.Helper()
	srv := testtools.StartSMTP(t)
	cfg := mailer.Config{Host: srv.Host, Port: srv.Port, Username: testtools.SMTPUser, Password: testtools.SMTPPassword,
		From: "survey@example.com", TLS: mailer.TLSNone, Timeout: 5 * time.Second}
	e := newRespondEnv(t, Config{RespondRate: -1, Mail: cfg, BaseURL: "https://survey.example.org", MailBackoff: time.Minute})
	return &mailEnv{respondEnv: e, smtp: srv, mail: cfg, lead: e.leadAuth()}
}

func (m *mailEnv) peoplePath() string {
	return fmt.Sprintf("/api/v1/surveys/%s/waves/1/people", m.survey.ID)
}

func (m *mailEnv) upload(csv, query string) *httptest.ResponseRecorder {
	return m.do(http.MethodPost, m.peoplePath()+query, "text/csv", csv, m.lead...)
}

func (m *mailEnv) status() peopleStatus {
	m.t.Helper()
	var st peopleStatus
	if err := json.Unmarshal(m.getOK(m.peoplePath(), m.lead), &st); err != nil {
		m.t.Fatal(err)
	}
	return st
}

func (m *mailEnv) queue(kind string) *httptest.ResponseRecorder {
	return m.do(http.MethodPost, fmt.Sprintf("/api/v1/surveys/%s/waves/1/mail", m.survey.ID), "application/json", `{"kind":"`+kind+`"}`, m.lead...)
}

// sendAll runs the outbox until nothing is due, moving the clock past
// every backoff.
func (m *mailEnv) sendAll(o *survey.Outbox) {
	m.t.Helper()
	for range 10 {
		if _, err := o.RunOnce(context.Background()); err != nil {
			m.t.Fatal(err)
		}
		if m.status().Mail.Pending == 0 {
			return
		}
		m.setNow(m.Now().Add(time.Hour))
	}
	m.t.Fatalf("still pending: %+v", m.status().Mail)
}

// peopleCSV lists n people of department dept, with addresses
// prefix0@example.com ... .
func peopleCSV(prefix, dept string, n int) string {
	var b strings.Builder
	b.WriteString("email,department\n")
	for i := range n {
		fmt.Fprintf(&b, "%s%d@example.com,%s\n", prefix, i, dept)
	}
	return b.String()
}

var linkCode = regexp.MustCompile(`/s/([0-9A-Z-]{13,16})`)

// codeOf reads the short code from a delivered message's link.
func codeOf(t *testing.T, d testtools.Delivered) string {
	t.Helper()
	m := linkCode.FindStringSubmatch(d.Body)
	if m == nil {
		t.Fatalf("no link in %q", d.Body)
	}
	return strings.ReplaceAll(m[1], "-", "")
}

// perRecipient counts delivered messages by recipient and subject prefix.
func perRecipient(msgs []testtools.Delivered, subjectPrefix string) map[string]int {
	out := map[string]int{}
	for _, d := range msgs {
		if strings.HasPrefix(d.Header.Get("Subject"), subjectPrefix) {
			out[d.To[0]]++
		}
	}
	return out
}

// onceEach checks that want people got exactly one message each.
func onceEach(t *testing.T, got map[string]int, want int) {
	t.Helper()
	if len(got) != want {
		t.Fatalf("%d people got a message, want %d", len(got), want)
	}
	for to, n := range got {
		if n != 1 {
			t.Errorf("%s got %d messages", to, n)
		}
	}
}

func TestPeopleListUploadRefusesBadFiles(t *testing.T) {
	m := newMailEnv(t)
	bad := "email,department,gender\n" +
		"ann@example.com,Sales,\n" +
		"not-an-address,Sales,\n" + // line 3
		"ANN@example.com,Sales,\n" + // line 4: duplicate, case-insensitively
		"bob@example.com,Marketing,\n" + // line 5: unknown option
		"cid@example.com,Sales\n" // line 6: a cell short
	rec := m.upload(bad, "")
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad rows: %d %s", rec.Code, rec.Body)
	}
	fields := problemFields(t, rec)
	for _, want := range []string{"rows[3].email", "rows[4].email", "rows[5].department", "rows[6]"} {
		if !contains(fields, want) {
			t.Errorf("report %v lacks %s", fields, want)
		}
	}
	if st := m.status(); st.People != 0 {
		t.Fatalf("a file with errors stored %d people", st.People)
	}
	for name, c := range map[string]struct {
		body, ct string
		status   int
		field    string
	}{
		"oversized": {"email\n" + strings.Repeat("someone.with.a.long.name@example.com\n", 3<<20/37), "text/csv", http.StatusUnprocessableEntity, "file"},
		"empty":     {"", "text/csv", http.StatusUnprocessableEntity, "file"},
		"not csv":   {"{}", "application/json", http.StatusUnsupportedMediaType, ""},
	} {
		rec := m.do(http.MethodPost, m.peoplePath(), c.ct, c.body, m.lead...)
		if rec.Code != c.status && !(name == "oversized" && rec.Code == http.StatusRequestEntityTooLarge) {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body)
			continue
		}
		if c.field != "" && rec.Code == http.StatusUnprocessableEntity && !contains(problemFields(t, rec), c.field) {
			t.Errorf("%s: %s", name, rec.Body)
		}
	}
	if rec := m.upload(bad, "?confirm=yes"); rec.Code != http.StatusUnprocessableEntity || problemFields(t, rec)[0] != "confirm" {
		t.Errorf("confirm=yes: %d %s", rec.Code, rec.Body)
	}
	if st := m.status(); st.People != 0 {
		t.Fatalf("refused files stored %d people", st.People)
	}

	// Confirming stores the valid rows only when they make groups of at
	// least k: one Sales person is a group of one, refused too.
	rec = m.upload(bad, "?confirm=valid")
	if rec.Code != http.StatusCreated {
		t.Fatalf("confirm: %d %s", rec.Code, rec.Body)
	}
	var got peopleImported
	_ = json.Unmarshal(rec.Body.Bytes(), &got)
	if got.Stored != 0 || len(got.Problems) < 5 {
		t.Fatalf("a group of one stored: %+v", got)
	}
	rec = m.upload(peopleCSV("sales", "Sales", 6)+"oops,Sales\n", "?confirm=valid")
	_ = json.Unmarshal(rec.Body.Bytes(), &got)
	if rec.Code != http.StatusCreated || got.Stored != 6 || got.People != 6 || len(got.Problems) != 1 || got.Problems[0].Line != 8 {
		t.Fatalf("valid rows: %d %s", rec.Code, rec.Body)
	}
	// The same addresses again are duplicates of the stored list.
	rec = m.upload(peopleCSV("sales", "Sales", 6), "")
	if rec.Code != http.StatusUnprocessableEntity || !contains(problemFields(t, rec), "rows[2].email") {
		t.Fatalf("re-upload: %d %s", rec.Code, rec.Body)
	}
	// A sensitive group below k_s (10) is refused by line.
	rec = m.upload("email,gender\n"+func() string {
		var b strings.Builder
		for i := range 6 {
			fmt.Fprintf(&b, "w%d@example.com,Woman\n", i)
		}
		return b.String()
	}(), "")
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("small sensitive group: %d %s", rec.Code, rec.Body)
	}
	if st := m.status(); st.People != 6 {
		t.Fatalf("people %d, want 6", st.People)
	}
}

func TestInvitationsAndReminders(t *testing.T) {
	m := newMailEnv(t)
	if rec := m.upload(peopleCSV("sales", "Sales", 6)+peopleCSV("eng", "Engineering", 6)[len("email,department\n"):], ""); rec.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	// A reminder before any invitation goes to nobody new: the queue is per
	// kind and round, so invitations first.
	if rec := m.queue("invitation"); rec.Code != http.StatusAccepted {
		t.Fatalf("queue: %d %s", rec.Code, rec.Body)
	}
	if st := m.status(); st.Mail.Pending != 12 || !st.Sending {
		t.Fatalf("after queueing: %+v", st)
	}
	// Queueing again adds nothing.
	var q mailQueued
	rec := m.queue("invitation")
	_ = json.Unmarshal(rec.Body.Bytes(), &q)
	if q.Queued != 0 {
		t.Fatalf("queued twice: %s", rec.Body)
	}
	// The first message is refused with 451 and retried.
	m.smtp.Refuse(1)
	m.sendAll(m.srv.Outbox())
	onceEach(t, perRecipient(m.smtp.Messages(), "Your invitation"), 12)
	st := m.status()
	if st.Mail.Sent != 12 || st.Mail.Pending != 0 || st.Mail.Failed != 0 {
		t.Fatalf("progress %+v", st.Mail)
	}
	// Four people take their ballot (and answer) from their e-mail's link.
	answered := map[string]bool{}
	for _, d := range m.smtp.Messages()[:4] {
		code := codeOf(t, d)
		m.submitAs(t, code, nil)
		answered[d.To[0]] = true
	}
	if rec := m.queue("reminder"); rec.Code != http.StatusAccepted {
		t.Fatalf("reminders: %d %s", rec.Code, rec.Body)
	}
	m.sendAll(m.srv.Outbox())
	reminders := perRecipient(m.smtp.Messages(), "Reminder")
	if len(reminders) != 8 {
		t.Fatalf("reminders reached %d people, want 8", len(reminders))
	}
	for to := range reminders {
		if answered[to] {
			t.Errorf("%s took a ballot and was reminded", to)
		}
	}
	// Every message says when the survey closes and promises anonymity.
	for _, d := range m.smtp.Messages() {
		if !strings.Contains(d.Body, m.wave.ClosesAt.UTC().Format("2 January 2006")) || !strings.Contains(d.Body, "anonymous") {
			t.Fatalf("message body %q", d.Body)
		}
	}
	m.assertNoAddressLeft(t)
}

// TestUnconfirmedAndUnsentMail: a message the mail server received but
// never confirmed is marked unsure and not sent again; a reminder queued
// while someone's invitation still waits is not sent to them.
func TestUnconfirmedAndUnsentMail(t *testing.T) {
	srv := testtools.StartSMTP(t)
	cfg := mailer.Config{Host: srv.Host, Port: srv.Port, Username: testtools.SMTPUser, Password: testtools.SMTPPassword,
		From: "survey@example.com", TLS: mailer.TLSNone, Timeout: time.Second}
	e := newRespondEnv(t, Config{RespondRate: -1, Mail: cfg, BaseURL: "https://survey.example.org", MailBackoff: time.Minute})
	m := &mailEnv{respondEnv: e, smtp: srv, mail: cfg, lead: e.leadAuth()}
	if rec := m.upload(peopleCSV("sales", "Sales", 6), ""); rec.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	m.queue("invitation")
	m.smtp.Stall(1, 3*time.Second)
	if _, err := m.srv.Outbox().RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := m.status()
	if st.Mail.Unsure != 1 || st.Mail.Sent != 5 {
		t.Fatalf("after a send the server never confirmed: %+v", st.Mail)
	}
	// Later runs, and a retry of the failed ones, leave it alone.
	m.setNow(m.Now().Add(24 * time.Hour))
	m.srv.Outbox().RunOnce(context.Background())
	m.queue("retry")
	m.srv.Outbox().RunOnce(context.Background())
	onceEach(t, perRecipient(m.smtp.Messages(), "Your invitation"), 6)

	// Six more people while the mail server is down: their invitations wait,
	// and the reminder queued meanwhile skips them.
	if rec := m.upload(peopleCSV("eng", "Engineering", 6), ""); rec.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	m.queue("invitation")
	var q mailQueued
	_ = json.Unmarshal(m.queue("reminder").Body.Bytes(), &q)
	if q.Queued != 6 {
		t.Errorf("reminders queued for %d people, want the 6 whose invitation went out", q.Queued)
	}
	m.sendAll(m.srv.Outbox())
	for to, n := range perRecipient(m.smtp.Messages(), "Reminder") {
		if strings.HasPrefix(to, "eng") {
			t.Errorf("%s got %d reminders before their invitation went out", to, n)
		}
	}
}

// assertNoAddressLeft checks the server's log, the audit trail and the
// results for any e-mail address from the list.
func (m *mailEnv) assertNoAddressLeft(t *testing.T) {
	t.Helper()
	address := regexp.MustCompile(`[a-z]+[0-9]+@example\.com`)
	if a := address.FindString(m.logs.String()); a != "" {
		t.Errorf("the log holds %s", a)
	}
	var details []string
	m.db.Gorm.Table("audit_events").Pluck("target || ' ' || detail", &details)
	for _, d := range details {
		if a := address.FindString(d); a != "" {
			t.Errorf("the audit trail holds %s", a)
		}
	}
	for _, path := range []string{"/results?wave=1", "/results.csv?wave=1&by=department", "/report.xlsx?wave=1"} {
		rec := m.do(http.MethodGet, "/api/v1/surveys/"+m.survey.ID+path, "", "", m.lead...)
		if a := address.FindString(rec.Body.String()); a != "" {
			t.Errorf("%s holds %s", path, a)
		}
	}
}

// TestOutboxRestartSendsNothingTwice stops one outbox mid-way, leaves a
// message claimed as a crashed process would, and starts a new outbox.
func TestOutboxRestartSendsNothingTwice(t *testing.T) {
	m := newMailEnv(t)
	if rec := m.upload(peopleCSV("p", "Sales", 10), ""); rec.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	m.queue("invitation")
	ctx, stop := context.WithCancel(context.Background())
	real := mailer.New(m.mail)
	sent := 0
	first := survey.NewOutbox(m.store, func(ctx context.Context, msg mailer.Message) error {
		err := real.Send(ctx, msg)
		if sent++; sent == 4 {
			stop() // the server shuts down while the fourth message goes out
		}
		return err
	}, kernel.ClockFunc(m.Now), survey.OutboxConfig{BaseURL: "https://survey.example.org"}, nil)
	if _, err := first.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got := len(m.smtp.Messages()); got != 4 {
		t.Fatalf("first outbox sent %d", got)
	}
	// A crash: one message claimed ("sending") whose send never recorded.
	crashed := m.db.Gorm.Exec("UPDATE mail_outbox SET status = 'sending', attempts = 1, next_at = ? WHERE id = (SELECT MIN(id) FROM mail_outbox WHERE status = 'pending')", m.Now().Add(10*time.Minute))
	if crashed.Error != nil || crashed.RowsAffected != 1 {
		t.Fatal(crashed.Error)
	}
	m.setNow(m.Now().Add(11 * time.Minute)) // the claim's lease runs out
	second := survey.NewOutbox(m.store, mailer.New(m.mail).Send, kernel.ClockFunc(m.Now), survey.OutboxConfig{BaseURL: "https://survey.example.org"}, nil)
	m.sendAll(second)
	onceEach(t, perRecipient(m.smtp.Messages(), "Your invitation"), 9) // one unsure
	st := m.status().Mail
	if st.Sent != 9 || st.Unsure != 1 || st.Pending != 0 {
		t.Fatalf("progress %+v", st)
	}
	// Retrying failed mail never resends the unsure one.
	var q mailQueued
	_ = json.Unmarshal(m.queue("retry").Body.Bytes(), &q)
	if q.Queued != 0 {
		t.Fatalf("retry queued %d", q.Queued)
	}
}

// TestSMTPServerDown: while the server is down, the page's status names
// the problem and nothing is lost: the messages wait, fail after their
// attempts, and a retry delivers them once the server is back.
func TestSMTPServerDown(t *testing.T) {
	m := newMailEnv(t)
	if rec := m.upload(peopleCSV("p", "Sales", 5), ""); rec.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	m.queue("invitation")
	port := m.smtp.Port
	m.smtp.Stop()
	if _, err := m.srv.Outbox().RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := m.status().Mail
	if st.Pending != 5 || st.Sent != 0 || st.Problem == "" {
		t.Fatalf("server down: %+v", st)
	}
	m.sendAll(m.srv.Outbox()) // every attempt fails
	st = m.status().Mail
	if st.Failed != 5 || st.Problem == "" || strings.Contains(st.Problem, "@example.com") {
		t.Fatalf("after every attempt: %+v", st)
	}
	// The server comes back on the same port; a retry delivers each once.
	back := testtools.StartSMTPOn(t, port)
	if rec := m.queue("retry"); rec.Code != http.StatusAccepted {
		t.Fatalf("retry: %d %s", rec.Code, rec.Body)
	}
	m.sendAll(m.srv.Outbox())
	if got := perRecipient(back.Messages(), "Your invitation"); len(got) != 5 {
		t.Fatalf("after the retry %d delivered", len(got))
	}
	if st := m.status().Mail; st.Sent != 5 || st.Failed != 0 || st.Problem != "" {
		t.Fatalf("after the retry: %+v", st)
	}
	m.assertNoAddressLeft(t)
}

// TestNoSMTPConfigured: without ALLYPULSE_SMTP_HOST the status says so and
// queueing is a 409 that names the variable.
func TestNoSMTPConfigured(t *testing.T) {
	e := newRespondEnv(t, Config{RespondRate: -1})
	lead := e.leadAuth()
	var st peopleStatus
	_ = json.Unmarshal(e.getOK("/api/v1/surveys/"+e.survey.ID+"/waves/1/people", lead), &st)
	if st.Sending {
		t.Fatal("sending without configuration")
	}
	rec := e.do(http.MethodPost, "/api/v1/surveys/"+e.survey.ID+"/waves/1/mail", "application/json", `{"kind":"invitation"}`, lead...)
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "ALLYPULSE_SMTP_HOST") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

// TestPeopleListsAndKeysGoAtClose: once the wave closes, the outbox's run
// deletes its people list, queued mail and ballot signing keys.
func TestPeopleListsAndKeysGoAtClose(t *testing.T) {
	m := newMailEnv(t)
	if rec := m.upload(peopleCSV("p", "Sales", 5), ""); rec.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	m.queue("invitation")
	m.sendAll(m.srv.Outbox())
	m.submitAs(t, codeOf(t, m.smtp.Messages()[0]), nil)
	count := func(table string) int {
		var n int64
		m.db.Gorm.Table(table).Count(&n)
		return int(n)
	}
	if count("wave_people") != 5 || count("ballot_keys") == 0 || count("mail_outbox") != 5 {
		t.Fatalf("before close: %d people, %d keys, %d mail", count("wave_people"), count("ballot_keys"), count("mail_outbox"))
	}
	m.setNow(m.wave.ClosesAt.Add(time.Second))
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.srv.Outbox().Run(ctx, 10*time.Millisecond); close(done) }()
	for count("wave_people")+count("ballot_keys")+count("mail_outbox") > 0 {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	<-done
	// The responses stay; the link of a deleted person opens nothing.
	if n := count("responses"); n != 1 {
		t.Fatalf("%d responses", n)
	}
	if st := m.status(); st.People != 0 {
		t.Fatalf("people %d", st.People)
	}
}

// TestPrintableCodeSheet: ?format=html answers one card per new code, each
// with its grouped code and a QR image, and nothing else identifying.
func TestPrintableCodeSheet(t *testing.T) {
	e := newRespondEnv(t, Config{RespondRate: -1, BaseURL: "https://survey.example.org"})
	rec := e.do(http.MethodPost, "/api/v1/surveys/"+e.survey.ID+"/waves/1/invites?format=html", "application/json", `{"count":6}`, e.leadAuth()...)
	if rec.Code != http.StatusCreated || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("%d %s", rec.Code, rec.Header())
	}
	page := rec.Body.String()
	codes := regexp.MustCompile(`<p class="code">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z])</p>`).FindAllStringSubmatch(page, -1)
	if len(codes) != 6 || strings.Count(page, `src="data:image/png;base64,`) != 6 || !strings.Contains(page, "https://survey.example.org/") {
		t.Fatalf("%d codes in %s", len(codes), page)
	}
	// Each printed code opens the form.
	if rec := e.do(http.MethodGet, "/api/v1/respond/"+codes[0][1], "", ""); rec.Code != http.StatusOK {
		t.Fatalf("printed code: %d %s", rec.Code, rec.Body)
	}
}
