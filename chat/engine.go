package chat

import (
	"bytes"
	"crypto/rand"
	"strings"
	"unicode"

	"github.com/causette/causette/index"
	lru "github.com/hashicorp/golang-lru/v2"
)

// Searcher is what the engine needs of an index.
type Searcher interface {
	Terms(q string) []index.Term
	Search(stems []index.WeightedStem, limit int) ([]index.Hit, error)
	IDF(stem string) float64
	Known(stem string) bool
	Synonyms(stem string) []string
	Passages() []index.Passage
	Glossary() map[string]string
	Expand(stems []index.WeightedStem) map[string]bool
	Passage(id string) (index.Passage, bool)
	Neighbours(id string, n int) []index.Passage
}

// Defaults for Options.
const (
	// DefaultTop is how many citations an answer carries.
	DefaultTop = 3
	// DefaultThreshold separates answers from questions the corpus cannot
	// answer; confidence is calibrated so that this one value works.
	DefaultThreshold = 0.2
	// candidates is how many passages are reranked for a question.
	candidates = 30
	// citeRatio keeps secondary citations scoring at least this share of the best.
	citeRatio = 0.5
	// maxSuggestions is how many follow-up questions an answer proposes.
	maxSuggestions = 3
	// factsCached bounds the passages whose measures are kept: a question
	// meets candidates of them; a corpus of PIAF's or Service-Public's size
	// stays whole, a 100,000-passage one keeps what visitors ask about.
	factsCached = 20000
)

// Options tune an Engine.
type Options struct {
	// Top is the maximum number of citations (DefaultTop when 0).
	Top int
	// Threshold is the confidence under which the answer is no_answer
	// (DefaultThreshold when 0).
	Threshold float64
	// CiteRatio keeps secondary citations scoring at least this share of the
	// best one (citeRatio when 0).
	CiteRatio float64
	// Glossary maps English words to French ones ("" drops the word), for
	// questions asked in English (the index's own, Searcher.Glossary, when
	// nil).
	Glossary map[string]string
	// Secret is the HMAC-SHA256 key that signs the context tokens handed to
	// visitors: a token tampered with, or signed with another key, is read as
	// no context. Engines given the same Secret take each other's tokens:
	// replicas, and the engine that replaces this one when the corpus is
	// reloaded. When empty, New draws a random SecretBytes key, and tokens
	// then hold only for this engine. A configured Secret should hold at
	// least SecretBytes random bytes; New keeps a copy.
	Secret []byte
}

// Engine answers questions about one index. It is safe for concurrent use.
type Engine struct {
	ix       Searcher
	opts     Options
	starters []string
	faq      []index.Passage
	// key signs and checks the context tokens (Options.Secret).
	key []byte
	// facts holds what the engine measured of the passages it met, by
	// passage id (see factsOf).
	facts *lru.Cache[string, *passageFacts]
	// faqByDoc lists each document's FAQ questions, in order: what to
	// suggest after an answer from it; faqKeys and faqNames hold each
	// question's comparison key and how many things it names.
	faqByDoc map[string][]string
	faqKeys  map[string]string
	faqNames map[string]int
	// sheets are the documents made of FAQ entries only (a Q&A sheet).
	sheets map[string]bool
}

