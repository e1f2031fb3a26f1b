package index

import (
	"bytes"
	"math"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// unitKind says what a unit of text found on the pages is.
type unitKind int

const (
	unitParagraph unitKind = iota
	unitItem
	unitHeading
	unitFootnote
)

// pdfUnit is a paragraph, a list item, a heading or a footnote as the pages
// hold it, before its lines are joined: a paragraph cut by a page break is
// two units made one.
type pdfUnit struct {
	kind  unitKind
	level int
	lines []string
	size  float64
	// page, top and bottom place the unit: its last page, its first line's
	// top and its last line's bottom.
	page        int
	top, bottom float64
}

var (
	// bullet starts a list item: a bullet or a dash, « 1. », « 2) », « a) ».
	bullet = regexp.MustCompile(`^(?:[•◦▪▫■□●○‣⁃∙·*–—-]|\d{1,2}[.)]|[a-z][.)])\s+`)
	// bulletMark is the part of a bullet that an item does not keep (the
	// outline's list writes its own); numbers are kept.
	bulletMark = regexp.MustCompile(`^[•◦▪▫■□●○‣⁃∙·*–—-]\s+`)
	// footnoteMark starts a footnote: « 1. », « 2 », « * ».
	footnoteMark = regexp.MustCompile(`^(?:\d{1,3}[.)]?|[*†‡])\s`)
	// numbering is a heading's number, which the outline's titles may lack:
	// « 2.1 », « Chapitre 3 », « Annexe A. ».
	numbering = regexp.MustCompile(`^(?:(?:chapitre|partie|annexe|section|chapter|part|appendix)\s+)?(?:\d+(?:\.\d+)*|[a-z](?:\.\d+)*|[ivxlc]+)[.)]?\s*[-–—:.]?\s+`)
)

// units reads the pages' lines into units in reading order. A paragraph
// that a page or a column cuts goes on in the same unit; footnotes come
// after the paragraph or the list the page break cut.
func (a *pdfAnalysis) units() []*pdfUnit {
	var out, pending []*pdfUnit
	for _, p := range a.layout.pages {
		for _, group := range blockGroups(p.lines) {
			for _, u := range a.classify(p, group) {
				switch {
				case u.kind == unitFootnote:
					pending = append(pending, u)
				case len(out) > 0 && a.continues(out[len(out)-1], u):
					prev := out[len(out)-1]
					prev.lines = append(prev.lines, u.lines...)
					prev.page, prev.bottom = u.page, u.bottom
					a.counts.merged++
				default:
					if u.kind != unitItem {
						out = append(out, pending...)
						pending = nil
					}
					out = append(out, u)
				}
			}
		}
	}
	return append(out, pending...)
}

// blockGroups cuts a page's lines where pdftotext's blocks end, and where
// the footnotes start.
func blockGroups(lines []*pdfLine) [][]*pdfLine {
	var groups [][]*pdfLine
	for i, ln := range lines {
		if i == 0 || ln.block != lines[i-1].block || ln.footnote != lines[i-1].footnote {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], ln)
	}
	return groups
}

// classify makes units of a block's lines: a unit for each footnote; else
// headings where the type is large, the outline names the text or a short
// line is bold; else paragraphs and list items.
func (a *pdfAnalysis) classify(p *pdfPage, group []*pdfLine) []*pdfUnit {
	if group[0].footnote {
		var out []*pdfUnit
		for i, ln := range group {
			if i == 0 || footnoteMark.MatchString(ln.text) {
				out = append(out, newUnit(unitFootnote, p, ln))
				continue
			}
			out[len(out)-1].add(p, ln)
		}
		return out
	}
	var out []*pdfUnit
	for _, run := range sizeRuns(group, headingRatio*a.body) {
		if level, ok := a.heading(p, run); ok {
			u := newUnit(unitHeading, p, run[0])
			for _, ln := range run[1:] {
				u.add(p, ln)
			}
			u.level = level
			out = append(out, u)
			continue
		}
		var cur *pdfUnit
		for _, ln := range run {
			switch {
			case bullet.MatchString(ln.text):
				cur = newUnit(unitItem, p, ln)
				cur.lines[0] = bulletMark.ReplaceAllString(ln.text, "")
				out = append(out, cur)
			case cur == nil:
				cur = newUnit(unitParagraph, p, ln)
				out = append(out, cur)
			default:
				cur.add(p, ln)
			}
		}
	}
	return out
}

