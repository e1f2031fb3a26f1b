package questionlog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the pure Go "sqlite" driver
)

const (
	// busyTimeout is how long a statement waits for another process's lock
	// (the command line reading the log while the server writes) before it
	// fails: far longer than any of our transactions holds one.
	busyTimeout = 5 * time.Second
	// maxReaders caps the connections the staff views use at once; WAL lets
	// them read while the writer writes.
	maxReaders = 4
	// filePerm is the database's and its WAL files' mode: visitors'
	// questions are for the server's user alone.
	filePerm os.FileMode = 0o600
)

// walFiles are the suffixes of the files SQLite keeps beside the database in
// WAL mode.
var walFiles = []string{"-wal", "-shm"}

// migrations are the schema's versions, in order: migrations[i] takes a
// database at version i (PRAGMA user_version) to version i+1, in one
// transaction with the version's update. Migration 1 is the first wave's
// schema, written so that a database made before versions were counted
// (version 0, its table there) takes it as it is; so are the tables of
// the later steps (IF NOT EXISTS), and a column already there counts as
// added: a database an earlier Causette set back to its own version
// (PRAGMA user_version = 1) migrates again. Append, never edit.
var migrations = []string{schemaV1, schemaV2, schemaV3, schemaV4, schemaV5, schemaV6, schemaV7, schemaV8}

// schemaV3 and schemaV4 keep with each turn the answer given and, for a
// follow-up, the question before it: staff read a rating down with what
// was rated, and « Et OpenAI ? » with what it follows. One column a step:
// each step can then be found done (see migrate).
const (
	schemaV3 = `ALTER TABLE turns ADD COLUMN answer TEXT NOT NULL DEFAULT ''`
	schemaV4 = `ALTER TABLE turns ADD COLUMN previous TEXT NOT NULL DEFAULT ''`
)

const schemaV1 = `
CREATE TABLE IF NOT EXISTS turns (
	id         INTEGER PRIMARY KEY,
	at         INTEGER NOT NULL,            -- Unix time in milliseconds, UTC
	question   TEXT    NOT NULL,
	kind       TEXT    NOT NULL,            -- answer, no_answer, smalltalk
	confidence REAL    NOT NULL,
	passage    TEXT    NOT NULL DEFAULT '', -- id of the first citation
	latency_us INTEGER NOT NULL,
	feedback   TEXT    NOT NULL DEFAULT ''  -- '', up, down
);
CREATE INDEX IF NOT EXISTS turns_at ON turns(at);
`

// dsn names the database file for the sqlite driver, with the pragmas every
// connection needs.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	if readOnly {
		q.Set("mode", "ro")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		// FULL: a committed turn survives a power cut, not only a crash.
		q.Add("_pragma", "synchronous(FULL)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// openDB opens the database at path for writing and creates its table. The
// file is created with filePerm before SQLite opens it (SQLite would create
// it 0644, less the umask), and SQLite gives its WAL files the database's
// mode; files left wider by an older version are narrowed to filePerm.
func openDB(ctx context.Context, path string) (*sql.DB, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, filePerm)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	f.Close()
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(maxReaders + 1)
	if err := migrate(ctx, db, migrations); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := narrowPerm(path); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// migrate brings db to the last version of steps (see migrations), each
// step in its own transaction. A database of a later version than steps
// know (made by a newer Causette) is an error, left untouched.
func migrate(ctx context.Context, db *sql.DB, steps []string) error {
	for {
		// The version is read in the step's transaction, which the
		// writable connection takes at once (_txlock=immediate): two
		// processes opening one database migrate it once.
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migration: %w", err)
		}
		var v int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			tx.Rollback()
			return fmt.Errorf("schema version: %w", err)
		}
		if v > len(steps) {
			tx.Rollback()
			return fmt.Errorf("schéma en version %d, plus récent que cette version de Causette (%d) : mettez Causette à jour", v, len(steps))
		}
		if v == len(steps) {
			return tx.Rollback()
		}
		// A column already there was added by a later version run before
		// an earlier one set the version back: the step is done.
		if _, err := tx.ExecContext(ctx, steps[v]); err != nil && !strings.Contains(err.Error(), "duplicate column name") {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
	}
}

