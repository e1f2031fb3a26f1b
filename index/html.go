package index

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// A web page is read for its main content only: the <main> element (or
// the one with role="main", or the first <article>), else the body without
// what sits around the content on every page (navigation, header, footer,
// asides, forms, scripts, cookie banners). Its title is its first <h1>, else
// its <title>; h2-h6 open sections, their id kept as the anchor citations
// link to; tables are read as rows with their header; lists with the
// sentence that introduces them; FAQ markup as FAQ entries: a heading that
// asks a question with the answer under it, <details><summary>, <dl> terms
// that ask questions, and schema.org FAQPage data (JSON-LD).

// skippedTags hold no content of the page's own.
var skippedTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Nav: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true, atom.Button: true,
	atom.Select: true, atom.Svg: true, atom.Iframe: true, atom.Object: true, atom.Canvas: true,
	atom.Dialog: true, atom.Head: true,
}

// skippedRoles are ARIA landmarks around the content.
var skippedRoles = map[string]bool{"navigation": true, "banner": true, "contentinfo": true, "search": true,
	"complementary": true, "dialog": true, "alertdialog": true}

// boilerplateNames, in an element's id or class, mark what surrounds the
// content: cookie and consent banners, breadcrumbs, share buttons, skip
// links.
var boilerplateNames = []string{"cookie", "consent", "gdpr", "rgpd", "breadcrumb", "ariane", "skip-link",
	"skiplink", "share", "partage", "social", "newsletter"}

// sectionNumber is the number a manual puts before a heading (« 2.7.11. »),
// left out of the FAQ question the heading asks.
var sectionNumber = regexp.MustCompile(`^\s*(\d+|[A-Z])(\.\d+)*\.?\s+`)

// contentsNames, as a whole id or class, mark a table of contents or a
// page's navigation links: « Table des matières » lists the headings the
// page holds anyway.
var contentsNames = map[string]bool{"toc": true, "table-of-contents": true, "table-des-matieres": true,
	"sommaire": true, "navheader": true, "navfooter": true, "pagination": true, "pager": true}

// readHTML reads a web page (.html, .htm) into an outline.
func readHTML(name string, data []byte) (*outline, error) { return readHTMLAs(name, data, "text/html") }

// readHTMLAs reads a web page served as contentType: a charset it names
// counts, as in a browser, before the one the page declares.
func readHTMLAs(name string, data []byte, contentType string) (*outline, error) {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, fmt.Errorf("%s : fichier binaire, pas une page HTML (octet nul à la position %d)", name, i)
	}
	r, err := charset.NewReader(bytes.NewReader(data), contentType)
	if err != nil {
		return nil, fmt.Errorf("%s : encodage de la page illisible : %w", name, err)
	}
	root, err := html.Parse(r)
	if err != nil {
		return nil, fmt.Errorf("%s : page HTML illisible : %w", name, err)
	}
	h := &htmlReader{anchors: headingAnchors(root)}
	h.head(root)
	content := find(root, isMain)
	if content == nil {
		content = find(root, func(n *html.Node) bool { return n.DataAtom == atom.Article })
	}
	if content == nil {
		content = find(root, func(n *html.Node) bool { return n.DataAtom == atom.Body })
	}
	if content == nil {
		content = root
	}
	h.walk(content)
	h.flush()
	h.faqData(root)
	title := h.h1
	if title == "" {
		title = h.title
	}
	o := &outline{Title: title, URL: h.canonical, Blocks: h.blocks}
	if len(o.Blocks) == 0 {
		return nil, fmt.Errorf("%s : page sans texte à lire", name)
	}
	return o, nil
}

// htmlReader gathers a page's outline as it walks the content.
type htmlReader struct {
	title, h1, canonical string
	blocks               []outBlock
	inline               strings.Builder       // text of the paragraph being read
	questions            map[string]bool       // FAQ questions seen, folded
	anchors              map[*html.Node]string // each heading's anchor
}

