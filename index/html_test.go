package index

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// samplePage is a page as a site serves it: navigation, a cookie banner
// and a footer around the main content, which holds a title, sections with
// ids, a list announced by a sentence, a table, and FAQ markup of four
// kinds.
const samplePage = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<title>Carte de bibliothèque | Médiathèque de Vaux</title>
<link rel="canonical" href="https://mediatheque.example.fr/services/carte">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"FAQPage","mainEntity":[
 {"@type":"Question","name":"La carte est-elle valable dans les autres médiathèques ?","acceptedAnswer":{"@type":"Answer","text":"<p>Oui, dans les <b>12 médiathèques</b> du réseau.</p>"}},
 {"@type":"Question","name":"Combien coûte la carte ?","acceptedAnswer":{"@type":"Answer","text":"Elle est gratuite."}}]}</script>
<style>body{color:red}</style></head>
<body>
<header><p>Médiathèque de Vaux — accueil</p></header>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/agenda">Agenda</a></li></ul></nav>
<div class="cookie-banner"><p>Nous utilisons des cookies pour mesurer l'audience.</p></div>
<main>
<h1>La carte de bibliothèque</h1>
<div class="toc"><p>Table des matières</p><ul><li><a href="#pieces">Pièces à fournir</a></li><li><a href="#tarifs">Tarifs</a></li></ul></div>
<p>La carte de bibliothèque permet d'emprunter des livres, des disques et des films.</p>
<h2 id="pieces">Pièces à fournir</h2>
<p>Pour l'obtenir, il faut présenter les documents suivants :</p>
<ul><li>une pièce d'identité ;</li><li>un justificatif de domicile de moins de 3 mois.</li></ul>
<div class="note"><table><tr><td><img alt="[Note]" src="note.png"></td><th>Note</th></tr>
<tr><td></td><td>La carte se renouvelle chaque année.</td></tr></table></div>
<h2 id="tarifs">Tarifs</h2>
<table><thead><tr><th>Public</th><th>Prix</th></tr></thead>
<tbody><tr><td>Adulte</td><td>15 €</td></tr><tr><td>Étudiant</td><td>Gratuit</td></tr></tbody></table>
<h2 id="faq">Questions fréquentes</h2>
<h3>3.1. Peut-on emprunter sans carte ?</h3>
<p>Non, la carte est demandée à chaque emprunt.</p>
<details><summary>Que faire en cas de perte ?</summary><p>Signalez-la à l'accueil : une nouvelle carte coûte 2 €.</p></details>
<dl><dt>Combien de livres peut-on emprunter ?</dt><dd>Jusqu'à 10 livres pour 3 semaines.</dd></dl>
<script>document.write("pas du texte")</script>
</main>
<footer><p>© Médiathèque de Vaux — mentions légales</p></footer>
</body></html>`

// TestReadHTML checks that a page is read for its main content only: its
// title, its sections with their anchors as links, a list with its
// lead-in, table rows with their header, and every kind of FAQ markup.
func TestReadHTML(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "services", "carte.html"), samplePage)
	c, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := c.Docs[0]
	if d.Slug != "services/carte" || d.Title != "La carte de bibliothèque" || d.URL != "https://mediatheque.example.fr/services/carte" {
		t.Errorf("document %q, title %q, URL %q; want services/carte, its h1 and its canonical link", d.Slug, d.Title, d.URL)
	}
	var all strings.Builder
	byText := map[string]Passage{}
	for i, p := range d.Passages {
		all.WriteString(p.Question + " " + p.Text + "\n")
		byText[p.Text] = p
		if p.Paragraph != i+1 || p.ID != d.Slug+"#p"+strconv.Itoa(i+1) {
			t.Errorf("passage %d: paragraph %d, id %s; want its ordinal", i, p.Paragraph, p.ID)
		}
	}
	if _, ok := byText["Note : La carte se renouvelle chaque année."]; !ok {
		t.Errorf("the note box is not read as a paragraph with its label; passages:\n%s", all.String())
	}
	for _, out := range []string{"Accueil", "cookies", "mentions légales", "pas du texte", "color:red", "Table des matières"} {
		if strings.Contains(all.String(), out) {
			t.Errorf("passages hold %q, which is not the page's content:\n%s", out, all.String())
		}
	}
	list := "Pour l'obtenir, il faut présenter les documents suivants :\n- une pièce d'identité ;\n- un justificatif de domicile de moins de 3 mois."
	if p, ok := byText[list]; !ok {
		t.Errorf("no passage reads the list with its lead-in; passages:\n%s", all.String())
	} else if p.Section != "Pièces à fournir" || p.URL != "https://mediatheque.example.fr/services/carte#pieces" {
		t.Errorf("list in section %q at %q; want « Pièces à fournir » at …#pieces", p.Section, p.URL)
	}
	var rows, faqs []Passage
	for _, p := range d.Passages {
		switch p.Kind {
		case KindTableRow:
			rows = append(rows, p)
		case KindFAQ:
			faqs = append(faqs, p)
		}
	}
	if len(rows) != 2 || rows[0].Row.Header[1] != "Prix" || rows[1].Row.Cells[1] != "Gratuit" {
		t.Errorf("table rows %+v; want 2 rows read with the header Public, Prix", rows)
	}
	want := map[string]string{
		"Peut-on emprunter sans carte ?":                           "Non, la carte est demandée à chaque emprunt.",
		"Que faire en cas de perte ?":                              "Signalez-la à l'accueil : une nouvelle carte coûte 2 €.",
		"Combien de livres peut-on emprunter ?":                    "Jusqu'à 10 livres pour 3 semaines.",
		"La carte est-elle valable dans les autres médiathèques ?": "Oui, dans les 12 médiathèques du réseau.",
		"Combien coûte la carte ?":                                 "Elle est gratuite.",
	}
	got := map[string]string{}
	for _, p := range faqs {
		got[p.Question] = p.Text
	}
	for q, a := range want {
		if got[q] != a {
			t.Errorf("FAQ %q answered %q; want %q", q, got[q], a)
		}
	}
	if len(faqs) != len(want) {
		t.Errorf("%d FAQ entries; want %d (each question once)", len(faqs), len(want))
	}
}

// TestReadHTMLBadPages checks that a page with no text, a binary file
// named .html and a page in another encoding get what they deserve.
func TestReadHTMLBadPages(t *testing.T) {
	for _, c := range []struct {
		name, data, want string
	}{
		{"vide.html", "<html><body><nav>Accueil</nav><script>x()</script></body></html>", "vide.html : page sans texte"},
		{"image.html", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.html : fichier binaire"},
	} {
		if _, err := readHTML(c.name, []byte(c.data)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v; want %q", c.name, err, c.want)
		}
	}
	latin1 := "<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9</title></head><body><p>Le caf\xe9 ouvre \xe0 8 h.</p></body></html>"
	o, err := readHTML("latin.html", []byte(latin1))
	if err != nil || o.Title != "Café" || len(o.Blocks) != 1 || o.Blocks[0].Text != "Le café ouvre à 8 h." {
		t.Errorf("a Latin-1 page: %+v, %v; want it read as declared", o, err)
	}
}

// TestReadHTMLDebianReference reads the French Debian reference, real pages
// nobody here wrote: every page gives a titled document with sections,
// anchors and passages, and no navigation.
func TestReadHTMLDebianReference(t *testing.T) {
	src := "/usr/share/doc/debian-reference-fr/docs"
	pages, _ := filepath.Glob(filepath.Join(src, "*.fr.html"))
	if len(pages) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("debian-reference-fr is not installed: .ci/run installs it")
		}
		t.Skip("debian-reference-fr absent : apt-get install debian-reference-fr")
	}
	dir := t.TempDir()
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, filepath.Join(dir, filepath.Base(p)), string(data))
	}
	start := time.Now()
	c, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	passages, sections := 0, 0
	for _, d := range c.Docs {
		if d.Title == "" || d.Title == d.Slug {
			t.Errorf("%s: no title", d.Slug)
		}
		for _, p := range d.Passages {
			passages++
			if p.Section != "" {
				sections++
			}
			if strings.Contains(p.Text, "Précédent") && strings.Contains(p.Text, "Suivant") {
				t.Errorf("%s: the page's navigation was read: %q", p.ID, p.Text)
			}
		}
	}
	t.Logf("%d pages, %d passages (%d in a section), read in %v", len(c.Docs), passages, sections, time.Since(start))
	if len(c.Docs) != len(pages) || passages < 50*len(pages) || sections < passages*9/10 {
		t.Errorf("%d documents, %d passages, %d in a section; want %d documents, most passages in a section", len(c.Docs), passages, sections, len(pages))
	}
}

// TestReadHTMLSelfClosedAnchors checks that headings whose anchor is
// written <a id="x"/> (XHTML pages, the Debian reference) link to their own
// anchor, not to the one the parser carries over from the heading or the
// table before.
func TestReadHTMLSelfClosedAnchors(t *testing.T) {
	page := `<html><body><main>
<h2><a id="premier"/>Premier</h2><p>Le premier texte du guide.</p>
<table><caption><a id="tableau"/>Un tableau</caption><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>
<h2><a id="second"/>Second</h2><p>Le second texte du guide.</p>
<h2><a id="troisieme"/>Troisième</h2><p>Le troisième texte du guide.</p></main></body></html>`
	o, err := readHTML("guide.html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range o.Blocks {
		if b.Kind == blockHeading {
			got = append(got, b.Text+"#"+b.Anchor)
		}
	}
	if want := "[Premier#premier Second#second Troisième#troisieme]"; fmt.Sprint(got) != want {
		t.Errorf("headings %v; want %s", got, want)
	}
}
