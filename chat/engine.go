package chat

import (
	"strings"
	"unicode"
	"unicode/utf8"

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
	// stems holds each passage's stems (all fields), by passage id.
	stems map[string]map[string]bool
	// positions holds where each stem of a passage's text stands, by id.
	positions map[string]map[string][]int
	// spans holds each passage text's tokens with their offsets in code
	// points, for highlighting without analysing again.
	spans map[string][]span
	// cues records which cues each passage's text satisfies.
	cues map[string][cuePlace + 1]bool
	// sentences holds the stems of each sentence of a passage's text, and
	// which cues each sentence satisfies.
	sentences    map[string][]map[string]bool
	sentenceCues map[string][][cuePlace + 1]bool
}

// span is a token of a passage's text: its stem and [start, end) in code points.
type span struct {
	stem       string
	start, end int
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
	e := &Engine{ix: ix, opts: opts, stems: map[string]map[string]bool{}, positions: map[string]map[string][]int{},
		spans: map[string][]span{}, cues: map[string][cuePlace + 1]bool{}, sentences: map[string][]map[string]bool{}, sentenceCues: map[string][][cuePlace + 1]bool{}}
	for _, p := range ix.Passages() {
		var cues [cuePlace + 1]bool
		for c := cueNumber; c <= cuePlace; c++ {
			cues[c] = holdsCue(p.Text, c)
		}
		e.cues[p.ID] = cues
		var sp []span
		for _, tok := range index.Analyze(p.Text) {
			start := utf8.RuneCountInString(p.Text[:tok.Start])
			sp = append(sp, span{string(tok.Term), start, start + utf8.RuneCountInString(p.Text[tok.Start:tok.End])})
		}
		e.spans[p.ID] = sp
		for _, sentence := range splitSentences(p.Text) {
			set := map[string]bool{}
			for _, tok := range index.Analyze(sentence) {
				set[string(tok.Term)] = true
			}
			e.sentences[p.ID] = append(e.sentences[p.ID], set)
			var sc [cuePlace + 1]bool
			for c := cueNumber; c <= cuePlace; c++ {
				sc[c] = holdsCue(sentence, c)
			}
			e.sentenceCues[p.ID] = append(e.sentenceCues[p.ID], sc)
		}
		pos := map[string][]int{}
		for _, tok := range index.Analyze(p.Question + " \n\n\n " + p.Text) {
			pos[string(tok.Term)] = append(pos[string(tok.Term)], tok.Position)
		}
		e.positions[p.ID] = pos
		set := map[string]bool{}
		for _, text := range []string{p.Text, p.Question, p.Section, p.Title} {
			for _, tok := range index.Analyze(text) {
				set[string(tok.Term)] = true
			}
		}
		e.stems[p.ID] = set
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
func (e *Engine) stemsOf(p *index.Passage) map[string]bool { return e.stems[p.ID] }
