package index

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Field boosts: a word in the passage's own text counts most; a word of an
// FAQ question or of a table's header and row label nearly as much; the
// section heading and document title only hint at the topic. A list, not a
// map: the query's clauses come in one order, so scores repeat to the last
// bit from run to run (a map's order would flip near ties).
var fieldBoosts = []struct {
	field string
	boost float64
}{
	{fieldText, 1.0},
	{fieldQuestion, 1.0},
	{fieldLabel, 0.8},
	{fieldSection, 0.25},
	{fieldTitle, 0.25},
}

// Weights of words the visitor did not type as such: a typo correction, the
// synonym of a word the corpus lacks, the synonym of a word it has, a longer
// corpus stem the word starts. Synonyms are expanded here rather than by
// Bleve (see Build). exactBoost weighs a word found in the very form typed,
// unstemmed: measured on PIAF, R@1 0.775 -> 0.783.
const (
	correctedWeight    = 0.8
	synonymWeight      = 0.9
	knownSynonymWeight = 0.4
	derivedWeight      = 0.15
	exactBoost         = 0.3
)

// maxQueryTerms bounds the work one question can cause.
const maxQueryTerms = 64

// Term is one analysed word of a query.
type Term struct {
	// Surface is the word as written; Start and End its byte offsets.
	Surface    string `json:"surface"`
	Start, End int    `json:"-"`
	// Stem is the analysed term; Exact the word unstemmed (lower case, no
	// accents).
	Stem  string `json:"stem"`
	Exact string `json:"exact"`
	// Known is true when the corpus holds the stem.
	Known bool `json:"known"`
	// Corrections are corpus stems proposed for an unknown word.
	Corrections []string `json:"corrections,omitempty"`
	// Synonyms are the corpus stems declared synonyms of Stem.
	Synonyms []string `json:"synonyms,omitempty"`
	// Derived are longer corpus stems that start with Stem: the stemmer
	// leaves "europ" and "europeen" apart.
	Derived []string `json:"derived,omitempty"`
}

// WeightedStem is a stem to search for, with its weight in the query.
type WeightedStem struct {
	Stem   string
	Weight float64
	// Of numbers the query word the stem stands for: a word, its synonyms
	// and its corrections share one number.
	Of int
	// Exact is the word as typed, unstemmed, for the word as written.
	Exact string
}

// Hit is a passage found for a query.
type Hit struct {
	Passage *Passage
	Score   float64
}

// Terms analyses a query and corrects the words the corpus does not know.
func (ix *Index) Terms(q string) []Term {
	toks := Analyze(q)
	exact := AnalyzeExact(q)
	out := make([]Term, 0, len(toks))
	for i, t := range toks {
		if len(out) == maxQueryTerms {
			break
		}
		term := Term{Surface: q[t.Start:t.End], Start: t.Start, End: t.End, Stem: string(t.Term)}
		if i < len(exact) && exact[i].Start == t.Start {
			term.Exact = string(exact[i].Term)
		}
		term.Known = ix.vocab.df[term.Stem] > 0
		if !term.Known && len(ix.vocab.synonyms[term.Stem]) == 0 {
			if st, ok := ix.reaccented(term.Exact); ok {
				term.Stem, term.Known = st, ix.vocab.df[st] > 0
			}
		}
		for _, syn := range ix.vocab.synonyms[term.Stem] {
			if ix.vocab.df[syn] > 0 {
				term.Synonyms = append(term.Synonyms, syn)
			}
		}
		term.Derived = ix.vocab.derived(term.Stem)
		if !term.Known && len(term.Synonyms) == 0 {
			term.Corrections = ix.vocab.correct(term.Surface, term.Stem)
		}
		out = append(out, term)
	}
	return out
}

// accentedEndings put back the accent of a French ending typed without it:
// "creee" stems as "créée" does. Longest endings first.
var accentedEndings = []struct{ plain, accented string }{
	{"ees", "ées"}, {"ee", "ée"}, {"es", "és"}, {"e", "é"},
}

