package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Visitors' requests: the messages sent with the chat's built-in contact
// form (« Contacter l’équipe »), with the turns of their conversation
// copied from the log, a status staff move along, and the delivery state
// of the webhook that hands them to a ticketing tool (an outbox: delivery
// resumes after a restart). The retention of the log applies to them too.

// Statuses of a request, as staff move it along.
const (
	StatusNew        = "new"
	StatusInProgress = "in_progress"
	StatusDone       = "done"
)

// Delivery states of a request's webhook.
const (
	// DeliveryNone: no webhook was configured when the request came.
	DeliveryNone      = ""
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// maxListedRequests bounds the inbox a view reads: weeks of a busy site's
// requests; older ones stay until the retention takes them.
const maxListedRequests = 500

// Request is one message a visitor sent the team.
type Request struct {
	ID      int64         `json:"id"`
	Time    time.Time     `json:"time"`
	Message string        `json:"message"`
	Email   string        `json:"email"`
	Turns   []RequestTurn `json:"turns"`
	Status  string        `json:"status"`
	// Updated and UpdatedBy say when and by whom the status last changed
	// (the request's time and "" until then).
	Updated   time.Time `json:"updated"`
	UpdatedBy string    `json:"updated_by"`
	Webhook   Delivery  `json:"webhook"`
}

// RequestTurn is one turn of the visitor's conversation, as the log holds
// it: never the visitor's own copy.
type RequestTurn struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
	// Passage is the id of the answer's first citation ("" when none).
	Passage string `json:"passage"`
}

// Delivery is where the webhook's delivery of a request stands.
type Delivery struct {
	State    string    `json:"state"`
	Attempts int       `json:"attempts"`
	Next     time.Time `json:"next,omitzero"`
	Error    string    `json:"error,omitempty"`
}

// ErrNoRequest is returned for a request id that does not exist.
var ErrNoRequest = errors.New("demande inconnue")

// validStatus reports whether s is one of the statuses.
func validStatus(s string) bool {
	return s == StatusNew || s == StatusInProgress || s == StatusDone
}

// AddRequest stores a visitor's request, status new; with webhook, its
// delivery is pending, due at once. It returns the request as stored.
func (l *Log) AddRequest(ctx context.Context, r Request, webhook bool) (Request, error) {
	db, err := l.database()
	if err != nil {
		return Request{}, err
	}
	if r.Time.IsZero() {
		r.Time = l.now()
	}
	if r.Turns == nil {
		r.Turns = []RequestTurn{}
	}
	turns, err := json.Marshal(r.Turns)
	if err != nil {
		return Request{}, fmt.Errorf("add request: %w", err)
	}
	r.Status, r.Updated, r.UpdatedBy = StatusNew, r.Time, ""
	r.Webhook = Delivery{}
	if webhook {
		r.Webhook = Delivery{State: DeliveryPending, Next: r.Time}
	}
	err = db.QueryRowContext(ctx, `INSERT INTO requests (at, message, email, turns, status, updated_at, hook_state, hook_next)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, millis(r.Time), r.Message, r.Email, string(turns), r.Status, millis(r.Time),
		r.Webhook.State, millis(r.Time)).Scan(&r.ID)
	if err != nil {
		return Request{}, fmt.Errorf("add request: %w", err)
	}
	return r, nil
}

// requestColumns are the columns scanRequest reads, in its order.
const requestColumns = `id, at, message, email, turns, status, updated_at, updated_by,
	hook_state, hook_attempts, hook_next, hook_error`

// scanRequest reads one row of requestColumns.
func scanRequest(row interface{ Scan(...any) error }) (Request, error) {
	var r Request
	var at, updated, next int64
	var turns string
	if err := row.Scan(&r.ID, &at, &r.Message, &r.Email, &turns, &r.Status, &updated, &r.UpdatedBy,
		&r.Webhook.State, &r.Webhook.Attempts, &next, &r.Webhook.Error); err != nil {
		return Request{}, err
	}
	r.Time, r.Updated = fromMillis(at), fromMillis(updated)
	if r.Webhook.State == DeliveryPending {
		r.Webhook.Next = fromMillis(next)
	}
	if err := json.Unmarshal([]byte(turns), &r.Turns); err != nil || r.Turns == nil {
		r.Turns = []RequestTurn{}
	}
	return r, nil
}

// queryRequests runs a query of requestColumns.
func (l *Log) queryRequests(ctx context.Context, what, query string, args ...any) ([]Request, error) {
	db, err := l.database()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []Request
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Requests lists the requests, newest first (maxListedRequests at most).
func (l *Log) Requests(ctx context.Context) ([]Request, error) {
	return l.queryRequests(ctx, "requests", `SELECT `+requestColumns+` FROM requests ORDER BY id DESC LIMIT ?`, maxListedRequests)
}

// SetRequestStatus moves request id to status; by names who did.
func (l *Log) SetRequestStatus(ctx context.Context, id int64, status, by string) (Request, error) {
	if !validStatus(status) {
		return Request{}, fmt.Errorf("request %d: status %q: want new, in_progress or done", id, status)
	}
	db, err := l.database()
	if err != nil {
		return Request{}, err
	}
	res, err := db.ExecContext(ctx, `UPDATE requests SET status = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
		status, millis(l.now()), by, id)
	if err != nil {
		return Request{}, fmt.Errorf("request %d status: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Request{}, ErrNoRequest
	}
	found, err := l.queryRequests(ctx, "request", `SELECT `+requestColumns+` FROM requests WHERE id = ?`, id)
	if err != nil {
		return Request{}, err
	}
	if len(found) == 0 {
		return Request{}, ErrNoRequest // deleted meanwhile
	}
	return found[0], nil
}

// DeleteRequest removes request id, its message, address and turns with it:
// nothing of it is kept (the visitor's right to erasure), and a delivery
// still pending is not made.
func (l *Log) DeleteRequest(ctx context.Context, id int64) error {
	db, err := l.database()
	if err != nil {
		return err
	}
	res, err := db.ExecContext(ctx, `DELETE FROM requests WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete request %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoRequest
	}
	return nil
}

// DueDeliveries returns at most max requests whose webhook delivery is
// pending and due at now, the oldest first.
func (l *Log) DueDeliveries(ctx context.Context, now time.Time, max int) ([]Request, error) {
	return l.queryRequests(ctx, "due deliveries", `SELECT `+requestColumns+` FROM requests
		WHERE hook_state = ? AND hook_next <= ? ORDER BY hook_next, id LIMIT ?`, DeliveryPending, millis(now), max)
}

// NextDelivery is when the next pending delivery is due; false when none
// is pending.
func (l *Log) NextDelivery(ctx context.Context) (time.Time, bool, error) {
	db, err := l.database()
	if err != nil {
		return time.Time{}, false, err
	}
	var next sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT min(hook_next) FROM requests WHERE hook_state = ?`, DeliveryPending).Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("next delivery: %w", err)
	}
	if !next.Valid {
		return time.Time{}, false, nil
	}
	return fromMillis(next.Int64), true, nil
}

