package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// corpusWait bounds a command over a small corpus: it answers in well under
// a second, while a FIFO opened by mistake blocks forever.
const corpusWait = 10 * time.Second

// runWithin runs the command line args and fails the test if it has not
// returned after corpusWait, so a load that blocks fails instead of hanging.
func runWithin(t *testing.T, args ...string) (string, error) {
	t.Helper()
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		var out bytes.Buffer
		err := run(context.Background(), args, strings.NewReader(""), &out, io.Discard)
		done <- result{out.String(), err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-time.After(corpusWait):
		t.Fatalf("causette %q still running after %v", args, corpusWait)
		return "", nil
	}
}

// corpusDir makes a corpus folder holding one good document.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "velo.txt"), []byte("Le vélo\nLa bicyclette a été inventée au XIXe siècle.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCorpusRefuses(t *testing.T) {
	fifo := func(t *testing.T, name string) error { return syscall.Mkfifo(name, 0o644) }
	link := func(target string) func(*testing.T, string) error {
		return func(t *testing.T, name string) error { return os.Symlink(target, name) }
	}
	tests := []struct {
		name string // the file refused, in the corpus folder
		make func(t *testing.T, path string) error
		want string
	}{
		{"tube.txt", fifo, "tube.txt : ce n'est pas un fichier ordinaire (tube nommé)"},
		{"synonymes.tsv", fifo, "synonymes.tsv : ce n'est pas un fichier ordinaire (tube nommé)"},
		{"anglais.tsv", fifo, "anglais.tsv : ce n'est pas un fichier ordinaire (tube nommé)"},
		{"passwd.txt", link("/etc/passwd"), "passwd.txt : lien symbolique qui mène hors du dossier du corpus"},
		{"synonymes.tsv", link("/etc/passwd"), "synonymes.tsv : lien symbolique qui mène hors du dossier du corpus"},
		{"absent.md", link("nulle-part.md"), "absent.md : lien symbolique vers un fichier absent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := corpusDir(t)
			if err := tt.make(t, filepath.Join(dir, tt.name)); err != nil {
				t.Fatal(err)
			}
			// ask reads both lexicons, the documents first.
			_, err := runWithin(t, "ask", "--strict", "--corpus", dir, "vélo")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("causette ask --strict over a corpus with %s: error = %v; want %q", tt.name, err, tt.want)
			}
			// Without --strict, a document that cannot be read is left out
			// and the rest answers; a lexicon that cannot be read is still
			// an error.
			_, err = runWithin(t, "ask", "--corpus", dir, "vélo")
			if lexicon := strings.HasSuffix(tt.name, ".tsv"); lexicon != (err != nil) {
				t.Errorf("causette ask over a corpus with %s: error = %v", tt.name, err)
			}
		})
	}
}

func TestCorpusReadsLinksInside(t *testing.T) {
	dir := corpusDir(t)
	// The .source files are neither documents nor lexicons: only the links
	// to them are read as such.
	sources := map[string]string{
		"train.source":     "Le train\nLe TGV roule à 320 km/h.\n",
		"synonymes.source": "tgv, grande vitesse\n",
	}
	for name, text := range sources {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{"train.txt": "train.source", "synonymes.tsv": "synonymes.source"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runWithin(t, "search", "--corpus", dir, "TGV")
	if err != nil || !strings.Contains(out, "train#p2") {
		t.Errorf("causette search over a corpus with links inside it = %.300q, %v; want the linked passage train#p2", out, err)
	}
}
