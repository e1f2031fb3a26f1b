package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// Database is what an adapter (web/store/sqlite, web/store/postgres) tells
// the Log about one database technology: how to reach it, its DDL where it
// differs, how it keeps the schema's version and checks itself. The Log's
// SQL is otherwise shared, written with ? placeholders.
type Database interface {
	// Name is the database as Health, errors and logs name it: a file
	// path, or a URL without its password.
	Name() string
	// Connect opens the database; the Log migrates it (see migrate). An
	// error is retried every reopenEvery while serving.
	Connect(ctx context.Context) (*sql.DB, error)
	// Numbered reports whether placeholders are $1, $2… (PostgreSQL)
	// rather than ? (see rebind).
	Numbered() bool
	// DDL is this database's statement for migration step v (1-based)
	// where the two databases' DDL differ (see migrations).
	DDL(v int) string
	// Lock serialises migrations among processes opening the database at
	// once, for the life of tx; changes to the staff accounts take it too
	// (see staffChange), so that the last édition account is kept.
	Lock(ctx context.Context, tx *sql.Tx) error
	// Version reads the schema's version in tx (0 for an empty database).
	Version(ctx context.Context, tx *sql.Tx) (int, error)
	// SetVersion records the schema's version in tx.
	SetVersion(ctx context.Context, tx *sql.Tx, v int) error
	// DuplicateColumn reports whether err says a column added by a step
	// was already there (see migrate).
	DuplicateColumn(err error) bool
	// Check returns at most max findings of an integrity check of the
	// whole database, none when it is sound or checks itself.
	Check(ctx context.Context, db *sql.DB, max int) ([]string, error)
}

// DB is a database handle whose statements, written with ?, are rebound for
// the database's placeholders: the Log's SQL is written once.
type DB struct {
	*sql.DB
	numbered bool
}

// Tx is a transaction of a DB, rebinding its statements likewise.
type Tx struct {
	*sql.Tx
	numbered bool
}

// ExecContext runs query, rebound.
func (d *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.DB.ExecContext(ctx, rebind(query, d.numbered), args...)
}

// QueryContext runs query, rebound.
func (d *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.DB.QueryContext(ctx, rebind(query, d.numbered), args...)
}

// QueryRowContext runs query, rebound.
func (d *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return d.DB.QueryRowContext(ctx, rebind(query, d.numbered), args...)
}

// BeginTx starts a transaction whose statements are rebound.
func (d *DB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	tx, err := d.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &Tx{Tx: tx, numbered: d.numbered}, nil
}

// ExecContext runs query, rebound.
func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(ctx, rebind(query, t.numbered), args...)
}

// QueryContext runs query, rebound.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(ctx, rebind(query, t.numbered), args...)
}

// QueryRowContext runs query, rebound.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(ctx, rebind(query, t.numbered), args...)
}

// PrepareContext prepares query, rebound.
func (t *Tx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.Tx.PrepareContext(ctx, rebind(query, t.numbered))
}

// rebind turns the ? placeholders of query into $1, $2… when numbered;
// a ? inside a quoted string or identifier is left as it is.
func rebind(query string, numbered bool) string {
	if !numbered || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	var quote byte // the quote we are inside, 0 outside
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
