package index

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// ParseSynonyms reads synonym groups: one group a line, words separated by
// commas or tabs; blank lines and lines starting with # are skipped.
// Words of several tokens are kept in the group but ignored by Build.
func ParseSynonyms(name string, data []byte) ([][]string, error) {
	var groups [][]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var group []string
		for _, w := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == '\t' }) {
			if w = strings.TrimSpace(w); w != "" {
				group = append(group, w)
			}
		}
		if len(group) < 2 {
			return nil, fmt.Errorf("%s:%d : un groupe de synonymes demande au moins deux mots", name, n)
		}
		groups = append(groups, group)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return groups, nil
}

// addSynonyms records, for each stem of a group, the other stems of the group.
func (v *vocabulary) addSynonyms(groups [][]string) {
	for _, g := range groups {
		var stems []string
		for _, w := range singleWords(g) {
			stems = append(stems, string(Analyze(w)[0].Term))
		}
		for _, s := range stems {
			for _, o := range stems {
				if o != s && !slices.Contains(v.synonyms[s], o) {
					v.synonyms[s] = append(v.synonyms[s], o)
				}
			}
		}
		for _, w := range g {
			if words := foldedWords(w); len(words) > 1 && len(stems) > 0 {
				v.phrases = append(v.phrases, phrase{words: words, synonyms: stems})
			}
		}
	}
}

// foldedWords splits text into its folded words, apostrophes and hyphens
// cutting them (« l'équipe » -> l, equipe), each article and preposition
// that French contracts in its plain form (phraseWord).
func foldedWords(text string) []string {
	ws := strings.FieldsFunc(Fold(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range ws {
		ws[i] = phraseWord(w)
	}
	return ws
}

// contracted maps the forms French gives « de », « le » and « à » to
// them: « à la tête des services » writes « à la tête de ».
var contracted = map[string]string{"des": "de", "du": "de", "d": "de", "la": "le", "les": "le", "l": "le",
	"au": "a", "aux": "a"}

// phraseWord is a folded word as phrases compare it.
func phraseWord(w string) string {
	if c, ok := contracted[w]; ok {
		return c
	}
	return w
}

// phraseSynonyms adds to the terms that an expression of the lexicon spans
// in q (« tête » in « à la tête de ») the stems of its group: the words
// mean it together, not one by one.
func (v *vocabulary) phraseSynonyms(q string, terms []Term) {
	if len(v.phrases) == 0 {
		return
	}
	type word struct {
		text       string
		start, end int
	}
	var ws []word
	start := -1
	for i, r := range q + " " {
		letter := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case letter && start < 0:
			start = i
		case !letter && start >= 0:
			ws = append(ws, word{phraseWord(Fold(q[start:i])), start, i})
			start = -1
		}
	}
	for _, ph := range v.phrases {
		for i := 0; i+len(ph.words) <= len(ws); i++ {
			match := true
			for j, w := range ph.words {
				if ws[i+j].text != w {
					match = false
					break
				}
			}
			if !match {
				continue
			}
			from, to := ws[i].start, ws[i+len(ph.words)-1].end
			for k := range terms {
				if terms[k].Start < from || terms[k].End > to {
					continue
				}
				added := false
				for _, syn := range ph.synonyms {
					if v.df[syn] > 0 && syn != terms[k].Stem && !slices.Contains(terms[k].Synonyms, syn) {
						terms[k].Synonyms = append(terms[k].Synonyms, syn)
						added = true
					}
				}
				if added && !terms[k].Known {
					terms[k].Corrections = nil // the expression says what the word means
				}
			}
		}
	}
}

// ParseGlossary reads English-to-French lines "english<TAB>français"; an empty
// French side marks a word to drop (the, does...).
func ParseGlossary(name string, data []byte) (map[string]string, error) {
	g := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		en, fr, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want english<TAB>français", name, n)
		}
		g[strings.ToLower(strings.TrimSpace(en))] = strings.TrimSpace(fr)
	}
	return g, sc.Err()
}
