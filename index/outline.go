package index

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// An outline is a document as the readers of structured formats (HTML,
// Word, OpenDocument, PDF, Q&A sheets) find it, before it is cut into
// passages: its title and URL, then its blocks in reading order. One
// builder (outline.document) turns every format's outline into passages,
// so that a heading, a list or an FAQ entry reads the same whatever file
// it came from.
type outline struct {
	Title string
	// URL is the document's address, when it has one: the page's canonical
	// link, a crawled page's URL, a sheet's link.
	URL    string
	Blocks []outBlock
	// Problem says what of the file was left out (« ligne 3 : … »), ""
	// when nothing was.
	Problem string
}

// blockKind says what a block of an outline is.
type blockKind int

const (
	blockHeading   blockKind = iota // a section heading: Text, Level, Anchor
	blockParagraph                  // a paragraph: Text
	blockList                       // a list: Items, with Text as its lead-in when it has one
	blockTable                      // a table: Header and Rows
	blockFAQ                        // a question (Question) and its answer (Text), Alternates, URL
)

// outBlock is one block of an outline.
type outBlock struct {
	Kind blockKind
	// Level is a heading's level, 1 (the title's) to 6.
	Level int
	// Text is a heading's, a paragraph's or an FAQ answer's text, or a
	// list's lead-in.
	Text string
	// Anchor is the id a heading can be linked to (« #pieces »).
	Anchor string
	// Items are a list's items.
	Items []string
	// Header and Rows are a table's cells; every row has as many as the
	// header.
	Header []string
	Rows   [][]string
	// Question, Alternates and URL are an FAQ entry's question, its other
	// phrasings and its link.
	Question   string
	Alternates []string
	URL        string
}

// maxListPassageRunes bounds a passage made of a list: past it, the list
// goes on in another passage that repeats its lead-in.
const maxListPassageRunes = 1200

// document cuts an outline into the passages of the document id, each
// numbered by its ordinal in the document (Passage.Paragraph). A heading
// opens a section; a list is read with its lead-in; a table's rows are
// read with their header; an FAQ entry keeps its question. An outline with
// no passage is an error that names the file.
func (o *outline) document(name, id string) (*Document, error) {
	d := &Document{Slug: id, Title: cleanText(o.Title), URL: o.URL, Problem: o.Problem}
	if d.Title == "" {
		d.Title = id
	}
	b := &outlineBuilder{doc: d}
	for _, bl := range o.Blocks {
		b.block(bl)
	}
	if len(d.Passages) == 0 {
		return nil, fmt.Errorf("%s : aucun texte à lire", name)
	}
	return d, nil
}

// outlineBuilder keeps the state of document: the section and its anchor,
// the passages' count and the tables'.
type outlineBuilder struct {
	doc     *Document
	section string
	anchor  string
	n       int
	tables  int
}

func (b *outlineBuilder) add(p Passage) {
	b.n++
	p.Doc, p.Title, p.Paragraph = b.doc.Slug, b.doc.Title, b.n
	p.ID = fmt.Sprintf("%s#p%d", b.doc.Slug, b.n)
	if p.Section == "" {
		p.Section = b.section
	}
	if p.URL == "" {
		p.URL = withAnchor(b.doc.URL, b.anchor)
	}
	b.doc.Passages = append(b.doc.Passages, p)
}

func (b *outlineBuilder) block(bl outBlock) {
	switch bl.Kind {
	case blockHeading:
		text := cleanText(bl.Text)
		if text == "" {
			return
		}
		if bl.Level <= 1 && len(b.doc.Passages) == 0 && (b.doc.Title == "" || b.doc.Title == b.doc.Slug) {
			b.doc.Title = text
			return
		}
		b.section, b.anchor = text, bl.Anchor
	case blockParagraph:
		if text := cleanText(bl.Text); text != "" {
			b.add(Passage{Kind: KindParagraph, Text: text})
		}
	case blockList:
		b.list(cleanText(bl.Text), bl.Items)
	case blockTable:
		b.table(bl.Header, bl.Rows)
	case blockFAQ:
		q, a := cleanText(bl.Question), cleanText(bl.Text)
		if q == "" || a == "" {
			return
		}
		p := Passage{Kind: KindFAQ, Question: q, Text: a, URL: bl.URL}
		for _, alt := range bl.Alternates {
			if alt = cleanText(alt); alt != "" {
				p.Alternates = append(p.Alternates, alt)
			}
		}
		b.add(p)
	}
}

// list makes passages of a list: its lead-in, then its items each on a
// line of its own (« - item »), as a Markdown list reads; a long list goes
// on in further passages that start with the lead-in again.
func (b *outlineBuilder) list(leadIn string, items []string) {
	var lines []string
	size := utf8.RuneCountInString(leadIn)
	flush := func() {
		if len(lines) == 0 {
			return
		}
		text := strings.Join(lines, "\n")
		if leadIn != "" {
			text = leadIn + "\n" + text
		}
		b.add(Passage{Kind: KindParagraph, Text: text})
		lines, size = nil, utf8.RuneCountInString(leadIn)
	}
	for _, it := range items {
		it = cleanText(it)
		if it == "" {
			continue
		}
		n := utf8.RuneCountInString(it) + 3
		if len(lines) > 0 && size+n > maxListPassageRunes {
			flush()
		}
		lines = append(lines, "- "+it)
		size += n
	}
	flush()
}

// table makes a passage of each row, read with the header (RowText).
func (b *outlineBuilder) table(header []string, rows [][]string) {
	if len(header) == 0 || len(rows) == 0 {
		return
	}
	b.tables++
	h := make([]string, len(header))
	for i, c := range header {
		h[i] = cleanText(c)
	}
	for i, r := range rows {
		cells := make([]string, len(h))
		empty := true
		for j := range cells {
			if j < len(r) {
				cells[j] = cleanText(r[j])
			}
			empty = empty && cells[j] == ""
		}
		if empty {
			continue
		}
		row := &TableRow{Table: b.tables, Number: i + 1, Header: h, Cells: cells}
		b.add(Passage{Kind: KindTableRow, Text: RowText(row), Row: row})
	}
}

// withAnchor is url with #anchor, url alone when either is missing.
func withAnchor(url, anchor string) string {
	if url == "" || anchor == "" {
		return url
	}
	if i := strings.IndexByte(url, '#'); i >= 0 {
		url = url[:i]
	}
	return url + "#" + anchor
}

// cleanText is s with its runs of white space (line breaks, non-breaking
// spaces from a page's layout) made one space, and without the control
// characters a terminal would obey.
func cleanText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == '\u00a0' || r == '\u202f' || r == '\t' || r == '\n' || r == '\r' || r == ' ' || r == '\u2028' || r == '\u2029':
			space = true
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u200b' || r == '\ufeff' || r == utf8.RuneError:
			// dropped
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}
