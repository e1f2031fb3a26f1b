package chat

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/causette/causette/index"
)

// Ranking and confidence weights, each set by measuring ../shared/eval/dev.jsonl
// and the PIAF set (causette eval; see README), not by hand.
const (
	// cueBoost: a passage holding what the question wants (a number for
	// "combien", a year for "quand") moves up a little.
	cueBoost = 0.15
	// prevBoost: the passage the conversation is about, when it holds a word
	// of the new turn, moves up.
	prevBoost = 0.25
	// proximityBoost rewards question words that stay neighbours in the
	// passage, within proximityWindow words; pairSpan is how far apart two
	// question words may be to form a pair (1: next to each other).
	proximityBoost  = 2.0
	proximityWindow = 5
	pairSpan        = 1
	// docPriorPower: how much the document that gathers most candidates
	// lifts its passages (0 off, 1 proportional).
	docPriorPower = 0.5
	// sentenceBoost rewards a passage whose best sentence holds the question;
	// sentenceCueBoost a best sentence that also holds the cue.
	sentenceBoost    = 1.0
	sentenceCueBoost = 0.3
	// coverageFloor keeps a passage that covers little of the question in
	// the running; the score grows with the square of the coverage.
	coverageFloor = 0.1
	// gapShare: the share of confidence that depends on the lead of the best
	// passage over the second.
	gapShare = 0.2
	// unknownIDFScale weighs a word the corpus never uses, in confidence,
	// above the rarest word it has.
	unknownIDFScale = 1.5
	// unknownEntityScale weighs a name or number the corpus never mentions
	// ("Brésil", "2020"): the question is about something else.
	unknownEntityScale = 3.0
	// missingEntityFactor discounts the confidence of a passage that lacks a
	// name the question asks about: "le PDG d'OpenAI" is not answered by a
	// passage on another company's PDG.
	missingEntityFactor = 0.5
	// maxAnswerRunes keeps an answer short: a sentence or two, never a wall.
	maxAnswerRunes = 420
	// uncertainBelow is the confidence under which an answer is offered as
	// a possibility. Measured (causette bench refuse, PIAF with a third of
	// its articles out): answers under 0.5 are right less often than wrong
	// (0.13 at 0.2–0.3, 0.32 at 0.3–0.4, 0.46 at 0.4–0.5), above it more
	// often (0.62 at 0.5–0.6, 0.80 at 0.6–0.7).
	uncertainBelow = 0.5
)

// closeScore is how near the best passage of another document must score
// for an uncertain answer to ask which document was meant.
const closeScore = 0.9

// choices offers the documents of the two best passages when they differ,
// score close and have titles that tell them apart: each choice asks the
// question again with the document's title, whose words lead to it.
func choices(t *turn, ranked []scored) []Choice {
	if len(ranked) < 2 {
		return nil
	}
	best := ranked[0].hit.Passage
	for _, s := range ranked[1:] {
		if s.score < closeScore*ranked[0].score {
			return nil
		}
		other := s.hit.Passage
		if other.Doc == best.Doc {
			continue
		}
		if strings.EqualFold(other.Title, best.Title) || other.Title == "" || best.Title == "" {
			return nil
		}
		if other.Text == best.Text || !tellsApart(best.Title) || !tellsApart(other.Title) {
			return nil // the same text, or titles that say nothing (« Fiche F21619 »)
		}
		q := strings.TrimRightFunc(t.question, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("?!.", r) })
		return []Choice{{best.Title, q + " (" + best.Title + ") ?"}, {other.Title, q + " (" + other.Title + ") ?"}}
	}
	return nil
}

// vagueMargin keeps a vague question's confidence just under
// uncertainBelow.
const vagueMargin = 0.01

// vague reports whether a question of its own (not a follow-up) names a
// single thing, and no name: « Combien ça coûte ? », « Quel recours ? ».
func vague(t *turn) bool {
	if t.followup || len(t.ownEntities) > 0 {
		return false
	}
	own := map[int]bool{}
	for _, s := range t.stems {
		if s.Of < len(t.terms) {
			own[s.Of] = true
		}
	}
	return len(own) == 1
}

// tellsApart reports whether a title can tell a visitor which document it
// is: not an identifier (a short title with a digit, « Fiche F21619 »).
func tellsApart(title string) bool {
	return !(len(strings.Fields(title)) <= 3 && strings.ContainsAny(title, "0123456789"))
}

// uncertainLead opens an uncertain answer.
const uncertainLead = "Je ne suis pas sûr, mais voici ce que disent les documents : "

const noAnswerText = "Je n'ai pas trouvé la réponse dans les documents. Reformulez avec d'autres mots, ou essayez une de ces questions."