// narrowPerm takes from the database at path and its WAL files any
// permission beyond filePerm.
func narrowPerm(path string) error {
	for _, suffix := range append([]string{""}, walFiles...) {
		name := path + suffix
		fi, err := os.Stat(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("open %s: %w", name, err)
		}
		if fi.Mode().Perm()&^filePerm != 0 {
			if err := os.Chmod(name, fi.Mode().Perm()&filePerm); err != nil {
				return fmt.Errorf("open %s: %w", name, err)
			}
		}
	}
	return nil
}

// openReadOnlyDB opens an existing database at path for the views only.
func openReadOnlyDB(ctx context.Context, path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(maxReaders)
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM turns`).Scan(&n); err != nil {
		db.Close()
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	// Read-only, it cannot migrate: a database of an earlier version waits
	// for the server to bring it up to date.
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err == nil && v < len(migrations) {
		db.Close()
		return nil, fmt.Errorf("%s : base en version %d, cette version de Causette lit la %d : lancez « causette serve » une fois pour la mettre à jour", path, v, len(migrations))
	}
	return db, nil
}

// millis is the stored form of a time.
func millis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis reads a stored time back, in UTC.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// prepareInsert prepares in tx the statement insertTurn runs.
func prepareInsert(ctx context.Context, tx *sql.Tx) (*sql.Stmt, error) {
	st, err := tx.PrepareContext(ctx,
		`INSERT INTO turns (at, question, kind, confidence, passage, latency_us, feedback, answer, previous) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("prepare insert: %w", err)
	}
	return st, nil
}

// insertTurn writes one turn with the statement of prepareInsert and
// returns its row id.
func insertTurn(ctx context.Context, insert *sql.Stmt, t Turn) (int64, error) {
	res, err := insert.ExecContext(ctx,
		millis(t.Time), t.Question, t.Kind, t.Confidence, t.Passage, t.Latency.Microseconds(), t.Feedback, t.Answer, t.Previous)
	if err != nil {
		return 0, fmt.Errorf("insert turn: %w", err)
	}
	return res.LastInsertId()
}

// setFeedback records a visitor's thumbs up or down on row id.
func setFeedback(ctx context.Context, tx *sql.Tx, id int64, value string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE turns SET feedback = ? WHERE id = ?`, value, id); err != nil {
		return fmt.Errorf("feedback on turn %d: %w", id, err)
	}
	return nil
}

// purge deletes the turns older than before, and the visitors' requests
// (requests.go), and reports how many rows went.
func purge(ctx context.Context, db *sql.DB, before time.Time) (int64, error) {
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

// quickCheck runs PRAGMA quick_check on db (integrity_check without matching
// indexes to their tables: it reads the whole file once) and returns at most max of its findings, none when the database is
// sound.
func quickCheck(ctx context.Context, db *sql.DB, max int) ([]string, error) {
	rows, err := db.QueryContext(ctx, fmt.Sprintf("PRAGMA quick_check(%d)", max))
	if err != nil {
		return nil, fmt.Errorf("quick_check: %w", err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("quick_check: %w", err)
		}
		if s != "ok" {
			found = append(found, strings.Join(strings.Fields(s), " "))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("quick_check: %w", err)
	}
	return found, nil
}

// Backup writes a consistent copy of the database at path to out, while
// servers keep writing to it (SQLite's VACUUM INTO). out must not exist.
func Backup(ctx context.Context, path, out string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s existe déjà : choisissez un autre fichier", out)
	}
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, out); err != nil {
		return fmt.Errorf("sauvegarde de %s : %w", path, err)
	}
	return os.Chmod(out, filePerm)
}
