package index

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOpenVersionFollowsTheCorpus(t *testing.T) {
	dir := t.TempDir()
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	version := func() string {
		t.Helper()
		ix, err := Open(Options{Corpus: dir})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		return ix.Stats().Version
	}
	write("Titre\n\nUn paragraphe sur les vélos de ville.\n")
	v1, again := version(), version()
	write("Titre\n\nUn paragraphe sur les vélos de course.\n")
	v2 := version()
	if v1 == "" || v1 != again || v1 == v2 {
		t.Errorf("versions %q, %q (same corpus), %q (edited); want the same twice, then another", v1, again, v2)
	}
}
