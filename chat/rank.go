package chat

import (
	"maps"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/causette/causette/index"
)

// minUnknownRunes: a stray character ("… ? 0", "x") is a slip, not a
// subject the corpus lacks.
const minUnknownRunes = 2

// wordWeights gives each query word (WeightedStem.Of) its weight: the
// rarity of its best stand-in, times that stand-in's weight. A word the
// corpus does not know at all weighs as the rarest word, so that a question
// about something absent scores low.
func (e *Engine) wordWeights(t *turn) wordWeights {
	w := map[int]float64{}
	for _, s := range t.stems {
		w[s.Of] = math.Max(w[s.Of], s.Weight*e.ix.IDF(s.Stem))
	}
	for i, term := range t.terms {
		if !term.Known && len(term.Corrections) == 0 && len(term.Synonyms) == 0 &&
			utf8.RuneCountInString(term.Surface) >= minUnknownRunes {
			scale := unknownIDFScale
			if isEntity(term.Surface, term.Start == t.firstWordStart()) {
				scale = unknownEntityScale
			}
			w[i] = scale * e.ix.IDF(term.Stem)
		}
	}
	var total float64
	for _, k := range slices.Sorted(maps.Keys(w)) { // in order: sums are repeatable
		total += w[k]
	}
	return wordWeights{byWord: w, total: total}
}

// wordWeights holds the weight of each question word (WeightedStem.Of) and
// their sum.
type wordWeights struct {
	byWord map[int]float64
	total  float64
}

// sentenceCoverage is the share of the question's weight that the passage's
// best sentence holds: an answer usually sits in one sentence, not spread
// over a long paragraph.
func (e *Engine) sentenceCoverage(t *turn, p *index.Passage, w wordWeights) float64 {
	best := 0.0
	sentences := e.factsOf(p).sentences
	for i := range sentences {
		sf := &sentences[i]
		cov := e.share(t, sf.stems, w)
		if sf.cues.has(t.cue) {
			cov *= 1 + sentenceCueBoost
		}
		best = math.Max(best, cov)
	}
	// An FAQ entry is found by its question as a passage by its sentence:
	// « Comment signaler un bogue ? » asked is the entry that asks it.
	for _, asked := range e.factsOf(p).asked {
		best = math.Max(best, e.share(t, asked, w))
	}
	return best
}

// coverage is the share of the question's weight that the passage holds.
func (e *Engine) coverage(t *turn, p *index.Passage, w wordWeights) float64 {
	return e.share(t, e.stemsOf(p), w)
}

// share is the share of the question's weight found in a set of stems: each
// question word counts once, by its best stand-in.
func (e *Engine) share(t *turn, have map[string]bool, w wordWeights) float64 {
	if w.total == 0 {
		return 0
	}
	got := map[int]float64{}
	for _, s := range t.stems {
		if have[s.Stem] {
			got[s.Of] = math.Max(got[s.Of], math.Min(w.byWord[s.Of], s.Weight*e.ix.IDF(s.Stem)))
		}
	}
	var sum float64
	for _, k := range slices.Sorted(maps.Keys(got)) {
		sum += got[k]
	}
	return sum / w.total
}

// docPrior favours passages of the document that holds most of the
// candidates' weight: a question is usually about one document, and its
// other passages vouch for it. Not so the entries of a Q&A sheet (sheets):
// each is the whole answer to its question.
func docPrior(ranked []scored, sheets map[string]bool) {
	sum := map[string]float64{}
	best := 0.0
	for _, s := range ranked {
		sum[s.hit.Passage.Doc] += s.score
		best = math.Max(best, sum[s.hit.Passage.Doc])
	}
	if best == 0 {
		return
	}
	for i := range ranked {
		if sheets[ranked[i].hit.Passage.Doc] {
			continue // an entry of a Q&A sheet stands on its own, however small the sheet
		}
		ranked[i].score *= math.Pow(sum[ranked[i].hit.Passage.Doc]/best, docPriorPower)
	}
}

// pair is two words next to each other in the question.
type pair struct {
	a, b   []string // each word's stand-in stems
	weight float64
}

// pairs lists the question's neighbouring words, weighted by the rarer one's
// rarity: "démarche environnementale" matters more as a phrase than apart.
func (e *Engine) pairs(t *turn) []pair {
	var order []int
	alts := map[int][]string{}
	for _, s := range t.stems {
		if _, ok := alts[s.Of]; !ok {
			order = append(order, s.Of)
		}
		alts[s.Of] = append(alts[s.Of], s.Stem)
	}
	var out []pair
	for i := 1; i < len(order); i++ {
		for j := i - 1; j >= 0 && i-j <= pairSpan; j-- {
			a, b := alts[order[j]], alts[order[i]]
			w := math.Min(e.ix.IDF(a[0]), e.ix.IDF(b[0])) / float64(i-j)
			out = append(out, pair{a: a, b: b, weight: w})
		}
	}
	return out
}

// proximity is the weighted share of the question's word pairs that stand
// within proximityWindow words of each other in the passage.
func (e *Engine) proximity(pairs []pair, p *index.Passage) float64 {
	if len(pairs) == 0 {
		return 0
	}
	pos := e.factsOf(p).positions
	var got, total float64
	for _, pr := range pairs {
		total += pr.weight
		if near(pos, pr.a, pr.b) {
			got += pr.weight
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// near reports whether a stand-in of a and one of b stand within
// proximityWindow words of each other.
func near(pos map[string][]int, a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			for _, i := range pos[x] {
				for _, j := range pos[y] {
					if d := i - j; d != 0 && d <= proximityWindow && d >= -proximityWindow {
						return true
					}
				}
			}
		}
	}
	return false
}

// lacksEntity reports whether the passage misses a name that the question
// itself (not the previous turn) asks about.
func (e *Engine) lacksEntity(t *turn, p *index.Passage) bool {
	have := e.stemsOf(p)
	for _, ent := range t.ownEntities {
		if !have[ent] {
			return true
		}
	}
	return false
}

// holdsOwnWord reports whether the passage holds a word of the question
// itself, not only words inherited from the previous turn.
func (e *Engine) holdsOwnWord(t *turn, p *index.Passage) bool {
	have := e.stemsOf(p)
	for _, s := range t.stems {
		if s.Of < len(t.terms) && have[s.Stem] {
			return true
		}
	}
	return false
}

// holdsCue reports whether text holds what a cue wants: a number, a date,
// a name.
func holdsCue(text string, c cue) bool {
	switch c {
	case cueNumber:
		return holdsNumber(text)
	case cueDate:
		return mayHoldDate(text) && yearRe.MatchString(text)
	case cuePerson, cuePlace:
		return mayHoldName(text) && nameRe.MatchString(text)
	}
	return false
}

// monthNames are the words yearRe takes for a date besides digits.
var monthNames = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// mayHoldDate is what yearRe needs, checked without it: a digit, a century
// (« XVe siècle ») or a month's name. Most sentences have none, and the
// regular expression, with its case-insensitive months, is the costliest
// part of measuring a passage.
func mayHoldDate(text string) bool {
	if strings.ContainsAny(text, "0123456789") || strings.Contains(text, "e siècle") {
		return true
	}
	lower := strings.ToLower(text)
	for _, m := range monthNames {
		if strings.Contains(lower, m) {
			return true
		}
	}
	return false
}

// mayHoldName is what nameRe needs, checked without it: a capital letter
// right after a space.
func mayHoldName(text string) bool {
	space := false
	for _, r := range text {
		if space && unicode.IsUpper(r) {
			return true
		}
		space = unicode.IsSpace(r)
	}
	return false
}