func newUnit(kind unitKind, p *pdfPage, ln *pdfLine) *pdfUnit {
	return &pdfUnit{kind: kind, lines: []string{ln.text}, size: ln.size, page: p.number, top: ln.top, bottom: ln.bottom}
}

// add puts ln at the end of u.
func (u *pdfUnit) add(p *pdfPage, ln *pdfLine) {
	u.lines = append(u.lines, ln.text)
	u.page, u.bottom = p.number, ln.bottom
}

// sizeRuns cuts a block where its type goes past large or back under it: a
// heading pdftotext put in one block with its first paragraph.
func sizeRuns(group []*pdfLine, large float64) [][]*pdfLine {
	var runs [][]*pdfLine
	for i, ln := range group {
		if i == 0 || (ln.size >= large) != (group[i-1].size >= large) {
			runs = append(runs, nil)
		}
		runs[len(runs)-1] = append(runs[len(runs)-1], ln)
	}
	return runs
}

// heading reports whether run, a part of a block, is a heading, and its
// level: a text the outline names on that page, a short text in type
// larger than the body's, or, in a PDF with no outline, a short line all
// in bold.
func (a *pdfAnalysis) heading(p *pdfPage, run []*pdfLine) (int, bool) {
	parts := make([]string, len(run))
	sizes := map[float64]int{}
	for i, ln := range run {
		parts[i] = ln.text
		sizes[ln.size] += utf8.RuneCountInString(ln.text)
	}
	text := cleanText(strings.Join(parts, " "))
	runes := utf8.RuneCountInString(text)
	if len(run) > maxHeadingLines || runes > maxPDFHeadingRunes || !strings.ContainsFunc(text, unicode.IsLetter) {
		return 0, false
	}
	if level, ok := a.bookmark(p.number, text); ok {
		a.counts.outlineHeadings++
		return level, true
	}
	if size := mostCommon(sizes); size >= headingRatio*a.body {
		a.counts.sizeHeadings++
		return a.levels[sizeBucket(size)], true
	}
	if a.style != nil && len(a.style.bookmarks) == 0 && len(run) == 1 && run[0].bold &&
		runes <= maxBoldHeadingRunes && !strings.ContainsAny(text[len(text)-1:], ".,;:") && !bulletMark.MatchString(text) {
		a.counts.boldHeadings++
		return min(len(a.levels)+1, 6), true
	}
	return 0, false
}

// bookmark finds the unused entry of the outline whose title is text, on
// the page or next to it (or on no page), and gives its level.
func (a *pdfAnalysis) bookmark(page int, text string) (int, bool) {
	key := headingKey(text)
	for _, near := range [][]*pdfBookmark{a.bookmarks[page], a.bookmarks[page-1], a.bookmarks[page+1], a.bookmarks[0]} {
		for _, b := range near {
			if !b.used && b.key == key {
				b.used = true
				return min(max(b.level, 1), 6), true
			}
		}
	}
	return 0, false
}

// headingKey is a heading as its outline entry and its text both read:
// lower case, typographic apostrophes made plain, without its number nor
// spaces (pdftotext puts one where the type changes: « paquet .docs »).
func headingKey(s string) string {
	s = strings.ToLower(cleanText(strings.ReplaceAll(s, "’", "'")))
	return strings.ReplaceAll(numbering.ReplaceAllString(s, ""), " ", "")
}

