package index

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// diskCorpus writes documents into a new corpus folder.
func diskCorpus(t *testing.T, docs map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range docs {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// openDisk opens the index of corpus kept in dir, failing the test on error.
func openDisk(t *testing.T, corpus, dir string, logs *bytes.Buffer) *Index {
	t.Helper()
	o := Options{Corpus: corpus, Dir: dir}
	if logs != nil {
		o.Logger = slog.New(slog.NewTextHandler(logs, nil))
	}
	ix, err := Open(o)
	if err != nil {
		t.Fatalf("Open(%s, index %s): %v", corpus, dir, err)
	}
	return ix
}

// firstID is the id of the first passage found for q, "" for none.
func firstID(t *testing.T, ix *Index, q string) string {
	t.Helper()
	hits, err := ix.SearchText(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 {
		return ""
	}
	return hits[0].Passage.ID
}

func TestIndexOnDisk(t *testing.T) {
	corpus := diskCorpus(t, map[string]string{
		"velo.txt":  "Le vélo\n\nLe vélo de ville coûte 300 euros.\n",
		"train.txt": "Le train\n\nLe train de nuit part à 22 heures.\n",
		"bus.txt":   "Le bus\n\nLe bus 12 passe toutes les dix minutes.\n",
	})
	dir := filepath.Join(t.TempDir(), "index")
	ix := openDisk(t, corpus, dir, nil)
	if got := ix.Stats().Changed; got != 3 {
		t.Errorf("first open indexed %d documents; want 3", got)
	}
	version := ix.Stats().Version
	ix.Close()

	// Unchanged, or only touched: nothing is indexed again.
	os.Chtimes(filepath.Join(corpus, "bus.txt"), timeNow(), timeNow())
	ix = openDisk(t, corpus, dir, nil)
	if got := ix.Stats().Changed; got != 0 || ix.Stats().Version != version {
		t.Errorf("reopened on an unchanged corpus: %d documents indexed, version %s; want 0, %s", got, ix.Stats().Version, version)
	}
	if got := firstID(t, ix, "train de nuit"); got != "train#p3" {
		t.Errorf("reopened: train de nuit finds %q; want train#p3", got)
	}
	ix.Close()

	// One file edited, one removed: those two only.
	os.WriteFile(filepath.Join(corpus, "velo.txt"), []byte("Le vélo\n\nLe vélo électrique coûte 1200 euros.\n"), 0o600)
	os.Remove(filepath.Join(corpus, "bus.txt"))
	ix = openDisk(t, corpus, dir, nil)
	defer ix.Close()
	if got := ix.Stats().Changed; got != 2 {
		t.Errorf("one file edited, one removed: %d documents indexed; want 2", got)
	}
	if got := firstID(t, ix, "vélo électrique"); got != "velo#p3" {
		t.Errorf("after the edit, vélo électrique finds %q; want velo#p3", got)
	}
	if got := firstID(t, ix, "bus dix minutes"); got != "" {
		t.Errorf("after removing bus.txt, its words still find %q", got)
	}
	if n := len(ix.Passages()); n != 2 {
		t.Errorf("%d passages served; want 2", n)
	}
}

func TestIndexOnDiskDamagedIsRebuilt(t *testing.T) {
	corpus := diskCorpus(t, map[string]string{"velo.txt": "Le vélo\n\nLe vélo de ville coûte 300 euros.\n"})
	for _, damage := range []struct {
		name string
		do   func(dir string)
	}{
		{"state overwritten", func(dir string) { os.WriteFile(filepath.Join(dir, stateFileName), []byte("pas un gob"), 0o600) }},
		{"Bleve folder replaced", func(dir string) {
			st, err := readState(dir)
			if err != nil {
				t.Fatal(err)
			}
			os.RemoveAll(filepath.Join(dir, st.Bleve))
			os.MkdirAll(filepath.Join(dir, st.Bleve), 0o700)
			os.WriteFile(filepath.Join(dir, st.Bleve, "index_meta.json"), []byte("{"), 0o600)
		}},
		{"one byte of the state flipped", func(dir string) {
			path := filepath.Join(dir, stateFileName)
			data, _ := os.ReadFile(path)
			data[len(data)/2] ^= 0xff
			os.WriteFile(path, data, 0o600)
		}},
	} {
		dir := filepath.Join(t.TempDir(), "index")
		openDisk(t, corpus, dir, nil).Close()
		damage.do(dir)
		var logs bytes.Buffer
		ix := openDisk(t, corpus, dir, &logs)
		if ix.Stats().Changed != 1 || !strings.Contains(logs.String(), "rebuilt") {
			t.Errorf("%s: %d documents indexed, log %q; want a rebuild with a warning", damage.name, ix.Stats().Changed, logs.String())
		}
		if got := firstID(t, ix, "vélo de ville"); got != "velo#p3" {
			t.Errorf("%s: rebuilt index finds %q; want velo#p3", damage.name, got)
		}
		ix.Close()
	}
}

func TestIndexOnDiskHeldByAnother(t *testing.T) {
	corpus := diskCorpus(t, map[string]string{"velo.txt": "Le vélo\n\nLe vélo de ville coûte 300 euros.\n"})
	dir := filepath.Join(t.TempDir(), "index")
	held := openDisk(t, corpus, dir, nil)
	defer held.Close()
	_, err := Open(Options{Corpus: corpus, Dir: dir})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), dir) {
		t.Errorf("opening an index another holds: %v; want ErrLocked naming %s", err, dir)
	}
}

// generations lists the Bleve folders of an index folder.
func generations(t *testing.T, dir string) []string {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, bleveDirName+"*"))
	for i, m := range matches {
		matches[i] = filepath.Base(m)
	}
	return matches
}

