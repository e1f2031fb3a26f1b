package chat

import (
	"strings"

	"github.com/causette/causette/index"
)

// cue is the kind of fact a question wants, from its question word.
type cue int

const (
	cueNone   cue = iota
	cueNumber     // combien, how many
	cueDate       // quand, en quelle année
	cuePerson     // qui
	cuePlace      // où
)

// defined reports whether c is one of the cues above: a cue read from a
// context token is checked before it indexes anything.
func (c cue) defined() bool { return c >= cueNone && c <= cuePlace }

// cueWords map question words (folded, lower case) to what they want. Longer
// phrases are tried first.
var cueWords = []struct {
	phrase string
	cue    cue
}{
	{"en quelle annee", cueDate}, {"quelle annee", cueDate}, {"depuis quand", cueDate},
	{"a quelle date", cueDate}, {"quelle date", cueDate}, {"what year", cueDate},
	{"quel siecle", cueDate}, {"quelle epoque", cueDate}, {"quelle periode", cueDate}, {"a quel moment", cueDate},
	{"quand", cueDate}, {"when", cueDate},
	{"quel age", cueNumber}, {"quel pourcentage", cueNumber}, {"quelle proportion", cueNumber},
	{"quelle somme", cueNumber}, {"quelle taille", cueNumber}, {"quelle distance", cueNumber},
	{"combien", cueNumber}, {"how many", cueNumber}, {"how much", cueNumber},
	{"quel montant", cueNumber}, {"quel nombre", cueNumber},
	{"qui", cuePerson}, {"who", cuePerson}, {"par qui", cuePerson},
	{"ou se", cuePlace}, {"where", cuePlace}, {"dans quelle ville", cuePlace},
	{"dans quel pays", cuePlace},
}

// turn is one question understood: its words, what it wants, and the words
// to search once the conversation is taken into account.
type turn struct {
	question    string
	text        string // the question, English words put into French
	english     bool
	terms       []index.Term
	stems       []index.WeightedStem
	entities    []string
	ownEntities []string // the known names written in this turn
	cue         cue
	followup    bool
	prevPassage string
	prev        convContext // the previous turn's context, as checked
	answered    bool        // the turn got an answer (not no_answer)
}

// detectCue reads from a question's words what kind of fact it wants.
func detectCue(text string) cue {
	f := " " + strings.Join(words(index.Fold(text)), " ") + " "
	// "où" loses its accent when folded: look for it before folding.
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(text)), "où") || strings.Contains(strings.ToLower(text), " où ") {
		return cuePlace
	}
	for _, c := range cueWords {
		if strings.Contains(f, " "+c.phrase+" ") {
			return c.cue
		}
	}
	return cueNone
}

// understand analyses a question in the light of the previous turn.
func (e *Engine) understand(question string, prev convContext) *turn {
	t := &turn{question: question, text: question, prev: prev}
	if translated, ok := translate(question, e.opts.Glossary); ok {
		t.text, t.english = translated, true
	}
	t.cue = detectCue(question)
	t.terms = e.ix.Terms(t.text)
	t.stems = index.Weighted(t.terms)
	first := true
	for _, term := range t.terms {
		// A word of the synonym lexicon is a common noun, even in capitals (PDG).
		if isEntity(term.Surface, first && term.Start == t.firstWordStart()) && (term.Known || len(term.Corrections) > 0) &&
			len(e.ix.Synonyms(term.Stem)) == 0 {
			t.entities = append(t.entities, term.Stem)
			for _, c := range term.Corrections {
				t.entities = append(t.entities, c)
			}
		}
		first = false
	}
	for _, term := range t.terms {
		if term.Known && len(e.ix.Synonyms(term.Stem)) == 0 && isEntity(term.Surface, term.Start == t.firstWordStart()) {
			t.ownEntities = append(t.ownEntities, term.Stem)
		}
	}
	resolve(t, prev)
	return t
}

// firstWordStart is the byte offset of the first letter of s.
func firstWordStart(s string) int {
	for i, r := range s {
		if r != ' ' && r != '¿' && r != '«' && r != '"' {
			return i
		}
	}
	return 0
}

// nextContext is the context handed back with an answer whose first
// citation is the passage first.
func (t *turn) nextContext(first string) convContext {
	c := convContext{Passage: first, Entities: t.entities, Cue: t.cue}
	seen := map[int]bool{}
	for _, s := range t.stems {
		// One stem a word: its synonyms and corrections come back with it.
		if !seen[s.Of] {
			seen[s.Of] = true
			c.Topic = append(c.Topic, s.Stem)
		}
	}
	return c
}

// order maps each searched stem to the place of its word in the question.
func (t *turn) order() map[string]int {
	o := map[string]int{}
	for _, s := range t.stems {
		if _, ok := o[s.Stem]; !ok {
			o[s.Stem] = s.Of
		}
	}
	return o
}

// firstWordStart is the offset of the question's first word, whose capital
// says nothing; -1 for a question put into French from English, whose first
// word was a dropped English one ("What did Arthur…").
func (t *turn) firstWordStart() int {
	if t.english {
		return -1
	}
	return firstWordStart(t.text)
}
