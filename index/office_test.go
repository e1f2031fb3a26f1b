package index

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// zipPart is one part of an office archive a test builds.
type zipPart struct{ name, body string }

// officeZip is the zip archive of parts, in their order.
func officeZip(tb testing.TB, parts ...zipPart) []byte {
	tb.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := z.Create(p.name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

const wordSpaces = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`

// docxParts are the parts of a Word document of body (w:body's content),
// with styles (w:styles' content) and the title in docProps/core.xml when
// they are not "".
func docxParts(title, styles, body string) []zipPart {
	parts := []zipPart{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?>` +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
			`</Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<w:document ` + wordSpaces + `><w:body>` + body + `</w:body></w:document>`},
	}
	if styles != "" {
		parts = append(parts, zipPart{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8"?><w:styles ` + wordSpaces + `>` + styles + `</w:styles>`})
	}
	if title != "" {
		parts = append(parts, zipPart{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8"?>` +
			`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
			`<dc:title>` + title + `</dc:title></cp:coreProperties>`})
	}
	return parts
}

const odfSpaces = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ` +
	`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
	`xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ` +
	`xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/"`

// odtParts are the parts of an OpenDocument text of body (office:text's
// content), with automatic styles and the title in meta.xml when they are
// not "".
func odtParts(title, styles, body string) []zipPart {
	parts := []zipPart{
		{"mimetype", "application/vnd.oasis.opendocument.text"},
		{"META-INF/manifest.xml", `<?xml version="1.0" encoding="UTF-8"?>` +
			`<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">` +
			`<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>` +
			`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`},
		{"content.xml", `<?xml version="1.0" encoding="UTF-8"?><office:document-content ` + odfSpaces + ` office:version="1.2">` +
			`<office:automatic-styles>` + styles + `</office:automatic-styles>` +
			`<office:body><office:text>` + body + `</office:text></office:body></office:document-content>`},
	}
	if title != "" {
		parts = append(parts, zipPart{"meta.xml", `<?xml version="1.0" encoding="UTF-8"?><office:document-meta ` + odfSpaces + `>` +
			`<office:meta><dc:title>` + title + `</dc:title></office:meta></office:document-meta>`})
	}
	return parts
}

// mustLoadOffice writes data as the file name of a new corpus folder and
// loads it with LoadDir, strict.
func mustLoadOffice(tb testing.TB, name string, data []byte) *Document {
	tb.Helper()
	c, err := loadOffice(tb, name, data)
	if err != nil {
		tb.Fatalf("LoadDir(folder with %s) error = %v", name, err)
	}
	if len(c.Docs) != 1 {
		tb.Fatalf("LoadDir(folder with %s) gave %d documents; want 1", name, len(c.Docs))
	}
	return c.Docs[0]
}

// loadOffice is LoadDir of a new corpus folder holding data as the file name.
func loadOffice(tb testing.TB, name string, data []byte) (*Corpus, error) {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return within(tb, "LoadDir("+name+")", func() (*Corpus, error) { return LoadDir(dir) })
}

// officeWant is a passage a document must hold, found by its text; a
// table row's header is its cells joined by « | ».
type officeWant struct {
	section string
	kind    Kind
	text    string
	header  string
}

// checkOffice checks that doc holds each of want, in its section and of
// its kind, and none of the passages holding one of absent.
func checkOffice(t *testing.T, doc *Document, want []officeWant, absent []string) {
	t.Helper()
	for _, w := range want {
		found := false
		for _, p := range doc.Passages {
			if p.Text != w.text {
				continue
			}
			found = true
			if p.Section != w.section || p.Kind != w.kind {
				t.Errorf("%s: passage %q is in section %q, of kind %s; want section %q, kind %s", doc.Slug, p.Text, p.Section, p.Kind, w.section, w.kind)
			}
			if w.kind == KindTableRow && (p.Row == nil || strings.Join(p.Row.Header, "|") != w.header) {
				t.Errorf("%s: table row %q has row %+v; want the header %s", doc.Slug, p.Text, p.Row, w.header)
			}
		}
		if !found {
			t.Errorf("%s: no passage %q; passages are %s", doc.Slug, w.text, officeTexts(doc))
		}
	}
	for _, a := range absent {
		n := 0
		for _, p := range doc.Passages {
			n += strings.Count(p.Text, a)
		}
		if n > 0 {
			t.Errorf("%s: %d passages hold %q; want none: passages are %s", doc.Slug, n, a, officeTexts(doc))
		}
	}
}

// officeTexts lists doc's passages, a line each, for a failure's message.
func officeTexts(doc *Document) string {
	var b strings.Builder
	for _, p := range doc.Passages {
		b.WriteString("\n\t[" + p.Section + "] " + string(p.Kind) + " " + p.Text)
	}
	return b.String()
}

// wordStylesFR are the styles of a French Word: ids in French, names in
// English, a heading of the user's based on « Titre1 », a list style.
const wordStylesFR = `<w:style w:type="paragraph" w:styleId="Titre"><w:name w:val="Title"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Titre1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Titre2"><w:name w:val="heading 2"/><w:basedOn w:val="Titre1"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="MonTitre"><w:name w:val="Mon titre"/><w:basedOn w:val="Titre1"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Listepuces"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TM1"><w:name w:val="toc 1"/></w:style>`

// wordP is a paragraph of style (none when "") and runs.
func wordP(style, runs string) string {
	if style != "" {
		return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>` + runs + `</w:p>`
	}
	return `<w:p>` + runs + `</w:p>`
}

// wordRun is a run of text.
func wordRun(text string) string { return `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r>` }

// wordTable is a table of rows of cells, each a paragraph.
func wordTable(rows ...[]string) string {
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr/>`)
	for _, r := range rows {
		b.WriteString(`<w:tr>`)
		for _, c := range r {
			b.WriteString(`<w:tc><w:tcPr/>` + wordP("", wordRun(c)) + `</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	return b.String()
}

// wordBody is the body of the Word document of the tests: a title, headings
// by French style ids, a list with its lead-in, tables (one with a cell
// merged down), code lines, a text box with its fallback copy, a table of
// contents line and a tracked deletion.
var wordBody = wordP("Titre", wordRun("Médiathèque de Lyon")) +
	wordP("Titre1", wordRun("Horaires")) +
	`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>` + wordRun("La médiathèque ouvre du ") +
	`<w:r><w:rPr><w:b/></w:rPr><w:t>mardi</w:t></w:r><w:r><w:tab/><w:t>au samedi,</w:t><w:br/><w:t>de 10 h à 18 h.</w:t></w:r></w:p>` +
	wordP("", wordRun("Pour vous inscrire, apportez :")) +
	`<w:p><w:pPr><w:pStyle w:val="Paragraphedeliste"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>` + wordRun("une pièce d'identité ;") + `</w:p>` +
	wordP("Listepuces", wordRun("un justificatif de domicile.")) +
	wordP("Titre2", wordRun("Tarifs")) +
	wordTable([]string{"Abonnement", "Prix"}, []string{"Adulte", "15 €"}, []string{"Étudiant", "gratuit"}) +
	`<w:tbl><w:tr><w:tc>` + wordP("", wordRun("Jour")) + `</w:tc><w:tc>` + wordP("", wordRun("Séance")) + `</w:tc></w:tr>` +
	`<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>` + wordP("", wordRun("Mercredi")) + `</w:tc><w:tc>` + wordP("", wordRun("10 h, contes")) + `</w:tc></w:tr>` +
	`<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc>` + wordP("", wordRun("15 h, cinéma")) + `</w:tc></w:tr></w:tbl>` +
	wordP("SourceCode", wordRun("wifi : mediatheque")) + wordP("SourceCode", wordRun("code : lyon2024")) +
	wordP("MonTitre", wordRun("Accès")) +
	`<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>` + wordP("", wordRun("Encadré : parking gratuit.")) +
	`</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>` + wordP("", wordRun("Encadré : parking gratuit.")) +
	`</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>` + wordRun("Tram T1, arrêt Musée.") + `</w:p>` +
	wordP("TM1", wordRun("Horaires 1")) +
	`<w:p><w:del w:id="1" w:author="A"><w:r><w:delText>ancien texte</w:delText></w:r></w:del>` + wordRun("Fermé le 1er mai.") + `</w:p>` +
	`<w:sectPr/>`

func TestLoadDirDOCX(t *testing.T) {
	doc := mustLoadOffice(t, "guide.docx", officeZip(t, docxParts("Guide de la médiathèque", wordStylesFR, wordBody)...))
	if doc.Title != "Guide de la médiathèque" {
		t.Errorf("guide.docx: title %q; want the one of docProps/core.xml, %q", doc.Title, "Guide de la médiathèque")
	}
	checkOffice(t, doc, []officeWant{
		{"Horaires", KindParagraph, "La médiathèque ouvre du mardi au samedi, de 10 h à 18 h.", ""},
		{"Horaires", KindParagraph, "Pour vous inscrire, apportez :\n- une pièce d'identité ;\n- un justificatif de domicile.", ""},
		{"Tarifs", KindTableRow, "Adulte — Prix : 15 €", "Abonnement|Prix"},
		{"Tarifs", KindTableRow, "Étudiant — Prix : gratuit", "Abonnement|Prix"},
		{"Tarifs", KindTableRow, "Mercredi — Séance : 10 h, contes", "Jour|Séance"},
		{"Tarifs", KindTableRow, "Mercredi — Séance : 15 h, cinéma", "Jour|Séance"},
		{"Tarifs", KindParagraph, "wifi : mediatheque code : lyon2024", ""},
		{"Accès", KindParagraph, "Encadré : parking gratuit. Tram T1, arrêt Musée.", ""},
		{"Accès", KindParagraph, "Fermé le 1er mai.", ""},
	}, []string{"Horaires 1", "ancien texte", "Abonnement — Prix"})
	if n := len(doc.Passages); n != 9 {
		t.Errorf("guide.docx: %d passages; want 9:%s", n, officeTexts(doc))
	}
}

func TestDOCXTitle(t *testing.T) {
	tests := []struct {
		what, title, body, want string
	}{
		{"the properties' title", "Guide", wordP("Title", wordRun("Accueil")) + wordP("", wordRun("Texte.")), "Guide"},
		{"the title paragraph", "", wordP("", wordRun("Texte.")) + wordP("Title", wordRun("Accueil")), "Accueil"},
		{"an empty properties' title", " ", wordP("Titre", wordRun("Accueil")) + wordP("", wordRun("Texte.")), "Accueil"},
		{"the first heading 1", "", wordP("", wordRun("Texte.")) + wordP("Heading2", wordRun("Avant")) +
			wordP("Heading1", wordRun("Bienvenue")) + wordP("", wordRun("Suite.")), "Bienvenue"},
		{"the file name", "", wordP("", wordRun("Texte.")), "titre"},
	}
	for _, tt := range tests {
		doc := mustLoadOffice(t, "titre.docx", officeZip(t, docxParts(tt.title, "", tt.body)...))
		if doc.Title != tt.want {
			t.Errorf("titre.docx titled by %s: title %q; want %q", tt.what, doc.Title, tt.want)
		}
	}
}

// odtBody is the body of the OpenDocument text of the tests: a title
// paragraph by its automatic style, a table of contents, headings, spaces
// and tabs, a footnote, a nested list with its lead-in, a numbered heading
// in a list, a table with header rows and a cell merged across, one with
// cells spanning rows, code lines, a picture's title and a comment.
const odtBody = `<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Illustration"/></text:sequence-decls>` +
	`<text:p text:style-name="P1">Mairie de Villeurbanne</text:p>` +
	`<text:table-of-content><text:index-body><text:p text:style-name="Contents_20_1">État civil 2</text:p></text:index-body></text:table-of-content>` +
	`<text:h text:style-name="Heading_20_1" text:outline-level="1">État civil</text:h>` +
	`<text:p text:style-name="Text_20_body">Les actes<text:s text:c="3"/>sont délivrés<text:tab/>sous <text:span text:style-name="T1">trois <text:span>jours</text:span></text:span>.` +
	`<text:line-break/>Gratuitement.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Sauf envoi.</text:p></text:note-body></text:note></text:p>` +
	`<text:p text:style-name="Text_20_body">Pièces à fournir :</text:p>` +
	`<text:list><text:list-item><text:p>le livret de famille ;</text:p></text:list-item>` +
	`<text:list-item><text:p>une pièce d'identité :</text:p><text:list><text:list-item><text:p>carte d'identité,</text:p></text:list-item>` +
	`<text:list-item><text:p>ou passeport.</text:p></text:list-item></text:list></text:list-item></text:list>` +
	`<text:list><text:list-item><text:h text:outline-level="2">Délais</text:h></text:list-item></text:list>` +
	`<table:table table:name="Tableau1"><table:table-column table:number-columns-repeated="2"/>` +
	`<table:table-header-rows><table:table-row><table:table-cell><text:p>Acte</text:p></table:table-cell><table:table-cell><text:p>Délai</text:p></table:table-cell></table:table-row></table:table-header-rows>` +
	`<table:table-row><table:table-cell><text:p>Naissance</text:p></table:table-cell><table:table-cell><text:p>3 jours</text:p></table:table-cell></table:table-row>` +
	`<table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>Mariage</text:p></table:table-cell><table:covered-table-cell/></table:table-row>` +
	`</table:table>` +
	`<table:table><table:table-row><table:table-cell><text:p>Service</text:p></table:table-cell><table:table-cell><text:p>Jour</text:p></table:table-cell></table:table-row>` +
	`<table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>Mairie</text:p></table:table-cell><table:table-cell><text:p>lundi</text:p></table:table-cell></table:table-row>` +
	`<table:table-row><table:covered-table-cell/><table:table-cell><text:p>mardi</text:p></table:table-cell></table:table-row>` +
	// pandoc writes no covered cell under a cell spanning rows
	`<table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>Poste</text:p></table:table-cell><table:table-cell><text:p>jeudi</text:p></table:table-cell></table:table-row>` +
	`<table:table-row><table:table-cell><text:p>vendredi</text:p></table:table-cell></table:table-row>` +
	`</table:table>` +
	`<text:p text:style-name="Preformatted_20_Text">wifi : mairie</text:p><text:p text:style-name="P3">code : villeurbanne</text:p>` +
	`<text:p text:style-name="P2"><draw:frame draw:name="Image1"><svg:title>Logo</svg:title><draw:image/></draw:frame>Horaires affichés en mairie.` +
	`<office:annotation><text:p>à vérifier</text:p></office:annotation></text:p>`

// odtStyles are the automatic styles of odtBody: P1 is a title paragraph,
// P3 preformatted text.
const odtStyles = `<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Title"/>` +
	`<style:style style:name="P3" style:family="paragraph" style:parent-style-name="Preformatted_20_Text"/>` +
	`<style:style style:name="P2" style:family="paragraph" style:parent-style-name="Text_20_body"/>`

func TestLoadDirODT(t *testing.T) {
	doc := mustLoadOffice(t, "etat-civil.odt", officeZip(t, odtParts("Démarches d'état civil", odtStyles, odtBody)...))
	if doc.Title != "Démarches d'état civil" {
		t.Errorf("etat-civil.odt: title %q; want the one of meta.xml, %q", doc.Title, "Démarches d'état civil")
	}
	checkOffice(t, doc, []officeWant{
		{"État civil", KindParagraph, "Les actes sont délivrés sous trois jours. Gratuitement.", ""},
		{"État civil", KindParagraph, "Pièces à fournir :\n- le livret de famille ;\n- une pièce d'identité :\n- carte d'identité,\n- ou passeport.", ""},
		{"Délais", KindTableRow, "Naissance — Délai : 3 jours", "Acte|Délai"},
		{"Délais", KindTableRow, "Mariage", "Acte|Délai"},
		{"Délais", KindTableRow, "Mairie — Jour : lundi", "Service|Jour"},
		{"Délais", KindTableRow, "Mairie — Jour : mardi", "Service|Jour"},
		{"Délais", KindTableRow, "Poste — Jour : jeudi", "Service|Jour"},
		{"Délais", KindTableRow, "Poste — Jour : vendredi", "Service|Jour"},
		{"Délais", KindParagraph, "wifi : mairie code : villeurbanne", ""},
		{"Délais", KindParagraph, "Horaires affichés en mairie.", ""},
	}, []string{"État civil 2", "Sauf envoi", "Logo", "à vérifier", "Acte — Délai"})
	if n := len(doc.Passages); n != 10 {
		t.Errorf("etat-civil.odt: %d passages; want 10:%s", n, officeTexts(doc))
	}
}

func TestODTTitle(t *testing.T) {
	tests := []struct {
		what, title, body, want string
	}{
		{"meta.xml's title", "Guide", `<text:p text:style-name="Title">Accueil</text:p><text:p>Texte.</text:p>`, "Guide"},
		{"the title paragraph", "", `<text:p>Texte.</text:p><text:p text:style-name="P1">Accueil</text:p>`, "Accueil"},
		{"the first heading 1", "", `<text:p>Texte.</text:p><text:h text:outline-level="2">Avant</text:h>` +
			`<text:h>Bienvenue</text:h><text:p>Suite.</text:p>`, "Bienvenue"},
	}
	for _, tt := range tests {
		doc := mustLoadOffice(t, "titre.odt", officeZip(t, odtParts(tt.title, odtStyles, tt.body)...))
		if doc.Title != tt.want {
			t.Errorf("titre.odt titled by %s: title %q; want %q", tt.what, doc.Title, tt.want)
		}
	}
}

// rawOfficeZip is a zip archive of one part whose header declares size
// bytes, whatever its content.
func rawOfficeZip(tb testing.TB, name, content string, size uint64) []byte {
	tb.Helper()
	var deflated bytes.Buffer
	fw, err := flate.NewWriter(&deflated, flate.BestSpeed)
	if err != nil {
		tb.Fatal(err)
	}
	fw.Write([]byte(content))
	fw.Close()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.CreateRaw(&zip.FileHeader{
		Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(content)),
		CompressedSize64: uint64(deflated.Len()), UncompressedSize64: size,
	})
	if err != nil {
		tb.Fatal(err)
	}
	w.Write(deflated.Bytes())
	if err := z.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestOfficeRefuses(t *testing.T) {
	docx := officeZip(t, docxParts("Guide", wordStylesFR, wordBody)...)
	odt := officeZip(t, odtParts("Guide", odtStyles, odtBody)...)
	cfb := append(append([]byte{}, cfbMagic...), make([]byte, 4096)...)
	zeros := func(n int) string { return string(make([]byte, n)) }
	tests := []struct {
		name string
		data func() []byte
		want string
	}{
		{"tronque.docx", func() []byte { return docx[:len(docx)/2] }, "n'est pas un document Word valide (archive zip tronquée ou abîmée)"},
		{"tronque.odt", func() []byte { return odt[:len(odt)-30] }, "n'est pas un document OpenDocument valide (archive zip tronquée ou abîmée)"},
		{"chiffre.docx", func() []byte { return cfb }, "document chiffré ou au format Word 97-2003 ; enregistrez-le sans mot de passe au format .docx"},
		{"ancien.odt", func() []byte { return cfb }, "document chiffré ou au format Word 97-2003 ; enregistrez-le sans mot de passe au format .odt"},
		{"chiffre.odt", func() []byte {
			return officeZip(t, zipPart{"META-INF/manifest.xml", `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">` +
				`<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>`},
				zipPart{"content.xml", zeros(100)})
		}, "document chiffré ; enregistrez-le sans mot de passe"},
		{"notes.docx", func() []byte { return []byte("Horaires\nLa mairie ouvre à 9 h.\n") }, "n'est pas un document Word valide (ce n'est pas une archive zip mais du texte"},
		{"notes.odt", func() []byte { return []byte("Horaires\nLa mairie ouvre à 9 h.\n") }, "n'est pas un document OpenDocument valide (ce n'est pas une archive zip mais du texte"},
		{"rapport.docx", func() []byte { return []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") }, "c'est un PDF : renommez-le en .pdf"},
		{"image.docx", func() []byte { return []byte("\x89PNG\r\n\x1a\n\x00\x00") }, "n'est pas un document Word valide (ce n'est pas une archive zip)"},
		{"inverse.docx", func() []byte { return odt }, "c'est un document OpenDocument : renommez-le en .odt"},
		{"inverse.odt", func() []byte { return docx }, "c'est un document Word : renommez-le en .docx"},
		{"sans-corps.docx", func() []byte { return officeZip(t, zipPart{"docProps/core.xml", "<a/>"}) }, "n'est pas un document Word valide (word/document.xml absent de l'archive)"},
		{"sans-contenu.odt", func() []byte { return officeZip(t, zipPart{"mimetype", "application/vnd.oasis.opendocument.text"}) }, "n'est pas un document OpenDocument valide (content.xml absent de l'archive)"},
		{"casse.docx", func() []byte {
			return officeZip(t, docxParts("", "", wordP("", wordRun("Texte."))+"<w:p><w:r><w:t>coupé")...)
		}, "document Word abîmé (word/document.xml : XML mal formé à la ligne 1)"},
		{"casse.odt", func() []byte {
			return officeZip(t, odtParts("", "", "<text:p>Texte.</text:p>\n<text:p>coupé</text:h>")...)
		}, "document OpenDocument abîmé (content.xml : XML mal formé à la ligne 2)"},
		{"bombe.docx", func() []byte {
			parts := docxParts("", "", "")
			parts[2].body = zeros(maxOfficePart + 1) // word/document.xml
			return officeZip(t, parts...)
		}, "word/document.xml décompressé dépasse 32 Mio"},
		{"bombe-entete.docx", func() []byte { return rawOfficeZip(t, "word/document.xml", "<w:document/>", 1<<40) }, "word/document.xml décompressé dépasse 32 Mio"},
		{"bombe-totale.odt", func() []byte {
			return officeZip(t, append(odtParts("", "", "<text:p>Texte.</text:p>"),
				zipPart{"meta.xml", zeros(maxOfficePart)}, zipPart{"styles.xml", zeros(maxOfficePart)})...)
		}, "le document décompressé dépasse 64 Mio"},
		{"vide.docx", func() []byte {
			return officeZip(t, docxParts("Vide", "", "<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>")...)
		}, "aucun texte"},
		{"vide.odt", func() []byte {
			return officeZip(t, odtParts("Vide", "", "<text:h>Seulement un titre</text:h><text:p/>")...)
		}, "aucun texte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadOffice(t, tt.name, tt.data())
			if err == nil || !strings.Contains(err.Error(), "corpus : "+tt.name+" : ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadDir(folder with %s) = %v, %v; want an error naming it and %q", tt.name, c, err, tt.want)
			}
		})
	}
}

// needForOffice skips the test for want of what a developer may not have
// installed, and fails it on CI, which must have it.
func needForOffice(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
}

// officeDebianPage is a real French page, from the package debian-reference-fr.
const officeDebianPage = "/usr/share/doc/debian-reference-fr/docs/ch03.fr.html"

func TestOfficeRealFiles(t *testing.T) {
	pandoc, err := exec.LookPath("pandoc")
	if err != nil {
		needForOffice(t, "pandoc absent : apt-get install pandoc")
	}
	if _, err := os.Stat(officeDebianPage); err != nil {
		needForOffice(t, "page de Debian absente : apt-get install debian-reference-fr")
	}
	for _, ext := range []string{".docx", ".odt"} {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			start := time.Now()
			out, err := exec.Command(pandoc, "-o", filepath.Join(dir, "ch03"+ext), officeDebianPage).CombinedOutput()
			if err != nil {
				t.Fatalf("pandoc -o ch03%s %s: %v\n%s", ext, officeDebianPage, err, out)
			}
			converted := time.Since(start)
			start = time.Now()
			c, err := within(t, "LoadDir(ch03"+ext+")", func() (*Corpus, error) { return LoadDir(dir) })
			if err != nil {
				t.Fatalf("LoadDir(ch03%s) error = %v", ext, err)
			}
			loaded := time.Since(start)
			doc := c.Docs[0]
			sections := map[string]bool{}
			kinds := map[Kind]int{}
			lists := 0
			for _, p := range doc.Passages {
				sections[p.Section] = true
				kinds[p.Kind]++
				if strings.Contains(p.Text, "\n- ") {
					lists++
				}
			}
			t.Logf("ch03%s: %d document, %d passages (%d paragraphs with %d lists, %d table rows) in %d sections; pandoc %v, LoadDir %v",
				ext, len(c.Docs), len(doc.Passages), kinds[KindParagraph], lists, kinds[KindTableRow], len(sections), converted.Round(time.Millisecond), loaded.Round(time.Millisecond))
			if want := "Chapitre 3. Initialisation du système"; doc.Title != want {
				t.Errorf("ch03%s: title %q; want %q", ext, doc.Title, want)
			}
			if len(sections) < 10 || kinds[KindParagraph] < 50 || kinds[KindTableRow] < 10 || lists < 3 {
				t.Errorf("ch03%s: %d sections, %d paragraphs, %d lists, %d table rows; want at least 10, 50, 3, 10", ext, len(sections), kinds[KindParagraph], lists, kinds[KindTableRow])
			}
			if want := "3.2.1. Nom de machine (« hostname »)"; !sections[want] {
				t.Errorf("ch03%s: no section %q", ext, want)
			}
		})
	}
}

// FuzzOffice: any bytes read as a .docx or an .odt give an outline or an
// error, never a panic.
func FuzzOffice(f *testing.F) {
	f.Add(true, officeZip(f, docxParts("Guide", wordStylesFR, wordBody)...))
	f.Add(false, officeZip(f, odtParts("Guide", odtStyles, odtBody)...))
	f.Add(true, officeZip(f, docxParts("", "", wordTable([]string{"a"}, []string{"b", "c", "d"}))...))
	f.Fuzz(func(t *testing.T, word bool, data []byte) {
		read, name := readODT, "doc.odt"
		if word {
			read, name = readDOCX, "doc.docx"
		}
		o, err := read(name, data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), name+" : ") {
				t.Errorf("%s: error %q does not start with the file's name", name, err)
			}
			return
		}
		o.document(name, "doc")
	})
}
