package chat

import (
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
}

// sentenceFacts is one sentence of a passage's text.
type sentenceFacts struct {
	stems map[string]bool
	cues  cueSet
}

// span is a token of a passage's text: its stem and [start, end) in code points.
type span struct {
	stem       string
	start, end int
}

// measure analyses a passage for the engine.
func measure(p index.Passage) *passageFacts {
	f := &passageFacts{stems: map[string]bool{}, positions: map[string][]int{}, cues: cuesOf(p.Text)}
	for _, tok := range index.Analyze(p.Text) {
		start := utf8.RuneCountInString(p.Text[:tok.Start])
		f.spans = append(f.spans, span{string(tok.Term), start, start + utf8.RuneCountInString(p.Text[tok.Start:tok.End])})
	}
	for _, sentence := range splitSentences(p.Text) {
		sf := sentenceFacts{stems: map[string]bool{}, cues: cuesOf(sentence)}
		for _, tok := range index.Analyze(sentence) {
			sf.stems[string(tok.Term)] = true
		}
		f.sentences = append(f.sentences, sf)
	}
	for _, tok := range index.Analyze(p.Question + " \n\n\n " + p.Text) {
		f.positions[string(tok.Term)] = append(f.positions[string(tok.Term)], tok.Position)
	}
	for _, text := range []string{p.Text, p.Question, p.Section, p.Title} {
		for _, tok := range index.Analyze(text) {
			f.stems[string(tok.Term)] = true
		}
	}
	return f
}

// cueSet records which cues a text satisfies, indexed by cue.
type cueSet [cuePlace + 1]bool

// has reports whether the set holds c; cueNone and a cue the engine does not
// define are never held.
func (s cueSet) has(c cue) bool { return c != cueNone && c.defined() && s[c] }

// cuesOf records which cues a text satisfies.
func cuesOf(text string) cueSet {
	var c cueSet
	for k := cueNumber; k <= cuePlace; k++ {
		c[k] = holdsCue(text, k)
	}
	return c
}
