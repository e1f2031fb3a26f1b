package index

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
)

// fieldAll is the one field of a passage in Bleve: the stems of all its
// stemmed fields, for stage one (see Search).
const fieldAll = "all"

// versionHexDigits is how much of the fingerprint names a version: 48
// bits, enough to tell a corpus's versions apart, short enough to read.
const versionHexDigits = 12

// Index is a searchable corpus: the passages and their Bleve index.
type Index struct {
	bleve    bleve.Index
	passages []Passage
	byID     map[string]int
	stats    Stats
	vocab    *vocabulary
	glossary map[string]string // see Open
	fwd      *forward          // stage two's data
	// candidates is how many passages stage one hands to stage two, at
	// the least (Options.Candidates).
	candidates int
	dir        string // Options.Dir, "" in memory
	// bleveName is the generation folder of dir this index reads.
	bleveName string
	// owns says this Index closes the Bleve index: a reload with nothing
	// changed hands the open index over to the next snapshot
	// (Options.Previous).
	owns atomic.Bool
	// lock holds dir against other processes; ownsLock says this Index
	// releases it (a reload hands it over too).
	lock     *dirLock
	ownsLock atomic.Bool
	// removeOnClose is the generation folder to remove once this index,
	// replaced by a newer one, is closed.
	removeOnClose atomic.Pointer[string]
}

// Stats describes a built index.
type Stats struct {
	Documents int           `json:"documents"`
	Passages  int           `json:"passages"`
	ByKind    map[Kind]int  `json:"by_kind"`
	Synonyms  int           `json:"synonym_groups"`
	Terms     int           `json:"terms"`
	BuildTime time.Duration `json:"build_time_ns"`
	// Changed counts the documents indexed (added, changed or removed) by
	// the open that made this index: all of them for a build in memory,
	// none for a start on an unchanged corpus kept on disk.
	Changed int `json:"changed"`
	// Skipped lists the corpus files left out because they could not be
	// read, with the reason (see Options.Strict).
	Skipped []Skipped `json:"skipped"`
	// Version fingerprints what is served: every passage's id and text
	// (and attached phrasings) and the synonym groups. Two builds of the
	// same corpus have the same.
	Version string `json:"version"`
	// Orphans are the fingerprints of Options.Attached that no passage
	// has any more: their passage was edited or removed.
	Orphans []string `json:"orphans,omitempty"`
}

// Build indexes the corpus in memory with the French analyzer and BM25
// scoring. synonyms are groups of single words that mean the same; a query
// word is searched with its synonyms (see Weighted). Bleve's own synonym
// expansion is not used: it wraps a word and its synonyms in a disjunction
// whose coordination factor divides the word's score by the group's size
// (measured: "PDG" scored 0.01 where "Arthur", as rare, scored 0.07).
func Build(c *Corpus, synonyms [][]string) (*Index, error) {
	start := time.Now()
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	bi, err := bleve.NewUsing("", m, scorch.Name, bleve.Config.DefaultMemKVStore, nil)
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	batch := bi.NewBatch()
	vocabs := make([]*docVocab, len(c.Docs))
	for i, d := range c.Docs {
		vocabs[i] = vocabOf(d.Passages)
		if err := indexDocument(batch, d, vocabs[i]); err != nil {
			return nil, err
		}
	}
	if err := bi.Batch(batch); err != nil {
		return nil, fmt.Errorf("index batch: %w", err)
	}
	ix, err := assemble(bi, c.Docs, vocabs, synonyms)
	if err != nil {
		bi.Close()
		return nil, err
	}
	ix.stats.Changed = len(c.Docs)
	ix.stats.BuildTime = time.Since(start)
	return ix, nil
}

// indexDocument adds a document's passages to a Bleve batch, each under its
// passage id, with the stems its vocabulary (vocabOf) found: Bleve splits
// them on spaces and analyses nothing.
func indexDocument(batch *bleve.Batch, d *Document, v *docVocab) error {
	for i := range d.Passages {
		p := &d.Passages[i]
		if err := batch.Index(p.ID, map[string]string{fieldAll: stageOneText(v, i)}); err != nil {
			return fmt.Errorf("index %s: %w", p.ID, err)
		}
	}
	return nil
}

