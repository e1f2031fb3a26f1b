package chat

import (
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/causette/causette/index"
)

// passageFacts is what the engine measures of a passage once, at start, so
// that answering a question analyses only the question.
type passageFacts struct {
	// stems holds the passage's stems, all fields together.
	stems map[string]bool
	// positions holds where each stem of the question and text stands.
	positions map[string][]int
	// spans holds the text's tokens with their offsets in code points, for
	// highlighting.
	spans []span
	// cues records which cues the text satisfies.
	cues cueSet
	// sentences holds each sentence of the text: its stems and cues.
	sentences []sentenceFacts
	// asked holds an FAQ entry's question's stems and its other
	// phrasings', and those of the phrasings attached to a passage, each
	// a set (none for another passage).
	asked []map[string]bool
}

// sentenceFacts is one sentence of a passage's text.
type sentenceFacts struct {
	stems map[string]bool
	cues  cueSet
	// from and to are the sentence's byte offsets in the text.
	from, to int
}

// span is a token of a passage's text: its stem and [start, end) in code points.
type span struct {
	stem       string
	start, end int
}

// measure analyses a passage for the engine: its text once, its question,
// section and title once each; the sentences' stems and the spans come from
// the text's tokens.
func measure(p index.Passage) *passageFacts {
	f := &passageFacts{stems: map[string]bool{}, positions: map[string][]int{}}
	f.cues.text = p.Text
	toks := index.Analyze(p.Text)
	for _, tok := range toks {
		start := utf8.RuneCountInString(p.Text[:tok.Start])
		f.spans = append(f.spans, span{string(tok.Term), start, start + utf8.RuneCountInString(p.Text[tok.Start:tok.End])})
		f.stems[string(tok.Term)] = true
	}
	// Each sentence takes the text's tokens within its bytes: the analysis
	// of a word does not depend on its neighbours.
	next, cursor := 0, 0
	split := splitSentences(p.Text)
	f.sentences = make([]sentenceFacts, len(split))
	for i, sentence := range split {
		sf := &f.sentences[i]
		sf.stems, sf.cues.text = map[string]bool{}, sentence
		at := strings.Index(p.Text[cursor:], sentence)
		if at < 0 { // never: sentences are pieces of the text
			continue
		}
		from, to := cursor+at, cursor+at+len(sentence)
		sf.from, sf.to = from, to
		cursor = to
		for next < len(toks) && toks[next].Start < from {
			next++
		}
		for ; next < len(toks) && toks[next].End <= to; next++ {
			sf.stems[string(toks[next].Term)] = true
		}
	}
	if p.Question == "" {
		for _, tok := range toks {
			f.positions[string(tok.Term)] = append(f.positions[string(tok.Term)], tok.Position)
		}
	} else {
		// Positions run on from the question into the text.
		for _, tok := range index.Analyze(p.Question + " \n\n\n " + p.Text) {
			f.positions[string(tok.Term)] = append(f.positions[string(tok.Term)], tok.Position)
		}
	}
	// An FAQ entry's other phrasings are its question too; so are the
	// phrasings staff attached to a passage (which stays what it is: no
	// FAQ entry, no question of its own).
	for _, text := range slices.Concat([]string{p.Question, p.Section, p.Title}, p.Alternates, p.Attached) {
		for _, tok := range index.Analyze(text) {
			f.stems[string(tok.Term)] = true
		}
	}
	var asked []string
	if p.Question != "" {
		asked = append([]string{p.Question}, p.Alternates...)
	}
	for _, q := range append(asked, p.Attached...) {
		set := map[string]bool{}
		for _, tok := range index.Analyze(q) {
			set[string(tok.Term)] = true
		}
		f.asked = append(f.asked, set)
	}
	return f
}

// cueSet records, cue by cue, whether a text satisfies it, worked out the
// first time a question asks: most questions ask no cue, and the regular
// expressions are the costliest part of measuring a passage. Facts are
// shared by every question (factsOf), so the bits are set atomically: two
// for each cue, known and held.
type cueSet struct {
	text string
	bits atomic.Uint32
}

// has reports whether the text holds c; cueNone and a cue the engine does
// not define are never held.
func (s *cueSet) has(c cue) bool {
	if c == cueNone || !c.defined() {
		return false
	}
	known, held := uint32(1)<<(2*c), uint32(1)<<(2*c+1)
	if b := s.bits.Load(); b&known != 0 {
		return b&held != 0
	}
	h := holdsCue(s.text, c)
	if h {
		s.bits.Or(known | held)
	} else {
		s.bits.Or(known)
	}
	return h
}
