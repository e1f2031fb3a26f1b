package index

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxHeadingRunes is the longest line read as a section heading: the seed's
// longest heading is 90 characters; a paragraph line is far longer.
const maxHeadingRunes = 140

// maxQuestionRunes is the longest line read as an FAQ question.
const maxQuestionRunes = 250

// maxWrappedLineRunes is the longest line of a hard-wrapped paragraph: text
// wrapped by an editor stays under 100 characters a line.
const maxWrappedLineRunes = 100

// faqSection names the section of FAQ entries that no heading introduces.
const faqSection = "Questions fréquentes"

// Parse reads one document. name is its file name: ".md" is read as Markdown,
// anything else in the seed's plain-text shape (title on the first line, one
// paragraph a line or blank-line separated, short unpunctuated lines as
// headings, pipe tables, a closing FAQ of questions each followed by its answer).
func Parse(name string, data []byte) (*Document, error) { return parseText(name, Slug(name), data) }

// parseText is Parse for the document id.
func parseText(name, id string, data []byte) (*Document, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s : document vide", name)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, fmt.Errorf("%s : fichier binaire, pas du texte (octet nul à la position %d)", name, i)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%s : pas du texte UTF-8 (octet invalide à la position %d ; réenregistrez-le en UTF-8)", name, invalidUTF8(data))
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	text = strings.TrimPrefix(text, "\ufeff")
	p := &parser{doc: &Document{Slug: id}, markdown: strings.EqualFold(path.Ext(name), ".md")}
	lines := strings.Split(text, "\n")
	if p.markdown {
		frontMatter(p.doc, lines)
	}
	p.run(lines)
	if len(p.doc.Passages) == 0 {
		return nil, fmt.Errorf("%s : aucun paragraphe après le titre", name)
	}
	return p.doc, nil
}

// Slug names a document after its file's path in the corpus folder,
// without the extension: each folder and the file's name in lower case,
// ASCII letters and digits joined by dashes, the folders kept
// (« Mistral AI.txt » -> « mistral-ai », « aide/Index.html » ->
// « aide/index »).
func Slug(name string) string {
	name = strings.TrimSuffix(path.Clean("/"+name), path.Ext(name))[1:]
	var parts []string
	for _, part := range strings.Split(name, "/") {
		if s := slugPart(part); s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return "doc"
	}
	return strings.Join(parts, "/")
}

