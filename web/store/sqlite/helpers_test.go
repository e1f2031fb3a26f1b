package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/causette/causette/web/store"
)

// flushWait bounds how long a test waits for the writer.
const flushWait = 10 * time.Second

// mustOpen opens the log at path, which must come up healthy, closed when
// the test ends.
func mustOpen(tb testing.TB, path string, o store.Options) *store.Log {
	tb.Helper()
	l := Open(path, o)
	if h := l.Health(); !h.OK {
		tb.Fatalf("Open(%s): health %+v; want ok", path, h)
	}
	tb.Cleanup(func() { l.Close() })
	return l
}

// mustFlush waits for the writer to write what was queued.
func mustFlush(tb testing.TB, l *store.Log) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), flushWait)
	defer cancel()
	if err := l.Flush(ctx); err != nil {
		tb.Fatalf("Flush: %v", err)
	}
}
