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

// TestLeadEvidence checks that of two documents holding the same passages,
// the one whose lead (its first passage) is about the question comes
// first, and only through the lead: with the leads' evidence turned off,
// the two passages that hold the question tie.
func TestLeadEvidence(t *testing.T) {
	lead := "Le délai de prescription d'une peine fixe le temps pendant lequel une peine peut encore être exécutée."
	body := "Le délai court à partir du jour où la condamnation devient définitive, pour chaque peine prononcée."
	other := "Passé ce temps, la condamnation ne peut plus être exécutée."
	doc := func(slug string, texts ...string) *Document {
		d := &Document{Slug: slug, Title: "Fiche"} // one title: the documents differ by their leads only
		for i, text := range texts {
			d.Passages = append(d.Passages, Passage{ID: fmt.Sprintf("%s#p%d", slug, i+1), Doc: slug, Title: d.Title,
				Paragraph: i + 1, Kind: KindParagraph, Text: text})
		}
		return d
	}
	c := &Corpus{Docs: []*Document{
		doc("b", other, body, lead), // the same passages, another lead
		doc("a", lead, body, other),
		doc("c", "Les horaires de la mairie changent en été.", "La mairie ferme le lundi."),
	}}
	ix, err := Build(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, d := range []int32{0, 1} {
		if s := ix.fwd.summaries[d]; s < summaryShare {
			t.Fatalf("document %d: its lead sums it up by %.2f, under %.2f: the test needs leads that count", d, s, summaryShare)
		}
	}
	stems := Weighted(ix.Terms("Quel est le délai de prescription d'une peine ?"))
	scores := func() map[string]float64 {
		hits, err := ix.Search(stems, 10)
		if err != nil || len(hits) == 0 {
			t.Fatalf("no hit (%v)", err)
		}
		out := map[string]float64{}
		for _, h := range hits {
			out[h.Passage.ID] = h.Score
		}
		return out
	}
	with := scores()
	if with["a#p1"] <= with["b#p3"] {
		t.Errorf("a#p1 %.4g, b#p3 %.4g; want the passage of the document whose lead is about the question ahead",
			with["a#p1"], with["b#p3"])
	}
	clear(ix.fwd.summaries)
	without := scores()
	if without["a#p1"] != without["b#p3"] || without["a#p1"] == 0 {
		t.Errorf("without the leads, a#p1 %.4g and b#p3 %.4g; want a tie", without["a#p1"], without["b#p3"])
	}
}

// TestSummaries checks that a lead whose words the rest of its document
// uses sums it up, and a first paragraph on something else does not.
func TestSummaries(t *testing.T) {
	c := &Corpus{Docs: []*Document{
		{Slug: "sum", Title: "Sum", Passages: []Passage{
			{ID: "sum#p1", Doc: "sum", Text: "La carte grise se demande en ligne auprès de l'agence nationale."},
			{ID: "sum#p2", Doc: "sum", Text: "La demande de carte grise se fait en ligne sur le site de l'agence nationale."}}},
		{Slug: "off", Title: "Off", Passages: []Passage{
			{ID: "off#p1", Doc: "off", Text: "Les tomates mûrissent au soleil du jardin potager."},
			{ID: "off#p2", Doc: "off", Text: "La demande de carte grise se fait en ligne sur le site de l'agence nationale."}}},
	}}
	ix, err := Build(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if s := ix.fwd.summaries[0]; s < summaryShare {
		t.Errorf("a lead the document repeats: %.2f, want at least %.2f", s, summaryShare)
	}
	if s := ix.fwd.summaries[1]; s >= summaryShare {
		t.Errorf("a first paragraph on another subject: %.2f, want under %.2f", s, summaryShare)
	}
}

// TestLeadSkipsBoilerplate checks that a notice set at the top of several
// documents is no document's lead: the passage after it is.
func TestLeadSkipsBoilerplate(t *testing.T) {
	notice := "En raison des travaux, les guichets ferment plus tôt ce mois-ci."
	var passages []Passage
	var docs []int32
	for d, texts := range [][]string{
		{notice, "La carte de bibliothèque se demande à l'accueil.", "Elle est gratuite."},
		{notice, "Le prêt de livres dure trois semaines.", "Il se prolonge en ligne."},
		{notice, "Les salles de travail se réservent la veille.", "Elles ferment à 19 h."},
		{"Les horaires changent en été.", notice, "La médiathèque ouvre le dimanche."},
		{"Une exposition ouvre en mai.", "Elle dure un mois."},
	} {
		for _, text := range texts {
			passages = append(passages, Passage{Doc: fmt.Sprint(d), Text: text})
			docs = append(docs, int32(d))
		}
	}
	isLead := leads(passages, docs)
	var got []string
	for n, p := range passages {
		if isLead(n) {
			got = append(got, p.Text)
		}
	}
	want := []string{"La carte de bibliothèque se demande à l'accueil.", "Le prêt de livres dure trois semaines.",
		"Les salles de travail se réservent la veille.", "Les horaires changent en été.", "Une exposition ouvre en mai."}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("leads %q; want %q", got, want)
	}
}
