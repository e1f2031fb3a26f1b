package main

import (
	"os"
	"testing"

	"github.com/causette/causette/web/store/postgres/pgtest"
)

// TestMain stops the throwaway PostgreSQL cluster that the replicas' test
// starts (pgtest.Start), once every test has run.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
