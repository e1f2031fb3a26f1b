package chat

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/causette/causette/index"
)

// Follow-up limits.
const (
	// inheritedWeight is the weight of the previous turn's words in a follow-up.
	inheritedWeight = 0.6
	// followupMaxTerms: a turn with at most this many content words may lean on
	// the previous one.
	followupMaxTerms = 3
)

// convContext is what one turn hands to the next, inside the signed token
// (token.go).
type convContext struct {
	// Topic holds the stems of the previous question, resolved.
	Topic []string `json:"t,omitempty"`
	// Entities are the stems that named the entity asked about.
	Entities []string `json:"e,omitempty"`
	// Passage is the id of the passage last cited first.
	Passage string `json:"p,omitempty"`
	// Cue is what kind of fact the previous question wanted.
	Cue cue `json:"c,omitempty"`
	// Answered holds the stems of the name the previous answer gave
	// (« TotalEnergies »): what an elliptic follow-up (« Pour quel
	// montant ? ») asks about, and only it.
	Answered []string `json:"a,omitempty"`
}

// pronouns and leading words that make a turn lean on the previous one.
var (
	pronouns = map[string]bool{
		"il": true, "elle": true, "ils": true, "elles": true, "lui": true, "leur": true,
		"celui": true, "celle": true, "ceux": true, "celles": true, "son": true, "sa": true,
		"ses": true, "leurs": true, "y": true, "en": false, "it": true, "he": true, "she": true,
		"they": true, "its": true, "his": true, "her": true, "their": true, "ça": true, "cela": true,
	}
	followupOpeners = []string{"et ", "and ", "et pour ", "et chez ", "et avec ", "what about ", "et concernant "}
	// ellipticOpeners start a short question that asks one more thing of
	// the previous subject: « Pour quel montant ? », « Avec quel partenaire ? ».
	ellipticOpeners = []string{"pour quel", "avec quel", "dans quel", "de quel", "sur quel", "par quel", "a quel",
		"à quel", "en quel", "depuis quand", "pour combien", "de combien", "jusqu'à quand", "jusqu'a quand"}
)

// maxEllipticTerms is the most words of its own an elliptic follow-up has.
const maxEllipticTerms = 2

// words splits text into lower-case words, keeping inner hyphens apart.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// isEntity reports whether a word, as written, names something: a capital
// inside the sentence, a digit, or letters in capitals.
func isEntity(surface string, first bool) bool {
	if i := strings.LastIndexAny(surface, "'’ʼ"); i >= 0 {
		// "l'Australie": the article says nothing; the name does.
		_, size := utf8.DecodeRuneInString(surface[i:])
		surface = surface[i+size:]
		first = false
	}
	r, _ := utf8.DecodeRuneInString(surface)
	if unicode.IsDigit(r) {
		return true
	}
	upper := 0
	for _, c := range surface {
		if unicode.IsUpper(c) {
			upper++
		}
	}
	if upper >= 2 {
		return true
	}
	return unicode.IsUpper(r) && !first
}

// resolve completes a turn from the previous one. "Et X ?" swaps the entity
// the previous question was about for X; a turn with a pronoun or too few
// words of its own keeps the previous topic at a lower weight.
func resolve(t *turn, prev convContext) {
	if len(prev.Topic) == 0 {
		return
	}
	lower := strings.ToLower(strings.TrimSpace(t.text))
	opener := false
	for _, o := range followupOpeners {
		if strings.HasPrefix(lower, o) {
			opener = true
		}
	}
	pronoun := false
	for _, w := range words(lower) {
		if pronouns[w] {
			pronoun = true
		}
	}
	elliptic := false
	for _, o := range ellipticOpeners {
		if strings.HasPrefix(lower, o) && len(t.stems) <= maxEllipticTerms && len(t.entities) == 0 {
			elliptic = true
		}
	}
	if pronoun && !opener && namesNew(t.entities, prev.Entities) {
		// "Quand Mistral a-t-elle été fondée ?": the pronoun is the question's
		// own subject, named in it; the question stands alone.
		return
	}
	own := len(t.stems)
	if !opener && !pronoun && own > followupMaxTerms-1 {
		return
	}
	if !opener && !pronoun && !elliptic && own > 0 {
		// A short question of its own ("Et le prix ?" aside) stands alone
		// unless it names nothing the corpus knows.
		return
	}
	t.followup = true
	t.prevPassage = prev.Passage
	drop := map[string]bool{}
	if opener && len(t.entities) > 0 {
		// "Et Google AI ?": the new entity replaces the previous one.
		for _, e := range prev.Entities {
			drop[e] = true
		}
	}
	have := map[string]bool{}
	for _, s := range t.stems {
		have[s.Stem] = true
	}
	next := len(t.terms)
	ownStems := len(t.stems)
	topic := prev.Topic
	if elliptic || opener && len(t.entities) == 0 {
		// « Pour quel montant ? » after « TotalEnergies »: asked of the name
		// the answer gave.
		topic = append(slices.Clone(prev.Answered), topic...)
	}
	for _, s := range topic {
		if drop[s] || have[s] {
			continue
		}
		w := inheritedWeight
		if opener && !pronoun && len(t.entities) > 0 {
			// "Et celui de Google ?" asks the same thing of another: full weight.
			w = 1
		}
		t.stems = append(t.stems, index.WeightedStem{Stem: s, Weight: w, Of: next})
		next++
		have[s] = true
	}
	switch {
	case opener && len(t.entities) > 0:
		// "Et pour le ministère de la Défense ?" names a new subject in full:
		// all its words go when the next turn names another.
		t.entities = t.entities[:0]
		for _, s := range t.stems[:ownStems] {
			t.entities = append(t.entities, s.Stem)
		}
	case len(t.entities) == 0:
		t.entities = prev.Entities
	}
	if t.cue == cueNone {
		t.cue = prev.Cue
	}
}

// namesNew reports whether the turn names an entity the previous turn did not.
func namesNew(entities, prev []string) bool {
	for _, e := range entities {
		if !slices.Contains(prev, e) {
			return true
		}
	}
	return false
}
