package testtools

import (
	"bytes"
	"errors"
	"io"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPServer is a real SMTP server (github.com/emersion/go-smtp) on a
// loopback port, run in the test process. It asks for PLAIN authentication
// with SMTPUser and SMTPPassword and keeps every message it accepts.
type SMTPServer struct {
	Host string
	Port int

	srv *smtp.Server
	mu  sync.Mutex
	got []Delivered
	// refuse answers the next n messages with a temporary failure.
	refuse int
	// stall keeps the next n messages (they count as delivered) and holds
	// back the answer to their final dot for stallFor.
	stall    int
	stallFor time.Duration
}

// Credentials the test server accepts.
const (
	SMTPUser     = "allypulse"
	SMTPPassword = "smtp-test-password"
)

// Delivered is one accepted message.
type Delivered struct {
	From    string
	To      []string
	Header  mail.Header
	Body    string // decoded from quoted-printable
	Raw     []byte
	Arrived time.Time
}

// StartSMTP starts a server that stops when the test ends.
func StartSMTP(t testing.TB) *SMTPServer {
	t.Helper()
	return StartSMTPOn(t, 0)
}

// StartSMTPOn starts a server on a given loopback port (0 picks one), for a
// test that brings a stopped server back where the sender expects it.
func StartSMTPOn(t testing.TB, port int) *SMTPServer {
	t.Helper()
	s := &SMTPServer{}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("smtp listen: %v", err)
	}
	s.Host = "localhost"
	s.Port = l.Addr().(*net.TCPAddr).Port
	go func() { _ = s.srv.Serve(l) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

// Addr is host:port.
func (s *SMTPServer) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Refuse makes the server answer the next n messages with 451 (try again
// later) after their data arrived.
func (s *SMTPServer) Refuse(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = n
}

// Stall makes the server keep the next n messages, as delivered, and wait
// d before confirming each: a sender with a shorter timeout never hears
// that its message arrived.
func (s *SMTPServer) Stall(n int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stall, s.stallFor = n, d
}

// Messages returns the accepted messages so far.
func (s *SMTPServer) Messages() []Delivered {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivered(nil), s.got...)
}

// Stop closes the server: later connections are refused.
func (s *SMTPServer) Stop() { _ = s.srv.Close() }

type smtpSession struct {
	s      *SMTPServer
	authed bool
	from   string
	to     []string
}

func (ss *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != SMTPUser || password != SMTPPassword {
			return errors.New("invalid username or password")
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.refuse > 0 {
		ss.s.refuse--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	d := Delivered{From: ss.from, To: ss.to, Raw: raw, Arrived: time.Now()}
	if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		d.Header = m.Header
		var br io.Reader = m.Body
		if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			br = quotedprintable.NewReader(br)
		}
		body, _ := io.ReadAll(br)
		d.Body = string(body)
	}
	ss.s.got = append(ss.s.got, d)
	if ss.s.stall > 0 {
		ss.s.stall--
		wait := ss.s.stallFor
		ss.s.mu.Unlock()
		time.Sleep(wait)
		ss.s.mu.Lock()
	}
	return nil
}

func (ss *smtpSession) Reset() { ss.from, ss.to = "", nil }

func (ss *smtpSession) Logout() error { return nil }