var (
	yearRe = regexp.MustCompile(`\b(1[0-9]{3}|20[0-9]{2})\b|\b[IVXL]+e siècle|\b(?i:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b`)
	nameRe = regexp.MustCompile(`[^.!?]\s+\p{Lu}\p{Ll}+`)
	// sentenceEnd splits after . ! ? … when a capital, digit or quote follows.
	sentenceEnd = regexp.MustCompile(`([.!?…])\s+([\p{Lu}0-9«"“])`)
)

// numberWords are the French words that say a quantity without digits.
var numberWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt trente quarante cinquante soixante cent cents mille million millions milliard milliards dizaine dizaines centaine centaines millier milliers moitié tiers quart") {
		numberWords[w] = true
	}
}

// holdsNumber reports whether text states a quantity, in digits or words.
func holdsNumber(text string) bool {
	if strings.ContainsAny(text, "0123456789") {
		return true
	}
	for _, w := range words(text) {
		if numberWords[w] {
			return true
		}
	}
	return false
}

// scored is a candidate passage with what the engine measured of it.
type scored struct {
	hit      index.Hit
	score    float64
	coverage float64
}

// answer retrieves, reranks and scores the passages for an understood turn,
// then answers from the best one or says plainly that the corpus does not.
func (e *Engine) answer(t *turn) Answer {
	if len(t.stems) == 0 {
		return e.noAnswer(t, nil)
	}
	hits, err := e.ix.Search(t.stems, candidates)
	if err != nil || len(hits) == 0 {
		return e.noAnswer(t, nil)
	}
	want := e.ix.Expand(t.stems)
	weights := e.wordWeights(t)
	pairs := e.pairs(t)
	ranked := make([]scored, len(hits))
	definition := asksDefinition(t)
	for i, h := range hits {
		s := scored{hit: h, score: h.Score}
		s.coverage = e.coverage(t, h.Passage, weights)
		s.score *= 1 + sentenceBoost*e.sentenceCoverage(t, h.Passage, weights)
		s.score *= coverageFloor + s.coverage*s.coverage
		if e.factsOf(h.Passage).cues.has(t.cue) {
			s.score *= 1 + cueBoost
		}
		s.score *= 1 + proximityBoost*e.proximity(pairs, h.Passage)
		if definition && e.definingSentence(t, h.Passage) == 0 {
			s.score *= 1 + definitionBoost
		}
		if t.prevPassage != "" && h.Passage.ID == t.prevPassage && e.holdsOwnWord(t, h.Passage) {
			s.score *= 1 + prevBoost
		}
		ranked[i] = s
	}
	docPrior(ranked, e.sheets)
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].score > ranked[j].score })
	if a, ok := e.countTable(t, ranked); ok {
		a.Suggestions = e.suggest(t, ranked)
		return a
	}
	if a, ok := e.compareTable(t, ranked, want); ok {
		a.Suggestions = e.suggest(t, ranked)
		return a
	}
	best := ranked[0]
	gap := 1.0
	if len(ranked) > 1 && best.score > 0 {
		gap = (best.score - ranked[1].score) / best.score
	}
	conf := best.coverage * (1 - gapShare + gapShare*gap)
	if e.lacksEntity(t, best.hit.Passage) {
		conf *= missingEntityFactor
	}
	if !e.holdsFocus(t, best.hit.Passage) {
		conf *= missingFocusFactor
	}
	if vague(t) {
		// « Combien ça coûte ? » names one common thing: any passage on a
		// price covers it; the answer is a guess, and says so.
		conf = math.Min(conf, uncertainBelow-vagueMargin)
	}
	conf = math.Round(math.Min(1, math.Max(0, conf))*1000) / 1000
	if conf < e.opts.Threshold {
		a := e.noAnswer(t, ranked)
		a.Confidence = conf
		return a
	}
	text, at := e.extract(t, best.hit.Passage, want)
	a := Answer{Kind: KindAnswer, Confidence: conf, Answer: text}
	if conf < uncertainBelow {
		a.Uncertain = true
		a.Answer = uncertainLead + text
		a.Choices = choices(t, ranked)
	}
	a.Short, a.ShortAt = e.shortAnswer(t, best.hit.Passage, at, want)
	for _, s := range ranked {
		if len(a.Citations) == e.opts.Top || s.score < e.opts.CiteRatio*best.score {
			break
		}
		if citesText(a.Citations, s.hit.Passage.Text) {
			continue // the same text twice in the corpus: one source shown
		}
		a.Citations = append(a.Citations, e.cite(s, want))
	}
	t.answered = true
	a.Suggestions = e.suggest(t, ranked)
	// The name the answer gave (« TotalEnergies » for « Quel client dans
	// l'énergie ? ») is what a follow-up asks about: « Pour quel montant ? ».
	a.Context = e.encodeContext(withAnswered(t.nextContext(best.hit.Passage.ID), a.Short))
	return a
}

