package index

import (
	"math"
	"slices"
	"sort"
)

// A question is often about a document as a whole (a Service-Public fiche, a
// wiki article) before it is about one of its passages: the right passage of
// the right document beats a better-worded one elsewhere. Stage two adds to
// a passage's own score its document's, scored in BM25 as if the document
// were one text: its passages' own words, with its headings once.

// docEvidence weighs a passage's document beside the passage's own score.
// Each is taken relative to the candidates': the passage's score over the
// best one's, plus docEvidence times where its document's score stands
// between the weakest and the best of the candidates' documents (so that
// with one document, as on the seed, nothing moves). Measured: spf top-1
// 0.685 -> 0.761 and MRR 0.763 -> 0.808; PIAF 0.783 -> 0.784; dev and trust
// unchanged. Section evidence, at 0.2 to 0.3, changed nothing measurable
// beyond the document's and is left out.
const docEvidence = 0.8

// leadEvidence weighs the document's lead, its first passage with its
// title: the summary a fiche or an article opens with, whose words say what
// the whole is about. It counts only for a lead that sums its document up,
// one whose terms the rest of the document uses for summaryShare of them
// at least (see summaries), and like docEvidence, relative to the
// candidates' leads. Measured: spf top-1 0.775 -> 0.804, top-5 0.891 ->
// 0.909, MRR 0.826 -> 0.843, and with boilerplate skipped (see leads)
// 0.812 -> 0.819, 0.909 -> 0.917, 0.848 -> 0.855; PIAF top-1 unchanged
// (MRR 0.836 -> 0.835);
// dev and trust unchanged. Without the summaryShare gate, spf gains as
// much and PIAF, whose first paragraphs are not leads, loses 17 answers.
const (
	leadEvidence = 0.8
	summaryShare = 0.35
)

// groups is one level of evidence: each passage's group, and each group's
// terms with their counts, its length, and the level's document frequencies.
type groups struct {
	of      []int32  // passage -> group
	starts  []int32  // group g's terms are ids[starts[g]:starts[g+1]], sorted
	ids     []uint32 // term ids
	counts  []uint16 // occurrences of ids[i] in the group
	lengths []int32
	df      map[uint32]int32
	avg     float64
}

// newGroups builds a level from the passages' group numbers (consecutive
// passages share a group: of is non-decreasing). A group's text is its
// passages' own fields (text, question, label), and the heading fields
// that heading allows for passage n (a heading shared by several passages
// is counted once).
func newGroups(fw *forward, of []int32, keep func(n int) bool, heading func(n, f int) bool) *groups {
	g := &groups{of: of, starts: []int32{0}, df: map[uint32]int32{}}
	counts := map[uint32]int{}
	flush := func() {
		ids := make([]uint32, 0, len(counts))
		length := 0
		for id, n := range counts {
			ids = append(ids, id)
			length += n
		}
		slices.Sort(ids)
		for _, id := range ids {
			g.ids = append(g.ids, id)
			g.counts = append(g.counts, uint16(min(counts[id], math.MaxUint16)))
			g.df[id]++
		}
		g.starts = append(g.starts, int32(len(g.ids)))
		g.lengths = append(g.lengths, int32(length))
		clear(counts)
	}
	for n := range of {
		if n > 0 && of[n] != of[n-1] {
			flush()
		}
		if !keep(n) {
			continue
		}
		for _, e := range fw.entries[fw.starts[n]:fw.starts[n+1]] {
			switch f := entryField(e); {
			case f == fText || f == fQuestion || f == fLabel, (f == fSection || f == fTitle) && heading(n, f):
				counts[entryTerm(e)] += int(entryFreq(e))
			}
		}
	}
	if len(of) > 0 {
		flush()
	}
	total := 0
	for _, l := range g.lengths {
		total += int(l)
	}
	if len(g.lengths) > 0 {
		g.avg = float64(total) / float64(len(g.lengths))
	}
	return g
}

// count is how often term id occurs in group gr.
func (g *groups) count(gr int32, id uint32) int {
	ids := g.ids[g.starts[gr]:g.starts[gr+1]]
	i := sort.Search(len(ids), func(i int) bool { return ids[i] >= id })
	if i < len(ids) && ids[i] == id {
		return int(g.counts[int(g.starts[gr])+i])
	}
	return 0
}

// weightedTerm is a term of a query with its weight.
type weightedTerm struct {
	id     uint32
	weight float64
}

// score is group gr's BM25 for the weighted terms (summed in their order,
// so that a score is the same to the last bit every time).
func (g *groups) score(gr int32, terms []weightedTerm) float64 {
	n := float64(len(g.lengths))
	norm := bm25K1 * (1 - bm25B + bm25B*float64(g.lengths[gr])/g.avg)
	s := 0.0
	for _, t := range terms {
		id, w := t.id, t.weight
		tf := float64(g.count(gr, id))
		if tf == 0 {
			continue
		}
		df := float64(g.df[id])
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		s += w * idf * tf * (bm25K1 + 1) / (tf + norm)
	}
	return s
}

