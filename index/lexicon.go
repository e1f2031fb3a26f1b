package index

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"
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
