package store

import (
	"context"
	"sync"
	"testing"
)

// testDatabase is an adapter the store's tests run against.
type testDatabase struct {
	// name is the adapter's, for the subtests' names.
	name string
	// fresh gives a new, empty database for tb.
	fresh func(tb testing.TB) Database
	// stall is what a second connection runs to hold the turns' table
	// against the writer, as a stalled disk (or server) would, letting
	// readers read.
	stall []string
}

// testDatabases are registered by adapters_test.go (package store_test,
// which can import the adapters, themselves importing this package).
var testDatabases []testDatabase

// SQLiteFile is the SQLite adapter for the file at path, registered by
// adapters_test.go, for the tests of what only a file does.
var SQLiteFile func(path string) Database

// SQLiteReadOnly is the SQLite adapter for the file at path, read-only.
var SQLiteReadOnly func(path string) Database

// RegisterTestDatabase adds an adapter the store's tests run against.
func RegisterTestDatabase(name string, fresh func(tb testing.TB) Database, stall ...string) {
	testDatabases = append(testDatabases, testDatabase{name: name, fresh: fresh, stall: stall})
}

// forEachDatabase runs test once per adapter, each with a fresh database:
// what the store promises holds on every one (the conformance suite).
func forEachDatabase(t *testing.T, test func(t *testing.T, db Database)) {
	t.Helper()
	if len(testDatabases) == 0 {
		t.Fatal("no adapter registered (adapters_test.go)")
	}
	for _, d := range testDatabases {
		t.Run(d.name, func(t *testing.T) { test(t, d.fresh(t)) })
	}
}

// onlySQLite runs test on the SQLite adapter alone, for what only a file
// does (its pages, its pragmas).
func onlySQLite(t *testing.T, test func(t *testing.T, db Database)) {
	t.Helper()
	for _, d := range testDatabases {
		if d.name == "sqlite" {
			test(t, d.fresh(t))
			return
		}
	}
	t.Fatal("no sqlite adapter registered")
}

// rawDB is a second connection to db, beside the Log's, as another process
// would hold.
func rawDB(tb testing.TB, db Database) *DB {
	tb.Helper()
	sdb, err := db.Connect(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sdb.Close() })
	return &DB{DB: sdb, numbered: db.Numbered()}
}

// mustStall holds the turns' table against the writer from another
// connection, as a stalled disk would, until the returned function is
// called.
func mustStall(tb testing.TB, db Database) (release func()) {
	tb.Helper()
	var stall []string
	for _, d := range testDatabases {
		if d.name == adapterName(db) {
			stall = d.stall
		}
	}
	other := rawDB(tb, db)
	ctx := context.Background()
	conn, err := other.Conn(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for _, s := range stall {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			tb.Fatal(err)
		}
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			conn.ExecContext(ctx, "ROLLBACK")
			conn.Close()
		})
	}
	tb.Cleanup(release)
	return release
}

// adapterName tells the adapters apart by their placeholders.
func adapterName(db Database) string {
	if db.Numbered() {
		return "postgres"
	}
	return "sqlite"
}
