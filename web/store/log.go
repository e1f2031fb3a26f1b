package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

const (
	// maxUnwritten bounds what a crash (kill -9, the OOM killer, a power
	// cut) can lose: the turns accepted but not yet committed always arrived
	// within this span, for once the oldest of them waits this long, Record
	// drops (and counts) the next ones instead of queueing them. A commit
	// takes a few milliseconds (one fsync); this leaves room for a slow one.
	maxUnwritten = 200 * time.Millisecond
	// queueSize is how many turns can wait for the writer: more than
	// maxUnwritten of the fastest traffic the chat can answer (a few
	// thousand turns a second), so that the age limit, not the size, bounds
	// the queue.
	queueSize = 4096
	// maxBatch is the most operations written in one transaction: one fsync
	// for many turns when they come fast, a short transaction all the same
	// (a few milliseconds of inserts).
	maxBatch = 256
	// purgeEvery is how often rows past the retention are deleted; retention
	// is counted in days, so hourly is precise enough.
	purgeEvery = time.Hour
	// reopenEvery is how often a database that could not be opened (missing
	// or read-only directory) is tried again, so that fixing the disk fixes
	// the log without a restart.
	reopenEvery = 30 * time.Second
	// openTimeout bounds one attempt to open and migrate the database, so
	// that a server that does not answer (a PostgreSQL host gone) does not
	// hold the writer.
	openTimeout = 10 * time.Second
	// writeTimeout bounds one batch's transaction, so that a database
	// server that stops answering without closing the connection (a
	// network partition) fails the batch instead of holding the writer
	// for the system's TCP timeout; a commit takes milliseconds.
	writeTimeout = 10 * time.Second
	// errorLogEvery limits the log lines about failed writes: one line then
	// a summary at most this often, not one per turn.
	errorLogEvery = time.Minute
	// feedbackWait bounds how long Feedback looks for its turn in the
	// store: a turn answered by another replica, or by this one, may still
	// wait in that replica's queue (maxUnwritten, plus a slow commit).
	feedbackWait = 2 * time.Second
	// feedbackPoll is how long Feedback waits before it looks again,
	// doubled after each look up to feedbackPollMax: a turn late by a
	// commit is found at once, and a forged id costs about eight queries,
	// not forty.
	feedbackPoll    = 50 * time.Millisecond
	feedbackPollMax = 400 * time.Millisecond
	// feedbackWaiters bounds the feedbacks looking for their turn at once;
	// past it, a feedback looks once: forged ids sent on many sockets
	// cannot hold the database's connections.
	feedbackWaiters = 32
	// integrityLines is how many of the integrity check's findings the
	// health keeps: enough to say what is damaged, short enough to read.
	integrityLines = 5
	// maxQuestionRunes bounds a stored question (the chat refuses longer).
	maxQuestionRunes = 2000
	// maxAnswerRunes bounds the answer kept with a turn: what staff need to
	// see what was answered, not a copy of the corpus.
	maxAnswerRunes = 600
	// DefaultDays is the retention when Options.Days is 0.
	DefaultDays = 30
)

// Turn is one visitor turn as logged.
type Turn struct {
	// ID is the row id (set when read back).
	ID int64 `json:"id"`
	// Time is when the question was asked (now when zero).
	Time time.Time `json:"time"`
	// Question is the visitor's text.
	Question string `json:"question"`
	// Kind is answer, no_answer or smalltalk.
	Kind string `json:"kind"`
	// Confidence is the answer's confidence, 0..1.
	Confidence float64 `json:"confidence"`
	// Passage is the id of the first citation ("" when none).
	Passage string `json:"passage"`
	// Latency is the time taken to answer.
	Latency time.Duration `json:"latency_ns"`
	// Feedback is "", "up" or "down".
	Feedback string `json:"feedback"`
	// Answer is the answer given, cut to maxAnswerRunes ("" for a turn
	// logged before it was kept).
	Answer string `json:"answer"`
	// Previous is, for a follow-up, the question asked before it in the
	// conversation.
	Previous string `json:"previous"`
	// Key lets Feedback and TurnsByKey find this turn later, from any
	// replica: a value unique among turns, chosen by the caller (random),
	// stored with the turn and never shown.
	Key string `json:"-"`
}

// Options configure a Log.
type Options struct {
	// Days is the retention: older turns are purged (DefaultDays when 0).
	Days int
	// Logger receives failures (slog.Default when nil).
	Logger *slog.Logger
	// Now is the clock (time.Now when nil); tests set it.
	Now func() time.Time
	// NoPurge keeps every turn: for the commands that open the server's
	// database for the team's answers only, whose retention is the
	// server's to apply (--log-days).
	NoPurge bool
}

// ErrUnavailable is returned by the views while the database is not open.
var ErrUnavailable = errors.New("question log unavailable")

// ErrUnknownTurn is returned by Feedback for a key no turn in the store was
// recorded with, within feedbackWait (a forged or mistyped id, or a turn
// purged).
var ErrUnknownTurn = errors.New("question log: unknown turn")

