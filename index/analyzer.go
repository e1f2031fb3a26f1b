package index

import (
	"strings"
	"sync"
	gounicode "unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/elision"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/kljensen/snowball/french"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Names under which the French analysis chain is registered with Bleve.
const (
	AnalyzerName = "causette_fr"
	// ExactAnalyzerName is the same chain without stemming.
	ExactAnalyzerName = "causette_fr_exact"
	// baseAnalyzerName is the chain up to the stop words, before stemming
	// and folding: analyzePair derives both terms from it.
	baseAnalyzerName = "causette_fr_base"
	// PreAnalyzedName splits on spaces only: the stage-one field holds
	// terms analysed already (see stageOneText).
	PreAnalyzedName = "causette_pre"
	apostropheName  = "causette_apostrophe"
	stopName        = "causette_stop_fr"
	stopMapName     = "causette_stop_words_fr"
	foldName        = "causette_fold"
	stemName        = "causette_snowball_fr"
)

// extraStopWords completes Bleve's French stop list with question words and
// the pieces of inverted questions ("a-t-elle"), which say nothing of the topic.
var extraStopWords = []string{
	"quoi", "comment", "pourquoi", "combien", "où", "quand", "lequel", "laquelle",
	"lesquels", "lesquelles", "dont", "ça", "cela", "est-ce", "t", "ce", "a",
	"y", "fait", "faire", "peut", "tout", "tous", "toute", "toutes", "très",
	"plus", "moins", "aussi", "donc", "alors", "entre", "selon", "chez",
	"signifie", "signifient", "désigne", "désignent", "côté",
	"parle", "parlez", "dis", "dites", "explique", "expliquez", "raconte", "racontez",
}

// Analyze runs the French analysis chain on text and returns its tokens,
// with byte offsets into text and the stemmed term.
func Analyze(text string) analysis.TokenStream {
	return frenchAnalyzer().Analyze([]byte(text))
}

// AnalyzeExact runs the chain without stemming: the terms are the words'
// lower-case, unaccented forms, token for token with Analyze.
func AnalyzeExact(text string) analysis.TokenStream {
	a, err := analyzerCache.AnalyzerNamed(ExactAnalyzerName)
	if err != nil {
		panic("index: exact analyzer not registered: " + err.Error())
	}
	return a.Analyze([]byte(text))
}

var analyzerCache = registry.NewCache()

func frenchAnalyzer() analysis.Analyzer {
	a, err := analyzerCache.AnalyzerNamed(AnalyzerName)
	if err != nil {
		panic("index: French analyzer not registered: " + err.Error())
	}
	return a
}

func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(registry.RegisterTokenFilter(apostropheName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return apostropheFilter{}, nil
	}))
	must(registry.RegisterTokenMap(stopMapName, func(map[string]interface{}, *registry.Cache) (analysis.TokenMap, error) {
		m := analysis.NewTokenMap()
		if err := m.LoadBytes(fr.FrenchStopWords); err != nil {
			return nil, err
		}
		for _, w := range extraStopWords {
			m.AddToken(w)
		}
		// Visitors often type without accents: "ete" is "été".
		for w := range m {
			m.AddToken(foldRunes(w))
		}
		return m, nil
	}))
	must(registry.RegisterTokenFilter(stopName, func(_ map[string]interface{}, c *registry.Cache) (analysis.TokenFilter, error) {
		m, err := c.TokenMapNamed(stopMapName)
		if err != nil {
			return nil, err
		}
		return stop.NewStopTokensFilter(m), nil
	}))
	must(registry.RegisterTokenFilter(foldName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(stemName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return stemFilter{}, nil
	}))
	for name, stems := range map[string]bool{AnalyzerName: true, ExactAnalyzerName: false} {
		must(registry.RegisterAnalyzer(name, func(_ map[string]interface{}, c *registry.Cache) (analysis.Analyzer, error) {
			return frenchChain(c, stems)
		}))
	}
	must(registry.RegisterAnalyzer(baseAnalyzerName, func(_ map[string]interface{}, c *registry.Cache) (analysis.Analyzer, error) {
		a, err := frenchChain(c, false)
		if err != nil {
			return nil, err
		}
		d := a.(*analysis.DefaultAnalyzer)
		d.TokenFilters = d.TokenFilters[:len(d.TokenFilters)-1] // no fold
		return d, nil
	}))
	must(registry.RegisterAnalyzer(PreAnalyzedName, func(_ map[string]interface{}, c *registry.Cache) (analysis.Analyzer, error) {
		tok, err := c.TokenizerNamed(whitespace.Name)
		if err != nil {
			return nil, err
		}
		return &analysis.DefaultAnalyzer{Tokenizer: tok}, nil
	}))
}

// pairToken is one token analysed both ways: its stem, as Analyze gives
// it, and its exact form, as AnalyzeExact does.
type pairToken struct {
	stem, exact string
	start, end  int // byte offsets in the text
}

