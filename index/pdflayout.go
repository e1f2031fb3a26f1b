package index

import (
	"math"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pdfCounts are what the layout analysis found, for the tests' measures.
type pdfCounts struct {
	running, contents, footnotes       int
	outlineHeadings, sizeHeadings      int
	boldHeadings                       int
	hyphensJoined, hyphensKept, merged int
}

// pdfAnalysis is the state of reading one layout into an outline.
type pdfAnalysis struct {
	layout *pdfLayout
	style  *pdfStyle
	body   float64 // the height of the body's type
	// levels are the heading levels of the type's heights (rounded).
	levels map[float64]int
	// bookmarks are the outline's entries by page.
	bookmarks map[int][]*pdfBookmark
	// vocab are the document's words, lower case; heads are the first
	// parts of its compounds (« apt » of « apt-get »).
	vocab, heads map[string]bool
	counts       pdfCounts
}

// outline reads l into an outline: running headers and footers and tables
// of contents dropped, headings found from the outline or the type, lines
// joined into paragraphs and list items, footnotes kept apart. style may be
// nil.
func (l *pdfLayout) outline(style *pdfStyle) (*outline, pdfCounts) {
	a := &pdfAnalysis{layout: l, style: style, bookmarks: map[int][]*pdfBookmark{}}
	if style != nil {
		for _, b := range style.bookmarks {
			a.bookmarks[b.page] = append(a.bookmarks[b.page], b)
		}
	}
	a.body = l.bodySize()
	a.dropRunning()
	for _, p := range l.pages {
		mergeRows(p)
	}
	a.dropContents()
	a.markFootnotes()
	a.markBold()
	a.readVocabulary()
	a.rankSizes()
	o := &outline{Blocks: a.blocks(a.units())}
	if usableTitle(l.title) {
		o.Title = l.title
	} else if len(o.Blocks) > 0 {
		for i, b := range o.Blocks {
			if b.Kind == blockHeading {
				o.Title = b.Text
				if i == 0 {
					o.Blocks = o.Blocks[1:]
				}
				break
			}
		}
	}
	return o, a.counts
}

// usableTitle reports whether a PDF's metadata title names the document,
// rather than the file it was made from or nothing.
func usableTitle(t string) bool {
	low := strings.ToLower(cleanText(t))
	switch {
	case low == "", low == "untitled", low == "sans titre", strings.HasPrefix(low, "microsoft word - "):
		return false
	}
	switch path.Ext(low) {
	case ".doc", ".docx", ".odt", ".pdf", ".tex", ".dvi", ".rtf", ".txt", ".indd":
		return false
	}
	return true
}

// bodySize is the height of the type most of the text is set in.
func (l *pdfLayout) bodySize() float64 {
	counts := map[float64]int{}
	for _, p := range l.pages {
		for _, ln := range p.lines {
			counts[ln.size] += utf8.RuneCountInString(ln.text)
		}
	}
	return mostCommon(counts)
}

// mergeRows makes one line of lines that pdftotext put in one-line blocks
// side by side (a heading's number and its title, a table's cells, a
// contents entry and its page number).
func mergeRows(p *pdfPage) {
	perBlock := map[int]int{}
	for _, ln := range p.lines {
		perBlock[ln.block]++
	}
	var out []*pdfLine
	for i, ln := range p.lines {
		if n := len(out); n > 0 {
			prev := out[n-1]
			height := max(prev.bottom-prev.top, ln.bottom-ln.top)
			// prev ends its block (p.lines[i-1] is prev or merged into it).
			if prev.block != ln.block && p.lines[i-1].block == prev.block && perBlock[ln.block] == 1 &&
				math.Abs(prev.top-ln.top) < 0.3*height && ln.left >= prev.right-1 {
				if utf8.RuneCountInString(ln.text) > utf8.RuneCountInString(prev.text) {
					prev.size = ln.size
				}
				prev.text += " " + ln.text
				prev.right, prev.bottom = ln.right, max(prev.bottom, ln.bottom)
				continue
			}
		}
		out = append(out, ln)
	}
	p.lines = out
}

// keep drops the lines marked drop from every page.
func (a *pdfAnalysis) keep() {
	for _, p := range a.layout.pages {
		out := p.lines[:0]
		for _, ln := range p.lines {
			if !ln.drop {
				out = append(out, ln)
			}
		}
		p.lines = out
	}
}

var (
	// pageNumber is a line that is only a page's number: « 12 », « iv »,
	// « 2 / 58 », « Page 3 sur 10 », « - 4 - ».
	pageNumber = regexp.MustCompile(`(?i)^(?:(?:page|p\.)\s*)?(?:\d+|[ivxlcdm]+)(?:\s*(?:/|sur|de|of)\s*\d+)?$|^[-–—]\s*\d+\s*[-–—]$`)
	// romanEdge is a roman number at a line's start or end.
	romanEdge = regexp.MustCompile(`(?i)^[ivxlcdm]{1,6}\b|\b[ivxlcdm]{1,6}$`)
	digits    = regexp.MustCompile(`\d+`)
)

// dropRunning drops the running headers and footers: the lines at the top
// or the bottom of pages whose text, numbers aside, comes back on several
// pages, and the lone page numbers there.
func (a *pdfAnalysis) dropRunning() {
	pages := a.layout.pages
	minRepeat := 3
	if len(pages) <= 4 {
		minRepeat = 2
	}
	type edgeLine struct {
		line *pdfLine
		key  string
	}
	var edges []edgeLine
	seen := map[string]map[int]bool{}
	for _, p := range pages {
		byTop := append([]*pdfLine(nil), p.lines...)
		sort.SliceStable(byTop, func(i, j int) bool { return byTop[i].top < byTop[j].top })
		add := func(ln *pdfLine, edge string) {
			key := edge + runningKey(ln.text)
			edges = append(edges, edgeLine{ln, key})
			if seen[key] == nil {
				seen[key] = map[int]bool{}
			}
			seen[key][p.number] = true
		}
		for i := 0; i < len(byTop) && i < runningLines; i++ {
			if byTop[i].top < runningBand*p.height {
				add(byTop[i], "top:")
			}
		}
		for i := len(byTop) - 1; i >= 0 && i >= len(byTop)-runningLines; i-- {
			if byTop[i].bottom > (1-runningBand)*p.height && byTop[i].top >= runningBand*p.height {
				add(byTop[i], "bottom:")
			}
		}
	}
	for _, e := range edges {
		if !e.line.drop && (len(seen[e.key]) >= minRepeat || pageNumber.MatchString(e.line.text)) {
			e.line.drop = true
			a.counts.running++
		}
	}
	a.keep()
}

// runningKey is a line's text as running headers repeat it: lower case,
// numbers made « # ».
func runningKey(text string) string {
	t := strings.ToLower(cleanText(text))
	t = digits.ReplaceAllString(t, "#")
	return romanEdge.ReplaceAllString(t, "#")
}

var (
	// leader is a table of contents' dot leader.
	leader = regexp.MustCompile(`(?:\.\s?){5,}|…{3,}`)
	// contentsEntry is a line of a table of contents, once its leader is
	// gone: one that ends with a page number or starts with a section's.
	contentsEntry = regexp.MustCompile(`(?:^|\s)(?:\d+|[ivxlcdm]+)$|^(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)\s`)
)

// dropContents drops the entries of tables of contents: on a page with
// dot leaders, the lines that have one, end with a page number or start
// with a section's.
func (a *pdfAnalysis) dropContents() {
	for _, p := range a.layout.pages {
		n := 0
		for _, ln := range p.lines {
			if leader.MatchString(ln.text) {
				n++
			}
		}
		if n < contentsLeaders {
			continue
		}
		for _, ln := range p.lines {
			if leader.MatchString(ln.text) || contentsEntry.MatchString(ln.text) {
				ln.drop = true
				a.counts.contents++
			}
		}
	}
	a.keep()
}

// markFootnotes marks the footnotes: the lines in smaller type that end a
// page, in its lower half, below text in the body's type.
func (a *pdfAnalysis) markFootnotes() {
	for _, p := range a.layout.pages {
		i := len(p.lines)
		for i > 0 {
			ln := p.lines[i-1]
			if ln.size >= footnoteRatio*a.body || ln.top < p.height/2 {
				break
			}
			i--
		}
		if i == 0 || i == len(p.lines) {
			continue
		}
		for _, ln := range p.lines[i:] {
			ln.footnote = true
			a.counts.footnotes++
		}
	}
}

// markBold marks the lines pdftohtml sets in bold type all along.
func (a *pdfAnalysis) markBold() {
	if a.style == nil {
		return
	}
	for _, p := range a.layout.pages {
		runs := a.style.runs[p.number]
		for _, ln := range p.lines {
			total, bold := 0, 0
			for _, r := range runs {
				mid := (r.top + r.bottom) / 2
				if mid >= ln.top-2 && mid <= ln.bottom+2 && r.left < ln.right && r.right > ln.left {
					total += r.runes
					bold += r.bold
				}
			}
			ln.bold = total > 0 && bold*10 >= total*9
		}
	}
}

// readVocabulary gathers the document's words and the first parts of its
// compounds, to tell a word cut at a line's end (« docu-ment ») from a
// compound (« peut-être »).
func (a *pdfAnalysis) readVocabulary() {
	a.vocab, a.heads = map[string]bool{}, map[string]bool{}
	for _, p := range a.layout.pages {
		for _, ln := range p.lines {
			words := strings.FieldsFunc(strings.ToLower(ln.text), notWordRune)
			for i, w := range words {
				if w = strings.Trim(w, "-"); w != "" {
					a.vocab[w] = true
				}
				// A line's last word is cut there, or a compound.
				if head, _, ok := strings.Cut(w, "-"); ok && head != "" && i < len(words)-1 {
					a.heads[head] = true
				}
			}
		}
	}
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' }

// rankSizes gives the heights of type larger than the body's their heading
// level, the largest 1.
func (a *pdfAnalysis) rankSizes() {
	sizes := map[float64]bool{}
	for _, p := range a.layout.pages {
		for _, ln := range p.lines {
			if ln.size >= headingRatio*a.body {
				sizes[sizeBucket(ln.size)] = true
			}
		}
	}
	ranked := make([]float64, 0, len(sizes))
	for s := range sizes {
		ranked = append(ranked, s)
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(ranked)))
	a.levels = map[float64]int{}
	for i, s := range ranked {
		a.levels[s] = min(i+1, 5)
	}
}

// sizeBucket rounds a type's height to half a point.
func sizeBucket(size float64) float64 { return math.Round(size*2) / 2 }
