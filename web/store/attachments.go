package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Phrasings attached to corpus passages: wordings of visitors' questions
// that staff tied to the passage that answers them, so that the index finds
// the passage for them. A passage is named by its text's fingerprint (its
// id moves when a paragraph is added above it); the id, the document and an
// excerpt of the text at attach time say what it was once the passage is
// edited or gone.

// Limits of an attachment, checked before anything is written.
const (
	// maxPhrasingRunes is a visitor's question's own limit, and more.
	maxPhrasingRunes = 500
	// maxExcerptRunes keeps of the passage what identifies it on screen.
	maxExcerptRunes = 300
	// maxAttachOnce bounds the phrasings attached at once: a group of the
	// unanswered view holds a few wordings, not hundreds.
	maxAttachOnce = 50
)

// Attachment is one phrasing attached to a passage.
type Attachment struct {
	ID          int64     `json:"id"`
	Phrasing    string    `json:"phrasing"`
	Passage     string    `json:"passage"`
	Doc         string    `json:"doc"`
	Fingerprint string    `json:"fingerprint"`
	Excerpt     string    `json:"excerpt"`
	Created     time.Time `json:"created"`
	CreatedBy   string    `json:"created_by"`
}

// ErrNoAttachment is returned for an attachment id that does not exist.
var ErrNoAttachment = errors.New("rattachement inconnu")

// InvalidAttachment is an attachment refused before anything is written;
// its text says why, in French.
type InvalidAttachment struct{ Reason string }

func (e *InvalidAttachment) Error() string { return e.Reason }

// checkAttachments refuses phrasings without text or passage, or past the
// limits.
func checkAttachments(as []Attachment) error {
	if len(as) == 0 {
		return &InvalidAttachment{"Aucune formulation à rattacher."}
	}
	if len(as) > maxAttachOnce {
		return &InvalidAttachment{fmt.Sprintf("Plus de %d formulations à la fois.", maxAttachOnce)}
	}
	for _, a := range as {
		switch {
		case strings.TrimSpace(a.Phrasing) == "":
			return &InvalidAttachment{"Une formulation est vide."}
		case utf8.RuneCountInString(a.Phrasing) > maxPhrasingRunes:
			return &InvalidAttachment{fmt.Sprintf("Une formulation dépasse %d caractères.", maxPhrasingRunes)}
		case a.Passage == "" || a.Fingerprint == "":
			return &InvalidAttachment{"Le passage manque."}
		}
	}
	return nil
}

// Attachments lists the attached phrasings, oldest first.
func (l *Log) Attachments(ctx context.Context) ([]Attachment, error) {
	db, err := l.database()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT id, phrasing, passage, doc, fingerprint, excerpt, created_at, created_by
		FROM attachments ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("attachments: %w", err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		var created int64
		if err := rows.Scan(&a.ID, &a.Phrasing, &a.Passage, &a.Doc, &a.Fingerprint, &a.Excerpt, &created, &a.CreatedBy); err != nil {
			return nil, fmt.Errorf("attachments: %w", err)
		}
		a.Created = fromMillis(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Attach stores the phrasings as, in one transaction; by names who attached
// them. A phrasing already attached to the same passage (same fingerprint,
// same words as GroupKey reads them) is not stored twice. It returns the
// attachments stored.
func (l *Log) Attach(ctx context.Context, as []Attachment, by string) ([]Attachment, error) {
	if err := checkAttachments(as); err != nil {
		return nil, err
	}
	existing, err := l.Attachments(ctx)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, a := range existing {
		have[RejectedKey(a.Fingerprint, a.Phrasing)] = true
	}
	db, err := l.database()
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("attach: %w", err)
	}
	defer tx.Rollback()
	now := l.now()
	var out []Attachment
	for _, a := range as {
		a.Phrasing = strings.TrimSpace(a.Phrasing)
		k := RejectedKey(a.Fingerprint, a.Phrasing)
		if have[k] {
			continue
		}
		have[k] = true
		a.Excerpt = excerpt(a.Excerpt)
		err := tx.QueryRowContext(ctx, `INSERT INTO attachments (phrasing, passage, doc, fingerprint, excerpt,
			created_at, created_by, wording_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
			a.Phrasing, a.Passage, a.Doc, a.Fingerprint, a.Excerpt, millis(now), by, GroupKey(a.Phrasing)).Scan(&a.ID)
		if errors.Is(err, sql.ErrNoRows) {
			continue // attached meanwhile, by another replica
		}
		if err != nil {
			return nil, fmt.Errorf("attach: %w", err)
		}
		a.Created, a.CreatedBy = now, by
		out = append(out, a)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("attach: %w", err)
	}
	return out, nil
}

// DeleteAttachment removes attachment id.
func (l *Log) DeleteAttachment(ctx context.Context, id int64) error {
	db, err := l.database()
	if err != nil {
		return err
	}
	res, err := db.ExecContext(ctx, `DELETE FROM attachments WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete attachment %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoAttachment
	}
	return nil
}

// AttachmentsStamp changes whenever a phrasing is attached or deleted (ids
// are never reused, rows never changed): a server polls it to apply them at
// once, whichever process wrote them.
func (l *Log) AttachmentsStamp(ctx context.Context) (string, error) {
	db, err := l.database()
	if err != nil {
		return "", err
	}
	var n, last int64
	if err := db.QueryRowContext(ctx, `SELECT count(*), coalesce(max(id), 0) FROM attachments`).Scan(&n, &last); err != nil {
		return "", fmt.Errorf("attachments stamp: %w", err)
	}
	return fmt.Sprintf("%d.%d", n, last), nil
}

// excerpt keeps the start of a passage's text, cut at a word.
func excerpt(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= maxExcerptRunes {
		return text
	}
	cut := string([]rune(text)[:maxExcerptRunes])
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return cut + " …"
}
