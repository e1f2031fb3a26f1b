package index

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// maxLinkHops is how many links in a row leadsOutside follows: os.Root gives
// up after 8, so a longer chain is refused as a loop anyway.
const maxLinkHops = 8

// openDir opens the folder dir as an os.Root, whose FS refuses every path,
// symlinks included, that leads outside it. dir is looked at first:
// os.OpenRoot opens whatever it is given, and opening a FIFO blocks.
func openDir(dir string) (*os.Root, error) {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s: corpus : dossier introuvable", dir)
	case err != nil:
		return nil, fmt.Errorf("%s: corpus : %w", dir, err)
	case !info.IsDir():
		return nil, fmt.Errorf("%s: corpus : ce n'est pas un dossier", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: corpus : %w", dir, err)
	}
	return root, nil
}

// ReadDirFile reads the file name of the corpus folder dir with the checks
// LoadDir makes of a document: a regular file, or a link to one inside the
// folder, of at most MaxFileSize (MaxPackedFileSize for a PDF, Word or
// OpenDocument file). An absent file is an error wrapping
// fs.ErrNotExist; errors start with dir, then name the file and the reason.
func ReadDirFile(dir, name string) ([]byte, error) {
	root, err := openDir(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	data, err := readFile(newRootFS(root), name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return data, nil
}

// readFile reads the file name of fsys once checkRegular accepts it, so that
// nothing but a regular file is ever opened.
func readFile(fsys fs.FS, name string) ([]byte, error) {
	if err := checkRegular(fsys, name); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("corpus %s : lecture impossible : %w", name, err)
	}
	defer f.Close()
	// Checked again on what was opened: the file may have been swapped
	// since checkRegular looked.
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		if err != nil {
			return nil, fmt.Errorf("corpus %s : lecture impossible : %w", name, err)
		}
		return nil, fmt.Errorf("corpus %s : ce n'est pas un fichier ordinaire (%s)", name, kind(info.Mode()))
	}
	limit := maxFileSize(name)
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("corpus %s : lecture impossible : %w", name, err)
	}
	if len(data) > limit {
		return nil, fmt.Errorf("corpus %s : fichier de plus de %d Mio", name, limit>>20)
	}
	return data, nil
}

// checkRegular accepts a regular file, or a symbolic link that leads to one
// inside fsys, looking at it without opening it: opening a FIFO blocks until
// someone writes to it. A link that leads outside, dangles or loops, and
// anything else (a FIFO, a socket, a device, a folder), is an error naming
// the file and the reason. A file that is absent is an error wrapping
// fs.ErrNotExist.
func checkRegular(fsys fs.FS, name string) error {
	info, err := fs.Lstat(fsys, name)
	if err != nil {
		return fmt.Errorf("corpus %s : lecture impossible : %w", name, err)
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		target, _ := fs.ReadLink(fsys, name)
		if leadsOutside(fsys, name) {
			return fmt.Errorf("corpus %s : lien symbolique qui mène hors du dossier du corpus (%s)", name, target)
		}
		info, err = fs.Stat(fsys, name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("corpus %s : lien symbolique vers un fichier absent (%s)", name, target)
		case errors.Is(err, syscall.ELOOP):
			return fmt.Errorf("corpus %s : boucle de liens symboliques (%s)", name, target)
		case err != nil:
			return fmt.Errorf("corpus %s : lien symbolique illisible (%s) : %w", name, target, err)
		}
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("corpus %s : ce n'est pas un fichier ordinaire (%s)", name, kind(info.Mode()))
	}
	return nil
}

// leadsOutside reports whether the link name, followed link after link,
// points out of fsys's folder: to an absolute path, or above it with "..".
// os.Root refuses such links too; this says why, in words.
func leadsOutside(fsys fs.FS, name string) bool {
	for range maxLinkHops {
		target, err := fs.ReadLink(fsys, name)
		if err != nil {
			return false // not a link: the chain ends inside
		}
		if path.IsAbs(target) || filepath.IsAbs(target) {
			return true
		}
		name = path.Join(path.Dir(name), filepath.ToSlash(target))
		if name == ".." || strings.HasPrefix(name, "../") {
			return true
		}
	}
	return false
}

// kind names in French what a file that is not regular is.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "dossier"
	case m&fs.ModeNamedPipe != 0:
		return "tube nommé"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "périphérique en mode caractère"
	case m&fs.ModeDevice != 0:
		return "périphérique en mode bloc"
	default:
		return "fichier spécial"
	}
}

// rootFS is an os.Root's FS whose Open never blocks: a file swapped for a
// FIFO between checkRegular and Open would block an ordinary open until a
// writer comes; opened non-blocking, readFile sees what it is and refuses it.
type rootFS struct {
	root  *os.Root
	inner fs.FS // root.FS(), for everything but Open
}

// newRootFS returns the FS of root.
func newRootFS(root *os.Root) rootFS { return rootFS{root: root, inner: root.FS()} }

func (r rootFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return r.inner.Open(name)
	}
	return r.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

func (r rootFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(r.inner, name) }
func (r rootFS) Lstat(name string) (fs.FileInfo, error)     { return fs.Lstat(r.inner, name) }
func (r rootFS) ReadLink(name string) (string, error)       { return fs.ReadLink(r.inner, name) }
func (r rootFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(r.inner, name) }
