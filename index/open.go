package index

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/causette/causette/seeds"
)

// Lexicon files: the embedded ones always; a corpus folder may add its own
// (a file of the same name, whose entries are added to the embedded ones).
const (
	SynonymsFile = "synonymes.tsv"
	GlossaryFile = "anglais.tsv"
)

// Options say where a corpus comes from.
type Options struct {
	// Corpus is the folder of documents, read through LoadDir; "" serves
	// the embedded seed corpus (package seeds).
	Corpus string
}

// Open reads a corpus and its lexicons and indexes it: the one way the
// command line, the server and the tests assemble an index.
func Open(o Options) (*Index, error) {
	var c *Corpus
	var err error
	if o.Corpus != "" {
		c, err = LoadDir(o.Corpus)
	} else {
		c, err = Load(seeds.FS, ".")
	}
	if err != nil {
		return nil, err
	}
	syn, err := lexicon(o.Corpus, SynonymsFile, ParseSynonyms)
	if err != nil {
		return nil, err
	}
	glossary, err := lexicon(o.Corpus, GlossaryFile, ParseGlossary)
	if err != nil {
		return nil, err
	}
	ix, err := Build(c, syn)
	if err != nil {
		return nil, err
	}
	ix.glossary = glossary
	return ix, nil
}

// Glossary maps English words to French ones ("" drops the word), from the
// embedded anglais.tsv and the corpus's own, for questions asked in English.
// An index made by Build alone has none.
func (ix *Index) Glossary() map[string]string { return ix.glossary }

// lexicon reads an embedded lexicon and, when the corpus folder dir has a
// file of the same name, adds its entries.
func lexicon[T any](dir, name string, parse func(string, []byte) (T, error)) (T, error) {
	var zero T
	data, err := fs.ReadFile(seeds.FS, name)
	if err != nil {
		return zero, fmt.Errorf("embedded %s: %w", name, err)
	}
	if dir != "" {
		own, err := ReadDirFile(dir, name)
		switch {
		case err == nil:
			data = append(append(data, '\n'), own...)
		case !errors.Is(err, fs.ErrNotExist):
			return zero, err
		}
	}
	return parse(name, data)
}
