package index

import (
	"math"
	"math/bits"
	"sort"
	"strings"
	"unicode/utf8"
)

// Typo correction limits: words this short are too ambiguous to correct; the
// allowed edit distance grows with the word (one slip in a short word, two in
// a long one), as spell checkers do.
const (
	minCorrectRunes     = 4
	oneEditRunes        = 4
	twoEditsRunes       = 8
	minStemPrefixRunes  = 5
	maxStemSuffixRunes  = 5
	maxCorrectionsATerm = 3
	// A derived stem adds a suffix of at most this many letters; a word
	// has at most maxDerived of them searched.
	maxDerivedSuffixRunes = 4
	maxDerived            = 3
)

// vocabulary knows the corpus's words: how many passages hold each stem, and
// which surface words (folded) produce which stem, for typo correction.
type vocabulary struct {
	df       map[string]int
	surface  map[string]string // folded word -> stem
	freq     map[string]int    // folded word -> occurrences
	byLength map[int][]string  // folded words by rune count
	// letters holds, beside each word of byLength, the set of its letters
	// (letterSet): a cheap test that rules most candidates out of a
	// correction before the edit distance is computed.
	letters  map[int][]uint64
	stems    []string
	words    []string          // folded words, sorted, for completion
	written  map[string]string // folded word -> as first written, when it differs
	n        int
	synonyms map[string][]string
	// phrases are the lexicon's expressions of several words (« à la tête
	// de »), found in a question as they are written.
	phrases []phrase
}

// phrase is an expression of the synonym lexicon: its folded words, and the
// stems of its group's single words, which its words stand for together.
type phrase struct {
	words    []string
	synonyms []string
}

// docVocab is one document's share of the vocabulary, kept with the index
// on disk so that a corpus with one document changed merges the others'
// without analysing them again.
type docVocab struct {
	DF      map[string]int    // stem -> passages of the document holding it
	Surface map[string]string // folded word -> stem, first seen first
	Words   []string          // folded words in the order first seen
	Freq    map[string]int    // folded word -> occurrences
	// Written holds a folded word as the document first writes it, when
	// that differs ("Mistral" for "mistral", "décacorne" for "decacorne").
	Written  map[string]string
	Passages int
	// Terms, Forward and Lengths are what stage two scores a passage with
	// (see forward): the document's distinct terms, stems and exact forms,
	// first seen first; each passage's entries (packEntry, the term as an
	// index of Terms); and each passage's field lengths in tokens.
	Terms   []string
	Forward [][]uint32
	Lengths [][fieldCount]uint16
	// Fingerprints are the passages' (see Fingerprint), kept so that a
	// load with attachments does not fingerprint unchanged documents.
	Fingerprints []string
}

// vocabOf analyses a document's passages: all their fields, once, for the
// vocabulary and for stage two.
func vocabOf(ps []Passage) *docVocab {
	v := &docVocab{DF: map[string]int{}, Surface: map[string]string{}, Freq: map[string]int{},
		Written: map[string]string{}, Passages: len(ps),
		Forward: make([][]uint32, len(ps)), Lengths: make([][fieldCount]uint16, len(ps))}
	// A document's passages share their title and, a few at a time, their
	// section: each heading is analysed once.
	headings := map[string][]pairToken{}
	analyse := func(text string, heading bool) []pairToken {
		if !heading {
			return analyzePair(text)
		}
		toks, ok := headings[text]
		if !ok {
			toks = analyzePair(text)
			headings[text] = toks
		}
		return toks
	}
	local := map[string]uint32{}
	termOf := func(t string) uint32 {
		id, ok := local[t]
		if !ok {
			id = uint32(len(v.Terms))
			local[t] = id
			v.Terms = append(v.Terms, t)
		}
		return id
	}
	for i := range ps {
		p := &ps[i]
		seen := map[string]bool{}
		counts := map[uint32]int{} // term<<3 | field -> occurrences
		for f, text := range fieldTexts(p) {
			toks := analyse(text, f >= fSection)
			v.Lengths[i][f] = clampLength(len(toks))
			for _, t := range toks {
				counts[termOf(t.stem)<<3|uint32(f)]++
				if f == fText || f == fQuestion {
					counts[termOf(t.exact)<<3|fExact]++
				}
				if f == fLabel {
					continue // the label repeats the row's cells: not the vocabulary's
				}
				if !seen[t.stem] {
					seen[t.stem] = true
					v.DF[t.stem]++
				}
				written := text[t.start:t.end]
				w := Fold(written)
				if _, ok := v.Surface[w]; !ok {
					v.Surface[w] = t.stem
					v.Words = append(v.Words, w)
					if written != w {
						v.Written[w] = written
					}
				}
				v.Freq[w]++
			}
		}
		v.Lengths[i][fExact] = clampLength(int(v.Lengths[i][fText]) + int(v.Lengths[i][fQuestion]))
		v.Forward[i] = packEntries(counts)
		v.Fingerprints = append(v.Fingerprints, Fingerprint(p.Text))
	}
	return v
}