// ClaimDelivery takes request id's due delivery for this replica until
// now+lease, atomically: of replicas sharing the store that found it due,
// one alone gets true and sends it. Until the lease ends the delivery is
// not due for the others; should the claimer die before recording the
// outcome (SetDelivery), it is due again then. attempts is the count the
// caller read with the delivery: if another replica has tried it since
// (and rescheduled it), the claim fails, so a stale count is never
// written back as attempts+1 (which would reset the back-off and the
// bound on tries).
func (l *Log) ClaimDelivery(ctx context.Context, id int64, attempts int, now time.Time, lease time.Duration) (bool, error) {
	db, err := l.database()
	if err != nil {
		return false, err
	}
	res, err := db.ExecContext(ctx, `UPDATE requests SET hook_next = ?
		WHERE id = ? AND hook_state = ? AND hook_next <= ? AND hook_attempts = ?`,
		millis(now.Add(lease)), id, DeliveryPending, millis(now), attempts)
	if err != nil {
		return false, fmt.Errorf("claim request %d delivery: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim request %d delivery: %w", id, err)
	}
	return n == 1, nil
}

// SetDelivery records where request id's delivery stands. A request
// deleted meanwhile stays deleted.
func (l *Log) SetDelivery(ctx context.Context, id int64, d Delivery) error {
	db, err := l.database()
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `UPDATE requests SET hook_state = ?, hook_attempts = ?, hook_next = ?, hook_error = ?
		WHERE id = ?`, d.State, d.Attempts, millis(d.Next), d.Error, id); err != nil {
		return fmt.Errorf("request %d delivery: %w", id, err)
	}
	return nil
}

// purgeRequests deletes the requests sent before before, as the turns of
// the same age go.
func purgeRequests(ctx context.Context, db *DB, before time.Time) (int64, error) {
	res, err := db.ExecContext(ctx, `DELETE FROM requests WHERE at < ?`, millis(before))
	if err != nil {
		return 0, fmt.Errorf("purge requests before %s: %w", before.Format(time.RFC3339), err)
	}
	return res.RowsAffected()
}

// lookupWait bounds the wait for turns just recorded before they are looked
// up: a commit takes milliseconds; a stalled disk must not hold a visitor.
const lookupWait = 2 * time.Second

// TurnsByKey returns the turns recorded with keys (those of Turn.Key), by
// any replica sharing the store, in keys' order; keys of no turn (forged,
// or purged since) are skipped. The turns this Log has queued are written
// first, waited for briefly.
func (l *Log) TurnsByKey(ctx context.Context, keys []string) ([]Turn, error) {
	db, err := l.database()
	if err != nil {
		return nil, err
	}
	fctx, cancel := context.WithTimeout(ctx, lookupWait)
	l.Flush(fctx) // a failure leaves its turns out, as unknown ones
	cancel()
	var out []Turn
	for _, k := range keys {
		if k == "" {
			continue
		}
		var t Turn
		var at int64
		err := db.QueryRowContext(ctx, `SELECT id, at, question, kind, passage, answer, previous FROM turns WHERE turn_key = ? ORDER BY id LIMIT 1`, k).
			Scan(&t.ID, &at, &t.Question, &t.Kind, &t.Passage, &t.Answer, &t.Previous)
		if errors.Is(err, sql.ErrNoRows) {
			continue // forged, or purged
		}
		if err != nil {
			return nil, fmt.Errorf("turn %q: %w", k, err)
		}
		t.Time = fromMillis(at)
		out = append(out, t)
	}
	return out, nil
}
