package index

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Stage two scores a passage by fields. A passage's own words weigh most
// (its text, its FAQ question, its table row's label and header), the
// headings above it (section, document title) only hint at its topic, and
// a word in the very form typed counts a little more (fExact: the question
// and text unstemmed). The fields are numbered in the order a query's
// clauses take them.
const (
	fText = iota
	fQuestion
	fLabel
	fSection
	fTitle
	fExact
	fieldCount
)

// fieldBoosts weighs each field's clauses. The exact form's, measured: at
// 0.3 (one-stage search), PIAF R@1 0.775 -> 0.783; with stage two's average
// lengths, 0.3 -> 0.8 took PIAF's top-5 0.904 -> 0.906 and spf's 0.888 ->
// 0.891, the rest unchanged (1.2 lost a dev answer). The headings' 0.25 ->
// 0.15 (now that the document's evidence counts apart): PIAF 2569 -> 2570,
// MRR 0.835 -> 0.836, spf MRR 0.825 -> 0.826, the rest unchanged; 0.4 lost
// on spf and trust.
var fieldBoosts = [fieldCount]float64{
	fText: 1.0, fQuestion: 1.0, fLabel: 0.8, fSection: 0.15, fTitle: 0.15, fExact: 0.8,
}

// fieldTexts gives a passage's stemmed fields, in field order (fExact is
// made of the text and question's tokens).
func fieldTexts(p *Passage) [fExact]string {
	var label string
	if p.Row != nil {
		// The header names what each cell is; the label names the row.
		label = p.Row.Label() + " " + strings.Join(p.Row.Header, " ")
	}
	question := p.Question
	if len(p.Alternates) > 0 {
		// Other phrasings of an FAQ question find its answer as it does.
		question += "\n" + strings.Join(p.Alternates, "\n")
	}
	if len(p.Attached) > 0 {
		// So do the phrasings staff attached to a passage (see Attachment).
		question += "\n" + strings.Join(p.Attached, "\n")
	}
	return [fExact]string{fText: p.Text, fQuestion: question, fLabel: label, fSection: p.Section, fTitle: p.Title}
}

// An entry packs a term, a field and the term's occurrences in the field
// into 32 bits: 24 for the term, 3 for the field, 5 for the count (capped:
// past 31 occurrences in one passage BM25 has long saturated).
const (
	entryTermShift  = 8
	entryFieldShift = 5
	entryFreqMask   = 1<<entryFieldShift - 1
	maxEntryTerms   = 1 << (32 - entryTermShift)
)

func packEntry(term uint32, field int, freq int) uint32 {
	return term<<entryTermShift | uint32(field)<<entryFieldShift | uint32(min(freq, entryFreqMask))
}

func entryTerm(e uint32) uint32 { return e >> entryTermShift }
func entryField(e uint32) int {
	return int(e>>entryFieldShift) & (1<<(entryTermShift-entryFieldShift) - 1)
}
func entryFreq(e uint32) float64 { return float64(e & entryFreqMask) }

// packEntries turns counts (term<<3 | field -> occurrences) into a
// passage's entries, sorted so that a build is the same every time.
func packEntries(counts map[uint32]int) []uint32 {
	out := make([]uint32, 0, len(counts))
	for k, n := range counts {
		out = append(out, packEntry(k>>3, int(k&7), n))
	}
	slices.Sort(out)
	return out
}

// clampLength fits a field's length in tokens into what a passage keeps.
func clampLength(n int) uint16 { return uint16(min(n, math.MaxUint16)) }

// forward is stage two's data: for each passage, its terms by field with
// their counts and each field's length, over one dictionary of the
// corpus's terms; for each field, how many passages hold each term.
type forward struct {
	ids     map[string]uint32
	entries []uint32 // every passage's, in corpus order
	starts  []int32  // passage n's entries are entries[starts[n]:starts[n+1]]
	lengths [][fieldCount]uint16
	df      [fieldCount][]int32 // by term id
	// avgLength is the length BM25 takes for each field's average (see
	// avgLengthScale).
	avgLength [fieldCount]float64
	n         int
	// docs is the level of evidence above a passage (see withEvidence).
	docs *groups
	// leads is the level of the documents' first passages (leadEvidence).
	leads *groups
	// summaries is, for each document, how much its lead sums it up.
	summaries []float64
	// sheets says which documents are made of FAQ entries only.
	sheets []bool
}

