package index

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// readDOCX reads a Word document (.docx): the paragraphs, lists and tables
// of its main part (word/document.xml), its headings by paragraph style,
// mapped through word/styles.xml (French Word's ids are « Titre1 », its
// names « heading 1 »), and the title of docProps/core.xml.
func readDOCX(name string, data []byte) (*outline, error) {
	a, err := openOffice(name, "Word", ".docx", data)
	if err != nil {
		return nil, err
	}
	main, err := a.wordMain()
	if err != nil {
		return nil, err
	}
	if a.files[main] == nil {
		if a.files["content.xml"] != nil {
			return nil, fmt.Errorf("%s : n'est pas un document Word valide (c'est un document OpenDocument : renommez-le en .odt)", name)
		}
		return nil, a.missing(main)
	}
	core, err := a.part("docProps/core.xml")
	if err != nil {
		return nil, err
	}
	styles := wordStyles{}
	stylesXML, err := a.part(path.Join(path.Dir(main), "styles.xml"))
	if err != nil {
		return nil, err
	}
	styles.read(stylesXML)
	body, err := a.part(main)
	if err != nil {
		return nil, err
	}
	var b officeBlocks
	if err := readWordBody(body, styles, &b); err != nil {
		return nil, a.malformed(main, err)
	}
	return b.outline(propsTitle(core)), nil
}

// wordMain is the main part of a Word archive, as _rels/.rels names it:
// word/document.xml most often.
func (a *officeArchive) wordMain() (string, error) {
	const usual = "word/document.xml"
	rels, err := a.part("_rels/.rels")
	if err != nil {
		return "", err
	}
	d := xml.NewDecoder(bytes.NewReader(rels))
	for {
		tok, err := d.Token()
		if err != nil {
			return usual, nil // no relationships, or unreadable ones
		}
		t, ok := tok.(xml.StartElement)
		if ok && t.Name.Local == "Relationship" && strings.HasSuffix(officeAttr(t, "Type"), "/officeDocument") {
			if p := path.Clean(strings.TrimPrefix(officeAttr(t, "Target"), "/")); a.files[p] != nil {
				return p, nil
			}
			return usual, nil
		}
	}
}

// wordStyle is what a paragraph style of word/styles.xml says of its
// paragraphs.
type wordStyle struct {
	name, basedOn string
	outline       int  // w:outlineLvl + 1: a heading's level; 0 for none
	numbered      bool // its paragraphs are list items (w:numPr)
}

// wordStyles are the paragraph styles of a Word document, by id.
type wordStyles map[string]wordStyle

// read adds the styles of styles.xml; one that cannot be read leaves the
// paragraphs to their style ids.
func (ws wordStyles) read(data []byte) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var id string
	var st wordStyle
	for {
		tok, err := d.Token()
		if err != nil {
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch officeName(t.Name) {
			case "w:style":
				id, st = officeAttr(t, "w:styleId"), wordStyle{}
			case "w:name":
				st.name = officeAttr(t, "w:val")
			case "w:basedOn":
				st.basedOn = officeAttr(t, "w:val")
			case "w:outlineLvl":
				st.outline = wordOutline(officeAttr(t, "w:val"))
			case "w:numId":
				st.numbered = officeAttr(t, "w:val") != "0"
			}
		case xml.EndElement:
			if officeName(t.Name) == "w:style" && id != "" {
				ws[id] = st
			}
		}
	}
}

// wordOutline is the level of the heading of outline level v (« 0 » for
// level 1), 0 for body text (« 9 ») and values out of range.
func wordOutline(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 8 {
		return 0
	}
	return min(n+1, 6)
}

// wordPara is what a paragraph's own properties say: its style, its outline
// level, and whether it is numbered (1), its numbering removed (-1), or
// left to its style (0).
type wordPara struct {
	style    string
	outline  int
	numbered int
}

