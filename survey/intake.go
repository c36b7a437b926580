package survey

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey/framework"
)

// ErrIntakeStopped is returned by Submit after Close.
var ErrIntakeStopped = errors.New("response intake stopped")

// IntakeConfig tunes the intake; zero values take defaults.
type IntakeConfig struct {
	// MaxBatch caps the responses written in one transaction (default 2000).
	MaxBatch int
	// CacheTTL is how long a wave and its survey design stay cached for
	// validation (default 5 s). The wave's window is checked again inside
	// every write transaction, so a closed wave never takes a response.
	CacheTTL time.Duration
	// Framework returns the item bank, including custom items (default:
	// the built-in framework).
	Framework func(ctx context.Context) (framework.Framework, error)
}

// Intake validates submissions and stores them with group commit: one writer
// goroutine takes every submission waiting at that moment and writes them in
// one transaction, in shuffled order, so durable commits (synchronous=FULL)
// are shared by many responses. Submit returns only after the transaction
// holding its response has committed.
//
// What storage can still tell: an invite is marked used in the same
// transaction that stores its response, so an operator reading low-level
// storage (PostgreSQL's xmin of the rows, or a SQLite WAL frame before a
// checkpoint) could tie a used invite to the batch of responses committed
// with it, not to one response: the batch is shuffled and holds every
// submission that was waiting. Under light traffic a batch may hold one
// response; no API or export exposes any of this.
type Intake struct {
	store   *Store
	sqlDB   *sql.DB
	postgre bool
	clock   kernel.Clock
	cfg     IntakeConfig

	queue   chan *pendingResponse
	stop    chan struct{}
	stopped chan struct{}
	mu      sync.RWMutex // guards closed against sends racing Close
	closed  bool

	cacheMu sync.Mutex
	bySlug  map[string]cachedWave
	byID    map[string]cachedWave

	keys ballotKeys
}

// waveForm is a wave with what validation needs from its survey.
type waveForm struct {
	wave   Wave
	survey Survey
	items  []askedItem
}

type cachedWave struct {
	form    *waveForm
	expires time.Time
}

// pendingResponse is one validated submission waiting for the writer.
type pendingResponse struct {
	waveID string
	pendingKey
	enc  encodedSubmission
	done chan error
}

// pendingKey is what a response spends: an invitation used directly (the
// demo's synthetic responses), a ballot's token, or nothing (an open link).
type pendingKey struct {
	codeHash  string
	tokenHash string
}

// maxCachedWaves bounds the cache; it is dropped whole when full.
const maxCachedWaves = 4096

// NewIntake starts the writer goroutine; call Close to stop it. sqlDB is the
// pool under store's gorm handle: the writer uses it directly, since gorm's
// per-row overhead would dominate a group commit.
func NewIntake(store *Store, sqlDB *sql.DB, clock kernel.Clock, cfg IntakeConfig) *Intake {
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 2000
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = 5 * time.Second
	}
	if cfg.Framework == nil {
		bank := framework.BuiltIn()
		cfg.Framework = func(context.Context) (framework.Framework, error) { return bank, nil }
	}
	if clock == nil {
		clock = kernel.SystemClock{}
	}
	in := &Intake{
		store: store, sqlDB: sqlDB, postgre: db.IsPostgres(store.db), clock: clock, cfg: cfg,
		queue:   make(chan *pendingResponse, cfg.MaxBatch),
		stop:    make(chan struct{}),
		stopped: make(chan struct{}),
		bySlug:  map[string]cachedWave{},
		byID:    map[string]cachedWave{},
		keys:    ballotKeys{byID: map[string]cachedKey{}},
	}
	go in.run()
	return in
}

// Submit records one response for code, an invite code or a wave's open-link
// slug. It returns kernel.ErrNotFound for an unknown code, kernel.ErrConflict for a used
// invite, kernel.ErrNotOpen or kernel.ErrClosed outside the wave's window, and a
// *kernel.ValidationError naming each invalid field. A nil error means the response
// is committed.
func (in *Intake) Submit(ctx context.Context, code string, sub Submission) error {
	form, segment, codeHash, used, err := in.resolve(ctx, code)
	if err != nil {
		return err
	}
	if used {
		return fmt.Errorf("this invitation has already been used: %w", kernel.ErrConflict)
	}
	if err := in.checkWindow(form); err != nil {
		return err
	}
	return in.submitWith(ctx, form, segment, pendingKey{codeHash: codeHash}, sub)
}