// continues reports whether next, found after prev, goes on with prev's
// sentence: a paragraph in the same type that starts in lower case or ends
// a word prev's last line cut, or that follows closely on the same page,
// when prev's last line ends no sentence.
func (a *pdfAnalysis) continues(prev, next *pdfUnit) bool {
	if next.kind != unitParagraph || (prev.kind != unitParagraph && prev.kind != unitItem) {
		return false
	}
	if math.Abs(next.size-prev.size) > 0.1*prev.size {
		return false
	}
	last, first := prev.lines[len(prev.lines)-1], next.lines[0]
	if endsSentence(last) {
		return false
	}
	if _, cut := lineHyphen(last, first); cut || startsLower(first) {
		return true
	}
	gap := next.top - prev.bottom
	return prev.kind == unitParagraph && prev.page == next.page && gap >= 0 && gap < paragraphGap*next.size
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// blocks makes the outline's blocks of the units: list items in lists, led
// in by the paragraph before when it ends with a colon.
func (a *pdfAnalysis) blocks(units []*pdfUnit) []outBlock {
	var out []outBlock
	prevKind := unitHeading
	for _, u := range units {
		text := a.joinLines(u.lines)
		switch u.kind {
		case unitHeading:
			out = append(out, outBlock{Kind: blockHeading, Level: u.level, Text: text})
		case unitParagraph, unitFootnote:
			out = append(out, outBlock{Kind: blockParagraph, Text: text})
		case unitItem:
			n := len(out)
			if n > 0 && prevKind == unitItem && out[n-1].Kind == blockList {
				out[n-1].Items = append(out[n-1].Items, text)
				break
			}
			list := outBlock{Kind: blockList, Items: []string{text}}
			if n > 0 && prevKind == unitParagraph && strings.HasSuffix(out[n-1].Text, ":") {
				list.Text = out[n-1].Text
				out = out[:n-1]
			}
			out = append(out, list)
		}
		prevKind = u.kind
	}
	return out
}

// joinLines joins a unit's lines with spaces, and the parts of a word cut
// at a line's end without the hyphen, unless it is a compound's.
func (a *pdfAnalysis) joinLines(lines []string) string {
	var b []byte
	for i, ln := range lines {
		ln = strings.TrimSpace(ln)
		if i == 0 {
			b = append(b, ln...)
			continue
		}
		last := string(b[bytes.LastIndexByte(b, ' ')+1:]) // the last word so far
		hyphen, cut := lineHyphen(last, ln)
		switch {
		case urlCut(last):
			// dblatex marks where it cut a link with a hyphen after « / ».
			b = b[:len(b)-1]
		case !cut:
			b = append(b, ' ')
		case a.keepHyphen(strings.TrimSuffix(last, hyphen), hyphen, ln):
			a.counts.hyphensKept++
		default:
			b = b[:len(b)-len(hyphen)]
			a.counts.hyphensJoined++
		}
		b = append(b, ln...)
	}
	return string(b)
}

// urlCut reports whether word is a link that a line's end cut after a
// slash or a dot, marked with a hyphen.
func urlCut(word string) bool {
	return strings.Contains(word, "://") && (strings.HasSuffix(word, "/-") || strings.HasSuffix(word, ".-"))
}

// lineHyphen reports whether line ends with a hyphen after a letter and
// next starts with a letter: a word cut at the line's end, or a compound;
// it gives the hyphen.
func lineHyphen(line, next string) (string, bool) {
	h, size := utf8.DecodeLastRuneInString(line)
	if h != '-' && h != '\u2010' && h != '\u00ad' {
		return "", false
	}
	before, _ := utf8.DecodeLastRuneInString(line[:len(line)-size])
	first, _ := utf8.DecodeRuneInString(next)
	return line[len(line)-size:], unicode.IsLetter(before) && unicode.IsLetter(first)
}

// compoundEnds are the words that end French compounds and are never the
// end of a word cut by a line's end (TeX leaves at least three letters).
var compoundEnds = map[string]bool{
	"être": true, "même": true, "mêmes": true, "ci": true, "là": true, "delà": true,
	"dessus": true, "dessous": true, "dedans": true, "dehors": true,
	"je": true, "tu": true, "il": true, "ils": true, "elle": true, "elles": true, "on": true,
	"nous": true, "vous": true, "le": true, "la": true, "les": true, "lui": true, "leur": true,
	"moi": true, "toi": true, "y": true, "en": true, "t": true, "clé": true, "clés": true,
}

// keepHyphen reports whether the hyphen between token, a line's last word,
// and next, the next line, is a compound's (« peut-être », « Jean-Pierre »,
// « apt-get ») rather than a word's cut (« docu-ment »): the document's
// own words tell first; a link, a path or an address is never cut with a
// hyphen of its own.
func (a *pdfAnalysis) keepHyphen(token, hyphen, next string) bool {
	if hyphen == "\u00ad" {
		return false
	}
	nextToken, _, _ := strings.Cut(next, " ")
	if strings.ContainsAny(token+nextToken, "/@_") {
		return true
	}
	if i := strings.LastIndexFunc(token, notWordRune); i >= 0 {
		_, size := utf8.DecodeRuneInString(token[i:])
		token = token[i+size:] // « l’ins » is « ins »
	}
	w1 := strings.ToLower(token)
	w2 := strings.ToLower(nextToken)
	if i := strings.IndexFunc(w2, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }); i >= 0 {
		w2 = w2[:i]
	}
	first, _ := utf8.DecodeRuneInString(nextToken)
	switch {
	case a.vocab[w1+w2]:
		return false
	case a.vocab[w1+"-"+w2], strings.ContainsRune(w1, '-'), a.heads[w1]:
		return true
	case unicode.IsUpper(first), compoundEnds[w2]:
		return true
	}
	return false
}
