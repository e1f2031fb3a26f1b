package questionlog

import (
	"io/fs"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/causette/causette/index"
	"github.com/causette/causette/seeds"
)

// keyCacheSize bounds the memo of grouping keys: a month of a busy site's
// distinct wordings; past it the memo starts over.
const keyCacheSize = 50000

// GroupKey is what questions worded alike share: their content words after
// French analysis (case, accents, punctuation, stop words and inflections
// removed), each word of a synonym group of the lexicon made the group's
// first, sorted and deduplicated. "Qui dirige Mistral ?" and "qui
// DIRIGE mistral" share one. A question with no content word is keyed by its
// folded letters and digits.
func GroupKey(question string) string {
	var stems []string
	canon := canonicalStems()
	for _, t := range index.Analyze(question) {
		if s := string(t.Term); s != "" {
			if c, ok := canon[s]; ok {
				s = c // « prix » and « coûte » ask the same
			}
			stems = append(stems, s)
		}
	}
	if len(stems) == 0 {
		return strings.Join(strings.FieldsFunc(index.Fold(question), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}), " ")
	}
	slices.Sort(stems)
	return strings.Join(slices.Compact(stems), " ")
}

// keyCache memoises GroupKey: the views key every distinct wording each time.
type keyCache struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *keyCache) key(q string) string {
	c.mu.Lock()
	k, ok := c.m[q]
	c.mu.Unlock()
	if ok {
		return k
	}
	k = GroupKey(q)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= keyCacheSize {
		c.m = map[string]string{}
	}
	c.m[q] = k
	c.mu.Unlock()
	return k
}

var (
	canonOnce sync.Once
	canon     map[string]string
)

// canonicalStems maps the stem of each word of the embedded synonym
// lexicon's groups to its group's first word's stem (the corpus's own
// lexicon is not known here).
func canonicalStems() map[string]string {
	canonOnce.Do(func() {
		canon = map[string]string{}
		data, err := fs.ReadFile(seeds.FS, index.SynonymsFile)
		if err != nil {
			return
		}
		groups, err := index.ParseSynonyms(index.SynonymsFile, data)
		if err != nil {
			return
		}
		for _, g := range groups {
			first := ""
			for _, w := range g {
				toks := index.Analyze(w)
				if len(toks) != 1 {
					continue // an expression of several words
				}
				st := string(toks[0].Term)
				if first == "" {
					first = st
				}
				if _, taken := canon[st]; !taken && st != first {
					canon[st] = first
				}
			}
		}
	})
	return canon
}

// mergeSimilar gathers groups keyed alike: two keys that share most of
// their words (mergeShare of their union, and two words at least) are one
// question asked in other words (« prix abonnement chat » and « chat cout
// pro »). Keys are taken most asked first; each joins the first group it
// is like, judged by that group's own key.
func mergeSimilar(keys []string) map[string]string {
	const mergeShare = 0.6
	into := map[string]string{}
	type cluster struct {
		key   string
		words map[string]bool
	}
	var clusters []*cluster
	byWord := map[string][]*cluster{}
	for _, k := range keys {
		words := map[string]bool{}
		for _, w := range strings.Fields(k) {
			words[w] = true
		}
		var best *cluster
		bestShare := 0.0
		seen := map[*cluster]bool{}
		for w := range words {
			for _, c := range byWord[w] {
				if seen[c] {
					continue
				}
				seen[c] = true
				common := 0
				for x := range words {
					if c.words[x] {
						common++
					}
				}
				share := float64(common) / float64(len(words)+len(c.words)-common)
				if common >= 2 && share >= mergeShare && share > bestShare {
					best, bestShare = c, share
				}
			}
		}
		if best == nil {
			best = &cluster{key: k, words: words}
			clusters = append(clusters, best)
			for w := range words {
				byWord[w] = append(byWord[w], best)
			}
		}
		into[k] = best.key
	}
	return into
}