// newForward merges documents' stage-two data, in corpus order.
func newForward(vocabs []*docVocab) (*forward, error) {
	total, passages := 0, 0
	for _, v := range vocabs {
		passages += v.Passages
		for _, es := range v.Forward {
			total += len(es)
		}
	}
	// Sized once: at 114,000 passages the entries are 11 million, and
	// growing them by appends would hold two copies at a time.
	fw := &forward{ids: map[string]uint32{}, entries: make([]uint32, 0, total),
		starts: make([]int32, 1, passages+1), lengths: make([][fieldCount]uint16, 0, passages)}
	for _, v := range vocabs {
		if len(v.Forward) != v.Passages || len(v.Lengths) != v.Passages {
			return nil, fmt.Errorf("stage-two data for %d passages of %d", len(v.Forward), v.Passages)
		}
		global := make([]uint32, len(v.Terms))
		for i, t := range v.Terms {
			id, ok := fw.ids[t]
			if !ok {
				if len(fw.ids) == maxEntryTerms {
					return nil, fmt.Errorf("more than %d distinct terms", maxEntryTerms)
				}
				id = uint32(len(fw.ids))
				fw.ids[t] = id
				for f := range fw.df {
					fw.df[f] = append(fw.df[f], 0)
				}
			}
			global[i] = id
		}
		for i, es := range v.Forward {
			for _, e := range es {
				if int(entryTerm(e)) >= len(global) {
					return nil, fmt.Errorf("stage-two entry for term %d of %d", entryTerm(e), len(global))
				}
				id := global[entryTerm(e)]
				fw.entries = append(fw.entries, id<<entryTermShift|e&(1<<entryTermShift-1))
				fw.df[entryField(e)][id]++
			}
			fw.starts = append(fw.starts, int32(len(fw.entries)))
			fw.lengths = append(fw.lengths, v.Lengths[i])
		}
		fw.n += v.Passages
	}
	for f := range fw.avgLength {
		total, with := 0, 0
		for _, l := range fw.lengths {
			total += int(l[f])
			if l[f] > 0 {
				with++
			}
		}
		fw.avgLength[f] = 1
		if with > 0 {
			fw.avgLength[f] = max(1, avgLengthScale*float64(total)/float64(with))
		}
	}
	return fw, nil
}

// holds reports whether some passage has term in field f.
func (fw *forward) holds(term string, f int) bool {
	id, ok := fw.ids[term]
	return ok && fw.df[f][id] > 0
}

// clause is one term of a query asked of one field, with its weight.
type clause struct {
	term   uint32
	field  int
	weight float64 // boost × idf × the query's norm × idf
}

// BM25's parameters, Bleve's.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// avgLengthScale sets the average field length BM25 measures a passage's
// against: this share of the field's true average over the passages that
// have it. Under 1, a passage longer than the average loses more than in
// plain BM25: an answer is a few words in a short passage. Bleve's own
// average (a field's distinct terms over the passages, rounded up) did the
// same by accident, and moved with its segments; measured against it: PIAF
// 2566 -> 2567, spf 0.772 -> 0.775 (top-5 0.877 -> 0.888), dev and trust
// unchanged; at 1 (plain BM25) PIAF lost 9.
const avgLengthScale = 0.3

// clauses are the query's terms field by field: each stem in the fields
// that hold it, and the word as typed in fExact. A clause for a field that
// lacks the term would match nothing and only lower every score by one
// factor. Weights follow Bleve's: the query is normed by the root of its
// clauses' squared boost × idf.
func (fw *forward) clauses(stems []WeightedStem) []clause {
	var out []clause
	var idfs []float64
	add := func(term string, f int, boost float64) {
		id, ok := fw.ids[term]
		if !ok || fw.df[f][id] == 0 {
			return
		}
		df := float64(fw.df[f][id])
		idf := math.Log(1 + (float64(fw.n)-df+0.5)/(df+0.5))
		out = append(out, clause{term: id, field: f, weight: boost})
		idfs = append(idfs, idf)
	}
	for _, s := range stems {
		for f := fText; f < fExact; f++ {
			add(s.Stem, f, fieldBoosts[f]*s.Weight)
		}
		if s.Exact != "" {
			add(s.Exact, fExact, fieldBoosts[fExact]*s.Weight)
		}
	}
	sum := 0.0
	for i, c := range out {
		w := c.weight * idfs[i]
		sum += w * w
	}
	norm := 1 / math.Sqrt(sum)
	for i := range out {
		out[i].weight *= idfs[i] * norm * idfs[i]
	}
	return out
}

// score is a passage's score for the clauses, as one Bleve disjunction of
// them would give it with the same average lengths: each matching clause's
// BM25 (Bleve takes the square root of a term's count, and a field's length
// through a float32 norm), summed, times the share of clauses that match.
func (fw *forward) score(n int, clauses []clause, byTerm map[uint32][]int) float64 {
	sum, matched := 0.0, 0
	for _, e := range fw.entries[fw.starts[n]:fw.starts[n+1]] {
		for _, i := range byTerm[entryTerm(e)] {
			c := &clauses[i]
			if c.field != entryField(e) {
				continue
			}
			tf := math.Sqrt(entryFreq(e))
			length := bleveLength(fw.lengths[n][c.field])
			sum += c.weight * tf * bm25K1 / (tf + bm25K1*(1-bm25B+bm25B*length/fw.avgLength[c.field]))
			matched++
		}
	}
	return sum * float64(matched) / float64(len(clauses))
}

// bleveLength is a field's length as Bleve reads it back from its norm, a
// float32 of 1/√length.
func bleveLength(n uint16) float64 {
	norm := float64(float32(1 / math.Sqrt(float64(n))))
	return 1 / (norm * norm)
}