// reaccented stems a word typed without the accent of its ending, when the
// accented form's stem is one the corpus or the synonyms know.
func (ix *Index) reaccented(exact string) (string, bool) {
	for _, end := range accentedEndings {
		base, ok := strings.CutSuffix(exact, end.plain)
		if !ok || base == "" {
			continue
		}
		toks := Analyze(base + end.accented)
		if len(toks) != 1 {
			continue
		}
		st := string(toks[0].Term)
		if ix.vocab.df[st] > 0 || len(ix.vocab.synonyms[st]) > 0 {
			return st, true
		}
	}
	return "", false
}

// Weighted turns analysed terms into weighted stems: corrections stand in for
// unknown words at a discount.
func Weighted(terms []Term) []WeightedStem {
	var out []WeightedStem
	for i, t := range terms {
		if t.Known {
			out = append(out, WeightedStem{t.Stem, 1, i, t.Exact})
			for _, s := range t.Synonyms {
				out = append(out, WeightedStem{s, knownSynonymWeight, i, ""})
			}
			for _, s := range t.Derived {
				out = append(out, WeightedStem{s, derivedWeight, i, ""})
			}
			continue
		}
		for _, s := range t.Synonyms {
			out = append(out, WeightedStem{s, synonymWeight, i, ""})
		}
		for _, c := range t.Corrections {
			out = append(out, WeightedStem{c, correctedWeight, i, ""})
		}
	}
	return out
}

// IDF is the inverse document frequency of a stem over the passages; an
// unknown stem gets the highest value.
func (ix *Index) IDF(stem string) float64 { return ix.vocab.idf(stem) }

// Known reports whether some passage holds the stem.
func (ix *Index) Known(stem string) bool { return ix.vocab.df[stem] > 0 }

// Synonyms lists the stems declared synonyms of stem.
func (ix *Index) Synonyms(stem string) []string { return ix.vocab.synonyms[stem] }

// SearchText finds the passages best matching a question, at most limit.
func (ix *Index) SearchText(q string, limit int) ([]Hit, error) {
	return ix.Search(Weighted(ix.Terms(q)), limit)
}

// Search ranks passages for weighted stems with BM25 over the passage fields.
func (ix *Index) Search(stems []WeightedStem, limit int) ([]Hit, error) {
	if len(stems) == 0 || limit <= 0 {
		return nil, nil
	}
	var qs []query.Query
	for _, s := range stems {
		for i, fb := range fieldBoosts {
			if !ix.fields.has(s.Stem, 1<<i) {
				continue // the field lacks the word: see fieldTerms
			}
			tq := bleve.NewTermQuery(s.Stem)
			tq.SetField(fb.field)
			tq.SetBoost(fb.boost * s.Weight)
			qs = append(qs, tq)
		}
		if s.Exact != "" && ix.fields.has(s.Exact, exactBit) {
			tq := bleve.NewTermQuery(s.Exact)
			tq.SetField(fieldExact)
			tq.SetBoost(exactBoost * s.Weight)
			qs = append(qs, tq)
		}
	}
	if len(qs) == 0 {
		return nil, nil // no word of the query is in the corpus
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(qs...), limit, 0, false)
	res, err := ix.bleve.SearchInContext(context.Background(), req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	hits := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		n, ok := ix.byID[h.ID]
		if !ok {
			continue // a passage another snapshot indexed (see Open)
		}
		hits = append(hits, Hit{Passage: &ix.passages[n], Score: roundScore(h.Score)})
	}
	// Equal scores (table rows alike) go in corpus order: Bleve's own order
	// among them follows its internal numbering, which a parallel build
	// does not fix.
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return ix.byID[hits[i].Passage.ID] < ix.byID[hits[j].Passage.ID]
	})
	return hits, nil
}

// scoreDigits is the precision a score keeps: Bleve sums a passage's
// clauses in an order that varies from run to run, so scores differ in
// their last bits; rounded, equal scores are equal and rank in corpus order.
const scoreDigits = 1e9

func roundScore(s float64) float64 { return math.Round(s*scoreDigits) / scoreDigits }

// Highlights returns the spans of text whose stems are in stems, as
// [start, end) offsets counted in Unicode code points.
func Highlights(text string, stems map[string]bool) [][2]int {
	var out [][2]int
	for _, t := range Analyze(text) {
		if !stems[string(t.Term)] {
			continue
		}
		s := utf8.RuneCountInString(text[:t.Start])
		e := s + utf8.RuneCountInString(text[t.Start:t.End])
		out = append(out, [2]int{s, e})
	}
	return out
}
