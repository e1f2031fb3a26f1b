package index

import (
	"fmt"
	"testing"
)

// TestDocumentEvidence checks that a passage of the document that is about
// the question as a whole outranks a slightly better-worded passage of a
// document that mentions it in passing.
func TestDocumentEvidence(t *testing.T) {
	doc := func(slug, title string, texts ...string) *Document {
		d := &Document{Slug: slug, Title: title}
		for i, text := range texts {
			d.Passages = append(d.Passages, Passage{ID: fmt.Sprintf("%s#p%d", slug, i+1), Doc: slug, Title: title,
				Section: "Qui est concerné ?", Paragraph: i + 1, Kind: KindParagraph, Text: text})
		}
		return d
	}
	c := &Corpus{Docs: []*Document{
		doc("jardin", "Jardiner en ville",
			"Un potager se cultive au balcon.",
			"Une demande de carte grise, disent les jardiniers.",
			"Les tomates aiment le soleil."),
		doc("carte-grise", "Certificat d'immatriculation",
			"La carte grise est le certificat d'immatriculation du véhicule.",
			"Le titulaire fait la demande sur le site de l'ANTS.",
			"Toute demande de carte grise coûte une taxe régionale, fixée selon la puissance fiscale du véhicule et la région du titulaire, à payer en ligne."),
		doc("autre", "Autre chose", "Rien à voir avec le reste.", "Toujours rien."),
	}}
	ix, err := Build(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	stems := Weighted(ix.Terms("demande de carte grise"))
	hits, err := ix.Search(stems, 5)
	if err != nil || len(hits) == 0 {
		t.Fatalf("no hit (%v)", err)
	}
	if hits[0].Passage.Doc != "carte-grise" {
		t.Errorf("first hit %s (%q); want a passage of the document about it", hits[0].Passage.ID, hits[0].Passage.Text)
	}
	// Without the evidence, the passage that has every word comes first:
	// the test above is not won by the passages' own scores.
	own := ix.fwd.clauses(stems)
	byTerm := map[uint32][]int{}
	for i, c := range own {
		byTerm[c.term] = append(byTerm[c.term], i)
	}
	jardin, grise := ix.byID["jardin#p2"], ix.byID["carte-grise#p3"]
	if a, b := ix.fwd.score(jardin, own, byTerm), ix.fwd.score(grise, own, byTerm); a <= b {
		t.Errorf("own scores: jardin#p2 %.4g, carte-grise#p3 %.4g; the test wants the first ahead", a, b)
	}
}
