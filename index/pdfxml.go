package index

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"math"
	"os/exec"
	"strconv"
	"strings"
	"unicode/utf8"
)

// pdfLayout is what pdftotext -bbox-layout says of a PDF: its title and its
// pages' lines in reading order.
type pdfLayout struct {
	title string
	pages []*pdfPage
}

// pdfPage is one page of a layout.
type pdfPage struct {
	number int
	height float64
	lines  []*pdfLine
}

// pdfLine is one line of a page: its box, the height of most of its type
// (size), its words joined by spaces, and the block pdftotext put it in.
type pdfLine struct {
	top, bottom, left, right float64
	size                     float64
	text                     string
	block                    int
	bold, footnote, drop     bool
}

// readLayout runs pdftotext -bbox-layout on file.
func readLayout(ctx context.Context, dir, bin, file string) (*pdfLayout, string, error) {
	var l *pdfLayout
	msg, err := runTool(ctx, dir, bin, []string{"-bbox-layout", "-enc", "UTF-8", file, "-"}, maxLayoutBytes, func(r io.Reader) error {
		var err error
		l, err = parseLayout(r)
		return err
	})
	return l, msg, err
}

// parseLayout reads pdftotext's XHTML layout.
func parseLayout(r io.Reader) (*pdfLayout, error) {
	d := newToolDecoder(r)
	l := &pdfLayout{}
	var (
		page        *pdfPage
		line        *pdfLine
		words       []string
		heights     map[float64]int
		word, title strings.Builder
		inWord      bool
		inTitle     bool
		wordHeight  float64
		block       int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "title":
				inTitle = true
			case "page":
				page = &pdfPage{number: len(l.pages) + 1, height: attrFloat(t, "height")}
				l.pages = append(l.pages, page)
			case "block":
				block++
			case "line":
				line = &pdfLine{top: attrFloat(t, "yMin"), bottom: attrFloat(t, "yMax"),
					left: attrFloat(t, "xMin"), right: attrFloat(t, "xMax"), block: block}
				words, heights = nil, map[float64]int{}
			case "word":
				inWord = true
				word.Reset()
				wordHeight = attrFloat(t, "yMax") - attrFloat(t, "yMin")
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "title":
				inTitle = false
			case "word":
				inWord = false
				if w := strings.TrimSpace(word.String()); w != "" && line != nil {
					words = append(words, w)
					heights[math.Round(wordHeight*10)/10] += utf8.RuneCountInString(w)
				}
			case "line":
				if line != nil && page != nil && len(words) > 0 {
					line.text = strings.Join(words, " ")
					line.size = mostCommon(heights)
					page.lines = append(page.lines, line)
				}
				line = nil
			}
		case xml.CharData:
			switch {
			case inWord:
				word.Write(t)
			case inTitle:
				title.Write(t)
			}
		}
	}
	l.title = cleanText(title.String())
	return l, nil
}

// newToolDecoder reads a Poppler tool's XML leniently: pdftohtml writes
// stray text between its elements.
func newToolDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	return d
}

func attrFloat(t xml.StartElement, name string) float64 {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			f, _ := strconv.ParseFloat(a.Value, 64)
			return f
		}
	}
	return 0
}

// mostCommon is the key of counts with the largest count (the largest key
// on a tie).
func mostCommon(counts map[float64]int) float64 {
	best, n := 0.0, -1
	for k, c := range counts {
		if c > n || (c == n && k > best) {
			best, n = k, c
		}
	}
	return best
}

// pdfStyle is what pdftohtml -xml says of a PDF that the layout does not:
// its outline (bookmarks), and its runs of text with whether they are bold,
// by page number.
type pdfStyle struct {
	bookmarks []*pdfBookmark
	runs      map[int][]pdfRun
}

// pdfBookmark is one entry of a PDF's outline: its title (and its
// headingKey), its level (1 for the outermost) and the page it leads to (0
// when pdftohtml does not say).
type pdfBookmark struct {
	title, key  string
	level, page int
	used        bool
}

// pdfRun is a run of text in one font, as pdftohtml places it (in points,
// with -zoom 1), with its count of runes and of bold ones.
type pdfRun struct {
	top, bottom, left, right float64
	runes, bold              int
}

// readStyle runs pdftohtml -xml on file; it is nil when pdftohtml is absent
// or fails: the text is read without the outline and the bold type then.
func readStyle(ctx context.Context, dir, file string) *pdfStyle {
	bin, err := exec.LookPath("pdftohtml")
	if err != nil {
		return nil
	}
	var s *pdfStyle
	_, err = runTool(ctx, dir, bin, []string{"-xml", "-i", "-q", "-zoom", "1", "-stdout", file}, maxStyleBytes, func(r io.Reader) error {
		var err error
		s, err = parseStyle(r)
		return err
	})
	if err != nil {
		return nil
	}
	return s
}

// parseStyle reads pdftohtml's XML.
func parseStyle(r io.Reader) (*pdfStyle, error) {
	d := newToolDecoder(r)
	s := &pdfStyle{runs: map[int][]pdfRun{}}
	var (
		page, depth, bold int
		run               *pdfRun
		item              *pdfBookmark
		title             strings.Builder
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "page":
				page = int(attrFloat(t, "number"))
			case "text":
				top, left := attrFloat(t, "top"), attrFloat(t, "left")
				run = &pdfRun{top: top, left: left, bottom: top + attrFloat(t, "height"), right: left + attrFloat(t, "width")}
			case "b":
				bold++
			case "outline":
				depth++
			case "item":
				item = &pdfBookmark{level: depth, page: int(attrFloat(t, "page"))}
				title.Reset()
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "text":
				if run != nil && run.runes > 0 {
					s.runs[page] = append(s.runs[page], *run)
				}
				run = nil
			case "b":
				bold = max(bold-1, 0)
			case "outline":
				depth = max(depth-1, 0)
			case "item":
				if item != nil {
					if item.title = cleanText(title.String()); item.title != "" {
						item.key = headingKey(item.title)
						s.bookmarks = append(s.bookmarks, item)
					}
				}
				item = nil
			}
		case xml.CharData:
			switch {
			case item != nil:
				title.Write(t)
			case run != nil:
				n := utf8.RuneCount(bytes.Join(bytes.Fields(t), nil))
				run.runes += n
				if bold > 0 {
					run.bold += n
				}
			}
		}
	}
	return s, nil
}