// SubmitLink records a response to an open link. An invitation code is
// refused with ErrBallotRequired: its holder answers with a ballot
// (SubmitBallot), so nothing ties the invitation to the answers.
func (in *Intake) SubmitLink(ctx context.Context, code string, sub Submission) error {
	form, _, codeHash, _, err := in.resolve(ctx, code)
	if err != nil {
		return err
	}
	if err := in.checkWindow(form); err != nil {
		return err
	}
	if codeHash != "" {
		return ErrBallotRequired
	}
	return in.submitWith(ctx, form, nil, pendingKey{}, sub)
}

// SubmitToWave records a response to wave with the given segment attributes,
// through the same validation and group commit as Submit. The demo generator
// feeds synthetic responses through it; the wave must be open by the intake's
// clock.
func (in *Intake) SubmitToWave(ctx context.Context, wave Wave, segment map[string]string, sub Submission) error {
	form, err := in.formByID(ctx, wave.ID)
	if err != nil {
		return err
	}
	if err := validateSegment(form.survey.Design, segment); err != nil {
		return err
	}
	if err := in.checkWindow(form); err != nil {
		return err
	}
	return in.submitWith(ctx, form, segment, pendingKey{}, sub)
}

func (in *Intake) submitWith(ctx context.Context, form *waveForm, segment map[string]string, key pendingKey, sub Submission) error {
	enc, err := validateSubmission(form.survey.Design, form.items, segment, sub)
	if err != nil {
		return err
	}
	p := &pendingResponse{waveID: form.wave.ID, pendingKey: key, enc: enc, done: make(chan error, 1)}
	if err := in.enqueue(ctx, p); err != nil {
		return err
	}
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		// The response may still be committed; the caller only learns
		// that it was not acknowledged.
		return ctx.Err()
	}
}

