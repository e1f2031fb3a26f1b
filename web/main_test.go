package web

import (
	"os"
	"testing"

	"github.com/causette/causette/web/store/postgres/pgtest"
)

// TestMain stops the PostgreSQL server pgtest started for the tests that
// run on it (staff_postgres_test.go).
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
