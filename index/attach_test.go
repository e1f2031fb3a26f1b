package index

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestFingerprint checks that a passage's fingerprint survives its layout
// (case, accents, spaces, punctuation) and not a changed word.
func TestFingerprint(t *testing.T) {
	base := Fingerprint("Le vélo de ville coûte 300 euros.")
	for _, same := range []string{"le velo de ville coute 300 euros", "Le  vélo\nde ville — coûte 300 euros !", "LE VÉLO DE VILLE COÛTE 300 EUROS."} {
		if got := Fingerprint(same); got != base {
			t.Errorf("Fingerprint(%q) = %s; want %s, as the same text laid out otherwise", same, got, base)
		}
	}
	for _, other := range []string{"Le vélo de ville coûte 400 euros.", "Le vélo de course coûte 300 euros."} {
		if Fingerprint(other) == base {
			t.Errorf("Fingerprint(%q) = %s, the same as a different text's", other, base)
		}
	}
}

// attachedWording is a question the seed corpus answers first with another
// passage than the one about Mensch's independence (p3), which staff then
// attach to it.
const (
	attachedWording = "Pourquoi rester indépendant des Américains ?"
	attachedTarget  = "mistral-ai#p3"
)

// TestAttachedFindsPassage checks that a phrasing attached to a passage by
// its fingerprint makes it the first hit for that wording, without touching
// the passages of an index already built, and that an attachment matching
// no passage is reported.
func TestAttachedFindsPassage(t *testing.T) {
	plain, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if first := firstHit(t, plain, attachedWording); first == attachedTarget {
		t.Fatalf("%q already finds %s first: the test needs a wording that does not", attachedWording, attachedTarget)
	}
	target, _ := plain.Passage(attachedTarget)
	gone := Fingerprint("Un paragraphe qui n'existe plus.")
	ix, err := Open(Options{Previous: plain, Attached: []Attachment{
		{Fingerprint: Fingerprint(target.Text), Phrasings: []string{attachedWording}},
		{Fingerprint: gone, Phrasings: []string{"Question orpheline ?"}}}})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if first := firstHit(t, ix, attachedWording); first != attachedTarget {
		t.Errorf("with the phrasing attached, %q finds %s first; want %s", attachedWording, first, attachedTarget)
	}
	if p, _ := ix.Passage(attachedTarget); !slices.Equal(p.Attached, []string{attachedWording}) || p.Kind != KindParagraph || p.Question != "" {
		t.Errorf("attached passage: Attached %q, kind %s, question %q; want the phrasing, a paragraph still, no question", p.Attached, p.Kind, p.Question)
	}
	if p, _ := plain.Passage(attachedTarget); len(p.Attached) != 0 {
		t.Errorf("the index built before got the phrasings too: %q", p.Attached)
	}
	if got := ix.Stats().Orphans; !slices.Equal(got, []string{gone}) {
		t.Errorf("orphans %q; want [%s]", got, gone)
	}
	if ix.Stats().Version == plain.Stats().Version {
		t.Errorf("version %s with phrasings attached, as without: a cache would serve the old answers", ix.Stats().Version)
	}
}

func firstHit(t *testing.T, ix *Index, q string) string {
	t.Helper()
	hits, err := ix.SearchText(q, 1)
	if err != nil || len(hits) == 0 {
		t.Fatalf("SearchText(%q): no hit (%v)", q, err)
	}
	return hits[0].Passage.ID
}

