package index

import (
	"sort"
	"strings"
	"unicode"
)

// completionScan bounds how many corpus words sharing a prefix are weighed
// when completing the word being typed.
const completionScan = 500

// Complete returns q with its last word completed to the most frequent
// corpus word it begins, as the corpus writes it ("qui dirige mistr" ->
// "qui dirige Mistral"), when q does not end with a space or punctuation
// and that word is not a corpus word itself: the staff console searches
// as staff type. It reads the index's one vocabulary.
func (ix *Index) Complete(q string) string {
	r := []rune(q)
	end := len(r)
	if end == 0 || !isWordRune(r[end-1]) {
		return q
	}
	start := end
	for start > 0 && isWordRune(r[start-1]) {
		start--
	}
	prefix := Fold(string(r[start:end]))
	v := ix.vocab
	if len([]rune(prefix)) < 2 || v.freq[prefix] > 0 {
		return q
	}
	best, bestN := "", 0
	i := sort.SearchStrings(v.words, prefix)
	for n := 0; i < len(v.words) && n < completionScan && strings.HasPrefix(v.words[i], prefix); i, n = i+1, n+1 {
		if c := v.freq[v.words[i]]; c > bestN {
			best, bestN = v.words[i], c
		}
	}
	if best == "" {
		return q
	}
	if form, ok := v.written[best]; ok {
		best = form
	}
	return string(r[:start]) + best
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