// kind is what the paragraph p is: a title, heading or table of contents
// line by its style or its own outline level, else a list item by its own
// numbering or its style's, else body text.
func (ws wordStyles) kind(p wordPara) (paraKind, int) {
	if p.outline > 0 {
		return paraHeading, p.outline
	}
	numbered := p.numbered > 0
	id := p.style
	for range maxStyleHops {
		if id == "" {
			break
		}
		st, known := ws[id]
		for _, s := range []string{st.name, id} {
			if kind, level := styleKind(s); kind != paraBody {
				return kind, level
			}
		}
		if st.outline > 0 {
			return paraHeading, st.outline
		}
		numbered = numbered || (p.numbered == 0 && st.numbered)
		if !known {
			break
		}
		id = st.basedOn
	}
	if numbered {
		return paraItem, 0
	}
	return paraBody, 0
}

// readWordBody reads the paragraphs and tables of a Word main part into b.
// A text box's paragraphs, nested in another, are read as part of it; a
// nested table's text is read as its cell's. A cell merged with the one
// above it (w:vMerge) reads as that one, so that each row it spans says it.
func readWordBody(data []byte, styles wordStyles, b *officeBlocks) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	var (
		para   strings.Builder // the paragraph's text
		props  wordPara
		paras  int  // the depth of w:p
		inText bool // inside w:t
		tables int  // the depth of w:tbl
		rows   [][]string
		row    []string
		cell   strings.Builder
		span   int      // the columns the cell spans
		merged bool     // the cell goes on the one above it
		above  []string // the row above, where a merged cell's text is
	)
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
			case "mc:Fallback", "w:del", "w:moveFrom", "w:pPrChange", "w:rPrChange":
				// The same content again, or what a tracked change removed.
				if err := d.Skip(); err != nil {
					return err
				}
			case "w:p":
				paras++
				if paras == 1 {
					para.Reset()
					props = wordPara{}
				}
			case "w:pStyle":
				if paras == 1 {
					props.style = officeAttr(t, "w:val")
				}
			case "w:outlineLvl":
				if paras == 1 {
					props.outline = wordOutline(officeAttr(t, "w:val"))
				}
			case "w:numId":
				if paras == 1 {
					props.numbered = 1
					if officeAttr(t, "w:val") == "0" {
						props.numbered = -1
					}
				}
			case "w:t":
				inText = true
			case "w:tab", "w:br", "w:cr":
				// A tab stop (w:tabs) is a w:tab too, ahead of the text:
				// its space is trimmed.
				para.WriteByte(' ')
			case "w:noBreakHyphen":
				para.WriteByte('-')
			case "w:tbl":
				tables++
				if tables == 1 {
					rows, above = nil, nil
				}
			case "w:tr":
				if tables == 1 {
					row = nil
				}
			case "w:tc":
				if tables == 1 {
					cell.Reset()
					span, merged = 1, false
				}
			case "w:gridSpan":
				if n, err := strconv.Atoi(officeAttr(t, "w:val")); tables == 1 && err == nil {
					span = min(max(n, 1), maxOfficeSpan)
				}
			case "w:vMerge":
				if tables == 1 {
					merged = officeAttr(t, "w:val") != "restart"
				}
			}
		case xml.EndElement:
			switch officeName(t.Name) {
			case "w:t":
				inText = false
			case "w:p":
				paras--
				switch {
				case paras > 0:
					para.WriteByte(' ')
				case tables > 0:
					cell.WriteString(para.String())
					cell.WriteByte(' ')
				default:
					kind, level := styles.kind(props)
					b.add(kind, level, para.String())
				}
			case "w:tc":
				if tables == 1 {
					text := cell.String()
					if merged && len(row) < len(above) {
						text = above[len(row)]
					}
					row = append(row, text)
					row = append(row, make([]string, span-1)...)
				}
			case "w:tr":
				if tables == 1 {
					rows = append(rows, row)
					above = row
				}
			case "w:tbl":
				tables--
				if tables == 0 {
					b.table(rows)
				}
			}
		case xml.CharData:
			if inText && paras > 0 {
				para.Write(t)
			}
		}
	}
}
