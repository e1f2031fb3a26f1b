package index

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// loadWait bounds a load in the tests: a few small files load in
// milliseconds, while a FIFO opened by mistake blocks forever.
const loadWait = 5 * time.Second

// within runs f and fails the test if f has not returned after loadWait, so a
// load that blocks fails instead of hanging the tests.
func within[T any](tb testing.TB, what string, f func() (T, error)) (T, error) {
	tb.Helper()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-time.After(loadWait):
		tb.Fatalf("%s still running after %v", what, loadWait)
		var zero T
		return zero, nil
	}
}

// mustWrite writes a file of the test's folder, making its parent folders.
func mustWrite(tb testing.TB, name, text string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// symlink returns a maker of a symbolic link to target.
func symlink(target string) func(*testing.T, string) {
	return func(t *testing.T, name string) {
		if err := os.Symlink(target, name); err != nil {
			t.Fatal(err)
		}
	}
}

func mkfifo(t *testing.T, name string) {
	if err := syscall.Mkfifo(name, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadDirRefuses(t *testing.T) {
	other := filepath.Join(t.TempDir(), "secret.txt")
	mustWrite(t, other, "Secret\nUn texte hors du corpus.\n")
	tests := []struct {
		name string // the entry refused, relative to the corpus folder
		make func(t *testing.T, path string)
		want string
	}{
		{"tube.txt", mkfifo, "ce n'est pas un fichier ordinaire (tube nommé)"},
		{"sous/tube.md", mkfifo, "ce n'est pas un fichier ordinaire (tube nommé)"},
		{"prise.txt", func(t *testing.T, name string) {
			l, err := net.Listen("unix", name)
			if err != nil {
				t.Skipf("no unix socket at %s: %v", name, err)
			}
			t.Cleanup(func() { l.Close() })
		}, "ce n'est pas un fichier ordinaire (socket)"},
		{"passwd.txt", symlink("/etc/passwd"), "mène hors du dossier du corpus"},
		{"ailleurs.txt", symlink(other), "mène hors du dossier du corpus"},
		{"sous/remonte.txt", func(t *testing.T, name string) {
			rel, err := filepath.Rel(filepath.Dir(name), other)
			if err != nil {
				t.Fatal(err)
			}
			symlink(rel)(t, name)
		}, "mène hors du dossier du corpus"},
		{"absent.txt", symlink("nulle-part.txt"), "lien symbolique vers un fichier absent"},
		{"boucle.txt", symlink("boucle.txt"), "boucle de liens symboliques"},
		{"dossier.md", symlink("sous"), "ce n'est pas un fichier ordinaire (dossier)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			mustWrite(t, filepath.Join(dir, "a.txt"), "A\nUn texte.\n")
			mustWrite(t, filepath.Join(dir, "sous", "b.md"), "# B\n\nDu texte.\n")
			tt.make(t, filepath.Join(dir, filepath.FromSlash(tt.name)))
			c, err := within(t, "LoadDir("+tt.name+")", func() (*Corpus, error) { return LoadDir(dir) })
			if err == nil || !strings.Contains(err.Error(), "corpus "+tt.name+" : ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadDir(folder with %s) = %v, %v; want an error naming it and %q", tt.name, c, err, tt.want)
			}
		})
	}
}

func TestLoadDirFollowsLinksInside(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "a.txt"), "A\nUn texte.\n")
	// The targets are not documents themselves: only the links are read as such.
	mustWrite(t, filepath.Join(dir, "sources", "velo.source"), "Le vélo\nLa bicyclette a été inventée au XIXe siècle.\n")
	mustWrite(t, filepath.Join(dir, "sources", "train.source"), "# Le train\n\nLe TGV roule à 320 km/h.\n")
	symlink(filepath.Join("sources", "velo.source"))(t, filepath.Join(dir, "velo.txt"))
	mustWrite(t, filepath.Join(dir, "sous", "b.md"), "# B\n\nDu texte.\n")
	symlink(filepath.Join("..", "sources", "train.source"))(t, filepath.Join(dir, "sous", "train.md"))
	c, err := within(t, "LoadDir", func() (*Corpus, error) { return LoadDir(dir) })
	if err != nil {
		t.Fatalf("LoadDir(folder with links inside it) error = %v", err)
	}
	got := map[string]string{}
	for _, p := range c.Passages() {
		got[p.Doc] += p.Text
	}
	for doc, want := range map[string]string{"velo": "bicyclette", "sous/train": "TGV", "a": "Un texte.", "sous/b": "Du texte."} {
		if !strings.Contains(got[doc], want) {
			t.Errorf("LoadDir: document %q = %q; want text holding %q", doc, got[doc], want)
		}
	}
}

