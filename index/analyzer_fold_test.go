package index

import "testing"

// TestFoldTableMatchesChain checks the fast path against the full chain, on
// every rune it covers and on words mixing them.
func TestFoldTableMatchesChain(t *testing.T) {
	for r := rune(0x80); r < foldTableSize; r++ {
		if got, want := foldRunes(string(r)), foldChain(string(r)); got != want {
			t.Errorf("foldRunes(%q) = %q; want %q, as the full chain folds it", r, got, want)
		}
	}
	for _, w := range []string{"élève", "cœur", "Ærø", "naïve", "façade", "e\u0301te\u0301", "Łódź", "ĳssel", "straße", "日本語é"} {
		if got, want := foldRunes(w), foldChain(w); got != want {
			t.Errorf("foldRunes(%q) = %q; want %q", w, got, want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	for b.Loop() {
		Fold("Élève de l'école élémentaire, à côté de la préfecture")
	}
}