func (in *Intake) enqueue(ctx context.Context, p *pendingResponse) error {
	in.mu.RLock()
	defer in.mu.RUnlock()
	if in.closed {
		return ErrIntakeStopped
	}
	select {
	case in.queue <- p:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops taking submissions, writes those already queued and waits for
// the writer to finish, or for ctx to end.
func (in *Intake) Close(ctx context.Context) error {
	in.mu.Lock()
	if !in.closed {
		in.closed = true
		close(in.stop)
	}
	in.mu.Unlock()
	select {
	case <-in.stopped:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Target is what a respond code leads to.
type Target struct {
	Survey Survey
	Wave   Wave
	// Segment holds the attributes an invite batch fixes (nil for an open link).
	Segment map[string]string
	// Invite is true for an invite code, false for an open-link slug.
	Invite bool
}

// Lookup returns what code leads to, with the same errors as Submit for an
// unknown code and a wave outside its window. A used invitation leads to
// its form like an unused one: whether someone took their ballot is not
// for whoever holds the code to learn here.
func (in *Intake) Lookup(ctx context.Context, code string) (Target, error) {
	form, segment, codeHash, _, err := in.resolve(ctx, code)
	if err != nil {
		return Target{}, err
	}
	if err := in.checkWindow(form); err != nil {
		return Target{}, err
	}
	return Target{Survey: form.survey, Wave: form.wave, Segment: segment, Invite: codeHash != ""}, nil
}

// resolve finds the wave behind a code: an invite code (looked up by its
// hash) or an open-link slug. It returns the segment attributes of the
// invite's batch, the code's hash ("" for a slug) and whether the invite
// was used. It does not check the wave's window. A short code with a typo
// is a *kernel.ValidationError naming code.
func (in *Intake) resolve(ctx context.Context, code string) (*waveForm, map[string]string, string, bool, error) {
	code = strings.TrimSpace(code)
	if code == "" || len(code) > 128 {
		return nil, nil, "", false, kernel.ErrNotFound
	}
	if form := in.cached(in.bySlug, code); form != nil {
		return form, nil, "", false, nil
	}
	hash, err := inviteHash(code)
	if err != nil {
		return nil, nil, "", false, err
	}
	var waveID, segJSON string
	var used bool
	q := in.rebind("SELECT i.wave_id, i.used, b.segment FROM invites i JOIN invite_batches b ON b.id = i.batch_id WHERE i.code_hash = ?")
	err = in.sqlDB.QueryRowContext(ctx, q, hash).Scan(&waveID, &used, &segJSON)
	switch {
	case err == nil:
		var segment map[string]string
		if err := json.Unmarshal([]byte(segJSON), &segment); err != nil {
			return nil, nil, "", false, fmt.Errorf("invite batch segment: %w", err)
		}
		form, err := in.formByID(ctx, waveID)
		return form, segment, hash, used, err
	case !errors.Is(err, sql.ErrNoRows):
		return nil, nil, "", false, err
	}
	w, err := in.store.WaveBySlug(ctx, code)
	if err != nil {
		return nil, nil, "", false, err
	}
	form, err := in.load(ctx, w)
	if err != nil {
		return nil, nil, "", false, err
	}
	in.remember(in.bySlug, code, form)
	return form, nil, "", false, nil
}

// checkWindow returns kernel.ErrNotOpen or kernel.ErrClosed when the wave of form does not
// take responses now.
func (in *Intake) checkWindow(form *waveForm) error {
	return windowError(form.wave.Status(in.clock.Now()), form.survey.Status)
}

func windowError(waveStatus, surveyStatus string) error {
	switch {
	case surveyStatus == StatusClosed || surveyStatus == StatusArchived:
		return kernel.ErrClosed
	case waveStatus == WaveScheduled:
		return kernel.ErrNotOpen
	case waveStatus == WaveClosed:
		return kernel.ErrClosed
	}
	return nil
}

func (in *Intake) formByID(ctx context.Context, waveID string) (*waveForm, error) {
	if form := in.cached(in.byID, waveID); form != nil {
		return form, nil
	}
	w, err := in.store.WaveByID(ctx, waveID)
	if err != nil {
		return nil, err
	}
	form, err := in.load(ctx, w)
	if err != nil {
		return nil, err
	}
	in.remember(in.byID, waveID, form)
	return form, nil
}

func (in *Intake) load(ctx context.Context, w Wave) (*waveForm, error) {
	sv, err := in.store.GetSurvey(ctx, w.SurveyID)
	if err != nil {
		return nil, err
	}
	fw, err := in.cfg.Framework(ctx)
	if err != nil {
		return nil, err
	}
	items, err := askedItems(fw, sv.Design, w)
	if err != nil {
		return nil, err
	}
	return &waveForm{wave: w, survey: sv, items: items}, nil
}

func (in *Intake) cached(m map[string]cachedWave, key string) *waveForm {
	in.cacheMu.Lock()
	defer in.cacheMu.Unlock()
	c, ok := m[key]
	if !ok || in.clock.Now().After(c.expires) {
		return nil
	}
	return c.form
}

func (in *Intake) remember(m map[string]cachedWave, key string, form *waveForm) {
	in.cacheMu.Lock()
	defer in.cacheMu.Unlock()
	if len(m) >= maxCachedWaves {
		clear(m)
	}
	m[key] = cachedWave{form: form, expires: in.clock.Now().Add(in.cfg.CacheTTL)}
}

// run is the writer goroutine.
func (in *Intake) run() {
	defer close(in.stopped)
	batch := make([]*pendingResponse, 0, in.cfg.MaxBatch)
	for {
		select {
		case p := <-in.queue:
			batch = append(batch[:0], p)
		case <-in.stop:
			// Close holds no sender any more: drain what is queued.
			for {
				batch = in.collect(batch[:0])
				if len(batch) == 0 {
					return
				}
				in.write(batch)
			}
		}
		in.write(in.collect(batch))
	}
}

// collect appends what is queued right now, up to MaxBatch.
func (in *Intake) collect(batch []*pendingResponse) []*pendingResponse {
	for len(batch) < in.cfg.MaxBatch {
		select {
		case p := <-in.queue:
			batch = append(batch, p)
		default:
			return batch
		}
	}
	return batch
}

// writeTimeout bounds one transaction.
const writeTimeout = 30 * time.Second

// write stores a batch in one shuffled transaction and answers each waiting
// submission. When the transaction fails, each response is retried alone, so
// one bad item does not fail the others.
func (in *Intake) write(batch []*pendingResponse) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	rand.Shuffle(len(batch), func(i, j int) { batch[i], batch[j] = batch[j], batch[i] })
	results, err := in.writeTx(ctx, batch)
	if err == nil {
		for i, p := range batch {
			p.done <- results[i]
		}
		return
	}
	if len(batch) == 1 {
		batch[0].done <- err
		return
	}
	for _, p := range batch {
		one := []*pendingResponse{p}
		results, err := in.writeTx(ctx, one)
		if err != nil {
			p.done <- err
			continue
		}
		p.done <- results[0]
	}
}

// insertChunk bounds the rows of one multi-row INSERT (SQLite allows 32766
// bound values).
const insertChunk = 500

// writeTx runs one transaction for the batch. It returns each response's
// outcome (nil, kernel.ErrConflict for a used code, kernel.ErrClosed or kernel.ErrNotOpen when the
// wave no longer takes responses); err is a failure of the whole transaction.
func (in *Intake) writeTx(ctx context.Context, batch []*pendingResponse) ([]error, error) {
	results := make([]error, len(batch))
	tx, err := in.sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()

	// The window again, inside the transaction: a wave closed after
	// validation takes nothing more.
	now := in.clock.Now()
	windows := map[string]error{}
	for i, p := range batch {
		werr, seen := windows[p.waveID]
		if !seen {
			werr, err = in.refusal(ctx, tx, p.waveID, now)
			if err != nil {
				return nil, err
			}
			windows[p.waveID] = werr
		}
		results[i] = werr
	}

	// Each invitation and each ballot is used once: the first submission
	// that claims it wins, the others in the batch (or later) are refused.
	err = claimOnce(ctx, tx, batch, results, in.rebind("UPDATE invites SET used = TRUE WHERE code_hash = ? AND used = FALSE"),
		func(p *pendingResponse) []any {
			if p.codeHash == "" {
				return nil
			}
			return []any{p.codeHash}
		}, "this invitation has already been used")
	if err != nil {
		return nil, err
	}
	err = claimOnce(ctx, tx, batch, results, in.rebind("INSERT INTO spent_ballots (token_hash, wave_id) VALUES (?, ?) ON CONFLICT DO NOTHING"),
		func(p *pendingResponse) []any {
			if p.tokenHash == "" {
				return nil
			}
			return []any{p.tokenHash, p.waveID}
		}, "this ballot has already been used")
	if err != nil {
		return nil, err
	}

	var responses, comments []any
	var nResponses, nComments int
	for i, p := range batch {
		if results[i] != nil {
			continue
		}
		responses = append(responses, p.waveID, kernel.NewID(), p.enc.demo, p.enc.answers)
		nResponses++
		for _, c := range p.enc.comments {
			comments = append(comments, p.waveID, kernel.NewID(), c.prompt, c.body, c.segment)
			nComments++
		}
	}
	// Comments get their own shuffle, so their order does not follow the
	// responses' order either.
	shuffleRows(comments, 5)
	if err := in.insertRows(ctx, tx, "responses (wave_id, id, demo, answers)", 4, responses); err != nil {
		return nil, err
	}
	if err := in.insertRows(ctx, tx, "comments (wave_id, id, prompt, body, segment)", 5, comments); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return results, nil
}

// claimOnce runs query, prepared once, for every submission of batch still
// in the running whose args are not nil, and refuses with used (a
// conflict) those whose statement changed no row: the invitation or ballot
// was claimed already.
func claimOnce(ctx context.Context, tx *sql.Tx, batch []*pendingResponse, results []error, query string, args func(*pendingResponse) []any, used string) error {
	var stmt *sql.Stmt
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	for i, p := range batch {
		a := args(p)
		if results[i] != nil || a == nil {
			continue
		}
		if stmt == nil {
			var err error
			if stmt, err = tx.PrepareContext(ctx, query); err != nil {
				return err
			}
		}
		res, err := stmt.ExecContext(ctx, a...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n != 1 {
			results[i] = fmt.Errorf("%s: %w", used, kernel.ErrConflict)
		}
	}
	return nil
}

// refusal returns why a wave refuses responses at now (nil when it takes
// them); err is a failure to read it.
func (in *Intake) refusal(ctx context.Context, tx *sql.Tx, waveID string, now time.Time) (refused, err error) {
	var opens, closes time.Time
	var status string
	q := in.rebind("SELECT w.opens_at, w.closes_at, s.status FROM waves w JOIN surveys s ON s.id = w.survey_id WHERE w.id = ?")
	err = tx.QueryRowContext(ctx, q, waveID).Scan(&opens, &closes, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return kernel.ErrNotFound, nil
	}
	if err != nil {
		return nil, err
	}
	return windowError(Wave{OpensAt: opens, ClosesAt: closes}.Status(now), status), nil
}

// insertRows inserts rows of width values each with multi-row INSERTs.
func (in *Intake) insertRows(ctx context.Context, tx *sql.Tx, table string, width int, values []any) error {
	for len(values) > 0 {
		n := min(len(values)/width, insertChunk)
		var b strings.Builder
		b.WriteString("INSERT INTO ")
		b.WriteString(table)
		b.WriteString(" VALUES ")
		for r := 0; r < n; r++ {
			if r > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			for c := 0; c < width; c++ {
				if c > 0 {
					b.WriteByte(',')
				}
				b.WriteByte('?')
			}
			b.WriteByte(')')
		}
		if _, err := tx.ExecContext(ctx, in.rebind(b.String()), values[:n*width]...); err != nil {
			return err
		}
		values = values[n*width:]
	}
	return nil
}

// shuffleRows shuffles rows of width values in place.
func shuffleRows(values []any, width int) {
	n := len(values) / width
	rand.Shuffle(n, func(i, j int) {
		for c := 0; c < width; c++ {
			values[i*width+c], values[j*width+c] = values[j*width+c], values[i*width+c]
		}
	})
}

// rebind writes q's placeholders for the intake's database (db.Rebind).
func (in *Intake) rebind(q string) string { return db.Rebind(in.postgre, q) }