// slugPart is one folder's or file's name made a slug's part.
func slugPart(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(foldRunes(name)) {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// frontMatter reads a Markdown document's front matter (« --- » lines
// around « key: value » lines) for its title: and url:, and blanks its
// lines, so that the text's line numbers stay those of the file.
func frontMatter(d *Document, lines []string) {
	if len(lines) < 2 || strings.TrimSpace(lines[0]) != "---" {
		return
	}
	end := -1
	for i := 1; i < len(lines) && i <= maxFrontMatterLines; i++ {
		if t := strings.TrimSpace(lines[i]); t == "---" || t == "..." {
			end = i
			break
		}
	}
	if end < 0 {
		return
	}
	for i := 0; i <= end; i++ {
		if key, value, ok := strings.Cut(lines[i], ":"); ok {
			value = strings.Trim(strings.TrimSpace(value), `"'`)
			switch strings.ToLower(strings.TrimSpace(key)) {
			case "title", "titre":
				d.Title = cleanText(value)
			case "url", "lien", "link":
				if isWebURL(value) {
					d.URL = value
				}
			}
		}
		lines[i] = ""
	}
}

// maxFrontMatterLines is the longest front matter read.
const maxFrontMatterLines = 100

// block is a run of source lines read as one unit.
type block struct {
	line  int // 1-based line of the first source line
	lines []string
}

type parser struct {
	doc      *Document
	markdown bool
	section  string
	tables   int
	// headed is true when a heading came right before: FAQ entries then keep it.
	headed bool
}

func (p *parser) run(lines []string) {
	start := 0
	if !p.markdown {
		// The first non-blank line is the title.
		for start < len(lines) && strings.TrimSpace(lines[start]) == "" {
			start++
		}
		if start < len(lines) {
			p.doc.Title = stripTags(strings.TrimSpace(lines[start]))
			start++
		}
	}
	blocks := splitBlocks(lines, start)
	for bi := 0; bi < len(blocks); bi++ {
		b := blocks[bi]
		if isTableLine(b.lines[0]) {
			p.table(b)
			continue
		}
		if p.markdown {
			p.markdownBlock(b, blocks, &bi)
			continue
		}
		p.textBlock(b, blocks, &bi)
	}
	if p.doc.Title == "" {
		p.doc.Title = p.doc.Slug
	}
}

// splitBlocks cuts lines into blocks: a table is one block, a blank line ends
// a block, and a block of long lines holds one line each (one paragraph a
// line) while a block of short wrapped lines is one paragraph.
func splitBlocks(lines []string, start int) []block {
	var raw []block
	var cur *block
	flush := func() {
		if cur != nil {
			raw = append(raw, *cur)
			cur = nil
		}
	}
	for i := start; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t")
		if strings.TrimSpace(l) == "" {
			flush()
			continue
		}
		table := isTableLine(l)
		if cur != nil && table != isTableLine(cur.lines[0]) {
			flush()
		}
		if cur == nil {
			cur = &block{line: i + 1}
		}
		cur.lines = append(cur.lines, l)
	}
	flush()
	return raw
}

func isTableLine(l string) bool {
	t := strings.TrimSpace(l)
	return strings.HasPrefix(t, "|") && strings.Count(t, "|") >= 2
}

// wrapped reports whether the block's lines are one hard-wrapped paragraph.
func wrapped(lines []string) bool {
	if len(lines) < 2 {
		return false
	}
	unfinished := false
	for i, l := range lines {
		if utf8.RuneCountInString(l) > maxWrappedLineRunes || isListItem(l) {
			return false
		}
		if i < len(lines)-1 && !endsSentence(l) {
			unfinished = true
		}
	}
	return unfinished
}

// textBlock reads a block of a plain-text document: each line a heading, an
// FAQ question (with the line after it as its answer) or a paragraph, unless
// the block is one hard-wrapped paragraph. bi advances past a block an FAQ
// answer was taken from.
func (p *parser) textBlock(b block, blocks []block, bi *int) {
	if wrapped(b.lines) {
		p.paragraph(b.line, joinLines(b.lines))
		return
	}
	for i := 0; i < len(b.lines); i++ {
		l := strings.TrimSpace(b.lines[i])
		line := b.line + i
		next := ""
		if i+1 < len(b.lines) {
			next = strings.TrimSpace(b.lines[i+1])
		} else if *bi+1 < len(blocks) && !isTableLine(blocks[*bi+1].lines[0]) {
			nb := blocks[*bi+1]
			next = strings.TrimSpace(nb.lines[0])
			if wrapped(nb.lines) {
				next = joinLines(nb.lines)
			}
		}
		switch {
		case isQuestion(l) && next != "" && !isQuestion(next) && !isHeading(next, true):
			p.faq(line, l, next)
			if i+1 < len(b.lines) {
				i++
			} else {
				*bi++
			}
		case isHeading(l, next != "" || *bi+1 < len(blocks)):
			p.heading(l)
		default:
			p.paragraph(line, l)
		}
	}
}

// markdownBlock reads a block of a Markdown document: a heading (a question
// heading introduces an FAQ answer), a bold or plain question line followed by
// its answer, or a paragraph or list.
func (p *parser) markdownBlock(b block, blocks []block, bi *int) {
	first := strings.TrimSpace(b.lines[0])
	if strings.HasPrefix(first, "#") {
		h := strings.TrimSpace(strings.TrimLeft(first, "#"))
		rest := b.lines[1:]
		if strings.HasPrefix(first, "# ") && p.doc.Title == "" {
			p.doc.Title = h
		} else if isQuestion(h) {
			// A heading that asks a question introduces its answer.
			answer := joinLines(rest)
			if answer == "" && *bi+1 < len(blocks) && !isTableLine(blocks[*bi+1].lines[0]) {
				*bi++
				answer = joinMarkdown(blocks[*bi].lines)
			}
			if answer != "" {
				p.headed = true // a Markdown question heading stays in its section
				p.faq(b.line, h, answer)
			}
			return
		} else {
			p.heading(h)
		}
		if len(rest) > 0 {
			p.markdownBlock(block{line: b.line + 1, lines: rest}, blocks, bi)
		}
		return
	}
	text := joinMarkdown(b.lines)
	q := strings.Trim(first, "*_ ")
	if len(b.lines) == 1 && isQuestion(q) && *bi+1 < len(blocks) && !isTableLine(blocks[*bi+1].lines[0]) &&
		!strings.HasPrefix(strings.TrimSpace(blocks[*bi+1].lines[0]), "#") {
		*bi++
		p.faq(b.line, q, joinMarkdown(blocks[*bi].lines))
		return
	}
	p.paragraph(b.line, text)
}

// joinMarkdown keeps a list's items on their own lines and joins wrapped prose.
func joinMarkdown(lines []string) string {
	for _, l := range lines {
		if isListItem(l) {
			out := make([]string, 0, len(lines))
			for _, l := range lines {
				t := strings.TrimSpace(l)
				if isListItem(l) || len(out) == 0 {
					out = append(out, t)
				} else {
					out[len(out)-1] += " " + t
				}
			}
			return strings.Join(out, "\n")
		}
	}
	return joinLines(lines)
}

func isListItem(l string) bool {
	t := strings.TrimSpace(l)
	if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "+ ") {
		return true
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i < len(t)-1 && (t[i] == '.' || t[i] == ')') && t[i+1] == ' '
}

func joinLines(lines []string) string {
	parts := make([]string, 0, len(lines))
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

// endsSentence reports whether a line ends as a sentence or clause does.
func endsSentence(l string) bool {
	l = strings.TrimSpace(l)
	l = strings.TrimRight(l, "»\"”’')]*_ ")
	if l == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(l)
	return strings.ContainsRune(".!?…;:", r)
}

func isQuestion(l string) bool {
	l = strings.TrimSpace(l)
	return strings.HasSuffix(l, "?") && utf8.RuneCountInString(l) <= maxQuestionRunes && !isTableLine(l)
}

// isHeading reports whether a plain-text line is a section heading: short,
// starting with a capital or a digit, with no final punctuation, and followed
// by more text.
func isHeading(l string, more bool) bool {
	if !more || l == "" || isTableLine(l) || isListItem(l) {
		return false
	}
	if utf8.RuneCountInString(l) > maxHeadingRunes || endsSentence(l) || strings.HasSuffix(l, ",") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(l)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

func (p *parser) heading(h string) {
	p.section = stripTags(h)
	p.headed = true
}

func (p *parser) add(ps Passage) {
	ps.Doc = p.doc.Slug
	ps.Title = p.doc.Title
	ps.ID = fmt.Sprintf("%s#p%d", p.doc.Slug, ps.Paragraph)
	p.doc.Passages = append(p.doc.Passages, ps)
}

func (p *parser) paragraph(line int, text string) {
	p.add(Passage{Section: p.section, Paragraph: line, Kind: KindParagraph, Text: text})
	p.headed = false
}

func (p *parser) faq(line int, question, answer string) {
	section := p.section
	if !p.headed {
		// A run of questions with no heading of its own: the closing FAQ.
		section = faqSection
		p.section = faqSection
	}
	p.add(Passage{Section: section, Paragraph: line, Kind: KindFAQ, Text: answer, Question: question})
}

func (p *parser) table(b block) {
	rows := make([][]string, 0, len(b.lines))
	for _, l := range b.lines {
		cells := splitRow(l)
		if isSeparatorRow(cells) {
			continue
		}
		rows = append(rows, cells)
	}
	if len(rows) < 2 {
		// A lone header line: keep its text as a paragraph.
		p.paragraph(b.line, strings.TrimSpace(b.lines[0]))
		return
	}
	p.tables++
	header := rows[0]
	n := 0
	for i, l := range b.lines {
		cells := splitRow(l)
		if i == 0 || isSeparatorRow(cells) {
			continue
		}
		n++
		for len(cells) < len(header) {
			cells = append(cells, "")
		}
		row := &TableRow{Table: p.tables, Number: n, Header: header, Cells: cells[:len(header)]}
		p.add(Passage{Section: p.section, Paragraph: b.line + i, Kind: KindTableRow, Text: RowText(row), Row: row})
	}
	p.headed = false
}

// RowText reads a table row with its header so that it stands on its own:
// "SNCF — Secteur : Transport ; Durée du contrat : 5 ans".
func RowText(r *TableRow) string {
	var b strings.Builder
	b.WriteString(r.Label())
	sep := " — "
	if r.Label() == "" {
		sep = "" // a row with no label reads from its first filled cell
	}
	for i := 1; i < len(r.Cells); i++ {
		if r.Cells[i] == "" {
			continue
		}
		b.WriteString(sep)
		sep = " ; "
		if r.Header[i] != "" {
			b.WriteString(r.Header[i])
			b.WriteString(" : ")
		}
		b.WriteString(r.Cells[i])
	}
	return b.String()
}

func splitRow(l string) []string {
	t := strings.TrimSpace(l)
	t = strings.TrimPrefix(t, "|")
	t = strings.TrimSuffix(t, "|")
	parts := strings.Split(t, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func isSeparatorRow(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, ":- ") != "" || c == "" {
			return false
		}
	}
	return true
}

// stripTags removes HTML tags such as <i> from a title or heading.
func stripTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// invalidUTF8 is the offset of the first byte that is not UTF-8.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(data)
}
