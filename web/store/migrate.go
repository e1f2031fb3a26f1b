package store

import (
	"context"
	"fmt"
)

// migrations are the schema's versions, in order: migrations[i] takes a
// database at version i to version i+1, in one transaction with the
// version's update (Database.Version). An empty step is one whose DDL
// differs between the databases: each adapter gives its own
// (Database.DDL); the others are shared. Migration 1 is the first wave's
// schema, written so that a SQLite database made before versions were
// counted (version 0, its table there) takes it as it is; so are the
// tables of the later steps (IF NOT EXISTS), and a column already there
// counts as added: a database an earlier Causette set back to its own
// version migrates again. Append, never edit.
var migrations = []string{"", "", schemaV3, schemaV4, "", "", "", "", schemaV9, schemaV10, schemaV11, schemaV12}

// Versions is the schema version this Causette brings a database to.
var Versions = len(migrations)

// schemaV3 and schemaV4 keep with each turn the answer given and, for a
// follow-up, the question before it: staff read a rating down with what
// was rated, and « Et OpenAI ? » with what it follows. One column a step:
// each step can then be found done (see migrate).
const (
	schemaV3 = `ALTER TABLE turns ADD COLUMN answer TEXT NOT NULL DEFAULT ''`
	schemaV4 = `ALTER TABLE turns ADD COLUMN previous TEXT NOT NULL DEFAULT ''`
)

// schemaV9 and schemaV10 store each turn's key, indexed, so that feedback
// and the contact form find a turn answered by any replica, or before a
// restart, in the store and not in one process's memory.
const (
	schemaV9  = `ALTER TABLE turns ADD COLUMN turn_key TEXT NOT NULL DEFAULT ''`
	schemaV10 = `CREATE INDEX IF NOT EXISTS turns_key ON turns(turn_key)`
)

// schemaV11 and schemaV12 key each attached phrasing by its words
// (GroupKey), unique for its passage's fingerprint: two replicas attaching
// one wording at once store it once. Rows attached before keep an empty
// key, outside the index (Attach still reads them to skip their wordings).
const (
	schemaV11 = `ALTER TABLE attachments ADD COLUMN wording_key TEXT NOT NULL DEFAULT ''`
	schemaV12 = `CREATE UNIQUE INDEX IF NOT EXISTS attachments_wording ON attachments(fingerprint, wording_key) WHERE wording_key <> ''`
)

// step is migration v's DDL (1-based) for db.
func step(db Database, steps []string, v int) string {
	if s := steps[v-1]; s != "" {
		return s
	}
	return db.DDL(v)
}

// Migrate brings sdb to the last version (see migrations), each step in its
// own transaction, under the database's migration lock: several processes
// opening one database at once migrate it once. A database of a later
// version than this Causette knows (made by a newer one) is an error, left
// untouched.
func Migrate(ctx context.Context, sdb *DB, db Database) error {
	return migrate(ctx, sdb, db, migrations)
}

// migrate is Migrate through steps (migrations, or the tests' own).
func migrate(ctx context.Context, sdb *DB, db Database, steps []string) error {
	for {
		tx, err := sdb.DB.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migration: %w", err)
		}
		if err := db.Lock(ctx, tx); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration lock: %w", err)
		}
		v, err := db.Version(ctx, tx)
		if err != nil {
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
		if _, err := tx.ExecContext(ctx, step(db, steps, v+1)); err != nil && !db.DuplicateColumn(err) {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if err := db.SetVersion(ctx, tx, v+1); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
	}
}