// head reads the <title> and the canonical link.
func (h *htmlReader) head(root *html.Node) {
	if t := find(root, func(n *html.Node) bool { return n.DataAtom == atom.Title }); t != nil {
		h.title = cleanText(textOf(t))
	}
	if l := find(root, func(n *html.Node) bool {
		return n.DataAtom == atom.Link && strings.EqualFold(attr(n, "rel"), "canonical")
	}); l != nil && isWebURL(attr(l, "href")) {
		h.canonical = attr(l, "href")
	}
}

// isMain reports whether n is the page's main content.
func isMain(n *html.Node) bool {
	return n.Type == html.ElementNode && (n.DataAtom == atom.Main || attr(n, "role") == "main")
}

// skipped reports whether n and what it holds are left out.
func skipped(n *html.Node) bool {
	if n.Type == html.CommentNode {
		return true
	}
	if n.Type != html.ElementNode {
		return false
	}
	if skippedTags[n.DataAtom] || skippedRoles[attr(n, "role")] || hasAttr(n, "hidden") ||
		attr(n, "aria-hidden") == "true" {
		return true
	}
	names := strings.ToLower(attr(n, "id") + " " + attr(n, "class"))
	for _, b := range boilerplateNames {
		if strings.Contains(names, b) {
			return true
		}
	}
	for _, name := range strings.Fields(names) {
		if contentsNames[name] {
			return true
		}
	}
	return false
}

// walk reads the blocks of n's content in document order.
func (h *htmlReader) walk(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if skipped(c) {
			continue
		}
		if c.Type == html.TextNode {
			h.inline.WriteString(c.Data)
			continue
		}
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			h.flush()
			level := int(c.Data[1] - '0')
			text := cleanText(textOf(c))
			if level == 1 && h.h1 == "" {
				h.h1 = text
			}
			h.blocks = append(h.blocks, outBlock{Kind: blockHeading, Level: level, Text: text, Anchor: h.anchors[c]})
		case atom.P, atom.Blockquote, atom.Pre, atom.Figcaption, atom.Address:
			h.flush()
			h.paragraph(textOf(c))
		case atom.Ul, atom.Ol:
			h.flush()
			h.list(c)
		case atom.Table:
			h.flush()
			h.table(c)
		case atom.Dl:
			h.flush()
			h.definitions(c)
		case atom.Details:
			h.flush()
			h.details(c)
		case atom.Br:
			h.inline.WriteByte(' ')
		case atom.Div, atom.Section, atom.Article, atom.Main, atom.Li, atom.Dd, atom.Dt, atom.Body,
			atom.Center, atom.Fieldset, atom.Figure, atom.Hgroup, atom.Summary:
			h.flush()
			h.walk(c)
			h.flush()
		default: // inline: a, span, em, strong, code…
			h.walk(c)
		}
	}
}

// flush ends the paragraph being read.
func (h *htmlReader) flush() {
	text := h.inline.String()
	h.inline.Reset()
	h.paragraph(text)
}

// paragraph adds a paragraph, or, right under a heading that asks a
// question, that question's answer.
func (h *htmlReader) paragraph(text string) {
	text = cleanText(text)
	if text == "" {
		return
	}
	if n := len(h.blocks); n > 0 && h.blocks[n-1].Kind == blockHeading && isQuestion(h.blocks[n-1].Text) {
		q := h.blocks[n-1]
		h.blocks = h.blocks[:n-1]
		h.faq(sectionNumber.ReplaceAllString(q.Text, ""), text)
		return
	}
	h.blocks = append(h.blocks, outBlock{Kind: blockParagraph, Text: text})
}

// faq adds an FAQ entry, once for a question.
func (h *htmlReader) faq(question, answer string) {
	question, answer = cleanText(question), cleanText(answer)
	if question == "" || answer == "" {
		return
	}
	key := Fold(question)
	if h.questions == nil {
		h.questions = map[string]bool{}
	}
	if h.questions[key] {
		return
	}
	h.questions[key] = true
	h.blocks = append(h.blocks, outBlock{Kind: blockFAQ, Question: question, Text: answer})
}

