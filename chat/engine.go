package chat

import (
	"strings"
	"unicode"

	"github.com/causette/causette/index"
)

// Searcher is what the engine needs of an index.
type Searcher interface {
	Terms(q string) []index.Term
	Search(stems []index.WeightedStem, limit int) ([]index.Hit, error)
	IDF(stem string) float64
	Known(stem string) bool
	Synonyms(stem string) []string
	Passages() []index.Passage
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
	// questions asked in English.
	Glossary map[string]string
}

// Engine answers questions about one index. It is safe for concurrent use.
type Engine struct {
	ix       Searcher
	opts     Options
	starters []string
	faq      []index.Passage
	// facts holds what the engine measured of each passage, by passage id.
	facts map[string]*passageFacts
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
	e := &Engine{ix: ix, opts: opts, facts: map[string]*passageFacts{}}
	for _, p := range ix.Passages() {
		e.facts[p.ID] = measure(p)
		if p.Kind == index.KindFAQ {
			e.faq = append(e.faq, p)
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
// the first turn). Only a question that cannot be read is an error (*Error).
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
	prev := decodeContext(context)
	if a, ok := e.smalltalk(question); ok {
		a.Context = context
		return a, nil
	}
	t := e.understand(stripCourtesy(question), prev)
	t.prevToken = context
	return e.answer(t), nil
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
func starters(ps []index.Passage, faq []index.Passage) []string {
	var out []string
	for _, p := range faq {
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
func (e *Engine) stemsOf(p *index.Passage) map[string]bool { return e.facts[p.ID].stems }
