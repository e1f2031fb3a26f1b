package index

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Office documents (.docx, .odt) are zip archives of XML parts. The archive
// is at most MaxFileSize, but what it inflates to is bounded apart: a zip
// entry can inflate a thousandfold.
const (
	// maxOfficeUnzipped bounds the bytes read out of one archive, all its
	// parts together: eight times MaxFileSize, as XML deflates about
	// tenfold and most of a large document's bytes are pictures, not read.
	maxOfficeUnzipped = 64 << 20
	// maxOfficePart bounds one XML part: a book-length document.xml is a
	// few MiB, and half the budget leaves room for the styles and properties.
	maxOfficePart = 32 << 20
	// maxOfficeSpan bounds the columns one cell stands for (w:gridSpan,
	// table:number-columns-repeated): Word tables have at most 63 columns.
	maxOfficeSpan = 64
	// maxStyleHops bounds the chain of styles a style is based on: real
	// chains are three or four long, and a loop must end.
	maxStyleHops = 16
)

// cfbMagic starts an OLE compound file: a Word 97-2003 .doc, or a .docx
// that Word encrypted with a password.
var cfbMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// officeSpaces are the prefixes officeName gives the XML namespaces read.
var officeSpaces = map[string]string{
	"http://schemas.openxmlformats.org/wordprocessingml/2006/main": "w",
	"http://purl.oclc.org/ooxml/wordprocessingml/main":             "w", // Strict Open XML
	"http://schemas.openxmlformats.org/markup-compatibility/2006":  "mc",
	"http://purl.org/dc/elements/1.1/":                             "dc",
	"urn:oasis:names:tc:opendocument:xmlns:office:1.0":             "office",
	"urn:oasis:names:tc:opendocument:xmlns:text:1.0":               "text",
	"urn:oasis:names:tc:opendocument:xmlns:table:1.0":              "table",
	"urn:oasis:names:tc:opendocument:xmlns:style:1.0":              "style",
	"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0":     "svg",
}

// officeName is n as « prefix:local » for the namespaces of officeSpaces,
// its local name alone for others.
func officeName(n xml.Name) string {
	if p, ok := officeSpaces[n.Space]; ok {
		return p + ":" + n.Local
	}
	return n.Local
}

// officeAttr is the value of e's attribute name (« w:val »), "" without one.
func officeAttr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if officeName(a.Name) == name {
			return a.Value
		}
	}
	return ""
}

// officeArchive is an office document's zip archive, read within
// maxOfficeUnzipped.
type officeArchive struct {
	name   string // the file's path in the corpus: errors start with it
	format string // « Word », « OpenDocument »
	files  map[string]*zip.File
	left   int64 // the bytes that may still be read out of it
}

// openOffice opens data, the file name, as the zip archive of a document of
// format, saved as ext. Anything else is an error saying what it is.
func openOffice(name, format, ext string, data []byte) (*officeArchive, error) {
	if bytes.HasPrefix(data, cfbMagic) {
		return nil, fmt.Errorf("%s : document chiffré ou au format Word 97-2003 ; enregistrez-le sans mot de passe au format %s", name, ext)
	}
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // nothing is written to disk
		return nil, fmt.Errorf("%s : n'est pas un document %s valide (%s)", name, format, notZip(data))
	}
	a := &officeArchive{name: name, format: format, files: map[string]*zip.File{}, left: maxOfficeUnzipped}
	for _, f := range z.File {
		if _, dup := a.files[f.Name]; !dup {
			a.files[f.Name] = f
		}
	}
	return a, nil
}

// notZip says in French what data, which is no zip archive, looks like.
func notZip(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("PK")):
		return "archive zip tronquée ou abîmée"
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "c'est un PDF : renommez-le en .pdf"
	case bytes.HasPrefix(data, []byte(`{\rtf`)):
		return "c'est un document RTF"
	case utf8.Valid(data) && bytes.IndexByte(data, 0) < 0:
		return "ce n'est pas une archive zip mais du texte : un fichier renommé ?"
	}
	return "ce n'est pas une archive zip"
}

// missing is the error for an archive without its part p.
func (a *officeArchive) missing(p string) error {
	return fmt.Errorf("%s : n'est pas un document %s valide (%s absent de l'archive)", a.name, a.format, p)
}

// part reads the part p of the archive, nil when there is none. A part
// larger than maxOfficePart, or one that takes the archive past
// maxOfficeUnzipped, is an error, whatever size its header declares.
func (a *officeArchive) part(p string) ([]byte, error) {
	f := a.files[p]
	if f == nil {
		return nil, nil
	}
	limit := min(maxOfficePart, a.left)
	if f.UncompressedSize64 > uint64(limit) {
		return nil, a.tooBig(p, limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s : %s illisible dans l'archive : %w", a.name, p, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s : archive abîmée (%s) : %w", a.name, p, err)
	}
	if int64(len(data)) > limit {
		return nil, a.tooBig(p, limit)
	}
	a.left -= int64(len(data))
	return data, nil
}

// tooBig is the error for the part p, larger than limit, the bytes it
// could take: a part's own bound or what is left of the archive's.
func (a *officeArchive) tooBig(p string, limit int64) error {
	if limit < maxOfficePart {
		return fmt.Errorf("%s : le document décompressé dépasse %d Mio (archive piégée ?)", a.name, maxOfficeUnzipped>>20)
	}
	return fmt.Errorf("%s : %s décompressé dépasse %d Mio (archive piégée ?)", a.name, p, maxOfficePart>>20)
}

// malformed is the error for the part p that is not well-formed XML.
func (a *officeArchive) malformed(p string, err error) error {
	if se, ok := errors.AsType[*xml.SyntaxError](err); ok {
		return fmt.Errorf("%s : document %s abîmé (%s : XML mal formé à la ligne %d) : %w", a.name, a.format, p, se.Line, err)
	}
	return fmt.Errorf("%s : document %s abîmé (%s illisible) : %w", a.name, a.format, p, err)
}

// propsTitle is the dc:title of a properties part (docProps/core.xml,
// meta.xml), "" when it has none or cannot be read: the title then comes
// from the text.
func propsTitle(data []byte) string {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if t, ok := tok.(xml.StartElement); ok && officeName(t.Name) == "dc:title" {
			var title struct {
				Text string `xml:",chardata"`
			}
			if d.DecodeElement(&title, &t) != nil {
				return ""
			}
			return title.Text
		}
	}
}

