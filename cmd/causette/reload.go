package main

import (
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/causette/causette/index"
	"github.com/causette/causette/web"
)

// reloadQuiet is how long the corpus folder must stay unchanged before a
// reload starts: a crawl writing 2,000 pages, or an editor saving through a
// temporary file, makes one reload, not one per file.
const reloadQuiet = 2 * time.Second

// retireAfter is how long a snapshot taken out of service stays open: longer
// than any request may last (the server's write timeout is 30 s; a question
// over a socket takes milliseconds).
const retireAfter = time.Minute

// snapshotLoader builds a new snapshot of the corpus.
type snapshotLoader func() (*web.Snapshot, error)

// reloader keeps the snapshot in service up to date with the corpus folder:
// it watches the folder (sub-folders included) and SIGHUP, waits for quiet,
// builds a new snapshot beside the one in service, and swaps it in. A corpus
// that fails to load leaves the old snapshot in service and says why.
type reloader struct {
	dir     string // "" for the embedded corpus: SIGHUP only
	load    snapshotLoader
	current *web.Current
	log     *slog.Logger
	quiet   time.Duration
	// watching, when set, is closed once the folder is watched.
	watching chan struct{}
	retiring []retired // indexes out of service, not closed yet
	// begin, when set, holds reloads back until it is closed: the folder is
	// watched, and SIGHUP heard, while the first corpus loads, and what
	// changed meanwhile is loaded right after it.
	begin <-chan struct{}
}

// run watches until ctx ends. hup delivers SIGHUP.
func (r *reloader) run(ctx context.Context, hup <-chan os.Signal) {
	defer r.retireAll()
	var events <-chan fsnotify.Event
	var errs <-chan error
	var w *fsnotify.Watcher
	if r.dir != "" {
		var err error
		if w, err = fsnotify.NewWatcher(); err != nil {
			r.log.Error("corpus watch unavailable: reload with SIGHUP", "err", err)
		} else {
			defer w.Close()
			r.watchTree(w, r.dir)
			events, errs = w.Events, w.Errors
		}
	}
	if r.watching != nil {
		close(r.watching)
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	pending := false
	begin := r.begin
	for {
		select {
		case <-ctx.Done():
			return
		case <-begin:
			begin = nil
			if pending {
				timer.Reset(0)
			}
		case <-hup:
			r.log.Info("reload asked (SIGHUP)")
			pending = true
			timer.Reset(0)
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if r.ignored(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
					r.watchTree(w, ev.Name) // a new sub-folder: its files count too
				}
			}
			pending = true
			timer.Reset(r.quiet)
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			// An overflow loses events: reload to be sure.
			r.log.Warn("corpus watch", "err", err)
			pending = true
			timer.Reset(r.quiet)
		case <-timer.C:
			if pending && begin == nil {
				pending = false
				r.reload()
			}
		}
	}
}

// ignored reports whether a changed path cannot change the corpus: hidden
// files and folders (editors' swap files, .git) are not read.
func (r *reloader) ignored(path string) bool {
	rel, err := filepath.Rel(r.dir, path)
	if err != nil {
		return false
	}
	if rel == index.ManifestFile {
		return false // a crawl's pages' addresses: citations link to them
	}
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		if strings.HasPrefix(part, ".") && part != "." && part != ".." {
			return true
		}
	}
	return strings.HasSuffix(path, "~")
}

// watchTree watches dir and its sub-folders, hidden ones aside.
func (r *reloader) watchTree(w *fsnotify.Watcher, dir string) {
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if err := w.Add(path); err != nil {
			r.log.Warn("corpus watch", "dir", path, "err", err)
		}
		return nil
	})
}

// reload builds a snapshot and puts it in service, or keeps the old one.
func (r *reloader) reload() {
	start := time.Now()
	snap, err := r.load()
	took := time.Since(start)
	if err != nil {
		r.current.Reloaded(web.ReloadOutcome{Time: start, Took: took, Error: err.Error()})
		r.log.Error("corpus reload failed: the previous corpus stays in service", "err", err, "took", took)
		return
	}
	old := r.current.Load()
	r.current.Store(snap)
	r.current.Reloaded(web.ReloadOutcome{Time: start, Took: took, OK: true})
	r.log.Info("corpus reloaded", "version", snap.Version, "passages", len(snap.Index.Passages()),
		"orphaned_attachments", len(snap.Index.Stats().Orphans), "took", took)
	if old != nil && old.Index != snap.Index {
		// Requests that began on the old snapshot finish on it: its index
		// is closed once the longest of them is surely over.
		r.retiring = append(r.retiring, retired{old.Index, time.AfterFunc(retireAfter, func() { r.retire(old.Index) })})
	}
}

// retired is a snapshot's index taken out of service, closed when its timer
// fires, or when the reloader stops.
type retired struct {
	ix    *index.Index
	timer *time.Timer
}

// retire closes an index taken out of service.
func (r *reloader) retire(ix *index.Index) {
	if err := ix.Close(); err != nil {
		r.log.Warn("closing the previous index", "err", err)
	}
}

// retireAll closes, when the reloader stops, the indexes whose timers have
// not fired yet: the process is ending, no request will use them.
func (r *reloader) retireAll() {
	for _, rt := range r.retiring {
		if rt.timer.Stop() {
			r.retire(rt.ix)
		}
	}
	r.retiring = nil
}