// levels builds the document level over the passages: a document's text is
// its passages' own words, its title once and each section's heading once.
func (fw *forward) levels(passages []Passage) {
	docs := make([]int32, len(passages))
	sections := make([]int32, len(passages)) // to count each heading once
	for n := range passages {
		if n > 0 {
			docs[n], sections[n] = docs[n-1], sections[n-1]
			if passages[n].Doc != passages[n-1].Doc {
				docs[n]++
				sections[n]++
			} else if passages[n].Section != passages[n-1].Section {
				sections[n]++
			}
		}
	}
	firstOf := func(of []int32, n int) bool { return n == 0 || of[n] != of[n-1] }
	all := func(int) bool { return true }
	fw.docs = newGroups(fw, docs, all, func(n, f int) bool {
		return f == fTitle && firstOf(docs, n) || f == fSection && firstOf(sections, n)
	})
	fw.leads = newGroups(fw, docs, leads(passages, docs), func(n, f int) bool { return f == fTitle })
	// A Q&A sheet is a document of FAQ entries only.
	fw.sheets = make([]bool, len(fw.docs.lengths))
	for i := range fw.sheets {
		fw.sheets[i] = true
	}
	for n, p := range passages {
		if p.Kind != KindFAQ {
			fw.sheets[docs[n]] = false
		}
	}
	fw.summaries = summaries(fw.leads, fw.docs)
}

// boilerplateDocs: a text that this many documents hold is boilerplate
// (a notice set at the top of many fiches, « Face à la propagation du
// virus Covid-19… »), not what any of them is about.
const boilerplateDocs = 3

// leads says which passage is its document's lead: its first passage that
// is not boilerplate.
func leads(passages []Passage, docs []int32) func(n int) bool {
	holders := map[string]map[int32]bool{}
	for n, p := range passages {
		if holders[p.Text] == nil {
			holders[p.Text] = map[int32]bool{}
		}
		holders[p.Text][docs[n]] = true
	}
	lead := make([]bool, len(passages))
	found := map[int32]bool{}
	for n, p := range passages {
		if !found[docs[n]] && len(holders[p.Text]) < boilerplateDocs {
			lead[n], found[docs[n]] = true, true
		}
	}
	return func(n int) bool { return lead[n] }
}

// summaries measures how much each document's lead sums the document up:
// the share of the lead's terms that the rest of the document uses too.
// A fiche's opening paragraph, or an article's lead, shares most of its
// words with what follows (measured: 0.62 on the Service-Public fiches); a
// paragraph that merely comes first, far fewer (0.20 on the PIAF set,
// whose documents are a few paragraphs drawn from an article).
func summaries(leads, docs *groups) []float64 {
	out := make([]float64, len(leads.lengths))
	for gr := range out {
		ids := leads.ids[leads.starts[gr]:leads.starts[gr+1]]
		if len(ids) == 0 {
			continue
		}
		shared := 0
		for i, id := range ids {
			if docs.count(int32(gr), id) > int(leads.counts[int(leads.starts[gr])+i]) {
				shared++
			}
		}
		out[gr] = float64(shared) / float64(len(ids))
	}
	return out
}

// withEvidence adds to each hit's score its document's evidence (see
// docEvidence).
func (fw *forward) withEvidence(hits []Hit, ns []int, stems []WeightedStem) {
	if len(hits) == 0 {
		return
	}
	weight := map[uint32]float64{}
	var terms []weightedTerm
	for _, s := range stems {
		if id, ok := fw.ids[s.Stem]; ok {
			if _, seen := weight[id]; !seen {
				terms = append(terms, weightedTerm{id: id})
			}
			weight[id] = max(weight[id], s.Weight)
		}
	}
	for i := range terms {
		terms[i].weight = weight[terms[i].id]
	}
	docs := relative(fw.docs.scores(ns, terms))
	leads := relative(fw.leads.scores(ns, terms))
	top := 0.0
	for _, h := range hits {
		top = max(top, h.Score)
	}
	several := slices.Max(docs) > 0 // documents told apart (not the seed's one)
	for i := range hits {
		own := hits[i].Score / top
		doc := docs[i]
		if several && fw.sheets[fw.docs.of[ns[i]]] {
			// An entry of a Q&A sheet stands on its own: the sheet is a
			// small document of short answers, yet each entry is the whole
			// answer to its question.
			doc = max(doc, own)
		}
		x := own + docEvidence*doc
		if fw.summaries[fw.docs.of[ns[i]]] >= summaryShare {
			x += leadEvidence * leads[i]
		}
		hits[i].Score = roundScore(x * top)
	}
}

// scores is each passage's group's score for the terms.
func (g *groups) scores(ns []int, terms []weightedTerm) []float64 {
	out := make([]float64, len(ns))
	memo := map[int32]float64{}
	for i, n := range ns {
		gr := g.of[n]
		s, ok := memo[gr]
		if !ok {
			s = g.score(gr, terms)
			memo[gr] = s
		}
		out[i] = s
	}
	return out
}

// relative is where each of xs stands between the least and the greatest
// of them, all 0 when they are alike (one document, as on the seed).
func relative(xs []float64) []float64 {
	out := make([]float64, len(xs))
	if len(xs) == 0 {
		return out
	}
	lo, hi := slices.Min(xs), slices.Max(xs)
	if hi == lo {
		return out
	}
	for i, x := range xs {
		out[i] = (x - lo) / (hi - lo)
	}
	return out
}
