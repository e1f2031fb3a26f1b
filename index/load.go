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
	c, err := Load(newRootFS(root), ".")
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
	names, err := corpusFiles(fsys, root)
	if err != nil {
		return nil, err
	}
	c := &Corpus{}
	for _, name := range names {
		doc, err := loadDocument(fsys, name)
		if err != nil {
			return nil, err
		}
		c.Docs = append(c.Docs, doc)
	}
	if err := checkSlugs(names, c.Docs); err != nil {
		return nil, err
	}
	return c, nil
}

// corpusFiles lists the documents under root in fsys, in name order:
// hidden folders and files aside. A missing or empty folder is an error.
func corpusFiles(fsys fs.FS, root string) ([]string, error) {
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
	return names, nil
}

// loadDocument reads and parses one corpus file.
func loadDocument(fsys fs.FS, name string) (*Document, error) {
	data, err := readFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return parseFile(name, data)
}

// parseFile parses a corpus file's bytes.
func parseFile(name string, data []byte) (*Document, error) {
	doc, err := Parse(name, data)
	if err != nil {
		return nil, fmt.Errorf("corpus : %w", err)
	}
	return doc, nil
}

// checkSlugs refuses two files that make the same document id.
func checkSlugs(names []string, docs []*Document) error {
	seen := map[string]string{}
	for i, doc := range docs {
		if other, dup := seen[doc.Slug]; dup {
			return fmt.Errorf("corpus : %s et %s donnent le même document %q ; renommez l'un des deux", other, names[i], doc.Slug)
		}
		seen[doc.Slug] = names[i]
	}
	return nil
}
