package store

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
// removed), sorted and deduplicated. Questions in other words that mean
// the same are gathered afterwards (mergeSimilar). "Qui dirige Mistral ?" and "qui
// DIRIGE mistral" share one. A question with no content word is keyed by its
// folded letters and digits.
func GroupKey(question string) string {
	var stems []string
	for _, t := range index.Analyze(question) {
		if s := string(t.Term); s != "" {
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
// lexicon's groups to one stem for all the groups it joins (groups that
// share a word are one: « pdg » is in two), so that « prix » and « coûte »
// read alike.
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
		parent := map[string]string{}
		var root func(string) string
		root = func(x string) string {
			for parent[x] != x {
				parent[x] = parent[parent[x]]
				x = parent[x]
			}
			return x
		}
		for _, g := range groups {
			first := ""
			for _, w := range g {
				toks := index.Analyze(w)
				if len(toks) != 1 {
					continue // an expression of several words
				}
				st := string(toks[0].Term)
				if _, ok := parent[st]; !ok {
					parent[st] = st
				}
				if first == "" {
					first = st
					continue
				}
				if a, b := root(first), root(st); a != b {
					if b < a {
						a, b = b, a
					}
					parent[b] = a // the smaller stem is the root: the same map every time
				}
			}
		}
		for st := range parent {
			canon[st] = root(st)
		}
	})
	return canon
}

// mergeShare is how much of their words (synonyms read alike) two keys
// share to be one question; mergeWords how many of their own words, as
// written, they share at the least: a synonym of the lexicon, weak at
// times (« capital », « financement »), never joins two questions alone.
const (
	mergeShare = 0.6
	mergeWords = 2
)

// mergeSimilar gathers groups keyed alike: two keys that share mergeShare
// of their words, synonyms read alike, and mergeWords words as written,
// and differ by no number (« en 2023 », « en 2024 »), are one question
// asked in other words (« chat cout pro » and « abon chat prix pro »).
// Keys come most asked first; each joins the group it is most like, the
// earliest on a tie, judged by that group's own key.
func mergeSimilar(keys []string) map[string]string {
	canon := canonicalStems()
	into := map[string]string{}
	type cluster struct {
		n          int
		key        string
		raw, words map[string]bool
	}
	var clusters []*cluster
	byWord := map[string][]*cluster{}
	for _, k := range keys {
		raw, words := map[string]bool{}, map[string]bool{}
		fields := strings.Fields(k) // sorted: GroupKey sorts them
		for _, w := range fields {
			raw[w] = true
			if c, ok := canon[w]; ok {
				w = c
			}
			words[w] = true
		}
		var best *cluster
		bestShare := 0.0
		seen := map[*cluster]bool{}
		var candidates []*cluster
		for _, w := range fields {
			if c, ok := canon[w]; ok {
				w = c
			}
			for _, c := range byWord[w] {
				if !seen[c] {
					seen[c] = true
					candidates = append(candidates, c)
				}
			}
		}
		slices.SortFunc(candidates, func(x, y *cluster) int { return x.n - y.n })
		for _, c := range candidates {
			common, rawCommon := 0, 0
			for w := range words {
				if c.words[w] {
					common++
				}
			}
			for w := range raw {
				if c.raw[w] {
					rawCommon++
				}
			}
			share := float64(common) / float64(len(words)+len(c.words)-common)
			if rawCommon >= mergeWords && share >= mergeShare && share > bestShare && !numbersDiffer(raw, c.raw) {
				best, bestShare = c, share
			}
		}
		if best == nil {
			best = &cluster{n: len(clusters), key: k, raw: raw, words: words}
			clusters = append(clusters, best)
			for w := range words {
				byWord[w] = append(byWord[w], best)
			}
		}
		into[k] = best.key
	}
	return into
}

// numbersDiffer reports whether one set holds a word with a digit the
// other lacks: « 2023 » and « 2024 » ask about different years.
func numbersDiffer(a, b map[string]bool) bool {
	for _, pair := range [2][2]map[string]bool{{a, b}, {b, a}} {
		for w := range pair[0] {
			if strings.ContainsAny(w, "0123456789") && !pair[1][w] {
				return true
			}
		}
	}
	return false
}
