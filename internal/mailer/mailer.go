// Package mailer sends one e-mail at a time over SMTP with STARTTLS (or
// implicit TLS) and authentication, through github.com/wneessen/go-mail.
// What to send and when, with retries, is survey/outbox.go's business.
package mailer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes.
const (
	TLSStartTLS = "starttls" // STARTTLS required (port 587 by default)
	TLSImplicit = "tls"      // TLS from the first byte (port 465 by default)
	TLSNone     = "none"     // plain text: only for a relay on the same host
)

// Config is the SMTP server; a Config without Host sends nothing.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	TLS      string
	Timeout  time.Duration
}

// Enabled reports whether sending is configured.
func (c Config) Enabled() bool { return c.Host != "" }

// ConfigFromEnv reads ALLYPULSE_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM
// and _TLS. Without a host the result is disabled and valid.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Host:     strings.TrimSpace(getenv("ALLYPULSE_SMTP_HOST")),
		Username: getenv("ALLYPULSE_SMTP_USER"),
		Password: getenv("ALLYPULSE_SMTP_PASSWORD"),
		From:     strings.TrimSpace(getenv("ALLYPULSE_SMTP_FROM")),
		TLS:      strings.ToLower(strings.TrimSpace(getenv("ALLYPULSE_SMTP_TLS"))),
	}
	if c.Host == "" {
		return Config{}, nil
	}
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	switch c.TLS {
	case TLSStartTLS:
		c.Port = 587
	case TLSImplicit:
		c.Port = 465
	case TLSNone:
		c.Port = 25
	default:
		return Config{}, fmt.Errorf("ALLYPULSE_SMTP_TLS must be starttls, tls or none, not %q", c.TLS)
	}
	if p := strings.TrimSpace(getenv("ALLYPULSE_SMTP_PORT")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Config{}, fmt.Errorf("ALLYPULSE_SMTP_PORT must be a port number, not %q", p)
		}
		c.Port = n
	}
	if c.From == "" {
		return Config{}, errors.New("ALLYPULSE_SMTP_FROM must name the sender address when ALLYPULSE_SMTP_HOST is set")
	}
	if (c.Username == "") != (c.Password == "") {
		return Config{}, errors.New("ALLYPULSE_SMTP_USER and ALLYPULSE_SMTP_PASSWORD go together")
	}
	return c, nil
}

// Message is one plain-text e-mail. ID (without angle brackets) becomes
// the Message-ID, so a message sent twice would at least be recognisable.
type Message struct {
	To      string
	Subject string
	Body    string
	ID      string
}

// ErrNotConfigured is returned by Send without a Config.Host.
var ErrNotConfigured = errors.New("e-mail sending is not configured")

// Sender sends messages with one SMTP connection per message.
type Sender struct {
	cfg Config
}

// New returns a sender for cfg.
func New(cfg Config) *Sender { return &Sender{cfg: cfg} }

// ErrUnsure is a send that may or may not have been delivered: the server
// received the whole message and did not confirm it. Sending it again could
// deliver it twice.
var ErrUnsure = errors.New("the mail server received the message but did not confirm it")

// Send delivers m to the SMTP server. The error does not contain the
// recipient's address, so it can be stored and logged.
func (s *Sender) Send(ctx context.Context, m Message) error {
	if !s.cfg.Enabled() {
		return ErrNotConfigured
	}
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return errors.New("the recipient address is not valid")
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	if m.ID != "" {
		msg.SetMessageIDWithValue(m.ID)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(cmpTimeout(s.cfg.Timeout))}
	switch s.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		// Over TLS the strongest mechanism the server offers; in plain text
		// (a relay on this host) go-mail discovers none, so PLAIN.
		mech := gomail.SMTPAuthAutoDiscover
		if s.cfg.TLS == TLSNone {
			mech = gomail.SMTPAuthPlain
		}
		opts = append(opts, gomail.WithSMTPAuth(mech), gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	client, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && se.Reason == gomail.ErrSMTPDataClose && se.ErrorCode() == 0 {
			// The whole message was written and the server never answered
			// the final dot (a timeout, a dropped connection): it may have
			// been delivered.
			return fmt.Errorf("%w: %s", ErrUnsure, scrub(err, m.To))
		}
		return scrub(err, m.To)
	}
	return nil
}

func cmpTimeout(d time.Duration) time.Duration {
	if d <= 0 {
		return 30 * time.Second
	}
	return d
}

// scrub removes the recipient's address from a server's error text.
func scrub(err error, addr string) error {
	msg := err.Error()
	if addr != "" {
		msg = strings.ReplaceAll(msg, addr, "<recipient>")
	}
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return errors.New(msg)
}
