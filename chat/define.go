package chat

import (
	"strings"

	"github.com/causette/causette/index"
)

// A definition question (« C'est quoi Mistral AI ? », « Qu'est-ce que la
// médiation familiale ? ») wants the passage that says what the thing is:
// one whose first sentence names it and goes on with « est », « désigne »…
// not the last passage to mention it.

// definitionStarts open a definition question, folded.
var definitionStarts = []string{"c'est quoi", "qu'est-ce que", "qu'est ce que", "qu'est-ce qu'", "qu'est ce qu'",
	"que signifie", "que veut dire", "que designe", "definition", "what is", "what are"}

// copulas say what a thing is, after its name; « permet » says what it is
// for, as a fiche's opening sentence does (« La grâce permet au Président
// de… »; measured: spf 222 -> 224 of 276, the other sets unchanged).
var copulas = map[string]bool{"est": true, "sont": true, "designe": true, "designent": true, "signifie": true,
	"correspond": true, "represente": true, "constitue": true, "definit": true, "consiste": true, "permet": true, "permettent": true}

// definitionBoost lifts a passage whose first sentence defines what a
// definition question asks about (measured: spf 0.761 -> 0.772, MRR 0.808
// -> 0.817, the other sets unchanged; counting a defining sentence
// anywhere in the passage lost 3 PIAF answers). definitionWords is how far
// into a sentence the name and its copula may stand.
const (
	definitionBoost = 1.0
	definitionWords = 14
)

// asksDefinition reports whether the question asks what something is.
func asksDefinition(t *turn) bool {
	return opensWith(t.question, definitionStarts)
}

// opensWith reports whether a question, folded and with its apostrophes
// written ', begins with one of starts (folded too).
func opensWith(q string, starts []string) bool {
	q = strings.ReplaceAll(index.Fold(strings.TrimSpace(q)), "’", "'")
	for _, s := range starts {
		if strings.HasPrefix(q, s) {
			return true
		}
	}
	return false
}

// definingSentence is the passage's first sentence that names the
// question's own words and then says what they are (« À seulement quelques
// années de son lancement, Mistral AI est aujourd'hui une décacorne… »),
// -1 when none does.
func (e *Engine) definingSentence(t *turn, p *index.Passage) int {
	own := map[string]bool{}
	for _, s := range t.stems {
		if s.Of < len(t.terms) {
			own[s.Stem] = true
		}
	}
	sentences := e.factsOf(p).sentences
	for i := range sentences {
		// Stemmed as written: the stemmer reads accents (« récépissé »).
		ws := words(sentences[i].cues.text)
		if len(ws) > definitionWords {
			ws = ws[:definitionWords]
		}
		named := false
		for _, w := range ws {
			if copulas[index.Fold(w)] {
				if named {
					return i
				}
				break
			}
			for _, tok := range index.Analyze(w) {
				if own[string(tok.Term)] {
					named = true
				}
			}
		}
	}
	return -1
}
