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

// The team's answers: questions the corpus does not answer well, written by
// the staff, with other phrasings, an optional link and the passages they
// rely on. They are kept in the same database as the question log, each
// change with who made it and when, and the previous version kept on every
// edit (entry_versions).

// Limits of an entry, checked before anything is written.
const (
	maxEntryQuestionRunes = 500
	maxEntryAnswerRunes   = 4000
	maxEntryAlternates    = 50
)

// Entry is one answer written by the team.
type Entry struct {
	ID         int64     `json:"id"`
	Question   string    `json:"question"`
	Alternates []string  `json:"alternates"`
	Answer     string    `json:"answer"`
	Link       string    `json:"link"`
	Passages   []string  `json:"passages"`
	Enabled    bool      `json:"enabled"`
	Version    int       `json:"version"`
	Created    time.Time `json:"created"`
	CreatedBy  string    `json:"created_by"`
	Updated    time.Time `json:"updated"`
	UpdatedBy  string    `json:"updated_by"`
}

// ErrNoEntry is returned for an entry id that does not exist.
var ErrNoEntry = errors.New("entrée inconnue")

// ErrEntryChanged is returned by SaveEntry when the entry is no longer at
// the version the change was made on: someone else saved it meanwhile.
var ErrEntryChanged = errors.New("entrée modifiée entre-temps")

// InvalidEntry is an entry refused before anything is written; its text
// says why, in French.
type InvalidEntry struct{ Reason string }

func (e *InvalidEntry) Error() string { return e.Reason }

// checkEntry refuses an entry without its question or answer, or past the
// limits.
func checkEntry(e Entry) error {
	switch {
	case strings.TrimSpace(e.Question) == "":
		return &InvalidEntry{"La question manque."}
	case strings.TrimSpace(e.Answer) == "":
		return &InvalidEntry{"La réponse manque."}
	case utf8.RuneCountInString(e.Question) > maxEntryQuestionRunes:
		return &InvalidEntry{fmt.Sprintf("La question dépasse %d caractères.", maxEntryQuestionRunes)}
	case utf8.RuneCountInString(e.Answer) > maxEntryAnswerRunes:
		return &InvalidEntry{fmt.Sprintf("La réponse dépasse %d caractères.", maxEntryAnswerRunes)}
	case len(e.Alternates) > maxEntryAlternates:
		return &InvalidEntry{fmt.Sprintf("Plus de %d formulations.", maxEntryAlternates)}
	}
	return nil
}

// database is the open database, ErrUnavailable while there is none.
func (l *Log) database() (*DB, error) {
	db := l.db.Load()
	if db == nil {
		return nil, ErrUnavailable
	}
	return db, nil
}

// Entries lists the team's answers, oldest first.
func (l *Log) Entries(ctx context.Context) ([]Entry, error) {
	db, err := l.database()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT id, question, alternates, answer, link, passages, enabled, version,
		created_at, created_by, updated_at, updated_by FROM entries ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("entries: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var alternates, passages string
		var created, updated int64
		if err := rows.Scan(&e.ID, &e.Question, &alternates, &e.Answer, &e.Link, &passages, &e.Enabled, &e.Version,
			&created, &e.CreatedBy, &updated, &e.UpdatedBy); err != nil {
			return nil, fmt.Errorf("entries: %w", err)
		}
		e.Alternates, e.Passages = lines(alternates), lines(passages)
		e.Created, e.Updated = fromMillis(created), fromMillis(updated)
		out = append(out, e)
	}
	return out, rows.Err()
}

