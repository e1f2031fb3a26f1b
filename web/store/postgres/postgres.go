package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the database/sql driver "pgx"

	"github.com/causette/causette/web/store"
)

const (
	// maxConns caps the connections one replica holds: the writer, the
	// staff views and the feedback look-ups; PostgreSQL's default
	// max_connections (100) then serves a dozen replicas.
	maxConns = 8
	// connectTimeout bounds the connection to a server that does not
	// answer (a host gone), so that the start fails with a clear error
	// rather than hanging.
	connectTimeout = 5 * time.Second
	// migrationLock is the advisory lock key under which migrations run:
	// any number, the same for every Causette ("causette" in ASCII).
	migrationLock int64 = 0x63617573657474
)

// Server is a PostgreSQL database, as a store.Database.
type Server struct {
	// URL is the postgres:// (or postgresql://) URL, password included.
	URL string
}

// IsURL reports whether db names a PostgreSQL database rather than a file.
func IsURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Open starts a question log written to the database at rawURL (see
// store.Open: it never fails).
func Open(rawURL string, o store.Options) *store.Log { return store.Open(Server{URL: rawURL}, o) }

// Start opens the log at rawURL, failing when the server cannot be
// reached or the schema migrated now (see store.Start).
func Start(ctx context.Context, rawURL string, o store.Options) (*store.Log, error) {
	return store.Start(ctx, Server{URL: rawURL}, o)
}

// OpenReadOnly opens the log at rawURL for its views only.
func OpenReadOnly(ctx context.Context, rawURL string) (*store.Log, error) {
	return store.OpenReadOnly(ctx, Server{URL: rawURL})
}

// Name is the URL without its password, for logs and Health.
func (s Server) Name() string { return Redact(s.URL) }

// Redact returns rawURL with its password replaced by "xxxxx"; a URL that
// does not parse is named only by its scheme, as it may hold a password
// where it cannot be found.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		scheme, _, _ := strings.Cut(rawURL, ":")
		return scheme + "://(adresse illisible)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// Numbered is true: PostgreSQL takes $1, $2… placeholders.
func (Server) Numbered() bool { return true }

// Connect opens a pool on the server and checks that it answers. Errors
// name the server without its password (pgx's own errors never hold it).
func (s Server) Connect(ctx context.Context) (*sql.DB, error) {
	if _, err := pgconn.ParseConfig(s.URL); err != nil {
		return nil, fmt.Errorf("%s : %s", s.Name(), redactError(err, s.URL))
	}
	db, err := sql.Open("pgx", s.URL)
	if err != nil {
		return nil, fmt.Errorf("%s : %s", s.Name(), redactError(err, s.URL))
	}
	db.SetMaxOpenConns(maxConns)
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s : %s", s.Name(), redactError(err, s.URL))
	}
	return db, nil
}

// redactError is err's text without the URL's password, should a driver
// ever quote it.
func redactError(err error, rawURL string) string {
	msg := err.Error()
	if u, perr := url.Parse(rawURL); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}

// DDL is PostgreSQL's statement for migration step v.
func (Server) DDL(v int) string {
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
	panic(fmt.Sprintf("postgres: no DDL for migration %d", v))
}

// Lock takes the migration advisory lock for tx: a second replica starting
// at once waits, then finds the schema migrated. A change to the staff
// accounts takes it as well: two demotions at once count the editors one
// after the other.
func (Server) Lock(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock)
	return err
}

// Version reads the schema's version from the causette_schema table (0
// while there is none: an empty database).
func (Server) Version(ctx context.Context, tx *sql.Tx) (int, error) {
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT to_regclass('causette_schema') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return 0, err
	}
	var v int
	err := tx.QueryRowContext(ctx, `SELECT version FROM causette_schema`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// SetVersion records the schema's version, in the table it makes on first
// use.
func (Server) SetVersion(ctx context.Context, tx *sql.Tx, v int) error {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS causette_schema (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE causette_schema SET version = $1`, v)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_, err = tx.ExecContext(ctx, `INSERT INTO causette_schema (version) VALUES ($1)`, v)
	}
	return err
}

// DuplicateColumn is false: no Causette ever set a PostgreSQL schema's
// version back (the failed statement also ends the transaction there).
func (Server) DuplicateColumn(error) bool { return false }

// Check finds nothing: PostgreSQL checks its pages itself (data checksums,
// amcheck for the administrator), and a whole-database read on every start
// of every replica would cost more than it tells.
func (Server) Check(context.Context, *sql.DB, int) ([]string, error) { return nil, nil }
