package chat

import (
	"strings"
	"unicode"

	"github.com/causette/causette/index"
)

// The focus of a question is the thing it asks about: « salaire » in
// « Quel est le salaire d'Arthur Mensch ? », « employés » in « Combien
// d'employés compte Mistral ? ». A passage that lacks it does not answer,
// however many of the other words it holds; and a word that only stems
// like it is not it (« capitale » and « capital » share a stem, not a
// meaning).

// focusStarts open the questions whose first word after them is their
// focus: the attribute asked of something (« Quel est le salaire de… »,
// « Combien d'employés… », « Qui est le PDG de… »). Not « Quel fleuve a
// creusé… »: there the noun names the kind of the answer, which the
// passage names by itself (« La Meuse »).
var focusStarts = []string{"quel est", "quelle est", "quels sont", "quelles sont", "quel etait", "quelle etait",
	"combien de", "combien d'", "qui est", "qui sont", "qui etait", "what is the", "how many", "who is the"}

// genericHeads say what kind of thing is asked, not which, and modifiers
// come before the noun they qualify: the focus is the word after them
// (« le nom du patron » asks about the patron, « le dernier souhait »
// about the wish). Folded, singular.
var genericHeads = map[string]bool{"nom": true, "type": true, "genre": true, "sorte": true, "date": true,
	"annee": true, "nombre": true, "liste": true, "ensemble": true, "partie": true, "forme": true,
	"principal": true, "principale": true, "principaux": true, "premier": true, "premiere": true,
	"dernier": true, "derniere": true, "grand": true, "grande": true, "petit": true, "petite": true,
	"seul": true, "seule": true, "meilleur": true, "meilleure": true, "nouveau": true, "nouvel": true,
	"nouvelle": true, "ancien": true, "ancienne": true, "autre": true, "actuel": true, "actuelle": true,
	"vrai": true, "vraie": true, "plus": true, "moins": true, "haut": true, "haute": true, "gros": true,
	"grosse": true, "veritable": true, "futur": true, "future": true, "prochain": true, "prochaine": true}

// missingFocusFactor discounts the confidence of a passage that lacks the
// question's focus.
const missingFocusFactor = 0.3

// focus returns the index in t.terms of the question's focus, -1 when it
// has none the engine can tell (a « pourquoi », a follow-up).
func focus(t *turn) int {
	if !opensWith(t.question, focusStarts) {
		return -1
	}
	for i, term := range t.terms {
		if genericHeads[singular(index.Fold(term.Surface))] {
			continue
		}
		return i
	}
	return -1
}

// holdsFocus reports whether the passage holds the question's focus in the
// form asked, give or take a plural, when it holds its stem: a passage
// that holds the stem in another form only (« Capital levé » for « la
// capitale ») is about another word. A passage without the stem at all is
// left to the coverage.
func (e *Engine) holdsFocus(t *turn, p *index.Passage) bool {
	i := focus(t)
	if i < 0 {
		return true
	}
	term := t.terms[i]
	have := e.stemsOf(p)
	if !have[term.Stem] {
		// Missing altogether: the coverage weighs that already, and an
		// attribute is often said in other words (« longueur » by « longue
		// de »). Refusing a focus no passage names (« salaire ») was
		// measured too: trust 29 -> 31 of 38, but 21 right PIAF answers lost.
		return true
	}
	want := singular(term.Exact)
	if want == "" {
		return true
	}
	for _, text := range []string{p.Text, p.Question, p.Section, p.Title} {
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if singular(index.Fold(w)) == want {
				return true
			}
		}
	}
	return false
}

// singular strips a plural's final s or x.
func singular(w string) string {
	if len(w) > 3 && (strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x")) {
		return w[:len(w)-1]
	}
	return w
}
