package index

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// MaxFileSize is the largest corpus file read: a book-length document is a
// few megabytes; anything larger is most likely not prose.
const MaxFileSize = 8 << 20

// Corpus is the set of documents Causette answers from.
type Corpus struct {
	Docs []*Document
}

// Passages lists every passage of the corpus in document order.
func (c *Corpus) Passages() []Passage {
	var out []Passage
	for _, d := range c.Docs {
		out = append(out, d.Passages...)
	}
	return out
}

// IsCorpusFile reports whether a file name is read as a document.
func IsCorpusFile(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return (ext == ".txt" || ext == ".md") && !strings.HasPrefix(path.Base(name), ".")
}

// LoadDir reads every .txt and .md document of the folder dir, as Load does,
// through an os.Root: no path, symlinks included, leads outside the folder.
// Errors start with dir.
func LoadDir(dir string) (*Corpus, error) {
	root, err := openDir(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	c, err := Load(root.FS(), ".")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return c, nil
}

// Load reads every .txt and .md document under root in fsys, in name order.
// Only regular files are opened, and symbolic links that lead to one inside
// fsys's folder. A missing or empty folder, or a file that is unreadable,
// binary, empty, larger than MaxFileSize, not a regular file (a FIFO, a
// socket, a device), or a link that leads outside, dangles or loops, is an
// error that names the file and the reason.
func Load(fsys fs.FS, root string) (*Corpus, error) {
	info, err := fs.Stat(fsys, root)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("corpus %s : dossier introuvable", root)
		}
		return nil, fmt.Errorf("corpus %s : %w", root, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("corpus %s : ce n'est pas un dossier", root)
	}
	var names []string
	err = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("corpus %s : %w", p, err)
		}
		if d.IsDir() && p != root && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		if !d.IsDir() && IsCorpusFile(d.Name()) {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("corpus %s : aucun document .txt ou .md", root)
	}
	sort.Strings(names)
	c := &Corpus{}
	seen := map[string]string{}
	for _, name := range names {
		data, err := readFile(fsys, name)
		if err != nil {
			return nil, err
		}
		doc, err := Parse(name, data)
		if err != nil {
			return nil, fmt.Errorf("corpus : %w", err)
		}
		if other, dup := seen[doc.Slug]; dup {
			return nil, fmt.Errorf("corpus : %s et %s donnent le même document %q ; renommez l'un des deux", other, name, doc.Slug)
		}
		seen[doc.Slug] = name
		c.Docs = append(c.Docs, doc)
	}
	return c, nil
}