// SaveEntry adds e (ID 0) or replaces entry e.ID, keeping the version it
// replaces; by names who made the change. With e.Version set, the entry
// must still be at that version (ErrEntryChanged otherwise): two staff
// editing one entry do not overwrite each other unawares. It returns the
// entry as stored.
func (l *Log) SaveEntry(ctx context.Context, e Entry, by string) (Entry, error) {
	if err := checkEntry(e); err != nil {
		return Entry{}, err
	}
	db, err := l.database()
	if err != nil {
		return Entry{}, err
	}
	now := l.now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return Entry{}, fmt.Errorf("save entry: %w", err)
	}
	defer tx.Rollback()
	alternates, passages := strings.Join(e.Alternates, "\n"), strings.Join(e.Passages, "\n")
	if e.ID == 0 {
		err := tx.QueryRowContext(ctx, `INSERT INTO entries (question, alternates, answer, link, passages, enabled,
			created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			e.Question, alternates, e.Answer, e.Link, passages, boolInt(e.Enabled), millis(now), by, millis(now), by).Scan(&e.ID)
		if err != nil {
			return Entry{}, fmt.Errorf("save entry: %w", err)
		}
		e.Version, e.Created, e.CreatedBy = 1, now, by
	} else {
		var current int
		switch err := tx.QueryRowContext(ctx, `SELECT version FROM entries WHERE id = ?`, e.ID).Scan(&current); {
		case errors.Is(err, sql.ErrNoRows):
			return Entry{}, ErrNoEntry
		case err != nil:
			return Entry{}, fmt.Errorf("save entry %d: %w", e.ID, err)
		case e.Version > 0 && e.Version != current:
			return Entry{}, ErrEntryChanged
		}
		// The version replaced is kept as it was.
		res, err := tx.ExecContext(ctx, `INSERT INTO entry_versions (entry, version, question, alternates, answer, link,
			passages, enabled, at, "by") SELECT id, version, question, alternates, answer, link, passages, enabled,
			updated_at, updated_by FROM entries WHERE id = ?`, e.ID)
		if err != nil {
			return Entry{}, fmt.Errorf("save entry %d: %w", e.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Entry{}, ErrNoEntry
		}
		if _, err := tx.ExecContext(ctx, `UPDATE entries SET question = ?, alternates = ?, answer = ?, link = ?,
			passages = ?, enabled = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`,
			e.Question, alternates, e.Answer, e.Link, passages, boolInt(e.Enabled), millis(now), by, e.ID); err != nil {
			return Entry{}, fmt.Errorf("save entry %d: %w", e.ID, err)
		}
		var created int64
		if err := tx.QueryRowContext(ctx, `SELECT version, created_at, created_by FROM entries WHERE id = ?`, e.ID).
			Scan(&e.Version, &created, &e.CreatedBy); err != nil {
			return Entry{}, fmt.Errorf("save entry %d: %w", e.ID, err)
		}
		e.Created = fromMillis(created)
	}
	if err := tx.Commit(); err != nil {
		return Entry{}, fmt.Errorf("save entry: %w", err)
	}
	e.Updated, e.UpdatedBy = now, by
	return e, nil
}

// DeleteEntry removes entry id; its versions stay, with a last one saying
// who deleted it and when.
func (l *Log) DeleteEntry(ctx context.Context, id int64, by string) error {
	db, err := l.database()
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete entry %d: %w", id, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO entry_versions (entry, version, question, alternates, answer, link,
		passages, enabled, at, "by") SELECT id, version, question, alternates, answer, link, passages, enabled,
		updated_at, updated_by FROM entries WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete entry %d: %w", id, err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM entries WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete entry %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoEntry
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO entry_versions (entry, version, question, alternates, answer, link,
		passages, enabled, at, "by") SELECT ?, coalesce(max(version), 0) + 1, '', '', '', '', '', 0, ?, ? FROM entry_versions
		WHERE entry = ?`, id, millis(l.now()), by, id); err != nil {
		return fmt.Errorf("delete entry %d: %w", id, err)
	}
	return tx.Commit()
}

// EntryVersions lists the versions an entry replaced, oldest first (a
// deletion's has an empty question).
func (l *Log) EntryVersions(ctx context.Context, id int64) ([]Entry, error) {
	db, err := l.database()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT version, question, alternates, answer, link, passages, enabled, at, "by"
		FROM entry_versions WHERE entry = ? ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("entry %d versions: %w", id, err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e := Entry{ID: id}
		var alternates, passages string
		var at int64
		if err := rows.Scan(&e.Version, &e.Question, &alternates, &e.Answer, &e.Link, &passages, &e.Enabled, &at,
			&e.UpdatedBy); err != nil {
			return nil, fmt.Errorf("entry %d versions: %w", id, err)
		}
		e.Alternates, e.Passages, e.Updated = lines(alternates), lines(passages), fromMillis(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// EntriesStamp changes whenever an entry is added, changed or deleted: a
// server polls it to serve the team's answers at once, whichever process
// wrote them.
func (l *Log) EntriesStamp(ctx context.Context) (string, error) {
	db, err := l.database()
	if err != nil {
		return "", err
	}
	var n, last, versions int64
	if err := db.QueryRowContext(ctx, `SELECT count(*), coalesce(max(updated_at), 0),
		(SELECT count(*) FROM entry_versions) FROM entries`).Scan(&n, &last, &versions); err != nil {
		return "", fmt.Errorf("entries stamp: %w", err)
	}
	return fmt.Sprintf("%d.%d.%d", n, last, versions), nil
}

// lines splits a stored list, one item a line.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// boolInt is a flag's stored form, 0 or 1, in an integer column both
// databases take.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
