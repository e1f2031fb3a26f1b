package chat

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/causette/causette/index"
)

// Ranking and confidence weights, set on ../shared/eval/dev.jsonl and the
// PIAF set (see README): a passage that holds what the question wants (a
// number for "combien", a year for "quand") or that the conversation is
// already about moves up a little; confidence is mostly the share of the
// question's weight the passage covers.
const (
	cueBoost         = 0.15
	prevBoost        = 0.25
	proximityBoost   = 2.0
	proximityWindow  = 5
	docPriorPower    = 0.5
	pairSpan         = 1
	sentenceBoost    = 1.0
	sentenceCueBoost = 0.3
	coverageFloor    = 0.1
	gapShare         = 0.2
	unknownIDFScale  = 1.5
	// unknownEntityScale weighs a name or number the corpus never mentions
	// ("Brésil", "2020"): the question is about something else.
	unknownEntityScale = 3.0
	// missingEntityFactor discounts the confidence of a passage that lacks a
	// name the question asks about: "le PDG d'OpenAI" is not answered by a
	// passage on another company's PDG.
	missingEntityFactor = 0.5
	// maxAnswerRunes keeps an answer short: a sentence or two, never a wall.
	maxAnswerRunes = 420
)

const noAnswerText = "Je n'ai pas trouvé la réponse dans les documents. Reformulez avec d'autres mots, ou essayez une de ces questions."

var (
	yearRe   = regexp.MustCompile(`\b(1[0-9]{3}|20[0-9]{2})\b|\b[IVXL]+e siècle|\b(?i:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b`)
	numberRe = regexp.MustCompile(`[0-9]|\b(?i:un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|trente|quarante|cinquante|soixante|cent|cents|mille|million|millions|milliard|milliards|dizaine|dizaines|centaine|centaines)\b`)
	nameRe   = regexp.MustCompile(`[^.!?]\s+\p{Lu}\p{Ll}+`)
	// sentenceEnd splits after . ! ? … when a capital, digit or quote follows.
	sentenceEnd = regexp.MustCompile(`([.!?…])\s+([\p{Lu}0-9«"“])`)
)

// scored is a candidate passage with what the engine measured of it.
type scored struct {
	hit      index.Hit
	score    float64
	coverage float64
}

func (e *Engine) answer(t *turn) Answer {
	if len(t.stems) == 0 {
		return e.noAnswer(t, nil)
	}
	hits, err := e.ix.Search(t.stems, candidates)
	if err != nil || len(hits) == 0 {
		return e.noAnswer(t, nil)
	}
	want := e.expand(t.stems)
	weights := e.wordWeights(t)
	pairs := e.pairs(t)
	ranked := make([]scored, len(hits))
	for i, h := range hits {
		s := scored{hit: h, score: h.Score}
		s.coverage = e.coverage(t, h.Passage, weights)
		s.score *= 1 + sentenceBoost*e.sentenceCoverage(t, h.Passage, weights)
		s.score *= coverageFloor + s.coverage*s.coverage
		if t.cue != cueNone && e.cues[h.Passage.ID][t.cue] {
			s.score *= 1 + cueBoost
		}
		s.score *= 1 + proximityBoost*e.proximity(pairs, h.Passage)
		if t.prevPassage != "" && h.Passage.ID == t.prevPassage && e.holdsOwnWord(t, h.Passage) {
			s.score *= 1 + prevBoost
		}
		ranked[i] = s
	}
	docPrior(ranked)
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].score > ranked[j].score })
	best := ranked[0]
	gap := 1.0
	if len(ranked) > 1 && best.score > 0 {
		gap = (best.score - ranked[1].score) / best.score
	}
	conf := best.coverage * (1 - gapShare + gapShare*gap)
	if e.lacksEntity(t, best.hit.Passage) {
		conf *= missingEntityFactor
	}
	conf = math.Round(math.Min(1, math.Max(0, conf))*1000) / 1000
	if conf < e.opts.Threshold {
		a := e.noAnswer(t, ranked)
		a.Confidence = conf
		return a
	}
	a := Answer{Kind: KindAnswer, Confidence: conf, Answer: e.extract(t, best.hit.Passage, want)}
	for _, s := range ranked {
		if len(a.Citations) == e.opts.Top || s.score < e.opts.CiteRatio*best.score {
			break
		}
		a.Citations = append(a.Citations, e.cite(s, want))
	}
	a.Suggestions = e.suggest(t, ranked)
	a.Context = t.nextContext(best.hit.Passage.ID)
	return a
}