// list adds a list's items, with the paragraph before it as its lead-in
// when that paragraph announces it (« … les pièces suivantes : »).
func (h *htmlReader) list(n *html.Node) {
	var items []string
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.DataAtom == atom.Li && !skipped(li) {
			if t := cleanText(textOf(li)); t != "" {
				items = append(items, t)
			}
		}
	}
	if len(items) == 0 {
		return
	}
	b := outBlock{Kind: blockList, Items: items}
	if k := len(h.blocks); k > 0 && h.blocks[k-1].Kind == blockParagraph && strings.HasSuffix(h.blocks[k-1].Text, ":") {
		b.Text = h.blocks[k-1].Text
		h.blocks = h.blocks[:k-1]
	}
	h.blocks = append(h.blocks, b)
}

// table adds a table: its header is its <thead>'s row, or its first row
// when that row is all <th>, else the first row.
func (h *htmlReader) table(n *html.Node) {
	var rows [][]string
	var header []string
	var visit func(*html.Node)
	visit = func(m *html.Node) {
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.DataAtom == atom.Table: // a table in a cell is read as its text
			case c.DataAtom == atom.Tr:
				var cells []string
				allTH := true
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.DataAtom == atom.Td || td.DataAtom == atom.Th {
						cells = append(cells, cleanText(textOf(td)))
						allTH = allTH && td.DataAtom == atom.Th
					}
				}
				if len(cells) == 0 {
					continue
				}
				if header == nil && (allTH || m.DataAtom == atom.Thead) {
					header = cells
				} else {
					rows = append(rows, cells)
				}
			default:
				visit(c)
			}
		}
	}
	visit(n)
	if header == nil && len(rows) > 0 {
		header, rows = rows[0], rows[1:]
	}
	if len(rows) == 0 || layoutTable(header, rows) {
		// A header alone, or a table that only lays text out (a note
		// box: an icon and « Note » above the note): read as text.
		label := cleanText(strings.Join(header, " "))
		if len(rows) == 1 && label != "" && len(strings.Fields(label)) <= maxLabelWords {
			// « Attention » over its note: one paragraph, « Attention : … ».
			h.paragraph(label + " : " + strings.Join(rows[0], " "))
			return
		}
		for _, r := range append([][]string{header}, rows...) {
			h.paragraph(strings.Join(r, " "))
		}
		return
	}
	h.blocks = append(h.blocks, outBlock{Kind: blockTable, Header: header, Rows: rows})
}

// maxLabelWords is the longest label of a note box (« Note », « À
// savoir »).
const maxLabelWords = 3

// layoutTable reports whether a table lays text out rather than holding
// data: a single column, or rows with one filled cell each.
func layoutTable(header []string, rows [][]string) bool {
	if len(header) <= 1 {
		return true
	}
	for _, r := range rows {
		filled := 0
		for _, c := range r {
			if c != "" {
				filled++
			}
		}
		if filled > 1 {
			return false
		}
	}
	return true
}

// definitions reads a <dl>: a term that asks a question is an FAQ entry
// with its description as the answer; another is a paragraph « term :
// description ».
func (h *htmlReader) definitions(n *html.Node) {
	var term string
	var visit func(*html.Node)
	visit = func(m *html.Node) {
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			switch c.DataAtom {
			case atom.Dt:
				term = cleanText(textOf(c))
			case atom.Dd:
				desc := cleanText(textOf(c))
				switch {
				case term != "" && isQuestion(term):
					h.faq(term, desc)
				case term != "":
					h.paragraph(term + " : " + desc)
				default:
					h.paragraph(desc)
				}
				term = ""
			case atom.Div: // <dl><div><dt>…<dd>…</div></dl>
				visit(c)
			}
		}
	}
	visit(n)
}

// details reads <details>: its <summary> is the question, the rest the
// answer.
func (h *htmlReader) details(n *html.Node) {
	var question string
	var answer strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom == atom.Summary && question == "" {
			question = textOf(c)
			continue
		}
		if !skipped(c) {
			answer.WriteString(textOf(c))
			answer.WriteByte(' ')
		}
	}
	if cleanText(question) == "" {
		h.paragraph(answer.String())
		return
	}
	h.faq(question, answer.String())
}

