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

// indexFlag adds --index to a command's flags: where the index is kept.
func indexFlag(fs *flag.FlagSet, def, usage string) *string {
	return fs.String("index", def, usage)
}

// indexUsage is --index's help for the commands that build in memory by default.
const indexUsage = "dossier de l'index sur disque (construit par « causette index ») ; sans lui, l'index est construit en mémoire"

// openIndex indexes the corpus in dir, or the embedded seeds (index.Open):
// kept in indexDir when given, else in memory.
func openIndex(dir, indexDir string) (*index.Index, error) {
	return index.Open(index.Options{Corpus: dir, Dir: indexDir})
}

// openEngine opens the index and the chat engine over it. key signs the
// context tokens (nil: a random key, for this process only).
func openEngine(dir, indexDir string, top int, key []byte) (*index.Index, *chat.Engine, error) {
	ix, err := openIndex(dir, indexDir)
	if err != nil {
		return nil, nil, err
	}
	return ix, chat.New(ix, chat.Options{Top: top, Secret: key}), nil
}
