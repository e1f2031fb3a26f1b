package store

import (
	"strings"
	"testing"

	"github.com/causette/causette/index"
)

// TestNearExcerptKeepsTheMatch checks that a nearest passage whose matched
// word lies far into its text shows that word, highlighted at its place in
// the excerpt, and that a short passage is shown whole with its spans as
// they were.
func TestNearExcerptKeepsTheMatch(t *testing.T) {
	long := strings.Repeat("mot ", 100) + "abonnement Pro à quinze euros " + strings.Repeat("fin ", 50)
	at := len([]rune(strings.Repeat("mot ", 100)))
	short := "Le Chat Pro coûte quinze euros."
	near := NearOf([]index.Match{
		{Passage: &index.Passage{ID: "a#p1", Text: long}, Highlights: [][2]int{{at, at + 10}}},
		{Passage: &index.Passage{ID: "a#p2", Text: short}, Highlights: [][2]int{{8, 11}, {12, 17}}},
	})
	if len(near) != 2 {
		t.Fatalf("%d passages, want 2", len(near))
	}
	far := near[0]
	if !strings.HasPrefix(far.Text, "…") || !strings.HasSuffix(far.Text, "…") {
		t.Errorf("excerpt %q: want « … » at both cut ends", far.Text)
	}
	if n := len([]rune(far.Text)); n > nearTextRunes+2 {
		t.Errorf("excerpt of %d code points, want %d at most", n, nearTextRunes+2)
	}
	if len(far.Highlights) != 1 {
		t.Fatalf("highlights %v, want the one match", far.Highlights)
	}
	r := []rune(far.Text)
	if got := string(r[far.Highlights[0][0]:far.Highlights[0][1]]); got != "abonnement" {
		t.Errorf("highlight covers %q, want « abonnement »", got)
	}
	whole := near[1]
	if whole.Text != short {
		t.Errorf("short passage shown as %q, want it whole", whole.Text)
	}
	if got := string([]rune(whole.Text)[whole.Highlights[1][0]:whole.Highlights[1][1]]); got != "coûte" {
		t.Errorf("second highlight covers %q, want « coûte »", got)
	}
}
