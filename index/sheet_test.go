package index

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestReadSheet checks a Q&A sheet as a spreadsheet saves it in French
// (semicolons, a BOM, accented headers): one FAQ entry a row, with its
// other phrasings, its link and its category as section.
func TestReadSheet(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "faq_mairie.csv"), "\ufeffQuestion;Réponse;Formulations;Lien;Catégorie\n"+
		"Comment obtenir un acte de naissance ?;\"Demandez-le en ligne ou au guichet ; il est gratuit.\";acte naissance|extrait de naissance;https://mairie.example.fr/actes;État civil\n"+
		";;;;\n"+
		"Quand la mairie est-elle ouverte ?;Du lundi au vendredi, de 9 h à 17 h.;;;Horaires\n")
	mustWrite(t, filepath.Join(dir, "en.tsv"), "question\tanswer\talternates\nWhere is the town hall?\tPlace de la République.\ttown hall address\n")
	c, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Docs) != 2 {
		t.Fatalf("%d documents; want 2", len(c.Docs))
	}
	d := c.Docs[1] // faq_mairie, after en
	if d.Slug != "faq-mairie" || d.Title != "Faq mairie" || len(d.Passages) != 2 {
		t.Fatalf("document %q %q with %d passages; want faq-mairie, « Faq mairie », 2 entries", d.Slug, d.Title, len(d.Passages))
	}
	p := d.Passages[0]
	if p.Kind != KindFAQ || p.Question != "Comment obtenir un acte de naissance ?" ||
		p.Text != "Demandez-le en ligne ou au guichet ; il est gratuit." || p.Section != "État civil" ||
		p.URL != "https://mairie.example.fr/actes" || strings.Join(p.Alternates, "|") != "acte naissance|extrait de naissance" {
		t.Errorf("first entry %+v", p)
	}
	if d.Passages[1].Section != "Horaires" || d.Passages[1].URL != "" {
		t.Errorf("second entry in %q at %q; want Horaires, no link", d.Passages[1].Section, d.Passages[1].URL)
	}
	if e := c.Docs[0].Passages[0]; e.Question != "Where is the town hall?" || len(e.Alternates) != 1 {
		t.Errorf("tab-separated entry %+v", e)
	}
	// The lexicons keep their meaning: not read as sheets.
	mustWrite(t, filepath.Join(dir, "synonymes.tsv"), "carte, badge\n")
	if c, err := LoadDir(dir); err != nil || len(c.Docs) != 2 {
		t.Errorf("with synonymes.tsv: %v, %v; want the 2 sheets only", c, err)
	}
}

// TestReadSheetErrors checks that a sheet with no good row, no header, or
// binary bytes is refused with what is wrong and where; and that a sheet
// with good rows keeps them, its bad rows left out and named.
func TestReadSheetErrors(t *testing.T) {
	for _, c := range []struct{ name, data, want string }{
		{"faq.csv", "question,réponse\nQuel est le délai ?,\n", "faq.csv : lignes écartées : ligne 2 : la question « Quel est le délai ? » n'a pas de réponse"},
		{"faq.csv", "question,réponse\n,Une réponse seule.\n", "ligne 2 : une réponse sans question"},
		{"liste.csv", "nom,prix\npain,1\n", "liste.csv : la première ligne doit nommer les colonnes « question » et « réponse »"},
		{"q.csv", "question\nPourquoi ?\n", "pas de colonne « réponse »"},
		{"vide.csv", "", "vide.csv : feuille vide"},
		{"bin.csv", "PK\x03\x04\x00\x00", "bin.csv : fichier binaire"},
		{"latin.csv", "question;r\xe9ponse\n", "pas du texte UTF-8"},
	} {
		if _, err := readSheet(c.name, []byte(c.data)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %q: error %v; want %q", c.name, c.data, err, c.want)
		}
	}
	o, err := readSheet("faq.csv", []byte("question,réponse\nA-t-on droit au prêt ?,Oui.\nQuel est le délai ?,\n,Seule.\n"))
	if err != nil || len(o.Blocks) != 1 || !strings.Contains(o.Problem, "ligne 3 : la question « Quel est le délai ? » n'a pas de réponse ; ligne 4 : une réponse sans question") {
		t.Errorf("a sheet with one good row of three: %+v, %v; want the good row kept and lines 3 and 4 named", o, err)
	}
}