// withAnswered keeps in a context the stems of a short answer that is a
// name, for an elliptic follow-up (see resolve).
func withAnswered(c convContext, short string) convContext {
	r, _ := utf8.DecodeRuneInString(short)
	if short == "" || !unicode.IsUpper(r) {
		return c
	}
	for _, tok := range index.Analyze(short) {
		if st := string(tok.Term); !slices.Contains(c.Answered, st) && !slices.Contains(c.Topic, st) {
			c.Answered = append(c.Answered, st)
		}
	}
	return c
}

// citesText reports whether a citation already shows text.
func citesText(cs []Citation, text string) bool {
	for _, c := range cs {
		if c.Text == text {
			return true
		}
	}
	return false
}

// cite turns a ranked passage into a citation with its matched words.
func (e *Engine) cite(s scored, want map[string]bool) Citation {
	p := s.hit.Passage
	h := [][2]int{}
	for _, sp := range e.factsOf(p).spans {
		if want[sp.stem] {
			h = append(h, [2]int{sp.start, sp.end})
		}
	}
	return Citation{ID: p.ID, Doc: p.Doc, Title: p.Title, Section: p.Section, Paragraph: p.Paragraph,
		Kind: string(p.Kind), URL: p.URL, Text: p.Text, Highlights: h, Score: math.Round(s.score*1000) / 1000}
}

// suggest proposes next questions. After an answer, they come from what
// was answered: the next cells of its table row, the FAQ questions of its
// document among the candidates, then the rest of that document's FAQ; on
// a corpus of one document, the starters too. A refusal offers the FAQ
// questions of the candidates, then the starters. Never the question just
// asked, never twice the same (whatever its case and punctuation), never
// one that means nothing out of its page (« Qui est concerné ? »).
func (e *Engine) suggest(t *turn, ranked []scored) []string {
	out := []string{}
	seen := map[string]bool{e.suggestionKey(t.question): true}
	push := func(q string) {
		if len(out) == maxSuggestions || q == "" {
			return
		}
		if k := e.suggestionKey(q); !seen[k] {
			seen[k] = true
			out = append(out, q)
		}
	}
	add := func(q string) {
		if len(out) < maxSuggestions && e.standsAlone(q) {
			push(q)
		}
	}
	doc := ""
	if t.answered && len(ranked) > 0 {
		doc = ranked[0].hit.Passage.Doc
		seen[e.suggestionKey(ranked[0].hit.Passage.Question)] = true // the one just answered
	}
	if len(ranked) > 0 && ranked[0].hit.Passage.Row != nil && t.answered {
		r := ranked[0].hit.Passage.Row
		col, byEntity := tableCell(r, e.ix.Expand(t.stems), e.ownWords(t), t.order())
		for _, q := range tableFollowUps(r, col, byEntity) {
			push(q) // « Et côté durée ? » goes on from the row just read
		}
	}
	for i, s := range ranked {
		p := s.hit.Passage
		if p.Kind == index.KindFAQ && (i > 0 || len(ranked) == 1) && (doc == "" || p.Doc == doc) {
			add(p.Question)
		}
	}
	if doc != "" {
		for _, q := range e.faqByDoc[doc] {
			add(q)
		}
	}
	if doc == "" || len(e.faqByDoc) <= 1 {
		for _, q := range e.starters {
			add(q)
		}
	}
	return out
}

// suggestionKey compares suggestions: folded, words only. The corpus's
// FAQ questions have theirs worked out once (see New).
func (e *Engine) suggestionKey(q string) string {
	if k, ok := e.faqKeys[q]; ok {
		return k
	}
	return questionKey(q)
}

func questionKey(q string) string { return strings.Join(words(index.Fold(q)), " ") }

// standsAlone reports whether a question means something out of its page:
// it names at least two things (« Qui est concerné ? » names one). The
// corpus's FAQ questions are analysed once (see New).
func (e *Engine) standsAlone(q string) bool {
	if n, ok := e.faqNames[q]; ok {
		return n >= 2
	}
	return len(index.Analyze(q)) >= 2
}

// noAnswer says the corpus does not answer, keeps the conversation's
// context (as checked, signed again) and proposes questions it can answer.
func (e *Engine) noAnswer(t *turn, ranked []scored) Answer {
	a := Answer{Kind: KindNoAnswer, Answer: noAnswerText, Citations: []Citation{}}
	a.Suggestions = e.suggest(t, ranked)
	a.Context = e.encodeContext(t.prev)
	return a
}
