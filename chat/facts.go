package chat

import (
	"strings"
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

// measure analyses a passage for the engine: its text once, its question,
// section and title once each; the sentences' stems and the spans come from
// the text's tokens.
func measure(p index.Passage) *passageFacts {
	f := &passageFacts{stems: map[string]bool{}, positions: map[string][]int{}, cues: cuesOf(p.Text)}
	toks := index.Analyze(p.Text)
	for _, tok := range toks {
		start := utf8.RuneCountInString(p.Text[:tok.Start])
		f.spans = append(f.spans, span{string(tok.Term), start, start + utf8.RuneCountInString(p.Text[tok.Start:tok.End])})
		f.stems[string(tok.Term)] = true
	}
	// Each sentence takes the text's tokens within its bytes: the analysis
	// of a word does not depend on its neighbours.
	next, cursor := 0, 0
	for _, sentence := range splitSentences(p.Text) {
		sf := sentenceFacts{stems: map[string]bool{}, cues: cuesOf(sentence)}
		at := strings.Index(p.Text[cursor:], sentence)
		if at < 0 { // never: sentences are pieces of the text
			f.sentences = append(f.sentences, sf)
			continue
		}
		from, to := cursor+at, cursor+at+len(sentence)
		cursor = to
		for next < len(toks) && toks[next].Start < from {
			next++
		}
		for ; next < len(toks) && toks[next].End <= to; next++ {
			sf.stems[string(toks[next].Term)] = true
		}
		f.sentences = append(f.sentences, sf)
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
	for _, text := range []string{p.Question, p.Section, p.Title} {
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
