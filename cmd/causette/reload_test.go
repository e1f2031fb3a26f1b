package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/index"
	"github.com/causette/causette/web"
)

// reloadTimeout bounds each wait for a reload in the tests.
const reloadTimeout = 10 * time.Second

// startReloader watches dir with a short quiet time and counts its loads;
// with indexDir, each load updates the index kept there, as serve's do.
func startReloader(t *testing.T, dir, indexDir string) (*web.Current, *atomic.Int64, chan os.Signal) {
	t.Helper()
	var loads atomic.Int64
	var current *web.Current
	load := func() (*web.Snapshot, error) {
		loads.Add(1)
		// Strict, as with --strict: a bad file fails the reload (without it,
		// the file is skipped and listed: index's TestOneBadFileIsSkipped).
		o := index.Options{Corpus: dir, Dir: indexDir, Strict: true}
		if current != nil {
			o.Previous = current.Load().Index
		}
		ix, err := index.Open(o)
		if err != nil {
			return nil, err
		}
		return &web.Snapshot{Index: ix, Engine: chat.New(ix, chat.Options{}), Version: ix.Stats().Version}, nil
	}
	snap, err := load()
	if err != nil {
		t.Fatal(err)
	}
	current = web.NewCurrent(snap)
	ctx, cancel := context.WithCancel(context.Background())
	hup := make(chan os.Signal, 1)
	r := &reloader{dir: dir, load: load, current: current, log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		quiet: 200 * time.Millisecond, watching: make(chan struct{})}
	stopped := make(chan struct{})
	go func() { r.run(ctx, hup); close(stopped) }()
	// The reloader finishes its reload and closes what it retired before
	// the index in service is closed and the folders removed.
	t.Cleanup(func() { cancel(); <-stopped; current.Load().Index.Close() })
	<-r.watching
	return current, &loads, hup
}

// waitVersion waits until the version in service differs from old.
func waitVersion(t *testing.T, current *web.Current, old, what string) string {
	t.Helper()
	deadline := time.Now().Add(reloadTimeout)
	for time.Now().Before(deadline) {
		if v := current.Load().Version; v != old {
			return v
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: still version %s after %v", what, old, reloadTimeout)
	return ""
}

func writeDoc(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestReloadFollowsTheCorpus(t *testing.T) {
	t.Run("in memory", func(t *testing.T) { testReload(t, "") })
	t.Run("on disk", func(t *testing.T) { testReload(t, filepath.Join(t.TempDir(), "index")) })
}

func testReload(t *testing.T, indexDir string) {
	dir := t.TempDir()
	writeDoc(t, dir, "velo.txt", "Le vélo\n\nLe vélo de ville coûte 300 euros.\n")
	current, loads, hup := startReloader(t, dir, indexDir)
	v1 := current.Load().Version
	ask := func() string {
		a, err := current.Load().Engine.Ask("Combien coûte le vélo ?", "")
		if err != nil {
			t.Fatal(err)
		}
		return a.Answer
	}

	writeDoc(t, dir, "velo.txt", "Le vélo\n\nLe vélo de ville coûte 450 euros.\n")
	v2 := waitVersion(t, current, v1, "an edited document")
	if !strings.Contains(ask(), "450") {
		t.Errorf("after the edit, answer %q; want the new price", ask())
	}

	// A burst of files (a crawl) makes one reload once the folder is quiet.
	before := loads.Load()
	sub := filepath.Join(dir, "pages")
	os.Mkdir(sub, 0o700)
	for i := range 50 {
		writeDoc(t, sub, fmt.Sprintf("p%02d.txt", i), fmt.Sprintf("Page %d\n\nLa page %d parle du tramway numéro %d.\n", i, i, i))
	}
	v3 := waitVersion(t, current, v2, "50 new pages")
	time.Sleep(500 * time.Millisecond) // more than the quiet time: a late second reload would show
	if n := loads.Load() - before; n != 1 {
		t.Errorf("50 files written at once gave %d reloads; want 1", n)
	}
	if got := len(current.Load().Index.Passages()); got < 51 {
		t.Errorf("after the burst, %d passages in service; want the 50 pages too", got)
	}

	// A corpus that fails to load leaves the old one in service, and says why.
	writeDoc(t, dir, "vide.txt", "")
	deadline := time.Now().Add(reloadTimeout)
	for current.LastReload() == nil || current.LastReload().OK {
		if time.Now().After(deadline) {
			t.Fatalf("an empty file did not make a reload fail")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if o := current.LastReload(); !strings.Contains(o.Error, "vide.txt") || current.Load().Version != v3 {
		t.Errorf("failed reload: %+v, version %s; want an error naming vide.txt and %s still in service", o, current.Load().Version, v3)
	}
	os.Remove(filepath.Join(dir, "vide.txt"))

	// SIGHUP reloads at once, even with nothing changed on disk that the
	// watcher saw.
	before = loads.Load()
	hup <- os.Interrupt
	deadline = time.Now().Add(reloadTimeout)
	for loads.Load() == before {
		if time.Now().After(deadline) {
			t.Fatalf("SIGHUP did not reload")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