// expand returns the stems to look for in passages: the query's, their
// synonyms.
func (e *Engine) expand(stems []index.WeightedStem) map[string]bool {
	want := map[string]bool{}
	for _, s := range stems {
		want[s.Stem] = true
		for _, o := range e.ix.Synonyms(s.Stem) {
			want[o] = true
		}
	}
	return want
}

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
		if !term.Known && len(term.Corrections) == 0 && len(term.Synonyms) == 0 {
			scale := unknownIDFScale
			if isEntity(term.Surface, term.Start == firstWordStart(t.text)) {
				scale = unknownEntityScale
			}
			w[i] = scale * e.ix.IDF(term.Stem)
		}
	}
	var total float64
	for _, x := range w {
		total += x
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
	for i, have := range e.sentences[p.ID] {
		cov := e.share(t, have, w)
		if t.cue != cueNone && e.sentenceCues[p.ID][i][t.cue] {
			cov *= 1 + sentenceCueBoost
		}
		best = math.Max(best, cov)
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
	for _, g := range got {
		sum += g
	}
	return sum / w.total
}

// docPrior favours passages of the document that holds most of the
// candidates' weight: a question is usually about one document, and its
// other passages vouch for it.
func docPrior(ranked []scored) {
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
	pos := e.positions[p.ID]
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

func holdsCue(text string, c cue) bool {
	switch c {
	case cueNumber:
		return numberRe.MatchString(text)
	case cueDate:
		return yearRe.MatchString(text)
	case cuePerson, cuePlace:
		return nameRe.MatchString(text)
	}
	return false
}

func (e *Engine) cite(s scored, want map[string]bool) Citation {
	p := s.hit.Passage
	h := [][2]int{}
	for _, sp := range e.spans[p.ID] {
		if want[sp.stem] {
			h = append(h, [2]int{sp.start, sp.end})
		}
	}
	return Citation{ID: p.ID, Doc: p.Doc, Title: p.Title, Section: p.Section, Paragraph: p.Paragraph,
		Kind: string(p.Kind), Text: p.Text, Highlights: h, Score: math.Round(s.score*1000) / 1000}
}

// extract picks what answers the question in the passage: a table cell named
// by the question, or the sentences that hold most of the question's words.
func (e *Engine) extract(t *turn, p *index.Passage, want map[string]bool) string {
	if p.Row != nil {
		if fact := tableFact(p.Row, want, t.order()); fact != "" {
			return fact
		}
		return p.Text
	}
	sentences := splitSentences(p.Text)
	if len(sentences) <= 1 {
		return clip(p.Text)
	}
	bestI, bestScore := 0, -1.0
	for i, s := range sentences {
		var score float64
		for _, tok := range index.Analyze(s) {
			if want[string(tok.Term)] {
				score += e.ix.IDF(string(tok.Term))
			}
		}
		if t.cue != cueNone && holdsCue(s, t.cue) {
			score *= 1 + cueBoost
		}
		if score > bestScore {
			bestI, bestScore = i, score
		}
	}
	out := sentences[bestI]
	if utf8.RuneCountInString(out) < 80 && bestI+1 < len(sentences) {
		out += " " + sentences[bestI+1]
	}
	return clip(out)
}

// tableFact reads the cell whose column the question names: "SNCF — Durée du
// contrat : 5 ans". Among columns named as much, the one named first wins:
// in "le montant du contrat", montant is the head. It returns "" when the
// question names no column.
func tableFact(r *index.TableRow, want map[string]bool, order map[string]int) string {
	best, bestN, bestAt := 0, 0, 0
	for i := 1; i < len(r.Header) && i < len(r.Cells); i++ {
		n, at := 0, 1<<30
		for _, tok := range index.Analyze(r.Header[i]) {
			if want[string(tok.Term)] {
				n++
				if o, ok := order[string(tok.Term)]; ok && o < at {
					at = o
				}
			}
		}
		if r.Cells[i] != "" && n > 0 && (n > bestN || n == bestN && at < bestAt) {
			best, bestN, bestAt = i, n, at
		}
	}
	if bestN == 0 {
		return ""
	}
	return r.Label() + " — " + r.Header[best] + " : " + r.Cells[best] + "."
}

// splitSentences cuts a paragraph into sentences.
func splitSentences(text string) []string {
	marked := sentenceEnd.ReplaceAllString(text, "$1\x00$2")
	parts := strings.Split(marked, "\x00")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// clip shortens text to maxAnswerRunes at a word boundary.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= maxAnswerRunes {
		return s
	}
	r := []rune(s)[:maxAnswerRunes]
	cut := len(r)
	for cut > 0 && !unicode.IsSpace(r[cut-1]) {
		cut--
	}
	if cut == 0 {
		cut = len(r)
	}
	return strings.TrimSpace(string(r[:cut])) + " …"
}

// suggest proposes next questions: FAQ questions near this one, then starters.
func (e *Engine) suggest(t *turn, ranked []scored) []string {
	var out []string
	add := func(q string) {
		if q == "" || strings.EqualFold(q, t.question) || len(out) == maxSuggestions {
			return
		}
		for _, o := range out {
			if o == q {
				return
			}
		}
		out = append(out, q)
	}
	for i, s := range ranked {
		if s.hit.Passage.Kind == index.KindFAQ && (i > 0 || len(ranked) == 1) {
			add(s.hit.Passage.Question)
		}
	}
	for _, q := range e.starters {
		add(q)
	}
	if out == nil {
		out = []string{}
	}
	return out
}

func (e *Engine) noAnswer(t *turn, ranked []scored) Answer {
	a := Answer{Kind: KindNoAnswer, Answer: noAnswerText, Citations: []Citation{}}
	a.Suggestions = e.suggest(t, ranked)
	a.Context = t.prevToken
	return a
}