func TestLoadDirFolder(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "a.txt"), "A\nUn texte.\n")
	mkfifo(t, filepath.Join(dir, "tube"))
	for _, tt := range []struct{ dir, want string }{
		{filepath.Join(dir, "absent"), "dossier introuvable"},
		{filepath.Join(dir, "a.txt"), "ce n'est pas un dossier"},
		{filepath.Join(dir, "tube"), "ce n'est pas un dossier"},
	} {
		_, err := within(t, "LoadDir("+tt.dir+")", func() (*Corpus, error) { return LoadDir(tt.dir) })
		if err == nil || !strings.Contains(err.Error(), tt.dir) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("LoadDir(%s) error = %v; want one naming it and %q", tt.dir, err, tt.want)
		}
	}
}

func TestReadDirFile(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "anglais.tsv"), "car\tvoiture\n")
	mkfifo(t, filepath.Join(dir, "synonymes.tsv"))
	symlink("/etc/passwd")(t, filepath.Join(dir, "passwd.tsv"))
	symlink("anglais.tsv")(t, filepath.Join(dir, "glossaire.tsv"))
	tests := []struct {
		name, want, wantErr string
	}{
		{"anglais.tsv", "car\tvoiture\n", ""},
		{"glossaire.tsv", "car\tvoiture\n", ""},
		{"synonymes.tsv", "", "synonymes.tsv : ce n'est pas un fichier ordinaire (tube nommé)"},
		{"passwd.tsv", "", "passwd.tsv : lien symbolique qui mène hors du dossier du corpus"},
	}
	for _, tt := range tests {
		data, err := within(t, "ReadDirFile("+tt.name+")", func() ([]byte, error) { return ReadDirFile(dir, tt.name) })
		switch {
		case tt.wantErr == "" && (err != nil || string(data) != tt.want):
			t.Errorf("ReadDirFile(%s) = %q, %v; want %q", tt.name, data, err, tt.want)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ReadDirFile(%s) = %q, %v; want error %q", tt.name, data, err, tt.wantErr)
		}
	}
	if _, err := ReadDirFile(dir, "absent.tsv"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadDirFile(absent.tsv) error = %v; want one wrapping fs.ErrNotExist", err)
	}
}

// lyingFS says every file is regular, as a file swapped for a FIFO right
// after checkRegular looked would seem.
type lyingFS struct{ rootFS }

type regularInfo struct{ fs.FileInfo }

func (regularInfo) Mode() fs.FileMode { return 0o644 }

func (l lyingFS) Lstat(name string) (fs.FileInfo, error) {
	fi, err := l.rootFS.Lstat(name)
	return regularInfo{fi}, err
}
func (l lyingFS) Stat(name string) (fs.FileInfo, error) {
	fi, err := l.rootFS.Stat(name)
	return regularInfo{fi}, err
}

func TestFIFOSwappedInAfterTheCheck(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "tube.txt"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	_, err = within(t, "readFile of a FIFO the check took for a file", func() ([]byte, error) {
		return readFile(lyingFS{newRootFS(root)}, "tube.txt")
	})
	if err == nil || !strings.Contains(err.Error(), "tube nommé") {
		t.Errorf("readFile of a FIFO past the check: %v; want it refused as a « tube nommé », at once", err)
	}
}
