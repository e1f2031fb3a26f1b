// Package index turns a corpus of French documents into passages and searches them.
//
// Parse and Load read documents (.txt in the seed's shape, .md) into passages:
// paragraphs, table rows read with their header, and FAQ question/answer pairs,
// each with a stable id and its exact source text; LoadDir and ReadDirFile read
// a corpus folder through an os.Root, and only its regular files. Build puts
// the passages in a Bleve index (scorch, BM25) analysed by a French analyzer
// (elision, stop words, accent folding, Snowball stemming, synonyms), and
// Index.Search ranks them for a question, correcting words the corpus does not
// know.
package index
