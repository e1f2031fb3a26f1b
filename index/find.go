package index

// Match is a passage found by Find, with the spans of its text that match
// the query.
type Match struct {
	Passage *Passage
	Score   float64
	// Highlights are [start, end) offsets into Passage.Text, in code points,
	// of the words that match a query word or one of its synonyms.
	Highlights [][2]int
}

// Found is what Find returns: the query's words as analysed (with their
// corrections) and the passages ranked, best first.
type Found struct {
	Terms   []Term
	Matches []Match
}

// Find searches a query as typed and highlights what matched: the one
// search with highlights of the API, the staff console and the command line.
func (ix *Index) Find(q string, limit int) (Found, error) {
	terms := ix.Terms(q)
	stems := Weighted(terms)
	hits, err := ix.Search(stems, limit)
	if err != nil {
		return Found{Terms: terms}, err
	}
	want := ix.Expand(stems)
	f := Found{Terms: terms, Matches: make([]Match, 0, len(hits))}
	for _, h := range hits {
		hl := Highlights(h.Passage.Text, want)
		if hl == nil {
			hl = [][2]int{}
		}
		f.Matches = append(f.Matches, Match{Passage: h.Passage, Score: h.Score, Highlights: hl})
	}
	return f, nil
}

// Expand returns the stems a passage may hold to match stems: each one and
// its synonyms.
func (ix *Index) Expand(stems []WeightedStem) map[string]bool {
	want := make(map[string]bool, len(stems))
	for _, s := range stems {
		want[s.Stem] = true
		for _, o := range ix.Synonyms(s.Stem) {
			want[o] = true
		}
	}
	return want
}