// analyzePair analyses text once for both chains: the stem filter comes
// before folding in the stemmed chain, so a token's stem is the folded stem
// of its unfolded term, and its exact form the folded term.
func analyzePair(text string) []pairToken {
	a, err := analyzerCache.AnalyzerNamed(baseAnalyzerName)
	if err != nil {
		panic("index: base analyzer not registered: " + err.Error())
	}
	toks := a.Analyze([]byte(text))
	out := make([]pairToken, len(toks))
	for i, t := range toks {
		term := string(t.Term)
		exact := foldRunes(term)
		st := exact
		if isWordy(term) {
			st = foldRunes(stem(term))
		}
		out[i] = pairToken{stem: st, exact: exact, start: t.Start, end: t.End}
	}
	return out
}

// frenchChain builds the analysis chain; without stems, words keep their
// form (lower case, no accents), for the exact-form field.
func frenchChain(c *registry.Cache, stems bool) (analysis.Analyzer, error) {
	tok, err := c.TokenizerNamed(unicode.Name)
	if err != nil {
		return nil, err
	}
	articles, err := c.TokenMapNamed(fr.ArticlesName)
	if err != nil {
		return nil, err
	}
	var filters []analysis.TokenFilter
	for _, name := range []string{lowercase.Name, apostropheName} {
		f, err := c.TokenFilterNamed(name)
		if err != nil {
			return nil, err
		}
		filters = append(filters, f)
	}
	filters = append(filters, elision.NewElisionFilter(articles))
	names := []string{stopName, foldName}
	if stems {
		names = []string{stopName, stemName, foldName}
	}
	for _, name := range names {
		f, err := c.TokenFilterNamed(name)
		if err != nil {
			return nil, err
		}
		filters = append(filters, f)
	}
	return &analysis.DefaultAnalyzer{Tokenizer: tok, TokenFilters: filters}, nil
}

// apostropheFilter writes the apostrophes ’ and ʼ as ' so that elision and
// matching treat every spelling alike.
type apostropheFilter struct{}

func (apostropheFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		s := string(t.Term)
		if strings.ContainsAny(s, "’ʼ‘") {
			t.Term = []byte(strings.NewReplacer("’", "'", "ʼ", "'", "‘", "'").Replace(s))
		}
	}
	return in
}

// foldFilter removes accents and splits ligatures (é -> e, œ -> oe). It works on
// terms, not on the source text, so token offsets stay exact.
type foldFilter struct{}

func (foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = []byte(foldRunes(string(t.Term)))
	}
	return in
}

var ligatures = strings.NewReplacer("œ", "oe", "Œ", "OE", "æ", "ae", "Æ", "AE", "ß", "ss")

// foldTableSize covers Latin-1 and Latin Extended-A (up to U+024F): every
// letter of French and its neighbours, folded by a table lookup.
const foldTableSize = 0x250

// foldTable maps each rune below foldTableSize to its folded form, computed
// once at start by the full chain (NFD, marks removed, NFC, ligatures).
var foldTable [foldTableSize]string

// foldChains are the full folding chains, one per goroutine at a time: a
// transform.Chain keeps state and is built at a cost, so it is built once
// and reused, never per token.
var foldChains = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(gounicode.Mn)), norm.NFC)
}}

func init() {
	for r := rune(0); r < foldTableSize; r++ {
		foldTable[r] = foldChain(string(r))
	}
}

// foldChain folds s with the full chain.
func foldChain(s string) string {
	t := foldChains.Get().(transform.Transformer)
	defer foldChains.Put(t)
	t.Reset()
	out, _, err := transform.String(t, ligatures.Replace(s))
	if err != nil {
		return s
	}
	return out
}

// foldRunes removes diacritics from s: ASCII is returned as it is, Latin
// letters go through foldTable, anything else (a combining accent typed
// apart, another script) through the full chain.
func foldRunes(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= foldTableSize {
			return foldChain(s)
		}
		b.WriteString(foldTable[r])
	}
	return b.String()
}

// Fold lower-cases s and removes its accents: the form used to compare
// words without the stemmer.
func Fold(s string) string {
	return foldRunes(strings.ToLower(s))
}

// stemFilter stems French words with the Snowball algorithm.
type stemFilter struct{}

// maxCachedStems bounds the stem cache: a large corpus has some 100 000
// distinct words; past that, words are stemmed each time.
const maxCachedStems = 200_000

// stemCache remembers the stem of each word: Snowball is the costliest step
// of the analysis and a corpus repeats its words.
var stemCache struct {
	sync.RWMutex
	m map[string]string
}

func (stemFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		s := string(t.Term)
		if !isWordy(s) {
			continue
		}
		t.Term = []byte(stem(s))
	}
	return in
}

// stem returns the Snowball stem of a lower-case word, from the cache when
// it can.
func stem(w string) string {
	stemCache.RLock()
	st, ok := stemCache.m[w]
	stemCache.RUnlock()
	if ok {
		return st
	}
	st = french.Stem(w, true)
	stemCache.Lock()
	if stemCache.m == nil {
		stemCache.m = map[string]string{}
	}
	if len(stemCache.m) < maxCachedStems {
		stemCache.m[w] = st
	}
	stemCache.Unlock()
	return st
}

// isWordy reports whether a term has letters to stem (numbers are kept whole).
func isWordy(s string) bool {
	for _, r := range s {
		if !gounicode.IsLetter(r) {
			return false
		}
	}
	return true
}
