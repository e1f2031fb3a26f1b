package chat

import (
	"os"
	"strings"
	"testing"

	"github.com/causette/causette/index"
	"github.com/causette/causette/seeds"
)

func TestScratchDebug(t *testing.T) {
	c, _ := index.Load(seeds.FS, ".")
	b, _ := os.ReadFile("../seeds/synonymes.tsv")
	syn, _ := index.ParseSynonyms("s", b)
	ix, _ := index.Build(c, syn)
	e := New(ix, Options{})
	for _, q := range strings.Split(os.Getenv("Q"), "|") {
		tr := e.understand(q, convContext{})
		t.Logf("%q stems %+v cue %v", q, tr.stems, tr.cue)
		hits, _ := ix.Search(tr.stems, 30)
		w := e.wordWeights(tr)
		pairs := e.pairs(tr)
		for i, h := range hits[:min(6, len(hits))] {
			t.Logf("%d %s bm25=%.3f cov=%.2f sent=%.2f prox=%.2f cue=%v %s", i, h.Passage.ID, h.Score, e.coverage(tr, h.Passage, w), e.sentenceCoverage(tr, h.Passage, w), e.proximity(pairs, h.Passage), holdsCue(h.Passage.Text, tr.cue), h.Passage.Text[:50])
		}
	}
}
