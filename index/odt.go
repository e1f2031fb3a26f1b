package index

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// readODT reads an OpenDocument text (.odt): the headings (text:h, by
// their outline level), paragraphs, lists and tables of content.xml, and
// the title of meta.xml.
func readODT(name string, data []byte) (*outline, error) {
	a, err := openOffice(name, "OpenDocument", ".odt", data)
	if err != nil {
		return nil, err
	}
	const content = "content.xml"
	if a.files[content] == nil {
		if a.files["word/document.xml"] != nil {
			return nil, fmt.Errorf("%s : n'est pas un document OpenDocument valide (c'est un document Word : renommez-le en .docx)", name)
		}
		return nil, a.missing(content)
	}
	manifest, err := a.part("META-INF/manifest.xml")
	if err != nil {
		return nil, err
	}
	if bytes.Contains(manifest, []byte("encryption-data")) {
		return nil, fmt.Errorf("%s : document chiffré ; enregistrez-le sans mot de passe", name)
	}
	meta, err := a.part("meta.xml")
	if err != nil {
		return nil, err
	}
	styles := odfStyles{}
	stylesXML, err := a.part("styles.xml")
	if err != nil {
		return nil, err
	}
	styles.read(stylesXML)
	body, err := a.part(content)
	if err != nil {
		return nil, err
	}
	var b officeBlocks
	if err := readODFBody(body, styles, &b); err != nil {
		return nil, a.malformed(content, err)
	}
	return b.outline(propsTitle(meta)), nil
}

// odfStyles are the parents of an OpenDocument's styles, by name: a
// paragraph's automatic style (« P1 ») is based on the style it was given
// (« Title »).
type odfStyles map[string]string

// add records the style that t, a style:style element, defines.
func (s odfStyles) add(t xml.StartElement) {
	if name := officeAttr(t, "style:name"); name != "" {
		s[name] = officeAttr(t, "style:parent-style-name")
	}
}

// read adds the styles of styles.xml; one that cannot be read leaves the
// paragraphs to their style names.
func (s odfStyles) read(data []byte) {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err != nil {
			return
		}
		if t, ok := tok.(xml.StartElement); ok && officeName(t.Name) == "style:style" {
			s.add(t)
		}
	}
}

// kind is what a text:p of the style name is: the title, a heading
// (« Heading_20_2 »), preformatted text or body text, by its style or the
// styles it is based on.
func (s odfStyles) kind(name string) (paraKind, int) {
	for range maxStyleHops {
		if name == "" {
			break
		}
		if kind, level := styleKind(name); kind == paraTitle || kind == paraHeading || kind == paraCode {
			return kind, level
		}
		name = s[name]
	}
	return paraBody, 0
}

// odfLevel is the level of a text:h of outline level v, 1 when it has none.
func odfLevel(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 6)
}

// readODFBody reads the paragraphs, lists and tables of content.xml into b.
// A frame's paragraphs, nested in another, are read as part of it; a list's
// items are read flat, nested lists' included; a nested table's text is
// read as its cell's. A cell spanning rows (table:number-rows-spanned)
// reads in each of them.
func readODFBody(data []byte, styles odfStyles, b *officeBlocks) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	var (
		para    strings.Builder // the paragraph's text
		kind    paraKind
		level   int
		paras   int // the depth of text:p and text:h
		lists   int // the depth of text:list
		item    strings.Builder
		tables  int // the depth of table:table
		rows    [][]string
		row     []string
		cell    strings.Builder
		repeat  int  // the columns the cell is repeated in
		down    int  // the rows the cell spans
		covered bool // the cell is covered by a spanning one
		spans   []odfSpan
	)
	endItem := func() {
		if tables == 0 {
			b.add(paraItem, 0, item.String())
		}
		item.Reset()
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch officeName(t.Name) {
			case "text:note", "office:annotation", "text:tracked-changes", "svg:title", "svg:desc",
				"text:table-of-content", "text:illustration-index", "text:table-index",
				"text:object-index", "text:user-index", "text:alphabetical-index", "text:bibliography":
				// Notes, comments, removed text, pictures' descriptions and
				// indexes: not the document's running text.
				if err := d.Skip(); err != nil {
					return err
				}
			case "style:style":
				styles.add(t)
			case "text:h":
				paras++
				if paras == 1 {
					para.Reset()
					kind, level = paraHeading, odfLevel(officeAttr(t, "text:outline-level"))
				}
			case "text:p":
				paras++
				if paras == 1 {
					para.Reset()
					kind, level = styles.kind(officeAttr(t, "text:style-name"))
				}
			case "text:s", "text:tab", "text:line-break":
				if paras > 0 {
					para.WriteByte(' ')
				}
			case "text:list":
				lists++
			case "text:list-item", "text:list-header":
				endItem() // the text of an item a nested list interrupts
			case "table:table":
				tables++
				if tables == 1 {
					rows, spans = nil, nil
				}
			case "table:table-row":
				if tables == 1 {
					row = nil
				}
			case "table:table-cell", "table:covered-table-cell":
				if tables == 1 {
					cell.Reset()
					repeat, down = 1, 1
					if n, err := strconv.Atoi(officeAttr(t, "table:number-columns-repeated")); err == nil {
						repeat = min(max(n, 1), maxOfficeSpan)
					}
					if n, err := strconv.Atoi(officeAttr(t, "table:number-rows-spanned")); err == nil {
						down = n
					}
					covered = officeName(t.Name) == "table:covered-table-cell"
					if !covered {
						row = fillSpans(row, spans)
					}
				}
			}
		case xml.EndElement:
			switch officeName(t.Name) {
			case "text:h", "text:p":
				paras--
				switch {
				case paras > 0:
					para.WriteByte(' ')
				case tables > 0:
					cell.WriteString(para.String())
					cell.WriteByte(' ')
				case lists > 0 && kind != paraHeading:
					item.WriteString(para.String())
					item.WriteByte(' ')
				default: // a numbered heading sits in a list too
					endItem()
					b.add(kind, level, para.String())
				}
			case "text:list-item", "text:list-header":
				endItem()
			case "text:list":
				lists--
				if lists == 0 && tables == 0 {
					b.endList()
				}
			case "table:table-cell", "table:covered-table-cell":
				if tables == 1 {
					col, text := len(row), cell.String()
					if covered && col < len(spans) && spans[col].rows > 0 {
						text = spans[col].text
						spans[col].rows--
					}
					for range repeat {
						row = append(row, text)
					}
					if down > 1 {
						spans = append(spans, make([]odfSpan, max(col+1-len(spans), 0))...)
						spans[col] = odfSpan{text, down - 1}
					}
				}
			case "table:table-row":
				if tables == 1 {
					rows = append(rows, fillSpans(row, spans))
				}
			case "table:table":
				tables--
				if tables == 0 {
					b.table(rows)
				}
			}
		case xml.CharData:
			if paras > 0 {
				para.Write(t)
			}
		}
	}
}

// odfSpan is a cell that spans the rows below it: its text, and the rows
// it has yet to span.
type odfSpan struct {
	text string
	rows int
}

// fillSpans adds to row the text of the cells above that span its next
// columns, where the row has no covered cell for them (pandoc writes none).
func fillSpans(row []string, spans []odfSpan) []string {
	for col := len(row); col < len(spans) && spans[col].rows > 0; col++ {
		spans[col].rows--
		row = append(row, spans[col].text)
	}
	return row
}