// ErrDropped is returned by Feedback when it could not be queued: the writer
// is behind (see maxUnwritten) or the log is closed. It is counted in
// Health.Dropped.
var ErrDropped = errors.New("question log: feedback dropped")

// op is one piece of work for the writer: a turn, a feedback, or a flush
// barrier.
type op struct {
	turn     *Turn
	key      string // feedback: the turn's key
	feedback string // feedback: up or down
	flushed  chan struct{}
	at       int64 // when it was queued, by the Log's stamp
}

// Log records turns through one writer goroutine and answers the views.
type Log struct {
	source  Database
	days    int
	noPurge bool
	now     func() time.Time
	log     *slog.Logger

	waiters chan struct{} // feedbacks looking for their turn (feedbackWaiters)

	mu     sync.RWMutex // guards closed against Record racing Close
	closed bool
	queue  chan op
	done   chan struct{}

	db       atomic.Pointer[DB] // nil while the database cannot be opened
	keys     keyCache           // grouping keys of the wordings seen
	queued   queuedKeys         // keys of the turns queued here, not yet written
	checks   sync.WaitGroup     // integrity checks running beside the writer
	checking atomic.Bool        // one of them is running

	// elapsed is the monotonic time since Open (tests set it); pending is
	// the stamp of the oldest operation queued or being written, 0 when
	// there is none.
	elapsed func() time.Duration
	pending atomic.Int64

	written, dropped, failed, purgeFailed atomic.Int64

	errMu     sync.Mutex // guards the four below
	lastErr   string     // last write failure, "" after a success
	purgeErr  string     // last purge failure, "" after a success
	lastPurge time.Time  // last successful purge, by the Log's clock
	integrity string     // what quick_check found wrong, "" when sound
}

// Open starts a log written to db (web/store/sqlite, web/store/postgres).
// It never fails: when the database cannot be opened (a missing or
// read-only directory, a full disk, a server down), the log counts its
// failed writes, reports them in Health and the log, and tries again every
// little while; the chat answers all the same. Start opens it and fails
// instead.
func Open(db Database, o Options) *Log {
	start := time.Now()
	l := &Log{
		source:  db,
		days:    o.Days,
		noPurge: o.NoPurge,
		now:     o.Now,
		log:     o.Logger,
		queue:   make(chan op, queueSize),
		waiters: make(chan struct{}, feedbackWaiters),
		done:    make(chan struct{}),
		elapsed: func() time.Duration { return time.Since(start) },
	}
	if l.days <= 0 {
		l.days = DefaultDays
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	w := &writer{Log: l}
	w.open()
	go w.run()
	return l
}

// Path names the database: its file, or its URL without the password.
func (l *Log) Path() string { return l.source.Name() }

// Days is the retention in days.
func (l *Log) Days() int { return l.days }

// Record queues a turn for writing and returns at once. It reports false when
// the turn was dropped: the writer is behind (the oldest turn not yet
// committed has waited maxUnwritten: a stalled or slow disk), the queue is
// full, or the log is closed.
func (l *Log) Record(t Turn) bool {
	if t.Time.IsZero() {
		t.Time = l.now()
	}
	if utf8.RuneCountInString(t.Question) > maxQuestionRunes {
		t.Question = string([]rune(t.Question)[:maxQuestionRunes])
	}
	if utf8.RuneCountInString(t.Previous) > maxQuestionRunes {
		t.Previous = string([]rune(t.Previous)[:maxQuestionRunes])
	}
	if utf8.RuneCountInString(t.Answer) > maxAnswerRunes {
		t.Answer = string([]rune(t.Answer)[:maxAnswerRunes]) + "…"
	}
	if t.Key == "" {
		return l.enqueue(op{turn: &t})
	}
	l.queued.add(t.Key)
	if !l.enqueue(op{turn: &t}) {
		l.queued.remove([]string{t.Key})
		return false
	}
	return true
}

// Feedback queues a visitor's "up" or "down" on the turn recorded with key,
// by any replica sharing the store. It returns ErrUnknownTurn when no turn
// was recorded with key (looked for in the store for up to feedbackWait: the
// turn may still be queued, here or on another replica), ErrDropped when
// the feedback could not be queued, and an error for a value other than up
// or down. While the database is unavailable, the feedback is queued (and
// counted failed with the turns).
func (l *Log) Feedback(key, value string) error {
	if value != "up" && value != "down" {
		return fmt.Errorf("question log: feedback %q: want up or down", value)
	}
	if key == "" {
		return ErrUnknownTurn
	}
	// A turn this Log queued precedes its feedback in the queue; any other
	// is looked for in the store.
	if !l.queued.has(key) {
		if err := l.awaitTurn(key); err != nil {
			return err
		}
	}
	if !l.enqueue(op{key: key, feedback: value}) {
		return ErrDropped
	}
	return nil
}

// stamp is the time an operation is queued, for the age limit: monotonic,
// never 0 (0 stands for no operation pending).
func (l *Log) stamp() int64 { return int64(l.elapsed()) + 1 }

// enqueue hands o to the writer unless the writer is behind by maxUnwritten
// (see Log.pending), the queue is full or the log closed; it never waits.
func (l *Log) enqueue(o op) bool {
	o.at = l.stamp()
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		l.dropped.Add(1)
		return false
	}
	if p := l.pending.Load(); p != 0 && o.at-p > int64(maxUnwritten) {
		l.dropped.Add(1)
		return false
	}
	// Before the send: were the writer to take o and commit it first, a
	// stamp set after would stay with nothing pending.
	l.pending.CompareAndSwap(0, o.at)
	select {
	case l.queue <- o:
		return true
	default:
		l.dropped.Add(1) // full: pending is set, by what fills the queue
		return false
	}
}