// faqData adds the questions of the page's schema.org FAQPage data that
// its visible text did not already give.
func (h *htmlReader) faqData(root *html.Node) {
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.DataAtom == atom.Script && strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") {
			var data any
			if json.Unmarshal([]byte(textOf(n)), &data) == nil {
				h.jsonLD(data)
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(root)
}

// maxJSONLDDepth bounds how deep jsonLD looks for questions.
const maxJSONLDDepth = 8

// jsonLD adds every schema.org Question with an accepted answer found in
// data (a FAQPage's mainEntity, a @graph).
func (h *htmlReader) jsonLD(data any) {
	var visit func(v any, depth int)
	visit = func(v any, depth int) {
		if depth > maxJSONLDDepth {
			return
		}
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				visit(e, depth+1)
			}
		case map[string]any:
			if isType(v["@type"], "Question") {
				q, _ := v["name"].(string)
				if a, ok := v["acceptedAnswer"].(map[string]any); ok {
					text, _ := a["text"].(string)
					h.faq(q, htmlText(text))
				}
				return
			}
			for _, e := range v {
				visit(e, depth+1)
			}
		}
	}
	visit(data, 0)
}

// isType reports whether a JSON-LD @type (a string or a list) is t.
func isType(v any, t string) bool {
	switch v := v.(type) {
	case string:
		return v == t
	case []any:
		for _, e := range v {
			if s, _ := e.(string); s == t {
				return true
			}
		}
	}
	return false
}

// htmlText is the text of an HTML fragment (a JSON-LD answer may hold
// markup).
func htmlText(s string) string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, DataAtom: atom.Div, Data: "div"})
	if err != nil {
		return s
	}
	var b strings.Builder
	for _, n := range nodes {
		b.WriteString(textOf(n))
		b.WriteByte(' ')
	}
	return b.String()
}

// headingAnchors gives each heading of the page the id it can be linked
// to: its own, or that of the first anchor inside it that does not appear
// earlier in the page. An anchor written <a id="x"/>, as XHTML pages do,
// stays open for the parser, which clones it, id and all, into what
// follows: the next heading holds the clone of the last such anchor (a
// table's, a heading's) before its own.
func headingAnchors(root *html.Node) map[*html.Node]string {
	out := map[*html.Node]string{}
	seen := map[string]bool{}
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				id := attr(n, "id")
				if id == "" {
					find(n, func(m *html.Node) bool {
						for _, k := range []string{"id", "name"} {
							if v := attr(m, k); m.Type == html.ElementNode && v != "" && !seen[v] {
								id = v
								return true
							}
						}
						return false
					})
				}
				out[n] = id
			}
			for _, k := range []string{"id", "name"} {
				if v := attr(n, k); v != "" {
					seen[v] = true
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(root)
	return out
}

// textOf is the text n holds, skipped elements left out, with a space
// where a block or a line break stands.
func textOf(n *html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(m *html.Node) {
		switch {
		case m.Type == html.TextNode:
			b.WriteString(m.Data)
			return
		case m != n && skipped(m):
			return
		case m.DataAtom == atom.Br:
			b.WriteByte(' ')
			return
		}
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
		if m.Type == html.ElementNode && !inlineTags[m.DataAtom] {
			b.WriteByte(' ')
		}
	}
	if n.DataAtom == atom.Script || n.DataAtom == atom.Title {
		// Raw text elements: their one child is the text.
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(c.Data)
		}
		return b.String()
	}
	visit(n)
	return b.String()
}

// inlineTags run on within a line of text.
var inlineTags = map[atom.Atom]bool{atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true,
	atom.Cite: true, atom.Code: true, atom.Data: true, atom.Dfn: true, atom.Em: true, atom.I: true, atom.Kbd: true,
	atom.Mark: true, atom.Q: true, atom.S: true, atom.Samp: true, atom.Small: true, atom.Span: true,
	atom.Strong: true, atom.Sub: true, atom.Sup: true, atom.Time: true, atom.U: true, atom.Var: true,
	atom.Wbr: true, atom.Font: true, atom.Tt: true, atom.Ins: true, atom.Del: true}

// find is the first node under n (n included), in document order, for
// which ok holds; nil when none does.
func find(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if ok(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, ok); f != nil {
			return f
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}
