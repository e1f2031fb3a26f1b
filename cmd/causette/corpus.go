package main

import (
	"flag"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/index"
)

// corpusFlag adds --corpus to a command's flags.
func corpusFlag(fs *flag.FlagSet) *string {
	return fs.String("corpus", "", "dossier de documents .txt et .md (défaut : le corpus intégré)")
}

// openIndex indexes the corpus in dir, or the embedded seeds (index.Open).
func openIndex(dir string) (*index.Index, error) {
	return index.Open(index.Options{Corpus: dir})
}

// openEngine builds the index and the chat engine over it. key signs the
// context tokens (nil: a random key, for this process only).
func openEngine(dir string, top int, key []byte) (*index.Index, *chat.Engine, error) {
	ix, err := openIndex(dir)
	if err != nil {
		return nil, nil, err
	}
	return ix, chat.New(ix, chat.Options{Top: top, Secret: key}), nil
}
