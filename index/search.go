package index

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Weights of words the visitor did not type as such: a typo correction, the
// synonym of a word the corpus lacks, the synonym of a word it has, a longer
// corpus stem the word starts. Synonyms are expanded here rather than by
// Bleve (see Build).
const (
	correctedWeight    = 0.8
	synonymWeight      = 0.9
	knownSynonymWeight = 0.4
	derivedWeight      = 0.15
)

// stageOneCandidates is how many passages stage one hands to stage two, at
// the least: measured on PIAF and Service-Public, the top 30 of two stages
// hold the gold passage as often as the top 30 of the full query (see
// causette bench recall).
const stageOneCandidates = 100

// stageOneMinWeight leaves out of stage one the stems that stand in for a
// word found as such (its known synonyms, its derived forms): the word
// brings the candidates, stage two scores the stand-ins.
const stageOneMinWeight = 0.5

// stageOneKeep stems, the rarest, always go to stage one; the others only
// if at most stageOneMaxShare of the passages hold them (or fewer than
// stageOneCandidates). Measured (causette
// bench recall, causette eval): on PIAF the top 30 of two stages hold the
// gold passage 0.998 as often as the full query's, on Service-Public 1.004
// as often, every eval set scores as with the full query, and a question
// at 114,000 passages costs 1.3 ms at p50 where it cost 2.4.
const (
	stageOneKeep     = 4
	stageOneMaxShare = 0.01
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
	toks := analyzePair(q)
	out := make([]Term, 0, len(toks))
	for _, t := range toks {
		if len(out) == maxQueryTerms {
			break
		}
		term := Term{Surface: q[t.start:t.end], Start: t.start, End: t.end, Stem: t.stem, Exact: t.exact}
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
	ix.vocab.phraseSynonyms(q, out)
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

// Search ranks passages for weighted stems in two stages. Stage one asks
// Bleve for candidates with one clause a stem, against the field that holds
// every field's stems: a question costs a term query a word, not one a
// word and field. Stage two scores the candidates field by field with BM25
// over what the index stored of each passage (see forward), as one query
// of every word in every field would.
func (ix *Index) Search(stems []WeightedStem, limit int) ([]Hit, error) {
	return ix.SearchDepth(stems, limit, ix.candidates)
}

// Exhaustive is a search depth past any corpus's passages (SearchDepth):
// every passage that holds a word of the question, or a stand-in, is
// scored, as by one full query.
const Exhaustive = 1 << 30

// SearchDepth is Search with stage one handing at least candidates passages
// to stage two: measurements compare depths (causette bench recall); a
// depth past the corpus's passages scores every passage that holds a word.
func (ix *Index) SearchDepth(stems []WeightedStem, limit, candidates int) ([]Hit, error) {
	if len(stems) == 0 || limit <= 0 {
		return nil, nil
	}
	clauses := ix.fwd.clauses(stems)
	if len(clauses) == 0 {
		return nil, nil // no word of the query is in the corpus
	}
	found, err := ix.stageOne(stems, max(limit, candidates))
	if err != nil {
		return nil, err
	}
	byTerm := map[uint32][]int{}
	for i, c := range clauses {
		byTerm[c.term] = append(byTerm[c.term], i)
	}
	hits := make([]Hit, 0, len(found))
	ns := make([]int, 0, len(found))
	for _, n := range found {
		if s := ix.fwd.score(n, clauses, byTerm); s > 0 {
			hits = append(hits, Hit{Passage: &ix.passages[n], Score: roundScore(s)})
			ns = append(ns, n)
		}
	}
	ix.fwd.withEvidence(hits, ns, stems)
	// Equal scores (table rows alike) go in corpus order.
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return ix.byID[hits[i].Passage.ID] < ix.byID[hits[j].Passage.ID]
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

// stageOne asks Bleve for the passages best matching stems in fieldAll, at
// most limit, as their numbers in corpus order. A stem asked twice (a
// word and another's synonym) is asked once, with its greater weight.
func (ix *Index) stageOne(stems []WeightedStem, limit int) ([]int, error) {
	weight := map[string]float64{}
	var order []string
	// Past the corpus's size, every stem goes: the full query.
	all := limit >= ix.stats.Passages
	for _, s := range stems {
		if _, ok := ix.fwd.ids[s.Stem]; !ok || (s.Weight < stageOneMinWeight && !all) {
			continue
		}
		if w, seen := weight[s.Stem]; !seen {
			order = append(order, s.Stem)
			weight[s.Stem] = s.Weight
		} else if s.Weight > w {
			weight[s.Stem] = s.Weight
		}
	}
	if len(order) == 0 {
		return nil, nil
	}
	if !all {
		order = ix.rarest(order)
	}
	qs := make([]query.Query, len(order))
	for i, st := range order {
		tq := bleve.NewTermQuery(st)
		tq.SetField(fieldAll)
		tq.SetBoost(weight[st])
		qs[i] = tq
	}
	ids, err := ix.topDocs(bleve.NewDisjunctionQuery(qs...), limit)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := make([]int, 0, len(ids))
	for _, id := range ids {
		if n, ok := ix.byID[id]; ok { // else a passage another snapshot indexed (see Open)
			out = append(out, n)
		}
	}
	return out, nil
}

// rarest leaves out of stage one the stems most passages hold, past the
// stageOneKeep rarest: their postings are most of Bleve's work, and among
// the passages that hold the rarer words they barely move the order (a
// term's weight goes with the square of its idf). Stage two scores them.
func (ix *Index) rarest(stems []string) []string {
	if len(stems) <= stageOneKeep {
		return stems
	}
	byDF := slices.Clone(stems)
	slices.SortStableFunc(byDF, func(a, b string) int { return ix.vocab.df[a] - ix.vocab.df[b] })
	// A stem fewer passages hold than stage one hands over is cheap.
	limit := max(stageOneMaxShare*float64(ix.stats.Passages), stageOneCandidates)
	keep := map[string]bool{}
	for i, st := range byDF {
		if i < stageOneKeep || float64(ix.vocab.df[st]) <= limit {
			keep[st] = true
		}
	}
	out := stems[:0:0]
	for _, st := range stems {
		if keep[st] {
			out = append(out, st)
		}
	}
	return out
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
