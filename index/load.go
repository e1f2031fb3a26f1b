package index

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"
)

// MaxFileSize is the largest corpus file read: a book-length document is a
// few megabytes; anything larger is most likely not prose.
const MaxFileSize = 8 << 20

// MaxPackedFileSize is the largest PDF, Word or OpenDocument file read:
// their images make them far larger than their text.
const MaxPackedFileSize = 64 << 20

// maxFileSize is the largest file of name's format that is read.
func maxFileSize(name string) int {
	switch strings.ToLower(path.Ext(name)) {
	case ".pdf", ".docx", ".odt":
		return MaxPackedFileSize
	}
	return MaxFileSize
}

// Corpus is the set of documents Causette answers from.
type Corpus struct {
	Docs []*Document
	// Skipped are the files left out because they could not be read (a
	// lenient load only: see Options.Strict).
	Skipped []Skipped
}

// Skipped is a corpus file left out, with the reason, in French.
type Skipped struct {
	Name   string `json:"file"`
	Reason string `json:"reason"`
}

// Passages lists every passage of the corpus in document order.
func (c *Corpus) Passages() []Passage {
	var out []Passage
	for _, d := range c.Docs {
		out = append(out, d.Passages...)
	}
	return out
}

// LoadDir reads every document of the folder dir, as Load does, through an
// os.Root: no path, symlinks included, leads outside the folder. Errors
// start with dir.
func LoadDir(dir string) (*Corpus, error) { return loadDir(dir, Options{Strict: true}) }

// loadDir is LoadDir with o's Strict and BaseURL (see loadCorpus).
func loadDir(dir string, o Options) (*Corpus, error) {
	root, err := openDir(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	c, err := loadCorpus(newRootFS(root), ".", o)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return c, nil
}

// Load reads every document under root in fsys (sub-folders included, see
// IsCorpusFile), in name order. Only regular files are opened, and symbolic
// links that lead to one inside fsys's folder. A missing or empty folder,
// or a file that is unreadable, binary, empty, larger than maxFileSize,
// malformed for its format, not a regular file (a FIFO, a socket, a
// device), or a link that leads outside, dangles or loops, is an error that
// names the file and the reason.
func Load(fsys fs.FS, root string) (*Corpus, error) {
	return loadCorpus(fsys, root, Options{Strict: true})
}

// loadCorpus is Load; when o is not Strict, a file that cannot be read is
// left out and listed in Corpus.Skipped instead, and only a corpus with no
// document left is an error. Documents are located at o.BaseURL.
func loadCorpus(fsys fs.FS, root string, o Options) (*Corpus, error) {
	names, err := corpusFiles(fsys, root)
	if err != nil {
		return nil, err
	}
	ids, err := locate(fsys, names, root, o.BaseURL)
	if err != nil {
		return nil, err
	}
	strict := o.Strict
	c := &Corpus{}
	seen := map[string]string{}
	for _, name := range names {
		doc, err := loadDocument(fsys, name, ids[name])
		if err == nil && doc.Problem != "" {
			if strict {
				return nil, fmt.Errorf("corpus : %s", doc.Problem)
			}
			c.Skipped = append(c.Skipped, Skipped{Name: name, Reason: "corpus : " + doc.Problem})
		}
		if err == nil {
			if other, dup := seen[doc.Slug]; dup {
				err = fmt.Errorf("corpus : %s et %s donnent le même document %q ; renommez l'un des deux", other, name, doc.Slug)
			}
		}
		if err != nil {
			if strict {
				return nil, err
			}
			c.Skipped = append(c.Skipped, Skipped{Name: name, Reason: err.Error()})
			continue
		}
		seen[doc.Slug] = name
		c.Docs = append(c.Docs, doc)
	}
	if len(c.Docs) == 0 {
		return nil, fmt.Errorf("corpus %s : aucun document lisible (%s)", root, c.Skipped[0].Reason)
	}
	return c, nil
}

// location is where a document is: its id, and the URL the folder gives it
// (the crawl's manifest's, or BaseURL followed by its path; "" for none).
type location struct {
	id, url string
	// contentType is the type a crawled page was served with ("" for
	// another file).
	contentType string
}

// locate gives each file its location: its id (documentIDs) and its URL.
func locate(fsys fs.FS, names []string, root, baseURL string) (map[string]location, error) {
	pages, err := readManifest(fsys)
	if err != nil {
		return nil, err
	}
	var base *url.URL
	if baseURL != "" {
		if !isWebURL(baseURL) {
			return nil, fmt.Errorf("--base-url %q : ce n'est pas une adresse http(s)", baseURL)
		}
		base, _ = url.Parse(baseURL)
		if !strings.HasSuffix(base.Path, "/") {
			base.Path += "/"
		}
	}
	ids := documentIDs(names, root)
	out := make(map[string]location, len(names))
	for _, n := range names {
		rel := strings.TrimPrefix(n, root+"/")
		at := location{id: ids[n], url: pages[rel].URL, contentType: pages[rel].ContentType}
		if at.url == "" && base != nil {
			at.url = base.JoinPath(rel).String()
		}
		out[n] = at
	}
	return out, nil
}

// documentIDs gives each file its document id: its path under root without
// the extension (Slug), with the extension kept where two files would
// clash (« guide.pdf » beside « guide.html »).
func documentIDs(names []string, root string) map[string]string {
	rel := func(name string) string {
		if r, ok := strings.CutPrefix(name, root+"/"); ok && root != "." {
			return r
		}
		return name
	}
	count := map[string]int{}
	for _, n := range names {
		count[Slug(rel(n))]++
	}
	ids := make(map[string]string, len(names))
	for _, n := range names {
		id := Slug(rel(n))
		if count[id] > 1 {
			if ext := slugPart(path.Ext(n)); ext != "" {
				id += "." + ext
			}
		}
		ids[n] = id
	}
	return ids
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
		return nil, fmt.Errorf("corpus %s : aucun document (.txt, .md, .html, .pdf, .docx, .odt, .csv, .tsv)", root)
	}
	sort.Strings(names)
	return names, nil
}

// loadDocument reads and parses one corpus file as the document at.
func loadDocument(fsys fs.FS, name string, at location) (*Document, error) {
	data, err := readFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return parseDocument(name, at, data)
}
