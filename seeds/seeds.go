// Package seeds holds the default corpus and the language resources (synonyms,
// English glossary) embedded in the binary.
package seeds

import "embed"

// FS holds the seed documents (*.txt, *.md) and the lexicons (*.tsv).
//
//go:embed *.txt *.tsv
var FS embed.FS