// New returns an engine over ix.
func New(ix Searcher, opts Options) *Engine {
	if opts.Top <= 0 {
		opts.Top = DefaultTop
	}
	if opts.CiteRatio <= 0 {
		opts.CiteRatio = citeRatio
	}
	if opts.Threshold <= 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.Glossary == nil {
		opts.Glossary = ix.Glossary()
	}
	key := bytes.Clone(opts.Secret)
	if len(key) == 0 {
		key = make([]byte, SecretBytes)
		rand.Read(key) // never fails: it crashes the program first
	}
	opts.Secret = nil // the key is kept once, out of what may be printed
	facts, err := lru.New[string, *passageFacts](factsCached)
	if err != nil {
		panic(err) // only for a size <= 0
	}
	e := &Engine{ix: ix, opts: opts, key: key, facts: facts}
	e.faqByDoc, e.faqKeys, e.faqNames = map[string][]string{}, map[string]string{}, map[string]int{}
	e.sheets = map[string]bool{}
	others := map[string]bool{} // documents with a passage that is no FAQ entry
	for _, p := range ix.Passages() {
		if p.Kind != index.KindFAQ {
			others[p.Doc] = true
		}
		if p.Kind == index.KindFAQ {
			e.faq = append(e.faq, p)
			e.faqByDoc[p.Doc] = append(e.faqByDoc[p.Doc], p.Question)
			if _, ok := e.faqKeys[p.Question]; !ok {
				e.faqKeys[p.Question] = questionKey(p.Question)
				e.faqNames[p.Question] = len(index.Analyze(p.Question))
			}
		}
	}
	for doc := range e.faqByDoc {
		if !others[doc] {
			e.sheets[doc] = true
		}
	}
	e.starters = starters(ix.Passages(), e.faq)
	return e
}

// Starters are questions a visitor can start with.
func (e *Engine) Starters() []string { return append([]string(nil), e.starters...) }

// Greeting is the welcome message shown before the first question.
func (e *Engine) Greeting() string { return greeting }

// Ask answers one turn. context is the token of the previous answer ("" for
// the first turn); a token that is damaged, forged, oversized or signed with
// another key is no context, not an error. Only a question that cannot be
// read is an error (*Error). The answer's Context is always a token signed by
// the engine, or "".
func (e *Engine) Ask(question, context string) (Answer, error) {
	if err := checkQuestion(question); err != nil {
		return Answer{}, err
	}
	question = strings.TrimSpace(question)
	if question == "" {
		return Answer{}, ErrEmpty
	}
	if !hasLetterOrDigit(question) {
		return Answer{}, ErrNoLetter
	}
	prev := e.decodeContext(context)
	if a, ok := e.smalltalk(question); ok {
		// The conversation goes on after small talk, with the context as
		// checked, never the visitor's bytes.
		a.Context = e.encodeContext(prev)
		return withShape(a), nil
	}
	return withShape(e.answer(e.understand(stripCourtesy(question), prev))), nil
}

// withShape gives an answer's lists their empty value rather than null:
// clients read one shape.
func withShape(a Answer) Answer {
	if a.ShortAt == nil {
		a.ShortAt = []int{}
	}
	return a
}

// hasLetterOrDigit reports whether s holds something to search for.
func hasLetterOrDigit(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// starters picks the questions offered before the first turn: the corpus's own
// FAQ questions, else questions on its section headings.
// starterWords is how many things a starter names at the least: shown
// before any question, it has no page around it (« En quoi consiste
// l'obligation ? » names two and means nothing alone).
const starterWords = 3

func starters(ps []index.Passage, faq []index.Passage) []string {
	var out []string
	asked := map[string]bool{} // a corpus of many fiches repeats its questions
	for _, p := range faq {
		if asked[p.Question] || len(index.Analyze(p.Question)) < starterWords {
			continue
		}
		asked[p.Question] = true
		out = append(out, p.Question)
		if len(out) == maxSuggestions {
			return out
		}
	}
	seen := map[string]bool{}
	for _, p := range ps {
		topic := p.Section
		if topic == "" {
			topic = p.Title
		}
		if topic == "" || seen[topic] {
			continue
		}
		seen[topic] = true
		out = append(out, "Que dit le texte sur « "+topic+" » ?")
		if len(out) == maxSuggestions {
			break
		}
	}
	return out
}

// stemsOf returns the stems of a passage, all fields together.
func (e *Engine) stemsOf(p *index.Passage) map[string]bool { return e.factsOf(p).stems }

// factsOf returns what the engine measures of a passage: measured the first
// time the passage is a candidate, then kept among the factsCached most
// recently used. A start measures nothing; a question measures its
// candidates only.
func (e *Engine) factsOf(p *index.Passage) *passageFacts {
	if f, ok := e.facts.Get(p.ID); ok {
		return f
	}
	f := measure(*p)
	e.facts.Add(p.ID, f)
	return f
}
