package mailer

import (
	"context"
	"strings"
	"testing"

	"github.com/allypulse/allypulse/internal/testtools"
)

func TestSendToARealServer(t *testing.T) {
	srv := testtools.StartSMTP(t)
	env := map[string]string{
		"ALLYPULSE_SMTP_HOST": srv.Host, "ALLYPULSE_SMTP_PORT": strings.TrimPrefix(srv.Addr(), srv.Host+":"),
		"ALLYPULSE_SMTP_USER": testtools.SMTPUser, "ALLYPULSE_SMTP_PASSWORD": testtools.SMTPPassword,
		"ALLYPULSE_SMTP_FROM": "survey@example.com", "ALLYPULSE_SMTP_TLS": "none",
	}
	cfg, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	s := New(cfg)
	if err := s.Send(context.Background(), Message{To: "ann@example.com", Subject: "Your survey", Body: "Hello\nhttps://x/s/ABCD", ID: "m1@allypulse"}); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].To[0] != "ann@example.com" || got[0].Header.Get("Subject") != "Your survey" || !strings.Contains(got[0].Body, "https://x/s/ABCD") || got[0].Header.Get("Message-Id") != "<m1@allypulse>" {
		t.Fatalf("delivered %+v", got)
	}
	// A refused message is an error without the address in it.
	srv.Refuse(1)
	err = s.Send(context.Background(), Message{To: "bob@example.com", Subject: "x", Body: "y"})
	if err == nil || strings.Contains(err.Error(), "bob@example.com") {
		t.Fatalf("refused: %v", err)
	}
	// Wrong password, then a server that is down.
	bad := cfg
	bad.Password = "wrong"
	if err := New(bad).Send(context.Background(), Message{To: "c@example.com", Subject: "x", Body: "y"}); err == nil {
		t.Fatal("wrong password accepted")
	}
	srv.Stop()
	if err := s.Send(context.Background(), Message{To: "d@example.com", Subject: "x", Body: "y"}); err == nil {
		t.Fatal("a stopped server accepted")
	}
	if len(srv.Messages()) != 1 {
		t.Fatalf("%d messages", len(srv.Messages()))
	}
}

func TestConfigFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		ok   bool
		port int
	}{
		{map[string]string{}, true, 0},
		{map[string]string{"ALLYPULSE_SMTP_HOST": "mail", "ALLYPULSE_SMTP_FROM": "a@b.co"}, true, 587},
		{map[string]string{"ALLYPULSE_SMTP_HOST": "mail", "ALLYPULSE_SMTP_FROM": "a@b.co", "ALLYPULSE_SMTP_TLS": "tls"}, true, 465},
		{map[string]string{"ALLYPULSE_SMTP_HOST": "mail"}, false, 0},
		{map[string]string{"ALLYPULSE_SMTP_HOST": "mail", "ALLYPULSE_SMTP_FROM": "a@b.co", "ALLYPULSE_SMTP_TLS": "ssl3"}, false, 0},
		{map[string]string{"ALLYPULSE_SMTP_HOST": "mail", "ALLYPULSE_SMTP_FROM": "a@b.co", "ALLYPULSE_SMTP_PORT": "x"}, false, 0},
		{map[string]string{"ALLYPULSE_SMTP_HOST": "mail", "ALLYPULSE_SMTP_FROM": "a@b.co", "ALLYPULSE_SMTP_USER": "u"}, false, 0},
	} {
		c, err := ConfigFromEnv(func(k string) string { return tc.env[k] })
		if (err == nil) != tc.ok || c.Port != tc.port {
			t.Errorf("%v: %+v %v", tc.env, c, err)
		}
	}
}
