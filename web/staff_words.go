package web

import (
	"sort"
	"strings"
	"unicode"

	"github.com/causette/causette/index"
)

// staffCompletionScan bounds how many words sharing a prefix are weighed
// when completing the word being typed: the seed has a few dozen at most.
const staffCompletionScan = 500

// vocabulary holds the corpus's words, folded, so the lookup can complete the
// word being typed: "mist" searches as "mistral" while staff type.
type vocabulary struct {
	words   []string          // folded surface words, sorted
	count   map[string]int    // occurrences of each
	surface map[string]string // each as most often written ("Mistral", "décacorne")
}

func newVocabulary(ix *index.Index) *vocabulary {
	v := &vocabulary{count: map[string]int{}, surface: map[string]string{}}
	written := map[string]int{} // occurrences of each exact form
	for _, p := range ix.Passages() {
		for _, t := range index.Analyze(p.Text) {
			if t.Start < 0 || t.End > len(p.Text) || t.Start >= t.End {
				continue
			}
			w := p.Text[t.Start:t.End]
			f := index.Fold(w)
			v.count[f]++
			written[w]++
			if s, ok := v.surface[f]; !ok || written[w] > written[s] {
				v.surface[f] = w
			}
		}
	}
	for w := range v.count {
		v.words = append(v.words, w)
	}
	sort.Strings(v.words)
	return v
}

// complete returns q with its last word completed to the most frequent corpus
// word it begins, when q does not end with a space and that word is not a
// corpus word itself.
func (v *vocabulary) complete(q string) string {
	r := []rune(q)
	end := len(r)
	if end == 0 || !isWordRune(r[end-1]) {
		return q
	}
	start := end
	for start > 0 && isWordRune(r[start-1]) {
		start--
	}
	prefix := index.Fold(string(r[start:end]))
	if len([]rune(prefix)) < 2 || v.count[prefix] > 0 {
		return q
	}
	best, bestN := "", 0
	i := sort.SearchStrings(v.words, prefix)
	for n := 0; i < len(v.words) && n < staffCompletionScan && strings.HasPrefix(v.words[i], prefix); i, n = i+1, n+1 {
		if c := v.count[v.words[i]]; c > bestN {
			best, bestN = v.words[i], c
		}
	}
	if best == "" {
		return q
	}
	return string(r[:start]) + v.surface[best]
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
