package postgres_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/causette/causette/web/store"
	"github.com/causette/causette/web/store/postgres"
	"github.com/causette/causette/web/store/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// flushWait bounds how long a test waits for the writer.
const flushWait = 10 * time.Second

// recoverWait bounds how long the log may take to write again once the
// server is back: the pool dials a new connection at the next write.
const recoverWait = 30 * time.Second

// TestServerLostWhileServing cuts the server away from a running log: turns
// keep being accepted (Record never waits), the writes fail and Health
// says so without the password, and once the server is back the log
// writes again and is healthy, the turns accepted meanwhile counted
// failed.
func TestServerLostWhileServing(t *testing.T) {
	proxy := pgtest.NewProxy(t, pgtest.Start(t))
	l := postgres.Open(proxy.URL, store.Options{})
	defer l.Close()
	ctx := context.Background()
	l.Record(store.Turn{Key: "avant", Question: "Qui dirige Mistral ?", Kind: "answer"})
	mustFlush(t, l)
	if h := l.Health(); !h.OK || h.Written != 1 {
		t.Fatalf("health before the cut = %+v; want ok, 1 written", h)
	}

	proxy.Cut()
	start := time.Now()
	for i := 0; i < 10; i++ {
		if !l.Record(store.Turn{Question: "Pendant la coupure", Kind: "answer"}) {
			t.Errorf("Record %d while the server is away dropped the turn; want it queued (the writer is not behind yet)", i)
		}
	}
	t.Logf("10 Records while cut took %v", time.Since(start))
	mustFlush(t, l)
	h := l.Health()
	if h.OK || h.Failed == 0 || h.Error == "" {
		t.Errorf("health while the server is away = %+v; want not ok, failed writes, an error", h)
	}
	if p := h.Public(); p.OK || p.Problem == "" {
		t.Errorf("public health while the server is away = %+v; want not ok with a problem", p)
	}
	if _, err := l.Recent(ctx, time.Time{}, 0); err == nil {
		t.Errorf("Recent while the server is away: no error; want one")
	}

	proxy.Restore(t)
	deadline := time.Now().Add(recoverWait)
	for !l.Health().OK && time.Now().Before(deadline) {
		l.Record(store.Turn{Question: "Après la coupure", Kind: "answer"})
		mustFlush(t, l)
	}
	h = l.Health()
	if !h.OK {
		t.Fatalf("health %v after the server came back = %+v; want ok again", recoverWait, h)
	}
	turns, err := l.Recent(ctx, time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var before, after int
	for _, tr := range turns {
		switch tr.Question {
		case "Qui dirige Mistral ?":
			before++
		case "Après la coupure":
			after++
		}
	}
	if before != 1 || after == 0 {
		t.Errorf("after the server came back the log reads %d turns from before, %d from after; want 1 and at least 1", before, after)
	}
	t.Logf("health after recovery: %+v", h)
}

// TestUnreachableAtStart: Start fails with an error naming the server
// without its password; Open serves degraded instead.
func TestUnreachableAtStart(t *testing.T) {
	proxy := pgtest.NewProxy(t, pgtest.Start(t))
	proxy.Cut()
	withPassword := strings.Replace(proxy.URL, "postgres@", "postgres:s3cr3t-motdepasse@", 1)
	_, err := postgres.Start(context.Background(), withPassword, store.Options{})
	if err == nil {
		t.Fatal("Start on a server away: no error")
	}
	if strings.Contains(err.Error(), "s3cr3t-motdepasse") || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("Start on a server away = %q; want the host named and the password not", err)
	}
	l := postgres.Open(withPassword, store.Options{})
	defer l.Close()
	l.Record(store.Turn{Question: "Qui dirige Mistral ?", Kind: "answer"})
	mustFlush(t, l)
	if h := l.Health(); h.OK || strings.Contains(h.Error, "s3cr3t-motdepasse") || strings.Contains(l.Path(), "s3cr3t-motdepasse") {
		t.Errorf("Open on a server away: health %+v, path %q; want not ok, no password", h, l.Path())
	}
}

// TestRedact: the password never leaves Redact, in the user part or the
// query.
func TestRedact(t *testing.T) {
	for _, in := range []string{
		"postgres://causette:s3cr3t@db.example:5432/causette?sslmode=verify-full",
		"postgresql://db.example/causette?user=causette&password=s3cr3t",
		"postgres://causette:s3cr3t@[::1",
	} {
		if got := postgres.Redact(in); strings.Contains(got, "s3cr3t") || !strings.HasPrefix(got, "postgres") {
			t.Errorf("Redact(%q) = %q; want it without the password", in, got)
		}
	}
}

func mustFlush(tb testing.TB, l *store.Log) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), flushWait)
	defer cancel()
	if err := l.Flush(ctx); err != nil {
		tb.Fatalf("Flush: %v", err)
	}
}