func TestIndexOnDiskReloadKeepsTheOneInService(t *testing.T) {
	corpus := diskCorpus(t, map[string]string{"velo.txt": "Le vélo\n\nLe vélo de ville coûte 300 euros.\n"})
	dir := filepath.Join(t.TempDir(), "index")
	prev := openDisk(t, corpus, dir, nil)
	served := generations(t, dir)

	// Nothing changed: the open Bleve index is handed over, no copy.
	same, err := Open(Options{Corpus: corpus, Dir: dir, Previous: prev})
	if err != nil {
		t.Fatalf("reload with nothing changed: %v", err)
	}
	prev.Close() // retired: its Bleve index lives on in same
	if got := firstID(t, same, "vélo de ville"); got != "velo#p3" || len(generations(t, dir)) != 1 {
		t.Errorf("after a reload with nothing changed: finds %q, folders %v; want velo#p3 and one folder", got, generations(t, dir))
	}
	prev = same

	// A document added: the next generation is built beside the one in
	// service, which answers as before until it is closed.
	os.WriteFile(filepath.Join(corpus, "train.txt"), []byte("Le train\n\nLe train de nuit part à 22 heures.\n"), 0o600)
	next, err := Open(Options{Corpus: corpus, Dir: dir, Previous: prev})
	if err != nil {
		t.Fatalf("reload with a document added: %v", err)
	}
	defer next.Close()
	if got := firstID(t, prev, "train de nuit"); got != "" {
		t.Errorf("the index in service sees the reload's change before the swap: finds %q", got)
	}
	if got := firstID(t, prev, "vélo de ville"); got != "velo#p3" {
		t.Errorf("the index in service during the reload finds %q; want velo#p3", got)
	}
	if g := generations(t, dir); len(g) != 2 {
		t.Errorf("during the swap, folders %v; want the served one and the new one", g)
	}
	prev.Close()
	if g := generations(t, dir); len(g) != 1 || g[0] == served[0] {
		t.Errorf("once the old index is closed, folders %v; want only the new one (not %v)", g, served)
	}
	if got := firstID(t, next, "train de nuit"); got != "train#p3" {
		t.Errorf("the new index finds %q; want train#p3", got)
	}
	// The next process opens the new generation without indexing anything.
	next.Close()
	again := openDisk(t, corpus, dir, nil)
	defer again.Close()
	if again.Stats().Changed != 0 || firstID(t, again, "train de nuit") != "train#p3" {
		t.Errorf("reopened after the reload: %d indexed; want 0, and train#p3 found", again.Stats().Changed)
	}
}

func TestIndexOnDiskLexiconChangeWhileServing(t *testing.T) {
	corpus := diskCorpus(t, map[string]string{"velo.txt": "Le vélo\n\nLe vélo de ville coûte 300 euros.\n"})
	dir := filepath.Join(t.TempDir(), "index")
	prev := openDisk(t, corpus, dir, nil)
	os.WriteFile(filepath.Join(corpus, SynonymsFile), []byte("bicyclette, vélo\n"), 0o600)
	next, err := Open(Options{Corpus: corpus, Dir: dir, Previous: prev})
	if err != nil {
		t.Fatalf("reload after a lexicon change: %v", err)
	}
	defer next.Close()
	if got := firstID(t, prev, "vélo de ville"); got != "velo#p3" {
		t.Errorf("the index in service after another was rebuilt beside it finds %q; want velo#p3", got)
	}
	prev.Close()
	if got := firstID(t, next, "bicyclette"); got != "velo#p3" {
		t.Errorf("the rebuilt index finds %q for a synonym; want velo#p3", got)
	}
}

func TestIndexOnDiskCrashLeftovers(t *testing.T) {
	corpus := diskCorpus(t, map[string]string{"velo.txt": "Le vélo\n\nLe vélo de ville coûte 300 euros.\n"})
	dir := filepath.Join(t.TempDir(), "index")
	openDisk(t, corpus, dir, nil).Close()
	// A build that crashed before its state was written: a newer folder
	// with something else in it.
	st, err := readState(dir)
	if err != nil {
		t.Fatal(err)
	}
	leftover := filepath.Join(dir, fmt.Sprintf("%s-%d", bleveDirName, st.Generation+1))
	os.MkdirAll(leftover, 0o700)
	os.WriteFile(filepath.Join(leftover, "index_meta.json"), []byte("{}"), 0o600)
	ix := openDisk(t, corpus, dir, nil)
	if ix.Stats().Changed != 0 || firstID(t, ix, "vélo de ville") != "velo#p3" {
		t.Errorf("after a crashed build: %d indexed; want the state's generation served as it is", ix.Stats().Changed)
	}
	if g := generations(t, dir); len(g) != 1 || g[0] != st.Bleve {
		t.Errorf("folders %v after opening; want only %s", g, st.Bleve)
	}
	ix.Close()
	// The next change builds over the leftover's name without trouble.
	os.WriteFile(filepath.Join(corpus, "train.txt"), []byte("Le train\n\nLe train de nuit part à 22 heures.\n"), 0o600)
	os.MkdirAll(leftover, 0o700)
	os.WriteFile(filepath.Join(leftover, "index_meta.json"), []byte("{}"), 0o600)
	ix = openDisk(t, corpus, dir, nil)
	defer ix.Close()
	if firstID(t, ix, "train de nuit") != "train#p3" || firstID(t, ix, "vélo de ville") != "velo#p3" {
		t.Errorf("a change built over a crashed build's folder does not find both documents")
	}
}

func timeNow() time.Time { return time.Now().Add(time.Second) }
