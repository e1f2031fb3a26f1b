package chat

import (
	"testing"

	"github.com/causette/causette/index"
)

// BenchmarkMeasure measures the analysis of every seed passage, what a
// question pays for a candidate met for the first time.
func BenchmarkMeasure(b *testing.B) {
	ix, _ := mustIndex(b)
	ps := ix.Passages()
	for b.Loop() {
		for _, p := range ps {
			measure(p)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ps))/1000, "µs/passage")
}

var _ = index.Passage{}

// TestCueGates checks that the quick checks before the regular expressions
// never turn down a text the expressions match.
func TestCueGates(t *testing.T) {
	ix, _ := mustIndex(t)
	texts := []string{"En mars 2023.", "Au XVe siècle, la ville", "le 3 FÉVRIER", "Il a vu Marie hier.", "rien ici", "  Paris", "a\tBordeaux"}
	for _, p := range ix.Passages() {
		texts = append(texts, p.Text)
		texts = append(texts, splitSentences(p.Text)...)
	}
	for _, text := range texts {
		if yearRe.MatchString(text) && !mayHoldDate(text) {
			t.Errorf("mayHoldDate(%q) = false; yearRe matches it", text)
		}
		if nameRe.MatchString(text) && !mayHoldName(text) {
			t.Errorf("mayHoldName(%q) = false; nameRe matches it", text)
		}
	}
}