// mergeVocabulary sums documents' vocabularies, in corpus order.
func mergeVocabulary(docs []*docVocab) *vocabulary {
	v := &vocabulary{df: map[string]int{}, surface: map[string]string{}, freq: map[string]int{},
		byLength: map[int][]string{}, letters: map[int][]uint64{}, synonyms: map[string][]string{}, written: map[string]string{}}
	for _, d := range docs {
		v.n += d.Passages
		for stem, n := range d.DF {
			v.df[stem] += n
		}
		for _, w := range d.Words {
			if _, ok := v.surface[w]; !ok {
				v.surface[w] = d.Surface[w]
				n := utf8.RuneCountInString(w)
				v.byLength[n] = append(v.byLength[n], w)
				v.letters[n] = append(v.letters[n], letterSet(w))
				v.words = append(v.words, w)
				if form, ok := d.Written[w]; ok {
					v.written[w] = form
				}
			}
			v.freq[w] += d.Freq[w]
		}
	}
	for s := range v.df {
		v.stems = append(v.stems, s)
	}
	sort.Strings(v.stems)
	sort.Strings(v.words)
	return v
}

// derived lists the corpus stems that extend stem by a derivational ending
// ("europ" -> "europeen"), at most maxDerived of them.
func (v *vocabulary) derived(stem string) []string {
	if utf8.RuneCountInString(stem) < minStemPrefixRunes || !isWordy(stem) {
		return nil
	}
	var out []string
	i := sort.SearchStrings(v.stems, stem)
	for ; i < len(v.stems) && strings.HasPrefix(v.stems[i], stem); i++ {
		s := v.stems[i]
		if s != stem && utf8.RuneCountInString(s)-utf8.RuneCountInString(stem) <= maxDerivedSuffixRunes {
			out = append(out, s)
			if len(out) == maxDerived {
				break
			}
		}
	}
	return out
}

// idf is the BM25 inverse document frequency of a stem.
func (v *vocabulary) idf(stem string) float64 {
	df := float64(v.df[stem])
	n := float64(v.n)
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// correct proposes corpus stems for a word the corpus does not know: the
// stems of the closest corpus words, or a corpus stem the word starts with.
func (v *vocabulary) correct(word, stem string) []string {
	w := Fold(word)
	n := utf8.RuneCountInString(w)
	if n < minCorrectRunes || !isWordy(w) {
		return nil
	}
	maxDist := 1
	if n >= twoEditsRunes {
		maxDist = 2
	} else if n < oneEditRunes {
		return nil
	}
	best, bestDist, bestFreq := []string{}, maxDist+1, 0
	set := letterSet(w)
	for l := n - maxDist; l <= n+maxDist; l++ {
		for i, cand := range v.byLength[l] {
			if bits.OnesCount64(v.letters[l][i]^set) > 2*maxDist {
				continue // too many letters in one and not the other
			}
			d := osaDistance(w, cand, maxDist)
			if d > maxDist || d > bestDist {
				continue
			}
			f := v.freq[cand]
			switch {
			case d < bestDist:
				best, bestDist, bestFreq = []string{cand}, d, f
			case f > bestFreq:
				best, bestFreq = append([]string{cand}, best...), f
			default:
				best = append(best, cand)
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, c := range best {
		s := v.surface[c]
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
		if len(out) == maxCorrectionsATerm {
			break
		}
	}
	if len(out) > 0 {
		return out
	}
	// A misspelt ending defeats the stemmer: fall back to the longest corpus
	// stem the word starts with ("valorisaton" -> "valoris").
	longest := ""
	for _, s := range v.stems {
		ls := utf8.RuneCountInString(s)
		if ls >= minStemPrefixRunes && ls > utf8.RuneCountInString(longest) &&
			len(stem) > len(s) && stem[:len(s)] == s && utf8.RuneCountInString(stem)-ls <= maxStemSuffixRunes {
			longest = s
		}
	}
	if longest != "" {
		return []string{longest}
	}
	return nil
}

// letterSet is the set of a word's letters, one bit each (a to z, digits,
// and one bit shared by every other letter). An edit changes at most two
// bits (a substitution takes a letter out and puts one in; a swap none), so
// words within d edits differ in at most 2d bits. Letters sharing a bit
// only make the test let more words through, never fewer.
func letterSet(w string) uint64 {
	var set uint64
	for _, r := range w {
		switch {
		case r >= 'a' && r <= 'z':
			set |= 1 << (r - 'a')
		case r >= '0' && r <= '9':
			set |= 1 << (26 + r - '0')
		default:
			set |= 1 << 63
		}
	}
	return set
}

// osaDistance is the optimal string alignment distance (edits and swaps of
// neighbours) between a and b, or max+1 as soon as it exceeds max.
func osaDistance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			c := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				c = min(c, prev2[j-2]+1)
			}
			cur[j] = c
			rowMin = min(rowMin, c)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
