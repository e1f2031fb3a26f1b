package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The tests of this file run on SQLite files alone: the databases of the
// first waves (versions 1 to 8) that must upgrade in place are SQLite's.

// TestMigrateInPlace checks that a database of an earlier schema is brought
// to the last version keeping its rows, a new one is made at it, and one
// from a later Causette is refused untouched.
func TestMigrateInPlace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "causette.db")
	// A first-wave database: version 1, one turn.
	db := rawFile(t, path)
	defer db.Close()
	if err := migrate(ctx, db, SQLiteFile(path), migrations[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO turns (at, question, kind, confidence, latency_us) VALUES (1, 'Où est la mairie ?', 'answer', 0.9, 5)`); err != nil {
		t.Fatal(err)
	}
	// A later schema adds a table: the database takes it in place.
	steps := append(append([]string{}, migrations...), `CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)`)
	if err := migrate(ctx, db, SQLiteFile(path), steps); err != nil {
		t.Fatal(err)
	}
	var version, turns int
	db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version)
	db.QueryRowContext(ctx, "SELECT count(*) FROM turns").Scan(&turns)
	if version != len(steps) || turns != 1 {
		t.Errorf("after migrating: version %d, %d turns; want %d and the turn kept", version, turns, len(steps))
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO notes (text) VALUES ('ok')`); err != nil {
		t.Errorf("the new table is missing: %v", err)
	}
	// Migrating again changes nothing.
	if err := migrate(ctx, db, SQLiteFile(path), steps); err != nil {
		t.Errorf("migrating an up-to-date database: %v", err)
	}
	// This Causette knows fewer versions: refused, untouched.
	err := migrate(ctx, db, SQLiteFile(path), migrations)
	if err == nil || !strings.Contains(err.Error(), "plus récent") {
		t.Errorf("a database of a later version: %v; want it refused", err)
	}
	db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version)
	if version != len(steps) {
		t.Errorf("the refused database went to version %d", version)
	}
	// A failing step leaves the database at the version before it.
	fresh := filepath.Join(t.TempDir(), "neuve.db")
	db2 := rawFile(t, fresh)
	defer db2.Close()
	if err := migrate(ctx, db2, SQLiteFile(fresh), append(append([]string{}, migrations...), `CREATE TABLE oops (`)); err == nil {
		t.Errorf("a broken step: no error")
	}
	db2.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version)
	if version != len(migrations) {
		t.Errorf("after a broken step: version %d; want %d", version, len(migrations))
	}
}

// TestMigrateAfterRollback checks that a database an earlier Causette set
// back to version 1 (it writes its own version at every open) migrates
// again, its later tables and columns already there.
func TestMigrateAfterRollback(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "causette.db")
	db := rawFile(t, path)
	defer db.Close()
	if err := migrate(ctx, db, SQLiteFile(path), migrations); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "PRAGMA user_version = 1"); err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, SQLiteFile(path), migrations); err != nil {
		t.Errorf("migrating a database set back to version 1: %v", err)
	}
	var v int
	db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	if v != len(migrations) {
		t.Errorf("version %d; want %d", v, len(migrations))
	}
}

// TestReadOnlyOnEarlierVersion checks that the read-only views, which
// cannot migrate, say in French to start the server once on a database of
// an earlier version, instead of failing on a missing column.
func TestReadOnlyOnEarlierVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "causette.db")
	db := rawFile(t, path)
	if err := migrate(ctx, db, SQLiteFile(path), migrations[:1]); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := OpenReadOnly(ctx, SQLiteReadOnly(path))
	if err == nil || !strings.Contains(err.Error(), "lancez « causette serve » une fois") {
		t.Errorf("read-only open of a version-1 database: %v; want the French advice", err)
	}
}

// rawFile opens the SQLite file at path as the writer does, without
// migrating it: the tests set its version themselves.
func rawFile(t *testing.T, path string) *DB {
	t.Helper()
	return rawDB(t, SQLiteFile(path))
}
