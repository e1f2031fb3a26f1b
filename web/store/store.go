package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// millis is the stored form of a time.
func millis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis reads a stored time back, in UTC.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// prepareInsert prepares in tx the statement insertTurn runs.
func prepareInsert(ctx context.Context, tx *Tx) (*sql.Stmt, error) {
	st, err := tx.PrepareContext(ctx,
		`INSERT INTO turns (at, question, kind, confidence, passage, latency_us, feedback, answer, previous, turn_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("prepare insert: %w", err)
	}
	return st, nil
}

// insertTurn writes one turn with the statement of prepareInsert.
func insertTurn(ctx context.Context, insert *sql.Stmt, t Turn) error {
	_, err := insert.ExecContext(ctx,
		millis(t.Time), t.Question, t.Kind, t.Confidence, t.Passage, t.Latency.Microseconds(), t.Feedback, t.Answer, t.Previous, t.Key)
	if err != nil {
		return fmt.Errorf("insert turn: %w", err)
	}
	return nil
}

// setFeedback records a visitor's thumbs up or down on the turn recorded
// with key, by whichever replica, and reports whether that turn is there.
func setFeedback(ctx context.Context, tx *Tx, key, value string) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE turns SET feedback = ? WHERE turn_key = ? AND turn_key <> ''`, value, key)
	if err != nil {
		return false, fmt.Errorf("feedback on turn %q: %w", key, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// purge deletes the turns older than before, and the visitors' requests
// (requests.go), and reports how many rows went.
func purge(ctx context.Context, db *DB, before time.Time) (int64, error) {
	res, err := db.ExecContext(ctx, `DELETE FROM turns WHERE at < ?`, millis(before))
	if err != nil {
		return 0, fmt.Errorf("purge turns before %s: %w", before.Format(time.RFC3339), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	r, err := purgeRequests(ctx, db, before)
	return n + r, err
}
