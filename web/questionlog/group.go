package questionlog

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/causette/causette/index"
)

// keyCacheSize bounds the memo of grouping keys: a month of a busy site's
// distinct wordings; past it the memo starts over.
const keyCacheSize = 50000

// GroupKey is what questions worded alike share: their content words after
// French analysis (case, accents, punctuation, stop words and inflections
// removed), sorted and deduplicated. "Qui dirige Mistral ?" and "qui
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