// Flush waits until everything queued before it has been written (or has
// failed), or ctx ends. Staff views and tests use it; the answer path never
// does.
func (l *Log) Flush(ctx context.Context) error {
	ch := make(chan struct{})
	l.mu.RLock()
	if l.closed {
		l.mu.RUnlock()
		return errors.New("question log closed")
	}
	select {
	case l.queue <- op{flushed: ch, at: l.stamp()}:
	case <-ctx.Done():
		l.mu.RUnlock()
		return ctx.Err()
	}
	l.mu.RUnlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close writes what is queued and closes the database.
func (l *Log) Close() error {
	l.mu.Lock()
	if !l.closed {
		l.closed = true
		close(l.queue)
	}
	l.mu.Unlock()
	<-l.done
	l.checks.Wait()
	if db := l.db.Swap(nil); db != nil {
		return db.Close()
	}
	return nil
}

// awaitTurn waits until the turn recorded with key is in the store, for at
// most feedbackWait; it returns ErrUnknownTurn when it is not there by then.
// An unavailable database lets the feedback through, to be counted with
// the writes that fail.
func (l *Log) awaitTurn(key string) error {
	ctx, cancel := context.WithTimeout(context.Background(), feedbackWait)
	defer cancel()
	patient := true
	select {
	case l.waiters <- struct{}{}:
		defer func() { <-l.waiters }()
	default:
		patient = false // too many waiting already: one look
	}
	for wait := feedbackPoll; ; wait = min(2*wait, feedbackPollMax) {
		db, err := l.reader()
		if err != nil {
			return nil
		}
		var found int
		err = db.QueryRowContext(ctx, `SELECT count(*) FROM turns WHERE turn_key = ? AND turn_key <> ''`, key).Scan(&found)
		if err == nil && found > 0 {
			return nil
		}
		if err != nil && ctx.Err() == nil {
			return nil // the database failing: the writer counts it
		}
		if !patient {
			return ErrUnknownTurn
		}
		select {
		case <-ctx.Done():
			return ErrUnknownTurn
		case <-time.After(wait):
		}
	}
}

// reader returns the database for the views.
func (l *Log) reader() (*DB, error) {
	db := l.db.Load()
	if db == nil {
		return nil, ErrUnavailable
	}
	return db, nil
}

// OpenReadOnly opens an existing log for its views only, as the command line
// does while a server may be writing it. Record and Feedback drop. A
// database of an earlier version is an error: read-only, it cannot
// migrate, and waits for the server to bring it up to date.
func OpenReadOnly(ctx context.Context, source Database) (*Log, error) {
	sdb, err := source.Connect(ctx)
	if err != nil {
		return nil, err
	}
	db := &DB{DB: sdb, numbered: source.Numbered()}
	v, err := readVersion(ctx, db, source)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("read %s: %w", source.Name(), err)
	}
	if v < Versions {
		db.Close()
		return nil, fmt.Errorf("%s : base en version %d, cette version de Causette lit la %d : lancez « causette serve » une fois pour la mettre à jour", source.Name(), v, Versions)
	}
	l := &Log{source: source, days: DefaultDays, now: time.Now, log: slog.Default(), closed: true, done: make(chan struct{}),
		elapsed: func() time.Duration { return 0 }}
	close(l.done)
	l.db.Store(db)
	return l, nil
}

// readVersion reads the schema's version of db, which must hold the log's
// table.
func readVersion(ctx context.Context, db *DB, source Database) (int, error) {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM turns`).Scan(&n); err != nil {
		return 0, err
	}
	tx, err := db.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	return source.Version(ctx, tx)
}

// Start opens a log on db as Open does, but fails when the database cannot
// be opened and migrated now: for the server's start, where an unreachable
// store is an error to fix, not a state to serve in.
func Start(ctx context.Context, db Database, o Options) (*Log, error) {
	sdb, err := connect(ctx, db)
	if err != nil {
		return nil, err
	}
	sdb.Close()
	return Open(db, o), nil
}

// connect opens and migrates db.
func connect(ctx context.Context, source Database) (*DB, error) {
	sdb, err := source.Connect(ctx)
	if err != nil {
		return nil, err
	}
	db := &DB{DB: sdb, numbered: source.Numbered()}
	if err := Migrate(ctx, db, source); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", source.Name(), err)
	}
	return db, nil
}
