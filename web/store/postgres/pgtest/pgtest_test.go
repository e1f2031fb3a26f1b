package pgtest_test

import (
	"database/sql"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/causette/causette/web/store/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestStartGivesIndependentDatabases checks that two calls give two
// databases: a table made in one is absent from the other.
func TestStartGivesIndependentDatabases(t *testing.T) {
	a, b := pgtest.Start(t), pgtest.Start(t)
	if a == b {
		t.Fatalf("Start gave the same URL twice: %s", a)
	}
	dbA, dbB := mustOpen(t, a), mustOpen(t, b)
	if _, err := dbA.Exec("CREATE TABLE only_in_a (n integer)"); err != nil {
		t.Fatalf("create table in %s: %v", a, err)
	}
	if _, err := dbA.Exec("INSERT INTO only_in_a VALUES (1)"); err != nil {
		t.Fatalf("insert in %s: %v", a, err)
	}
	var n int
	if err := dbA.QueryRow("SELECT count(*) FROM only_in_a").Scan(&n); err != nil || n != 1 {
		t.Fatalf("count in %s = %d, %v; want 1", a, n, err)
	}
	var found bool
	if err := dbB.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'only_in_a')").Scan(&found); err != nil {
		t.Fatalf("query %s: %v", b, err)
	}
	if found {
		t.Fatalf("table only_in_a made in %s is also in %s", a, b)
	}
}

// TestStartReusesTheCluster checks that later tests get a database on the
// same server, which is empty.
func TestStartReusesTheCluster(t *testing.T) {
	db := mustOpen(t, pgtest.Start(t))
	var tables int
	if err := db.QueryRow("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("a fresh database holds %d tables; want 0", tables)
	}
}

func mustOpen(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