// A paraKind says what an office paragraph is, by its style.
type paraKind int

const (
	paraBody     paraKind = iota
	paraTitle             // the document's title (« Title », « Titre »)
	paraHeading           // a heading, of a level
	paraItem              // a list item
	paraCode              // a line of preformatted text: the lines in a row are one block
	paraContents          // a line of a table of contents, left out
)

// styleKind reads a style's name or id: « heading 2 », « Heading2 »,
// « Heading_20_2 » and « Titre2 » (French Word's id) are headings of level
// 2, « Title » and « Titre » the title, « toc 1 » a table of contents line,
// « Preformatted Text » and « Source Code » preformatted text.
func styleKind(s string) (paraKind, int) {
	s = strings.ToLower(strings.NewReplacer("_20_", "", " ", "", "_", "", "-", "").Replace(s))
	switch s {
	case "title", "titre":
		return paraTitle, 0
	case "preformattedtext", "sourcecode", "htmlpreformatted":
		return paraCode, 0
	}
	if s == "tocheading" || s == "contentsheading" || numberedName(s, "toc") > 0 || numberedName(s, "contents") > 0 {
		return paraContents, 0
	}
	for _, prefix := range []string{"heading", "titre"} {
		if n := numberedName(s, prefix); n > 0 {
			return paraHeading, min(n, 6)
		}
	}
	return paraBody, 0
}

// numberedName is n when s is prefix followed by the number n, 1 to 9; 0
// otherwise.
func numberedName(s, prefix string) int {
	rest, ok := strings.CutPrefix(s, prefix)
	if n, err := strconv.Atoi(rest); ok && err == nil && len(rest) == 1 && n >= 1 {
		return n
	}
	return 0
}

// officeBlocks gathers an office document's blocks in reading order, and
// the candidates for its title.
type officeBlocks struct {
	blocks []outBlock
	items  []string // the list being read, until a block that is not its item
	code   bool     // the last block is preformatted text
	title  string   // the first paragraph styled as the title
	first  string   // the first heading of level 1
}

// add adds a paragraph of the kind; a title paragraph is also a heading of
// level 1, so that its text is not lost when the properties name another.
func (b *officeBlocks) add(kind paraKind, level int, text string) {
	text = cleanText(text)
	if text == "" || kind == paraContents {
		return
	}
	if kind == paraItem {
		b.items = append(b.items, text)
		return
	}
	b.endList()
	if kind == paraCode && b.code {
		b.blocks[len(b.blocks)-1].Text += " " + text
		return
	}
	b.code = kind == paraCode
	switch kind {
	case paraTitle:
		if b.title == "" {
			b.title = text
		}
		b.blocks = append(b.blocks, outBlock{Kind: blockHeading, Level: 1, Text: text})
	case paraHeading:
		if level == 1 && b.first == "" {
			b.first = text
		}
		b.blocks = append(b.blocks, outBlock{Kind: blockHeading, Level: level, Text: text})
	default:
		b.blocks = append(b.blocks, outBlock{Kind: blockParagraph, Text: text})
	}
}

// endList ends the list being read, with the paragraph just before it as
// its lead-in when that paragraph ends with a colon.
func (b *officeBlocks) endList() {
	if len(b.items) == 0 {
		return
	}
	b.code = false
	l := outBlock{Kind: blockList, Items: b.items}
	if n := len(b.blocks); n > 0 && b.blocks[n-1].Kind == blockParagraph && strings.HasSuffix(b.blocks[n-1].Text, ":") {
		l.Text = b.blocks[n-1].Text
		b.blocks = b.blocks[:n-1]
	}
	b.blocks = append(b.blocks, l)
	b.items = nil
}

// table adds a table whose first row is the header. Empty rows are left
// out; a table of one row is layout, and its cells are read as paragraphs.
func (b *officeBlocks) table(rows [][]string) {
	b.endList()
	var kept [][]string
	width := 0
	for _, r := range rows {
		cells := make([]string, 0, len(r))
		for _, c := range r {
			cells = append(cells, cleanText(c))
		}
		for len(cells) > 0 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		if len(cells) > 0 {
			kept = append(kept, cells)
			width = max(width, len(cells))
		}
	}
	switch len(kept) {
	case 0:
		return
	case 1:
		for _, c := range kept[0] {
			b.add(paraBody, 0, c)
		}
		return
	}
	for i, r := range kept {
		kept[i] = append(r, make([]string, width-len(r))...)
	}
	b.code = false
	b.blocks = append(b.blocks, outBlock{Kind: blockTable, Header: kept[0], Rows: kept[1:]})
}

// outline is the document read: titled by its properties' title, else by
// its first title paragraph, else by its first heading of level 1.
func (b *officeBlocks) outline(propsTitle string) *outline {
	b.endList()
	title := cleanText(propsTitle)
	if title == "" {
		title = b.title
	}
	if title == "" {
		title = b.first
	}
	return &outline{Title: title, Blocks: b.blocks}
}