// TestAttachedOnDisk checks, on an index kept on disk, that a change of
// attachments re-indexes the document concerned only, that a paragraph
// inserted above the passage keeps the attachment (found at its new id),
// and that an edited passage leaves it orphaned.
func TestAttachedOnDisk(t *testing.T) {
	dir, idx := t.TempDir(), t.TempDir()
	const velo = "Le vélo de ville coûte 300 euros chez le marchand du quartier."
	mustWrite(t, filepath.Join(dir, "velo.txt"), "Le vélo\n"+velo+"\n")
	mustWrite(t, filepath.Join(dir, "pain.txt"), "Le pain\nLa baguette coûte un euro à la boulangerie.\n")
	const wording = "Combien pour une bicyclette urbaine ?"
	fp := Fingerprint(velo)
	var prev *Index // each open reloads the one before, as serve does
	t.Cleanup(func() { prev.Close() })
	open := func(phrasings ...string) *Index {
		t.Helper()
		var att []Attachment
		if len(phrasings) > 0 {
			att = []Attachment{{Fingerprint: fp, Phrasings: phrasings}}
		}
		ix, err := Open(Options{Corpus: dir, Dir: idx, Attached: att, Previous: prev})
		if err != nil {
			t.Fatal(err)
		}
		if prev != nil {
			prev.Close()
		}
		prev = ix
		return ix
	}
	attachedTo := func(ix *Index) []string {
		var ids []string
		for _, p := range ix.Passages() {
			if slices.Contains(p.Attached, wording) {
				ids = append(ids, p.ID)
			}
		}
		return ids
	}
	if ix := open(); ix.Stats().Changed != 2 {
		t.Fatalf("first build: %d documents indexed; want 2", ix.Stats().Changed)
	}
	for _, c := range []struct {
		name      string
		phrasings []string
		changed   int
		attached  bool
	}{
		{"attached", []string{wording}, 1, true},
		{"unchanged", []string{wording}, 0, true},
		{"detached", nil, 1, false},
	} {
		ix := open(c.phrasings...)
		if got := ix.Stats().Changed; got != c.changed {
			t.Errorf("%s: %d documents indexed again; want %d", c.name, got, c.changed)
		}
		if got := attachedTo(ix); (len(got) == 1) != c.attached {
			t.Errorf("%s: phrasing attached to %q; want it attached %v", c.name, got, c.attached)
		}
	}
	mustWrite(t, filepath.Join(dir, "velo.txt"), "Le vélo\nUn paragraphe ajouté au-dessus.\n\n"+velo+"\n")
	ix := open(wording)
	if got := attachedTo(ix); len(got) != 1 || got[0] == "velo#p2" {
		t.Errorf("paragraph inserted above: phrasing attached to %q; want the passage at its new id", got)
	} else if first := firstHit(t, ix, wording); first != got[0] {
		t.Errorf("paragraph inserted above: %q finds %s first; want %s", wording, first, got[0])
	}
	if len(ix.Stats().Orphans) != 0 {
		t.Errorf("paragraph inserted above: orphans %q; want none", ix.Stats().Orphans)
	}
	if err := os.WriteFile(filepath.Join(dir, "velo.txt"), []byte("Le vélo\nLe vélo de ville coûte 350 euros chez le marchand du quartier.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ix = open(wording)
	if got := attachedTo(ix); len(got) != 0 || !slices.Equal(ix.Stats().Orphans, []string{fp}) {
		t.Errorf("passage edited: phrasing attached to %q, orphans %q; want none attached and [%s] orphaned", got, ix.Stats().Orphans, fp)
	}
}

// BenchmarkFingerprint measures what attachments cost a load: every
// passage fingerprinted once (here the seed corpus's, per passage).
func BenchmarkFingerprint(b *testing.B) {
	ps := mustIndex(b).Passages()
	size := 0
	for _, p := range ps {
		size += len(p.Text)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for range b.N {
		for _, p := range ps {
			Fingerprint(p.Text)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(ps)), "ns/passage")
}

// A passage keeps its fingerprint when only its layout changes, and loses
// it when a word does: an attachment follows the text, not the position.
func ExampleFingerprint() {
	a := Fingerprint("Le vélo coûte 300 euros.")
	b := Fingerprint("LE VELO\ncoûte  300 euros !")
	c := Fingerprint("Le vélo coûte 350 euros.")
	fmt.Println(a == b, a == c)
	// Output: true false
}
