package survey

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/mailer"
	"github.com/allypulse/allypulse/internal/shortcode"
)

// Mail kinds.
const (
	MailInvitation = "invitation"
	MailReminder   = "reminder"
)

// Outbox row states.
const (
	mailPending = "pending"
	mailSending = "sending"
	mailSent    = "sent"
	mailFailed  = "failed"
	mailSkipped = "skipped" // a reminder for someone who took their ballot meanwhile
	// mailUnsure is a message whose send was interrupted (the process
	// stopped between the claim and the record): it may have gone out, so
	// it is never sent again, nor retried.
	mailUnsure = "unsure"
)

type outboxRow struct {
	ID        string `gorm:"primaryKey"`
	WaveID    string
	PersonID  string
	Kind      string
	Round     int
	Status    string
	Attempts  int
	NextAt    time.Time
	LastError string
}

func (outboxRow) TableName() string { return "mail_outbox" }

// MailProgress counts one wave's e-mail by state.
type MailProgress struct {
	Pending int `json:"pending"`
	Sent    int `json:"sent"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
	// Unsure counts messages interrupted mid-send: they may have gone out
	// and are not sent again, so that nobody gets one twice.
	Unsure int `json:"unsure"`
	// Problem is the latest error of a message still to retry or failed
	// (never an address: internal/mailer/mailer.go scrubs it), "" when none.
	Problem string `json:"problem"`
}

// QueueInvitations queues an invitation for everyone on wave w's list who
// has none yet; it returns how many it queued.
func (s *Store) QueueInvitations(ctx context.Context, w Wave, now time.Time) (int, error) {
	return s.queue(ctx, w, MailInvitation, now, "")
}

// QueueReminders queues a reminder, as a new round, for everyone on wave
// w's list whose invitation has gone out (or may have: unsure) and has not
// taken a ballot. Someone
// whose invitation is still waiting (the mail server was down) gets that
// invitation first and no reminder on its heels.
func (s *Store) QueueReminders(ctx context.Context, w Wave, now time.Time) (int, error) {
	return s.queue(ctx, w, MailReminder, now, "AND i.used = FALSE AND EXISTS (SELECT 1 FROM mail_outbox inv WHERE inv.person_id = p.id AND inv.kind = '"+MailInvitation+"' AND inv.status IN ('"+mailSent+"', '"+mailUnsure+"'))")
}

func (s *Store) queue(ctx context.Context, w Wave, kind string, now time.Time, filter string) (int, error) {
	n := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		round := 0
		if kind == MailReminder {
			var last *int
			if err := tx.Model(&outboxRow{}).Where("wave_id = ? AND kind = ?", w.ID, kind).Select("MAX(round)").Scan(&last).Error; err != nil {
				return err
			}
			if last != nil {
				round = *last + 1
			}
		}
		var ids []string
		q := "SELECT p.id FROM wave_people p JOIN invites i ON i.code_hash = p.code_hash WHERE p.wave_id = ? " + filter +
			" AND NOT EXISTS (SELECT 1 FROM mail_outbox o WHERE o.person_id = p.id AND o.kind = ? AND o.round = ?)"
		if err := tx.Raw(q, w.ID, kind, round).Scan(&ids).Error; err != nil {
			return err
		}
		rows := make([]outboxRow, len(ids))
		for i, id := range ids {
			rows[i] = outboxRow{ID: kernel.NewID(), WaveID: w.ID, PersonID: id, Kind: kind, Round: round, Status: mailPending, NextAt: now.UTC()}
		}
		n = len(rows)
		if n == 0 {
			return nil
		}
		return tx.CreateInBatches(rows, insertChunk).Error
	})
	return n, err
}

// MailProgress counts wave w's e-mail by state.
func (s *Store) MailProgress(ctx context.Context, w Wave) (MailProgress, error) {
	var rows []struct {
		Status string
		N      int
	}
	if err := s.db.WithContext(ctx).Model(&outboxRow{}).Select("status, COUNT(*) AS n").Where("wave_id = ?", w.ID).Group("status").Scan(&rows).Error; err != nil {
		return MailProgress{}, err
	}
	var p MailProgress
	for _, r := range rows {
		switch r.Status {
		case mailPending, mailSending:
			p.Pending += r.N
		case mailSent:
			p.Sent += r.N
		case mailFailed:
			p.Failed += r.N
		case mailSkipped:
			p.Skipped += r.N
		case mailUnsure:
			p.Unsure += r.N
		}
	}
	var problem []string
	err := s.db.WithContext(ctx).Model(&outboxRow{}).Where("wave_id = ? AND status IN ? AND last_error <> ''", w.ID, []string{mailPending, mailFailed}).
		Order("next_at DESC").Limit(1).Pluck("last_error", &problem).Error
	if err != nil {
		return MailProgress{}, err
	}
	if len(problem) == 1 {
		p.Problem = problem[0]
	}
	return p, nil
}

// RetryFailedMail queues wave w's failed messages again (those refused or
// not delivered after every attempt, never the unsure ones); it returns how
// many it queued.
func (s *Store) RetryFailedMail(ctx context.Context, w Wave, now time.Time) (int, error) {
	res := s.db.WithContext(ctx).Model(&outboxRow{}).Where("wave_id = ? AND status = ?", w.ID, mailFailed).
		Updates(map[string]any{"status": mailPending, "attempts": 0, "next_at": now.UTC()})
	return int(res.RowsAffected), res.Error
}

// OutboxConfig tunes sending; zero values take defaults.
type OutboxConfig struct {
	// MaxAttempts per message (default 5).
	MaxAttempts int
	// Backoff before the first retry, doubled after each (default 1 min).
	Backoff time.Duration
	// Lease is how long a message may stay "sending" before it counts as
	// interrupted (default 10 min).
	Lease time.Duration
	// BaseURL starts the links in messages.
	BaseURL string
}

// Outbox sends queued e-mail in the background. Each message is claimed
// ("sending", with a lease) in its own statement before it goes out and
// marked sent right after, so no message is sent twice: one whose lease ran
// out (the process stopped mid-send) is marked failed, not sent again.
// Several replicas may run it; a claim succeeds for one of them.
type Outbox struct {
	store *Store
	send  func(context.Context, mailer.Message) error
	clock kernel.Clock
	cfg   OutboxConfig
	// audit records what a run did (no addresses).
	audit func(ctx context.Context, action, target, detail string)
}

// NewOutbox returns an outbox that sends with send.
func NewOutbox(store *Store, send func(context.Context, mailer.Message) error, clock kernel.Clock, cfg OutboxConfig, audit func(ctx context.Context, action, target, detail string)) *Outbox {
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 5
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = time.Minute
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 10 * time.Minute
	}
	if clock == nil {
		clock = kernel.SystemClock{}
	}
	if audit == nil {
		audit = func(context.Context, string, string, string) {}
	}
	return &Outbox{store: store, send: send, clock: clock, cfg: cfg, audit: audit}
}

// Run sends due messages every tick until ctx ends, and deletes the people
// lists of closed waves.
func (o *Outbox) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		_, _ = o.store.PurgeClosedPeople(ctx, o.clock.Now())
		_, _ = o.RunOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce sends every message due now and returns how many went out.
func (o *Outbox) RunOnce(ctx context.Context) (int, error) {
	now := o.clock.Now().UTC()
	db := o.store.db.WithContext(ctx)
	// Interrupted sends: the message may have gone out, so it is not sent
	// again.
	if err := db.Model(&outboxRow{}).Where("status = ? AND next_at <= ?", mailSending, now).
		Updates(map[string]any{"status": mailUnsure, "last_error": "interrupted while sending; not sent again so that nobody gets it twice"}).Error; err != nil {
		return 0, err
	}
	var due []outboxRow
	if err := db.Where("status = ? AND next_at <= ?", mailPending, now).Order("next_at, id").Limit(500).Find(&due).Error; err != nil {
		return 0, err
	}
	sent, failed := map[string]int{}, map[string]int{}
	for _, r := range due {
		if ctx.Err() != nil {
			break
		}
		ok, err := o.sendOne(ctx, r)
		if err != nil {
			return 0, err
		}
		switch ok {
		case mailSent:
			sent[r.WaveID]++
		case mailFailed:
			failed[r.WaveID]++
		}
	}
	total := 0
	for wave, n := range sent {
		total += n
		o.audit(ctx, "mail.sent", wave, fmt.Sprintf("%d sent, %d failed for good", n, failed[wave]))
	}
	for wave, n := range failed {
		if sent[wave] == 0 {
			o.audit(ctx, "mail.sent", wave, fmt.Sprintf("0 sent, %d failed for good", n))
		}
	}
	return total, nil
}

// sendOne claims, renders, sends and records one message; it returns the
// state the message ended in ("" when another sender claimed it).
func (o *Outbox) sendOne(ctx context.Context, r outboxRow) (string, error) {
	db := o.store.db.WithContext(ctx)
	now := o.clock.Now().UTC()
	claim := db.Model(&outboxRow{}).Where("id = ? AND status = ?", r.ID, mailPending).
		Updates(map[string]any{"status": mailSending, "attempts": r.Attempts + 1, "next_at": now.Add(o.cfg.Lease)})
	if claim.Error != nil {
		return "", claim.Error
	}
	if claim.RowsAffected != 1 {
		return "", nil
	}
	msg, skip, err := o.render(ctx, r)
	if err != nil {
		return "", err
	}
	if skip {
		return mailSkipped, db.Model(&outboxRow{}).Where("id = ?", r.ID).Update("status", mailSkipped).Error
	}
	sendErr := o.send(ctx, msg)
	now = o.clock.Now().UTC()
	// Recorded without ctx: a message that went out is marked sent even
	// while the server shuts down.
	rec := o.store.db.WithContext(context.WithoutCancel(ctx)).Model(&outboxRow{}).Where("id = ?", r.ID)
	if sendErr == nil {
		return mailSent, rec.Updates(map[string]any{"status": mailSent, "last_error": ""}).Error
	}
	state, next := mailPending, now.Add(o.cfg.Backoff<<min(r.Attempts, 10))
	switch {
	case errors.Is(sendErr, mailer.ErrUnsure):
		// The server had the whole message and did not confirm it: it may
		// have gone out, so it is not sent again.
		state = mailUnsure
	case r.Attempts+1 >= o.cfg.MaxAttempts || errors.Is(sendErr, mailer.ErrNotConfigured):
		state = mailFailed
	}
	errText := sendErr.Error()
	if utf8.RuneCountInString(errText) > 300 {
		errText = string([]rune(errText)[:300])
	}
	return state, rec.Updates(map[string]any{"status": state, "next_at": next, "last_error": errText}).Error
}

// render builds the message of r; skip is true for a reminder to someone
// who took their ballot since it was queued.
func (o *Outbox) render(ctx context.Context, r outboxRow) (mailer.Message, bool, error) {
	var p struct {
		Email string
		Code  string
		Used  bool
	}
	err := o.store.db.WithContext(ctx).Raw("SELECT p.email, p.code, i.used FROM wave_people p JOIN invites i ON i.code_hash = p.code_hash WHERE p.id = ?", r.PersonID).Scan(&p).Error
	if err != nil {
		return mailer.Message{}, false, err
	}
	if r.Kind == MailReminder && p.Used {
		return mailer.Message{}, true, nil
	}
	w, err := o.store.WaveByID(ctx, r.WaveID)
	if err != nil {
		return mailer.Message{}, false, err
	}
	sv, err := o.store.GetSurvey(ctx, w.SurveyID)
	if err != nil {
		return mailer.Message{}, false, err
	}
	tpl, err := o.store.MailTemplate(ctx, sv, r.Kind)
	if err != nil {
		return mailer.Message{}, false, err
	}
	subject, body := tpl.Render(MailVars(sv, w, o.cfg.BaseURL, p.Code))
	return mailer.Message{To: p.Email, Subject: subject, Body: body, ID: r.ID + "." + r.Kind + "@allypulse"}, false, nil
}

// MailTemplate is an editable message: {survey}, {link}, {code}, {closes}
// and {promise} are replaced when it is sent.
type MailTemplate struct {
	Kind    string `json:"kind"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

type mailTemplateRow struct {
	SurveyID string `gorm:"primaryKey"`
	Kind     string `gorm:"primaryKey"`
	Subject  string
	Body     string
}

func (mailTemplateRow) TableName() string { return "mail_templates" }

// DefaultMailTemplate is the message a lead starts from.
func DefaultMailTemplate(kind string) MailTemplate {
	if kind == MailReminder {
		return MailTemplate{Kind: kind, Subject: "Reminder: {survey}",
			Body: "Hello,\n\nThere is still time to answer {survey}: it takes a few minutes and closes on {closes}.\n\nYour personal link: {link}\n(or type your code {code} at the survey page)\n\n{promise}\n\nIf you have already answered, thank you, and please ignore this reminder: we do not know who answered, only who opened their invitation.\n"}
	}
	return MailTemplate{Kind: MailInvitation, Subject: "Your invitation: {survey}",
		Body: "Hello,\n\nYou are invited to answer {survey}. It takes a few minutes and closes on {closes}.\n\nYour personal link: {link}\n(or type your code {code} at the survey page)\n\n{promise}\n"}
}

// MailVars are the values of a template's placeholders.
func MailVars(sv Survey, w Wave, baseURL, code string) map[string]string {
	return map[string]string{
		"survey":  sv.Title,
		"link":    strings.TrimRight(baseURL, "/") + "/s/" + shortcode.Format(code),
		"code":    shortcode.Format(code),
		"closes":  w.ClosesAt.UTC().Format("Monday 2 January 2006"),
		"promise": fmt.Sprintf("Your answers are anonymous. The link gives you a ballot that our server signs without seeing it, so nobody, including us, can tell which answers are yours. No result is shown for a group smaller than %d people.", sv.Anonymity.MinGroupSize),
	}
}

// Render fills the placeholders.
func (t MailTemplate) Render(vars map[string]string) (string, string) {
	pairs := make([]string, 0, 2*len(vars))
	for k, v := range vars {
		pairs = append(pairs, "{"+k+"}", v)
	}
	r := strings.NewReplacer(pairs...)
	return r.Replace(t.Subject), r.Replace(t.Body)
}

// Template limits.
const (
	maxSubject = 200
	maxBody    = 10_000
)

// ValidateMailTemplate checks a template a lead wrote.
func ValidateMailTemplate(t MailTemplate) error {
	ve := &kernel.ValidationError{}
	if t.Kind != MailInvitation && t.Kind != MailReminder {
		ve.Add("kind", "must be invitation or reminder")
	}
	switch {
	case strings.TrimSpace(t.Subject) == "":
		ve.AddCode("subject", kernel.CodeRequired, "must not be empty")
	case utf8.RuneCountInString(t.Subject) > maxSubject || strings.ContainsAny(t.Subject, "\r\n"):
		ve.AddCode("subject", kernel.CodeTooLong, fmt.Sprintf("must be one line of at most %d characters", maxSubject))
	}
	switch {
	case utf8.RuneCountInString(t.Body) > maxBody:
		ve.AddCode("body", kernel.CodeTooLong, fmt.Sprintf("must be at most %d characters", maxBody))
	case !strings.Contains(t.Body, "{link}") && !strings.Contains(t.Body, "{code}"):
		ve.Add("body", "must contain {link} or {code}, or nobody can answer")
	}
	return ve.Err()
}

// MailTemplate returns survey sv's template of kind, or the default.
func (s *Store) MailTemplate(ctx context.Context, sv Survey, kind string) (MailTemplate, error) {
	var row mailTemplateRow
	err := s.db.WithContext(ctx).Where("survey_id = ? AND kind = ?", sv.ID, kind).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return DefaultMailTemplate(kind), nil
	}
	if err != nil {
		return MailTemplate{}, err
	}
	return MailTemplate{Kind: kind, Subject: row.Subject, Body: row.Body}, nil
}

// SetMailTemplate stores survey sv's template.
func (s *Store) SetMailTemplate(ctx context.Context, sv Survey, t MailTemplate) error {
	if err := ValidateMailTemplate(t); err != nil {
		return err
	}
	row := mailTemplateRow{SurveyID: sv.ID, Kind: t.Kind, Subject: t.Subject, Body: t.Body}
	return s.db.WithContext(ctx).Save(&row).Error
}
