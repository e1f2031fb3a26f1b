//go:build unix

package sqlite

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/causette/causette/web/store"
)

// TestFilePermissions: the database and its WAL files are the server user's
// alone, whether the log creates the file or finds it left 0644 by an older
// version.
func TestFilePermissions(t *testing.T) {
	// The usual umask, whatever the test runner's: with it SQLite alone
	// would create 0644 files.
	defer syscall.Umask(syscall.Umask(0o022))
	tests := []struct {
		name     string
		existing os.FileMode // 0: no file before Open
	}{
		{"new file", 0},
		{"file left 0644", 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "causette.db")
			if tt.existing != 0 {
				if err := os.WriteFile(path, nil, tt.existing); err != nil {
					t.Fatal(err)
				}
			}
			l := mustOpen(t, path, store.Options{})
			l.Record(store.Turn{Question: "Qui dirige Mistral ?", Kind: "answer"})
			mustFlush(t, l)
			for _, name := range append([]string{path}, path+walFiles[0], path+walFiles[1]) {
				fi, err := os.Stat(name)
				if err != nil {
					t.Errorf("after a write: %v; want %s there", err, filepath.Base(name))
					continue
				}
				if got := fi.Mode().Perm(); got != filePerm {
					t.Errorf("%s is %v; want %v", filepath.Base(name), got, filePerm)
				}
			}
		})
	}
}
