package index

import (
	"bytes"
	"errors"
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
			os.RemoveAll(filepath.Join(dir, bleveDirName))
			os.MkdirAll(filepath.Join(dir, bleveDirName), 0o700)
			os.WriteFile(filepath.Join(dir, bleveDirName, "index_meta.json"), []byte("{"), 0o600)
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

func TestIndexOnDiskHandedOver(t *testing.T) {
	corpus := diskCorpus(t, map[string]string{"velo.txt": "Le vélo\n\nLe vélo de ville coûte 300 euros.\n"})
	dir := filepath.Join(t.TempDir(), "index")
	prev := openDisk(t, corpus, dir, nil)
	os.WriteFile(filepath.Join(corpus, "train.txt"), []byte("Le train\n\nLe train de nuit part à 22 heures.\n"), 0o600)
	next, err := Open(Options{Corpus: corpus, Dir: dir, Previous: prev})
	if err != nil {
		t.Fatalf("reopening with the index in service as Previous: %v", err)
	}
	defer next.Close()
	if got := firstID(t, prev, "vélo de ville"); got != "velo#p3" {
		t.Errorf("the previous snapshot during the reload finds %q; want velo#p3", got)
	}
	prev.Close() // retired: Bleve stays open for next
	if got := firstID(t, next, "train de nuit"); got != "train#p3" {
		t.Errorf("after the previous one closed, the new index finds %q; want train#p3", got)
	}
}

func timeNow() time.Time { return time.Now().Add(time.Second) }
