package index

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/causette/causette/seeds"
)

func mustSeed(tb testing.TB) *Document {
	tb.Helper()
	data, err := seeds.FS.ReadFile("mistral-ai.txt")
	if err != nil {
		tb.Fatal(err)
	}
	doc, err := Parse("mistral-ai.txt", data)
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

func TestParseSeed(t *testing.T) {
	doc := mustSeed(t)
	if !strings.HasPrefix(doc.Title, "Mistral AI, un acteur européen") {
		t.Errorf("title = %q", doc.Title)
	}
	kinds := map[Kind]int{}
	for _, p := range doc.Passages {
		kinds[p.Kind]++
	}
	want := map[Kind]int{KindTableRow: 16, KindFAQ: 5}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%s passages = %d; want %d", k, kinds[k], n)
		}
	}
	byID := map[string]Passage{}
	for _, p := range doc.Passages {
		byID[p.ID] = p
	}
	tests := []struct {
		id, section, text string
		kind              Kind
	}{
		{"mistral-ai#p20", "Les ambitions de Mistral AI dans le secteur entreprise et les administrations",
			"SNCF — Secteur : Transport ; Application IA : Système de maintenance prédictive ; Durée du contrat : 5 ans ; Montant estimé : 60 millions €", KindTableRow},
		{"mistral-ai#p7", "", "Année de création — Mistral AI : 2023 ; OpenAI : 2015 ; Google AI : 2006", KindTableRow},
		{"mistral-ai#p3", "", "Le PDG Arthur Mensch", KindParagraph},
		{"mistral-ai#p57", faqSection, "Les clients de Mistral AI appartiennent", KindFAQ},
	}
	for _, tt := range tests {
		p, ok := byID[tt.id]
		if !ok {
			t.Errorf("no passage %s", tt.id)
			continue
		}
		if p.Kind != tt.kind || p.Section != tt.section || !strings.HasPrefix(p.Text, tt.text) {
			t.Errorf("%s = {%s, %q, %.60q}; want {%s, %q, %.60q}", tt.id, p.Kind, p.Section, p.Text, tt.kind, tt.section, tt.text)
		}
	}
	if q := byID["mistral-ai#p57"].Question; q != "Quels sont les principaux secteurs clients de Mistral ?" {
		t.Errorf("FAQ question = %q", q)
	}
	if r := byID["mistral-ai#p20"].Row; r == nil || r.Table != 2 || r.Number != 2 || r.Label() != "SNCF" {
		t.Errorf("SNCF row = %+v; want table 2, row 2, label SNCF", r)
	}
}

func TestParseShapes(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // kind:section:text prefix of each passage
	}{
		{"blank-separated wrapped.txt",
			"Titre\n\nIntroduction\n\nUne première ligne coupée\npar l'éditeur et qui continue.\n\nUn second paragraphe.\n",
			[]string{"paragraph:Introduction:Une première ligne coupée par l'éditeur et qui continue.", "paragraph:Introduction:Un second paragraphe."}},
		{"faq.txt",
			"Titre\nUn paragraphe qui ouvre le document.\nQui a fait cela ?\nC'est Paul.\nEt pourquoi ?\nParce que.\n",
			[]string{"paragraph::Un paragraphe", "faq:Questions fréquentes:C'est Paul.", "faq:Questions fréquentes:Parce que."}},
		{"doc.md",
			"# Le titre\n\n## Tarifs\n\nLe prix dépend\ndu volume.\n\n- un\n- deux\n\n| Offre | Prix |\n|---|---|\n| Base | 10 € |\n\n## Combien coûte l'option ?\n\nElle est gratuite.\n",
			[]string{"paragraph:Tarifs:Le prix dépend du volume.", "paragraph:Tarifs:- un\n- deux", "table_row:Tarifs:Base — Prix : 10 €", "faq:Tarifs:Elle est gratuite."}},
	}
	for _, tt := range tests {
		doc, err := Parse(tt.name, []byte(tt.src))
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.name, err)
			continue
		}
		var got []string
		for _, p := range doc.Passages {
			got = append(got, string(p.Kind)+":"+p.Section+":"+p.Text)
		}
		if len(got) != len(tt.want) {
			t.Errorf("Parse(%s) = %q; want %q", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if !strings.HasPrefix(got[i], tt.want[i]) {
				t.Errorf("Parse(%s) passage %d = %q; want prefix %q", tt.name, i, got[i], tt.want[i])
			}
		}
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty.txt", []byte("  \n\n"), "document vide"},
		{"bin.txt", []byte("titre\x00\x01\x02"), "fichier binaire"},
		{"latin1.txt", []byte("caf\xe9\n"), "pas du texte UTF-8 (octet invalide à la position 3"},
		{"title.txt", []byte("Juste un titre\n"), "aucun paragraphe"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.name, tt.data)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.name) {
			t.Errorf("Parse(%s) error = %v; want one naming the file and %q", tt.name, err, tt.want)
		}
	}
}

func TestLoadRejects(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	os.Mkdir(big, 0o755)
	os.WriteFile(filepath.Join(big, "huge.txt"), []byte("T\n"+strings.Repeat("a", MaxFileSize)), 0o644)
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	os.WriteFile(filepath.Join(empty, "notes.xyz"), []byte("des notes"), 0o644)
	tests := []struct {
		root, want string
	}{
		{"missing", "dossier introuvable"},
		{"empty", "aucun document (.txt, .md"},
		{"big", "huge.txt : fichier de plus de"},
	}
	for _, tt := range tests {
		_, err := Load(os.DirFS(dir), tt.root)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%s) error = %v; want %q", tt.root, err, tt.want)
		}
	}
	c, err := Load(fstest.MapFS{"a.txt": {Data: []byte("A\nUn texte.\n")}, "b/c.md": {Data: []byte("# C\n\nDu texte.\n")}}, ".")
	if err != nil || len(c.Docs) != 2 {
		t.Fatalf("Load(two docs) = %v, %v; want 2 documents", c, err)
	}
	if c.Docs[0].Slug != "a" || c.Docs[1].Slug != "b/c" {
		t.Errorf("document ids %q, %q; want a and b/c (the path without the extension)", c.Docs[0].Slug, c.Docs[1].Slug)
	}
}

// TestRowTextWithoutLabel checks that a row whose first cell is empty reads
// from its first filled cell, without a dangling dash.
func TestRowTextWithoutLabel(t *testing.T) {
	r := &TableRow{Header: []string{"Commune", "Tarif", "Durée"}, Cells: []string{"", "12 €", "1 an"}}
	if got, want := RowText(r), "Tarif : 12 € ; Durée : 1 an"; got != want {
		t.Errorf("RowText = %q, want %q", got, want)
	}
	r.Cells[0] = "Vaux"
	if got, want := RowText(r), "Vaux — Tarif : 12 € ; Durée : 1 an"; got != want {
		t.Errorf("RowText = %q, want %q", got, want)
	}
}
