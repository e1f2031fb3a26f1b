package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/causette/causette/web/store"
	"github.com/causette/causette/web/store/postgres"
	"github.com/causette/causette/web/store/postgres/pgtest"
	"github.com/causette/causette/web/store/sqlite"
)

// TestMain registers the two adapters every store test runs against, and
// stops pgtest's server once the tests are done.
func TestMain(m *testing.M) {
	store.SQLiteFile = func(path string) store.Database { return sqlite.File{Path: path} }
	store.SQLiteReadOnly = func(path string) store.Database { return sqlite.File{Path: path, ReadOnly: true} }
	store.RegisterTestDatabase("sqlite", func(tb testing.TB) store.Database {
		return sqlite.File{Path: filepath.Join(tb.TempDir(), "causette.db")}
	}, "BEGIN IMMEDIATE")
	store.RegisterTestDatabase("postgres", func(tb testing.TB) store.Database {
		return postgres.Server{URL: pgtest.Start(tb)}
	}, "BEGIN", "LOCK TABLE turns IN EXCLUSIVE MODE")
	os.Exit(pgtest.Main(m))
}
