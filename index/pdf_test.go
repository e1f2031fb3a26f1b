package index

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// needPoppler skips a test when pdftotext is absent, and fails it on CI,
// where it must be installed.
func needPoppler(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatal("pdftotext absent : apt-get install poppler-utils")
		}
		tb.Skip("pdftotext absent : apt-get install poppler-utils")
	}
}

// maintGuide is the French maint-guide's PDF, a real 64-page document
// (Debian's maint-guide-fr).
const maintGuide = "/usr/share/doc/maint-guide-fr/maint-guide.fr.pdf"

func TestPDFMaintGuide(t *testing.T) {
	needPoppler(t)
	data, err := os.ReadFile(maintGuide)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v : apt-get install maint-guide-fr", err)
		}
		t.Skipf("%v : apt-get install maint-guide-fr", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "maint-guide.pdf"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	c, err := LoadDir(dir)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Docs) != 1 {
		t.Fatalf("LoadDir gives %d documents; want 1", len(c.Docs))
	}
	doc := c.Docs[0]
	if want := "Guide du nouveau responsable Debian"; doc.Title != want {
		t.Errorf("title %q; want %q", doc.Title, want)
	}
	sections := map[string]int{}
	inSection := 0
	for _, p := range doc.Passages {
		if p.Section != "" {
			sections[p.Section]++
			inSection++
		}
	}
	t.Logf("maint-guide : 1 document, %d passages, %d sections, %d passages in a section, read in %v",
		len(doc.Passages), len(sections), inSection, elapsed)
	// The outline has 90 entries; the type finds the chapters' labels.
	if len(sections) < 70 || inSection*10 < len(doc.Passages)*9 {
		t.Errorf("%d sections, %d of %d passages in one; want at least 70 sections and 90 %% of the passages", len(sections), inSection, len(doc.Passages))
	}
	for _, s := range []string{"Partir du bon pied", "1.1 Dynamique sociale de Debian", "2.7 Configuration de dh_make", "4.1 control", "5.6 paquet .doc-base"} {
		if sections[s] == 0 {
			t.Errorf("no passage in section %q", s)
		}
	}

	// The pages have « Guide du nouveau responsable Debian » and « N / 58 »
	// (or a roman number) at their top; only the index table of page 3
	// holds the title as text.
	pageCounter := regexp.MustCompile(`\b\d+ / 58\b`)
	// A word left cut at a passage's end.
	cutWord := regexp.MustCompile(`\p{L}-$`)
	titles := 0
	for _, p := range doc.Passages {
		if pageCounter.MatchString(p.Text) {
			t.Errorf("passage %s holds a page header : %q", p.ID, p.Text)
		}
		if strings.Contains(p.Text, "Guide du nouveau responsable Debian") {
			titles++
		}
		if m := cutWord.FindString(p.Text); m != "" {
			t.Errorf("passage %s holds a word cut at a line's end (%q) : %q", p.ID, m, p.Text)
		}
	}
	if titles > 1 {
		t.Errorf("%d passages hold the page header « Guide du nouveau responsable Debian »; want 1 (the index table)", titles)
	}

	// The layout analysis's own counts, on pdftotext's raw layout.
	layout, _, err := readLayout(context.Background(), t.TempDir(), "pdftotext", maintGuide)
	if err != nil {
		t.Fatal(err)
	}
	cuts := lineEndCuts(layout)
	_, n := layout.outline(readStyle(context.Background(), t.TempDir(), maintGuide))
	t.Logf("maint-guide : %d running header and footer lines dropped, %d lines of contents, %d lines of footnotes; "+
		"headings : %d from the outline, %d from the type, %d from bold; line ends : %d cut words joined, %d hyphens kept; "+
		"%d paragraphs joined across a page or a column",
		n.running, n.contents, n.footnotes, n.outlineHeadings, n.sizeHeadings, n.boldHeadings, n.hyphensJoined, n.hyphensKept, n.merged)
	if n.running < 2*(len(layout.pages)-2) || n.outlineHeadings < 85 || n.footnotes == 0 {
		t.Errorf("%d running lines dropped on %d pages, %d of 90 outline entries found, %d footnote lines; want 2 a page, 85 entries and some footnotes",
			n.running, len(layout.pages), n.outlineHeadings, n.footnotes)
	}

	all := passageTextsOf(doc)
	for _, c := range cuts {
		if !strings.Contains(all, c[0]+c[1]) && !strings.Contains(all, c[0]+"-"+c[1]) {
			t.Errorf("no passage holds %q, cut as %q at a line's end and %q", c[0]+c[1], c[0]+"-", c[1])
		}
	}
	t.Logf("maint-guide : %d words cut at a line's end, all whole in their passage", len(cuts))
	for _, want := range []string{
		// « respon-/sable », « docu-/mentation » joined; compounds kept.
		"Guide du responsable Debian (https://www.debian.org/doc/devel-manuals#debmake-doc)",
		"consultant la dernière documentation officielle",
		"dpkg-buildpackage",
		"debian-devel@lists.debian.org",
		// A link cut after a slash, which dblatex marks with a hyphen.
		"(https://www.debian.org/doc/manuals/debian-faq/contributing.en.html)",
		// A list with its lead-in.
		"Plusieurs sortes de personnes ont rapport à Debian avec différent rôles :\n- auteur amont : la personne qui a créé le programme à l’origine ;",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no passage holds %q", want)
		}
	}
	// A footnote is a passage of its own, after the list its page cut.
	footnote := "1. Ce document suppose que vous utilisez un système Jessie ou plus récent."
	found := false
	for i, p := range doc.Passages {
		if strings.Contains(p.Text, footnote) {
			found = true
			if !strings.HasPrefix(p.Text, footnote) {
				t.Errorf("the footnote is inside passage %s : %q", p.ID, p.Text)
			}
			if prev := doc.Passages[max(i-1, 0)].Text; !strings.Contains(prev, "- On s’attend à ce que vous fassiez des paquets de haute qualité.") {
				t.Errorf("the footnote follows %q; want the list it cut", prev)
			}
		}
	}
	if !found {
		t.Errorf("no passage holds the footnote %q", footnote)
	}
}

