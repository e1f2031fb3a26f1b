package sqlite

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

	"github.com/causette/causette/web/store"
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

// File is a SQLite database file, as a store.Database.
type File struct {
	// Path is the database file.
	Path string
	// ReadOnly opens the file for the views only, as the command line
	// does while a server may be writing it.
	ReadOnly bool
}

// Open starts a question log written to the SQLite file at path (see
// store.Open: it never fails).
func Open(path string, o store.Options) *store.Log { return store.Open(File{Path: path}, o) }

// OpenReadOnly opens the existing log at path for its views only.
func OpenReadOnly(ctx context.Context, path string) (*store.Log, error) {
	return store.OpenReadOnly(ctx, File{Path: path, ReadOnly: true})
}

// Name is the file's path.
func (f File) Name() string { return f.Path }

// Numbered is false: SQLite takes ? placeholders.
func (File) Numbered() bool { return false }

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

// Connect opens the file. Writable, it is created with filePerm before
// SQLite opens it (SQLite would create it 0644, less the umask), and SQLite
// gives its WAL files the database's mode; files left wider by an older
// version are narrowed to filePerm.
func (f File) Connect(ctx context.Context) (*sql.DB, error) {
	if f.ReadOnly {
		db, err := sql.Open("sqlite", dsn(f.Path, true))
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", f.Path, err)
		}
		db.SetMaxOpenConns(maxReaders)
		return db, nil
	}
	file, err := os.OpenFile(f.Path, os.O_RDWR|os.O_CREATE, filePerm)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", f.Path, err)
	}
	file.Close()
	db, err := sql.Open("sqlite", dsn(f.Path, false))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", f.Path, err)
	}
	db.SetMaxOpenConns(maxReaders + 1)
	// WAL files appear with the first connection: narrow them then.
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", f.Path, err)
	}
	if err := narrowPerm(f.Path); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// DDL is SQLite's statement for migration step v.
func (File) DDL(v int) string {
	switch v {
	case 1:
		return schemaV1
	case 2:
		return schemaV2
	case 5:
		return schemaV5
	case 6:
		return schemaV6
	case 7:
		return schemaV7
	case 8:
		return schemaV8
	}
	panic(fmt.Sprintf("sqlite: no DDL for migration %d", v))
}

// Lock does nothing: the step's transaction takes the write lock at once
// (_txlock=immediate), so two processes opening one file migrate it once.
func (File) Lock(context.Context, *sql.Tx) error { return nil }

// Version reads PRAGMA user_version.
func (File) Version(ctx context.Context, tx *sql.Tx) (int, error) {
	var v int
	err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// SetVersion sets PRAGMA user_version.
func (File) SetVersion(ctx context.Context, tx *sql.Tx, v int) error {
	_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v))
	return err
}

// DuplicateColumn recognises SQLite's error for ADD COLUMN of a column
// already there.
func (File) DuplicateColumn(err error) bool {
	return strings.Contains(err.Error(), "duplicate column name")
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

// Check runs PRAGMA quick_check on db (integrity_check without matching
// indexes to their tables: it reads the whole file once) and returns at
// most max of its findings, none when the database is sound.
func (File) Check(ctx context.Context, db *sql.DB, max int) ([]string, error) {
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
