package index

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/causette/causette/seeds"
)

// Lexicon files: the embedded ones always; a corpus folder may add its own
// (a file of the same name, whose entries are added to the embedded ones).
const (
	SynonymsFile = "synonymes.tsv"
	GlossaryFile = "anglais.tsv"
)

// Options say where a corpus comes from and where its index is kept.
type Options struct {
	// Corpus is the folder of documents, read through LoadDir; "" serves
	// the embedded seed corpus (package seeds).
	Corpus string
	// Dir keeps the index on disk: Bleve's folder and the state of every
	// document (see openOnDisk). A start on an unchanged corpus then reads
	// no document and analyses nothing; a changed file re-indexes its
	// document only. "" builds the index in memory.
	Dir string
	// Previous is the index in service over the same Dir, when reloading:
	// its Bleve index is updated in place and handed over (a process cannot
	// open it twice). Searches on Previous go on meanwhile.
	Previous *Index
	// Progress, when set, is called after each document of a build on disk.
	Progress func(Progress)
	// Logger receives the warnings of a build on disk (slog.Default when nil).
	Logger *slog.Logger
	// BaseURL is the address of the site the corpus folder mirrors
	// (« https://site/aide/ »): a document with no URL of its own (a
	// canonical link, a crawled page's, a front matter's url:) is at
	// BaseURL followed by its path in the folder.
	BaseURL string
	// Extra are documents served beside the corpus that come from no file
	// (the team's answers); their ids must not clash with the corpus's.
	Extra []*Document
	// Attached are the phrasings staff attached to corpus passages: each
	// passage whose text has the attachment's fingerprint gets them
	// (Passage.Attached). Those that match no passage are listed in
	// Stats.Orphans.
	Attached []Attachment
	// Strict refuses the whole corpus for one file that cannot be read;
	// otherwise such a file is left out, logged and listed in
	// Stats.Skipped.
	Strict bool
	// Candidates is how many passages stage one of a search hands to stage
	// two, at the least (0: stageOneCandidates). Measurements set it; a
	// number past the corpus's passages makes the search exhaustive.
	Candidates int
}

// Open reads a corpus and its lexicons and indexes it: the one way the
// command line, the server and the tests assemble an index.
func Open(o Options) (*Index, error) {
	synData, syn, err := lexicon(o.Corpus, SynonymsFile, ParseSynonyms)
	if err != nil {
		return nil, err
	}
	glossData, glossary, err := lexicon(o.Corpus, GlossaryFile, ParseGlossary)
	if err != nil {
		return nil, err
	}
	var ix *Index
	if o.Dir == "" {
		var c *Corpus
		if o.Corpus != "" {
			c, err = loadDir(o.Corpus, o)
		} else {
			c, err = Load(seeds.FS, ".")
		}
		if err != nil {
			return nil, err
		}
		var orphans []string
		c.Docs, orphans = newAttachments(o.Attached).applyAll(append(c.Docs, o.Extra...))
		if ix, err = Build(c, syn); err != nil {
			return nil, err
		}
		ix.stats.Orphans = orphans
		ix.stats.Skipped = c.Skipped
		for _, sk := range c.Skipped {
			logger(o).Warn("corpus file skipped", "file", sk.Name, "err", sk.Reason)
		}
	} else {
		sum := sha256.Sum256(append(append(synData, 0), glossData...))
		if ix, err = openCorpusOnDisk(o, syn, hex.EncodeToString(sum[:])); err != nil {
			return nil, err
		}
	}
	ix.glossary = glossary
	if o.Candidates > 0 {
		ix.candidates = o.Candidates
	}
	return ix, nil
}

func logger(o Options) *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.Default()
}

// openCorpusOnDisk lists the corpus's files and opens the index on disk.
func openCorpusOnDisk(o Options, syn [][]string, lexHash string) (*Index, error) {
	var fsys fs.FS = seeds.FS
	if o.Corpus != "" {
		root, err := openDir(o.Corpus)
		if err != nil {
			return nil, err
		}
		defer root.Close()
		fsys = newRootFS(root)
	}
	names, err := corpusFiles(fsys, ".")
	if err == nil {
		var ix *Index
		if ix, err = openOnDisk(o, fsys, names, syn, lexHash); err == nil {
			return ix, nil
		}
	}
	if o.Corpus != "" {
		return nil, fmt.Errorf("%s: %w", o.Corpus, err)
	}
	return nil, err
}

// Glossary maps English words to French ones ("" drops the word), from the
// embedded anglais.tsv and the corpus's own, for questions asked in English.
// An index made by Build alone has none.
func (ix *Index) Glossary() map[string]string { return ix.glossary }

// lexicon reads an embedded lexicon and, when the corpus folder dir has a
// file of the same name, adds its entries; it returns the bytes read too.
func lexicon[T any](dir, name string, parse func(string, []byte) (T, error)) ([]byte, T, error) {
	var zero T
	data, err := fs.ReadFile(seeds.FS, name)
	if err != nil {
		return nil, zero, fmt.Errorf("embedded %s: %w", name, err)
	}
	if dir != "" {
		own, err := ReadDirFile(dir, name)
		switch {
		case err == nil:
			data = append(append(data, '\n'), own...)
		case !errors.Is(err, fs.ErrNotExist):
			return nil, zero, err
		}
	}
	v, err := parse(name, data)
	return data, v, err
}
