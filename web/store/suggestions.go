package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Suggestions, as active learning does: wordings of questions answered with
// little confidence, or rated down, that gather around one cited passage
// are proposed to staff as phrasings of that passage. Staff accept (an
// attachment) or reject each; a rejection is kept, so that the wording is
// never proposed for that passage again.

// Uncertain groups the questions answered with a confidence under below, or
// rated down, since the given time, most asked first: the wordings the
// corpus answers, but not surely.
func (l *Log) Uncertain(ctx context.Context, since time.Time, below float64) ([]Group, error) {
	db, err := l.reader()
	if err != nil {
		return nil, err
	}
	where := "kind = 'answer' AND (confidence < " + strconv.FormatFloat(below, 'f', -1, 64) + " OR feedback = 'down')"
	return groups(ctx, db, &l.keys, where, since, 0)
}

// RejectedKey names a wording for a passage: the passage's fingerprint and
// the wording's GroupKey. Rejected suggestions are keyed by it, and a
// wording attached twice to one passage is kept once by it.
func RejectedKey(fingerprint, phrasing string) string {
	return wordingKey(fingerprint, GroupKey(phrasing))
}

// wordingKey joins a fingerprint and a GroupKey into a RejectedKey.
func wordingKey(fingerprint, groupKey string) string { return fingerprint + "\x00" + groupKey }

// Reject keeps the phrasings as rejected for the passage of fingerprint;
// by names who rejected them. A phrasing rejected already stays as it was.
func (l *Log) Reject(ctx context.Context, fingerprint string, phrasings []string, by string) error {
	if fingerprint == "" {
		return &InvalidAttachment{"Le passage manque."}
	}
	if len(phrasings) == 0 || len(phrasings) > maxAttachOnce {
		return &InvalidAttachment{fmt.Sprintf("De 1 à %d formulations à la fois.", maxAttachOnce)}
	}
	db, err := l.database()
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("reject suggestion: %w", err)
	}
	defer tx.Rollback()
	now := millis(l.now())
	for _, p := range phrasings {
		if p = strings.TrimSpace(p); p == "" || len([]rune(p)) > maxPhrasingRunes {
			return &InvalidAttachment{"Une formulation est vide ou trop longue."}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rejected_suggestions (fingerprint, key, phrasing, at, "by")
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, fingerprint, GroupKey(p), p, now, by); err != nil {
			return fmt.Errorf("reject suggestion: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("reject suggestion: %w", err)
	}
	return nil
}

// Rejected returns the rejected suggestions, by RejectedKey.
func (l *Log) Rejected(ctx context.Context) (map[string]bool, error) {
	db, err := l.database()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT fingerprint, key FROM rejected_suggestions`)
	if err != nil {
		return nil, fmt.Errorf("rejected suggestions: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var fp, key string
		if err := rows.Scan(&fp, &key); err != nil {
			return nil, fmt.Errorf("rejected suggestions: %w", err)
		}
		out[wordingKey(fp, key)] = true
	}
	return out, rows.Err()
}