// mustLoadPDF loads a corpus folder holding the PDF data alone, as name,
// and gives its document.
func mustLoadPDF(tb testing.TB, name string, data []byte) *Document {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		tb.Fatal(err)
	}
	c, err := LoadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	if len(c.Docs) != 1 {
		tb.Fatalf("LoadDir(%s) gives %d documents; want 1", name, len(c.Docs))
	}
	return c.Docs[0]
}

// lineEndCuts are the words of a layout that pdftotext finds cut by a
// line's end (« docu- » and « ment »), each with a word of context: the
// end of the line without its hyphen and the start of the next.
func lineEndCuts(l *pdfLayout) [][2]string {
	head := regexp.MustCompile(`(?:\S+ )?\p{L}+-$`)
	tail := regexp.MustCompile(`^\p{L}\S*(?: \S+)?`)
	var cuts [][2]string
	for _, p := range l.pages {
		for i := 1; i < len(p.lines); i++ {
			h := head.FindString(p.lines[i-1].text)
			t := tail.FindString(p.lines[i].text)
			if h != "" && t != "" && p.lines[i].block == p.lines[i-1].block {
				cuts = append(cuts, [2]string{strings.TrimSuffix(h, "-"), t})
			}
		}
	}
	return cuts
}

// passageTextsOf is every passage's text of doc, one a line.
func passageTextsOf(doc *Document) string {
	var b strings.Builder
	for _, p := range doc.Passages {
		b.WriteString(p.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// pdfHeader is the running header of the test PDFs' pages.
func pdfHeader() pdfText {
	return pdfText{x: 72, y: 805, size: 9, text: "Mairie de Saint-Jean — Guide des familles"}
}

// pdfFooter is the running footer of page n of three.
func pdfFooter(n int) pdfText {
	return pdfText{x: 270, y: 30, size: 9, text: fmt.Sprintf("Page %d sur 3", n)}
}

// schoolGuide is a three-page guide: running header and footer, a title,
// headings in large type and in bold, words cut at lines' ends, a list
// with its lead-in, a paragraph cut by a page break and a footnote.
func schoolGuide() testPDF {
	return testPDF{
		title: "Guide des inscriptions",
		pages: [][]pdfText{{
			pdfHeader(),
			{x: 72, y: 740, size: 20, text: "Inscriptions scolaires"},
			{x: 72, y: 700, size: 11, text: "Chaque enfant doit être inscrit à l'école de son secteur. Les docu-"},
			{x: 72, y: 686, size: 11, text: "ments demandés sont listés ci-dessous. Vous pouvez peut-"},
			{x: 72, y: 672, size: 11, text: "être obtenir une dérogation auprès du maire."},
			{x: 72, y: 635, size: 15, text: "Pièces à fournir"},
			{x: 72, y: 610, size: 11, text: "Apportez les pièces suivantes :"},
			{x: 72, y: 590, size: 11, text: "• un justificatif de domicile de moins de trois mois ;"},
			{x: 72, y: 570, size: 11, text: "• le livret de famille ;"},
			{x: 72, y: 550, size: 11, text: "• le carnet de santé de l'enfant."},
			{x: 72, y: 520, size: 11, text: "Les inscriptions se font en mairie, du lundi au"},
			{x: 72, y: 80, size: 8, text: "1. Les dérogations sont accordées selon les places disponibles."},
			pdfFooter(1),
		}, {
			pdfHeader(),
			{x: 72, y: 760, size: 11, text: "vendredi, de 9 h à 17 h, sans rendez-vous."},
			{x: 72, y: 720, size: 11, bold: true, text: "Horaires d'été"},
			{x: 72, y: 700, size: 11, text: "En juillet et en août, la mairie ferme à 16 h."},
			pdfFooter(2),
		}, {
			pdfHeader(),
			{x: 72, y: 740, size: 15, text: "Restauration scolaire"},
			{x: 72, y: 710, size: 11, text: "La cantine coûte 3,20 € par repas pour les familles de la com-"},
			{x: 72, y: 696, size: 11, text: "mune. Elle est gratuite pour le troisième enfant."},
			pdfFooter(3),
		}},
	}
}

// poolPrices is a one-page PDF with no title in its metadata and an
// outline, one of whose headings is in the body's type.
func poolPrices() testPDF {
	return testPDF{
		pages: [][]pdfText{{
			{x: 72, y: 760, size: 18, text: "Tarifs de la piscine"},
			{x: 72, y: 720, size: 11, text: "L'entrée coûte 4 € pour un adulte."},
			{x: 72, y: 690, size: 11, text: "Abonnements"},
			{x: 72, y: 670, size: 11, text: "Dix entrées coûtent 35 €, valables un an."},
		}},
		bookmarks: []testBookmark{{"Tarifs de la piscine", 1, 760}, {"Abonnements", 1, 690}},
	}
}

// libraryColumns is a page in two columns, whose sentence goes on from the
// first column to the second.
func libraryColumns() testPDF {
	return testPDF{
		title: "Médiathèque",
		pages: [][]pdfText{{
			{x: 72, y: 760, size: 16, text: "Médiathèque"},
			{x: 72, y: 720, size: 11, text: "La médiathèque prête des livres,"},
			{x: 72, y: 706, size: 11, text: "des disques et des films pour"},
			{x: 320, y: 720, size: 11, text: "trois semaines. Le prêt est"},
			{x: 320, y: 706, size: 11, text: "gratuit pour les habitants."},
			{x: 320, y: 670, size: 11, text: "Les amendes sont de 10 centimes"},
			{x: 320, y: 656, size: 11, text: "par jour de retard."},
		}},
	}
}

func TestPDFLayout(t *testing.T) {
	needPoppler(t)
	tests := []struct {
		name  string
		pdf   testPDF
		title string
		want  []struct{ section, text string }
		// absent may be in no passage.
		absent []string
	}{{
		name:  "guide.pdf",
		pdf:   schoolGuide(),
		title: "Guide des inscriptions",
		want: []struct{ section, text string }{
			{"Inscriptions scolaires", "Chaque enfant doit être inscrit à l'école de son secteur. Les documents demandés sont listés ci-dessous. Vous pouvez peut-être obtenir une dérogation auprès du maire."},
			{"Pièces à fournir", "Apportez les pièces suivantes :\n- un justificatif de domicile de moins de trois mois ;\n- le livret de famille ;\n- le carnet de santé de l'enfant."},
			{"Pièces à fournir", "Les inscriptions se font en mairie, du lundi au vendredi, de 9 h à 17 h, sans rendez-vous."},
			{"Pièces à fournir", "1. Les dérogations sont accordées selon les places disponibles."},
			{"Horaires d'été", "En juillet et en août, la mairie ferme à 16 h."},
			{"Restauration scolaire", "La cantine coûte 3,20 € par repas pour les familles de la commune. Elle est gratuite pour le troisième enfant."},
		},
		absent: []string{"Mairie de Saint-Jean", "Page 1", "Page 2", "docu-", "com-", "peutêtre"},
	}, {
		name:  "piscine.pdf",
		pdf:   poolPrices(),
		title: "Tarifs de la piscine",
		want: []struct{ section, text string }{
			{"", "L'entrée coûte 4 € pour un adulte."},
			{"Abonnements", "Dix entrées coûtent 35 €, valables un an."},
		},
	}, {
		name:  "colonnes.pdf",
		pdf:   libraryColumns(),
		title: "Médiathèque",
		want: []struct{ section, text string }{
			{"Médiathèque", "La médiathèque prête des livres, des disques et des films pour trois semaines. Le prêt est gratuit pour les habitants."},
			{"Médiathèque", "Les amendes sont de 10 centimes par jour de retard."},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustLoadPDF(t, tt.name, makePDF(t, tt.pdf))
			if doc.Title != tt.title {
				t.Errorf("%s : title %q; want %q", tt.name, doc.Title, tt.title)
			}
			if len(doc.Passages) != len(tt.want) {
				t.Errorf("%s : %d passages; want %d :\n%s", tt.name, len(doc.Passages), len(tt.want), passageTextsOf(doc))
			}
			for i, w := range tt.want {
				if i >= len(doc.Passages) {
					break
				}
				p := doc.Passages[i]
				if p.Text != w.text || p.Section != w.section {
					t.Errorf("%s : passage %d is %q in section %q; want %q in section %q", tt.name, i+1, p.Text, p.Section, w.text, w.section)
				}
			}
			all := passageTextsOf(doc)
			for _, a := range tt.absent {
				if strings.Contains(all, a) {
					t.Errorf("%s : a passage holds %q :\n%s", tt.name, a, all)
				}
			}
		})
	}
}

func TestPDFErrors(t *testing.T) {
	needPoppler(t)
	guide := makePDF(t, schoolGuide())
	locked := schoolGuide()
	locked.userPassword = "secret"
	noText := testPDF{pages: [][]pdfText{nil, nil}}
	// A scan whose only text is the scanner's line on every page.
	mark := pdfText{x: 200, y: 20, size: 7, text: "Numérisé avec ScanFacile"}
	watermarked := testPDF{pages: [][]pdfText{{mark}, {mark}}}
	// Poppler opens it, but pdfinfo says it is encrypted.
	lockedScan := testPDF{pages: [][]pdfText{nil}, ownerPassword: "proprietaire"}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"chiffre.pdf", makePDF(t, locked), "chiffre.pdf : PDF chiffré"},
		{"scan.pdf", makePDF(t, noText), "scan.pdf : PDF sans texte (document numérisé ?) : il faudrait le passer à la reconnaissance de caractères"},
		{"tronque.pdf", guide[:len(guide)/2], "tronque.pdf : PDF illisible"},
		{"texte.pdf", []byte("Bonjour, ceci est un texte et non un PDF.\n"), "texte.pdf : PDF illisible"},
		{"filigrane.pdf", makePDF(t, watermarked), "filigrane.pdf : PDF sans texte (document numérisé ?)"},
		{"rebut.pdf", []byte("%PDF-1.4\n" + strings.Repeat("\x00\x17rebut", 200)), "rebut.pdf : PDF illisible"},
		{"scan-chiffre.pdf", makePDF(t, lockedScan), "scan-chiffre.pdf : PDF chiffré"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := readPDF(tt.name, tt.data)
			if err == nil {
				t.Fatalf("readPDF(%s) reads %d blocks; want an error %q", tt.name, len(o.Blocks), tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("readPDF(%s) = %q; want %q", tt.name, err, tt.want)
			}
		})
	}
}

// An owner's password alone locks nothing Poppler needs: the file reads
// as if it had none, which also shows that makePDF encrypts as Poppler
// decrypts.
func TestPDFOwnerPassword(t *testing.T) {
	needPoppler(t)
	spec := poolPrices()
	spec.ownerPassword = "proprietaire"
	doc := mustLoadPDF(t, "piscine.pdf", makePDF(t, spec))
	if all := passageTextsOf(doc); !strings.Contains(all, "Dix entrées coûtent 35 €") {
		t.Errorf("an owner-locked PDF reads %q; want its text", all)
	}
}

// A scan in a corpus folder stops a strict load with the file's name.
func TestPDFScanInCorpus(t *testing.T) {
	needPoppler(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "scan.pdf"), makePDF(t, testPDF{pages: [][]pdfText{nil}}), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadDir(dir)
	if err == nil || !strings.Contains(err.Error(), "scan.pdf : PDF sans texte") {
		t.Errorf("LoadDir of a scan = %v; want « scan.pdf : PDF sans texte »", err)
	}
}

func TestPDFWithoutPoppler(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := readPDF("guide.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	want := "guide.pdf : lecture des PDF impossible : installez poppler-utils (pdftotext)"
	if err == nil || err.Error() != want {
		t.Errorf("readPDF without Poppler = %v; want %q", err, want)
	}
}

// FuzzPDFOutline reads made-up layouts: a line a line of text, a page a
// form feed, the first byte of a line its type's height; the outline's
// entries are the lines that start with « # ». Reading never panics.
func FuzzPDFOutline(f *testing.F) {
	f.Add("\x14Titre\n\x0bUn paragraphe coupé en fin de ligne par un docu-\n\x0bment.\n\x08\f1. Une note\n\x0b• un élément ;\n\x0b- \n\x0b-")
	f.Add("\x0b#Annexe A.\n\x0bhttp://exemple.fr/-\n\x0bsuite\f\f\x0b2 / 3\n\x0b. . . . . . 4\n\x0b’-\n\x0b-’")
	f.Fuzz(func(t *testing.T, text string) {
		l := &pdfLayout{}
		style := &pdfStyle{runs: map[int][]pdfRun{}}
		for i, page := range strings.Split(text, "\f") {
			p := &pdfPage{number: i + 1, height: 842}
			for j, line := range strings.Split(page, "\n") {
				if line == "" {
					continue
				}
				size, words := float64(line[0]%32), strings.Fields(line[1:])
				if len(words) == 0 {
					continue
				}
				y := float64(20 + j*14%800)
				p.lines = append(p.lines, &pdfLine{top: y, bottom: y + size, left: 72, right: 500, size: size, block: j / 3, text: strings.Join(words, " ")})
				if strings.HasPrefix(words[0], "#") {
					style.bookmarks = append(style.bookmarks, &pdfBookmark{title: line[2:], key: headingKey(line[2:]), level: j % 4, page: i + 1})
				}
			}
			l.pages = append(l.pages, p)
		}
		l.outline(style)
	})
}

// pdfText is a line of text on a test PDF's page: where it starts (in
// points, from the page's bottom left), its type and its text.
type pdfText struct {
	x, y, size float64
	bold       bool
	text       string
}

// testBookmark is an entry of a test PDF's outline.
type testBookmark struct {
	title string
	page  int
	y     float64
}

// testPDF is what makePDF writes: A4 pages of Helvetica text (a page with
// no text has no content), an outline, a title in the metadata, and RC4
// 40-bit encryption when a password is set.
type testPDF struct {
	title                       string
	pages                       [][]pdfText
	bookmarks                   []testBookmark
	userPassword, ownerPassword string
}

// pdfPadding pads passwords (PDF 1.7, 7.6.3.3).
var pdfPadding = []byte{0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A}

// makePDF writes spec as a PDF file's bytes, by hand: no tool to make PDFs
// is needed.
func makePDF(tb testing.TB, spec testPDF) []byte {
	tb.Helper()
	w := &pdfWriter{tb: tb, id: []byte("causette-test-id")}
	encrypted := spec.userPassword != "" || spec.ownerPassword != ""
	if encrypted {
		w.lock(spec.userPassword, spec.ownerPassword)
	}
	// Objects 1 to 4: catalog, pages, fonts; then the pages, each with its
	// content; then the outline, the metadata and the encryption.
	nPages := len(spec.pages)
	pageID := func(i int) int { return 5 + 2*i }
	outlineID := 5 + 2*nPages
	var kids []string
	for i := range spec.pages {
		kids = append(kids, fmt.Sprintf("%d 0 R", pageID(i)))
	}
	catalog := "<< /Type /Catalog /Pages 2 0 R"
	if len(spec.bookmarks) > 0 {
		catalog += fmt.Sprintf(" /Outlines %d 0 R /PageMode /UseOutlines", outlineID)
	}
	w.object(1, catalog+" >>")
	w.object(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), nPages))
	w.object(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	w.object(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	for i, texts := range spec.pages {
		page := fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >>")
		if len(texts) > 0 {
			page += fmt.Sprintf(" /Contents %d 0 R", pageID(i)+1)
		}
		w.object(pageID(i), page+" >>")
		var content bytes.Buffer
		for _, tx := range texts {
			font := "F1"
			if tx.bold {
				font = "F2"
			}
			fmt.Fprintf(&content, "BT /%s %g Tf %g %g Td (%s) Tj ET\n", font, tx.size, tx.x, tx.y, pdfLiteral(tb, tx.text))
		}
		if len(texts) > 0 {
			w.stream(pageID(i)+1, content.Bytes())
		}
	}
	next := outlineID
	if n := len(spec.bookmarks); n > 0 {
		first, last := outlineID+1, outlineID+n
		w.object(outlineID, fmt.Sprintf("<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>", first, last, n))
		for i, b := range spec.bookmarks {
			id := outlineID + 1 + i
			item := fmt.Sprintf("<< /Title %s /Parent %d 0 R /Dest [%d 0 R /XYZ 0 %g 0]", w.text(id, b.title), outlineID, pageID(b.page-1), b.y+20)
			if i > 0 {
				item += fmt.Sprintf(" /Prev %d 0 R", id-1)
			}
			if i < n-1 {
				item += fmt.Sprintf(" /Next %d 0 R", id+1)
			}
			w.object(id, item+" >>")
		}
		next = last + 1
	}
	info := next
	meta := "<< /Producer " + w.text(info, "causette test")
	if spec.title != "" {
		meta += " /Title " + w.text(info, spec.title)
	}
	w.object(info, meta+" >>")
	trailer := fmt.Sprintf("/Root 1 0 R /Info %d 0 R /ID [<%x> <%x>]", info, w.id, w.id)
	if encrypted {
		w.object(info+1, fmt.Sprintf("<< /Filter /Standard /V 1 /R 2 /O <%x> /U <%x> /P %d >>", w.owner, w.user, w.perms))
		trailer += fmt.Sprintf(" /Encrypt %d 0 R", info+1)
	}
	return w.finish(trailer)
}

// pdfWriter writes a PDF's objects and their cross-reference table.
type pdfWriter struct {
	tb      testing.TB
	buf     bytes.Buffer
	offsets map[int]int
	id      []byte
	// key is the file's RC4 key when it is encrypted; owner, user and
	// perms are its /O, /U and /P.
	key         []byte
	owner, user []byte
	perms       int32
}

// lock sets the file's encryption: the standard security handler,
// revision 2 (PDF 1.7, 7.6.3.3, algorithms 2, 3 and 4).
func (w *pdfWriter) lock(user, owner string) {
	pad := func(pw string) []byte { return append([]byte(pw), pdfPadding...)[:32] }
	if owner == "" {
		owner = user
	}
	h := md5.Sum(pad(owner))
	w.owner = rc4XOR(h[:5], pad(user))
	w.perms = -4
	m := md5.New()
	m.Write(pad(user))
	m.Write(w.owner)
	binary.Write(m, binary.LittleEndian, w.perms)
	m.Write(w.id)
	w.key = m.Sum(nil)[:5]
	w.user = rc4XOR(w.key, pdfPadding)
}

func rc4XOR(key, data []byte) []byte {
	c, err := rc4.NewCipher(key)
	if err != nil {
		panic(err)
	}
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

// seal encrypts the string or stream data of object id (algorithm 1).
func (w *pdfWriter) seal(id int, data []byte) []byte {
	if w.key == nil {
		return data
	}
	k := append(append([]byte(nil), w.key...), byte(id), byte(id>>8), byte(id>>16), 0, 0)
	h := md5.Sum(k)
	return rc4XOR(h[:min(len(w.key)+5, 16)], data)
}

// text is s as a PDF text string of object id: UTF-16 with its BOM, in hex.
func (w *pdfWriter) text(id int, s string) string {
	b := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return "<" + hex.EncodeToString(w.seal(id, b)) + ">"
}

func (w *pdfWriter) start() {
	if w.offsets == nil {
		w.offsets = map[int]int{}
		w.buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	}
}

func (w *pdfWriter) object(id int, body string) {
	w.start()
	w.offsets[id] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n%s\nendobj\n", id, body)
}

func (w *pdfWriter) stream(id int, data []byte) {
	w.start()
	data = w.seal(id, data)
	w.offsets[id] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n<< /Length %d >>\nstream\n", id, len(data))
	w.buf.Write(data)
	w.buf.WriteString("\nendstream\nendobj\n")
}

func (w *pdfWriter) finish(trailer string) []byte {
	size := 0
	for id := range w.offsets {
		size = max(size, id+1)
	}
	xref := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f \n", size)
	for id := 1; id < size; id++ {
		if off, ok := w.offsets[id]; ok {
			fmt.Fprintf(&w.buf, "%010d 00000 n \n", off)
		} else {
			w.buf.WriteString("0000000000 00001 f \n") // a page's content it does not have
		}
	}
	fmt.Fprintf(&w.buf, "trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n", size, trailer, xref)
	return w.buf.Bytes()
}

// pdfLiteral is s in WinAnsi, escaped for a PDF literal string.
func pdfLiteral(tb testing.TB, s string) string {
	tb.Helper()
	b, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		tb.Fatalf("makePDF : %q has no WinAnsi code : %v", s, err)
	}
	return strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`).Replace(b)
}
