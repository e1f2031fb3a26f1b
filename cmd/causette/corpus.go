package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/index"
	"github.com/causette/causette/seeds"
)

// Lexicon files: the embedded ones always; a corpus folder may add its own.
const (
	synonymsFile = "synonymes.tsv"
	glossaryFile = "anglais.tsv"
)

// corpusFlag adds --corpus to a command's flags.
func corpusFlag(fs *flag.FlagSet) *string {
	return fs.String("corpus", "", "dossier de documents .txt et .md (défaut : le corpus intégré)")
}

// openIndex loads and indexes the corpus in dir, or the embedded seeds.
func openIndex(dir string) (*index.Index, error) {
	var c *index.Corpus
	var err error
	if dir != "" {
		c, err = index.LoadDir(dir)
	} else {
		c, err = index.Load(seeds.FS, ".")
	}
	if err != nil {
		return nil, err
	}
	syn, err := lexicon(dir, synonymsFile, index.ParseSynonyms)
	if err != nil {
		return nil, err
	}
	return index.Build(c, syn)
}

// openEngine builds the index and the chat engine over it. key signs the
// context tokens (nil: a random key, for this process only).
func openEngine(dir string, top int, key []byte) (*index.Index, *chat.Engine, error) {
	ix, err := openIndex(dir)
	if err != nil {
		return nil, nil, err
	}
	glossary, err := lexicon(dir, glossaryFile, chat.ParseGlossary)
	if err != nil {
		return nil, nil, err
	}
	return ix, chat.New(ix, chat.Options{Top: top, Glossary: glossary, Secret: key}), nil
}

// lexicon reads an embedded lexicon and, when the corpus folder has a file of
// the same name, adds its entries; that file is read as the documents are
// (index.ReadDirFile: a regular file inside the folder).
func lexicon[T any](dir, name string, parse func(string, []byte) (T, error)) (T, error) {
	var zero T
	data, err := fs.ReadFile(seeds.FS, name)
	if err != nil {
		return zero, fmt.Errorf("embedded %s: %w", name, err)
	}
	if dir != "" {
		own, err := index.ReadDirFile(dir, name)
		switch {
		case err == nil:
			data = append(append(data, '\n'), own...)
		case !errors.Is(err, fs.ErrNotExist):
			return zero, err
		}
	}
	return parse(name, data)
}
