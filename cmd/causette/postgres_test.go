package main

import (
	"net"
	"strings"
	"testing"
)

// closedPostgresURL is a PostgreSQL URL, password included, on a port of
// 127.0.0.1 where nothing listens.
func closedPostgresURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "postgres://causette:s3cr3t-motdepasse@" + addr + "/causette?sslmode=disable"
}

// TestPostgresNeedsSecret: serve refuses a PostgreSQL store without
// --secret nor $CAUSETTE_SECRET, in French, without the password.
func TestPostgresNeedsSecret(t *testing.T) {
	t.Setenv(secretEnv, "")
	url := closedPostgresURL(t)
	_, err := runWithin(t, "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--db", url)
	if err == nil || !strings.Contains(err.Error(), "--secret") || !strings.Contains(err.Error(), "mêmes jetons de contexte") {
		t.Errorf("serve --db postgres://… without a secret = %v; want the French error asking for --secret", err)
	}
	if err != nil && strings.Contains(err.Error(), "s3cr3t-motdepasse") {
		t.Errorf("serve's error %q shows the URL's password", err)
	}
}

// TestPostgresUnreachable: the commands that open the server's database
// say which server failed, never with its password; serve fails at start.
func TestPostgresUnreachable(t *testing.T) {
	url := closedPostgresURL(t)
	for _, args := range [][]string{
		{"staff", "list", "--db", url},
		{"qa", "export", "--db", url},
		{"log", "unanswered", "--db", url},
		{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--secret", strings.Repeat("k", minSecretLength), "--db", url},
	} {
		_, err := runWithin(t, args...)
		if err == nil || !strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("causette %s on a server away = %v; want an error naming it", args[0], err)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t-motdepasse") {
			t.Errorf("causette %s: error %q shows the URL's password", args[0], err)
		}
	}
}

// TestBackupPostgres: backup points a PostgreSQL store to pg_dump.
func TestBackupPostgres(t *testing.T) {
	_, err := runWithin(t, "backup", "--db", closedPostgresURL(t), "copie.db")
	if err == nil || !strings.Contains(err.Error(), "pg_dump") || strings.Contains(err.Error(), "s3cr3t-motdepasse") {
		t.Errorf("backup --db postgres://… = %v; want the advice to use pg_dump, without the password", err)
	}
}
