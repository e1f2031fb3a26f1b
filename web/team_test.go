package web

import (
	"testing"

	"github.com/causette/causette/index"
	"github.com/causette/causette/web/store"
)

// TestTeamDocument checks the team's answers as served: enabled entries
// only, each an FAQ entry with its other phrasings, cited as « Réponse de
// l'équipe », its id kept across edits, and only an http(s) link.
func TestTeamDocument(t *testing.T) {
	if d := TeamDocument(nil); d != nil {
		t.Errorf("no entry: %+v; want no document", d)
	}
	d := TeamDocument([]store.Entry{
		{ID: 7, Question: "Où garer son vélo ?", Alternates: []string{"parking vélo"}, Answer: "Devant la mairie.", Link: "https://mairie.example.fr/velo", Enabled: true},
		{ID: 8, Question: "Quand ouvre la piscine ?", Answer: "À 9 h.", Enabled: false},
		{ID: 9, Question: "Comment payer ?", Answer: "En ligne.", Link: "javascript:alert(1)", Enabled: true},
	})
	if d == nil || d.Slug != TeamDoc || len(d.Passages) != 2 {
		t.Fatalf("document %+v; want the two enabled entries", d)
	}
	p := d.Passages[0]
	if p.ID != "_equipe#e7" || p.Kind != index.KindFAQ || p.Title != "Réponse de l'équipe" || p.URL != "https://mairie.example.fr/velo" ||
		len(p.Alternates) != 1 || p.Text != "Devant la mairie." {
		t.Errorf("first passage %+v", p)
	}
	if d.Passages[1].URL != "" {
		t.Errorf("a javascript: link kept: %q", d.Passages[1].URL)
	}
}