// stageOneText writes passage i's stems, every field's but fExact's, each
// as often as it occurs.
func stageOneText(v *docVocab, i int) string {
	var b strings.Builder
	for _, e := range v.Forward[i] {
		if entryField(e) == fExact {
			continue
		}
		for range int(entryFreq(e)) {
			b.WriteString(v.Terms[entryTerm(e)])
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// assemble makes the Index over a Bleve index that holds docs' passages:
// the passages in corpus order, the vocabulary merged from the documents'
// own (vocabs, in the same order), the statistics and the version.
func assemble(bi bleve.Index, docs []*Document, vocabs []*docVocab, synonyms [][]string) (*Index, error) {
	ix := &Index{bleve: bi, byID: map[string]int{}, stats: Stats{ByKind: map[Kind]int{}}}
	ix.owns.Store(true)
	fwd, err := newForward(vocabs)
	if err != nil {
		return nil, err
	}
	ix.fwd, ix.candidates = fwd, stageOneCandidates
	version := sha256.New()
	for _, d := range docs {
		ix.stats.Documents++
		for _, p := range d.Passages {
			fmt.Fprintf(version, "%s\x00%s\x00", p.ID, p.Text)
			if len(p.Attached) > 0 { // none: the version of a corpus as it was
				fmt.Fprintf(version, "%q\x00", p.Attached)
			}
			if _, dup := ix.byID[p.ID]; dup {
				return nil, fmt.Errorf("document %s: two passages with id %s", d.Slug, p.ID)
			}
			ix.byID[p.ID] = len(ix.passages)
			ix.passages = append(ix.passages, p)
			ix.stats.ByKind[p.Kind]++
		}
	}
	for _, group := range synonyms {
		if len(singleWords(group)) >= 2 {
			ix.stats.Synonyms++
		}
		fmt.Fprintf(version, "%q\x00", group)
	}
	ix.stats.Version = hex.EncodeToString(version.Sum(nil))[:versionHexDigits]
	ix.stats.Passages = len(ix.passages)
	ix.fwd.levels(ix.passages)
	ix.vocab = mergeVocabulary(vocabs)
	ix.vocab.addSynonyms(synonyms)
	ix.stats.Terms = len(ix.vocab.df)
	return ix, nil
}

// singleWords keeps the one-word members of a synonym group: a group maps
// one analysed term to another.
func singleWords(group []string) []string {
	var out []string
	for _, w := range group {
		w = strings.TrimSpace(w)
		if w != "" && len(Analyze(w)) == 1 && !strings.ContainsAny(w, " \t") {
			out = append(out, w)
		}
	}
	return out
}

func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25"
	m.DefaultAnalyzer = AnalyzerName
	dm := bleve.NewDocumentStaticMapping()
	fm := bleve.NewTextFieldMapping()
	fm.Analyzer = PreAnalyzedName
	fm.Store = false // passages are kept in memory beside the index
	fm.IncludeInAll = false
	fm.IncludeTermVectors = false
	dm.AddFieldMappingsAt(fieldAll, fm)
	m.DefaultMapping = dm
	return m, nil
}

// Stats describes the index.
func (ix *Index) Stats() Stats { return ix.stats }

// Passages lists every passage in corpus order.
func (ix *Index) Passages() []Passage { return ix.passages }

// Passage returns the passage with the given id.
func (ix *Index) Passage(id string) (Passage, bool) {
	n, ok := ix.byID[id]
	if !ok {
		return Passage{}, false
	}
	return ix.passages[n], true
}

// Neighbours returns up to n passages on each side of id in its document.
func (ix *Index) Neighbours(id string, n int) []Passage {
	i, ok := ix.byID[id]
	if !ok {
		return nil
	}
	doc := ix.passages[i].Doc
	lo, hi := i, i
	for lo > 0 && i-lo < n && ix.passages[lo-1].Doc == doc {
		lo--
	}
	for hi < len(ix.passages)-1 && hi-i < n && ix.passages[hi+1].Doc == doc {
		hi++
	}
	return ix.passages[lo : hi+1]
}

// Close releases the Bleve index, unless it was handed over to the index
// that replaced this one (Options.Previous).
func (ix *Index) Close() error {
	var err error
	if ix.owns.Swap(false) {
		err = ix.bleve.Close()
	}
	if dir := ix.removeOnClose.Swap(nil); dir != nil {
		os.RemoveAll(*dir) // a generation no longer served
	}
	if ix.ownsLock.Swap(false) {
		ix.lock.release()
	}
	return err
}
