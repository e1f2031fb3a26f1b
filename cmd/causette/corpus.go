package main

import (
	"flag"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/index"
)

// corpusSource is where the documents come from and how they are read:
// --corpus, --base-url and --strict.
type corpusSource struct {
	Dir     string
	BaseURL string
	Strict  bool
}

// corpusFlag adds --corpus, --base-url and --strict to a command's flags.
func corpusFlag(fs *flag.FlagSet) *corpusSource {
	src := &corpusSource{}
	fs.StringVar(&src.Dir, "corpus", "", "dossier de documents : .txt, .md, .html, .pdf, .docx, .odt, .csv, .tsv, sous-dossiers compris (défaut : le corpus intégré)")
	fs.StringVar(&src.BaseURL, "base-url", "", "adresse du site dont le dossier --corpus est la copie (https://site/) : les citations y renvoient")
	fs.BoolVar(&src.Strict, "strict", false, "refuse tout le corpus pour un fichier illisible (sans lui, le fichier est écarté et signalé)")
	return src
}

// options are the index options for this source, kept in indexDir ("":
// in memory).
func (src *corpusSource) options(indexDir string) index.Options {
	return index.Options{Corpus: src.Dir, BaseURL: src.BaseURL, Strict: src.Strict, Dir: indexDir}
}

// indexFlag adds --index to a command's flags: where the index is kept.
func indexFlag(fs *flag.FlagSet, def, usage string) *string {
	return fs.String("index", def, usage)
}

// indexUsage is --index's help for the commands that build in memory by default.
const indexUsage = "dossier de l'index sur disque (construit par « causette index ») ; sans lui, l'index est construit en mémoire"

// openIndex indexes the corpus in dir, or the embedded seeds (index.Open):
// kept in indexDir when given, else in memory.
func openIndex(src *corpusSource, indexDir string) (*index.Index, error) {
	return index.Open(src.options(indexDir))
}

// openEngine opens the index and the chat engine over it. key signs the
// context tokens (nil: a random key, for this process only).
func openEngine(src *corpusSource, indexDir string, top int, key []byte) (*index.Index, *chat.Engine, error) {
	ix, err := openIndex(src, indexDir)
	if err != nil {
		return nil, nil, err
	}
	return ix, chat.New(ix, chat.Options{Top: top, Secret: key}), nil
}
