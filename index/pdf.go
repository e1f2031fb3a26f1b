package index

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// PDF files are read through Poppler's command-line tools (Debian's
// poppler-utils). Measured on the French maint-guide (64 pages, 0.4 MB),
// `pdftotext -bbox-layout` gives the text in reading order, in blocks,
// lines and words with their boxes, in 0.5 s; the pure-Go reader tried
// (ledongthuc/pdf) took 1.5 s and lost every space between words.
// `pdftohtml -xml` adds what the layout lacks: the document's outline and
// which text is bold. The layout is then read here: running headers and
// footers dropped, lines joined into paragraphs, headings and lists found,
// footnotes kept apart.

const (
	// pdfTimeout bounds the reading of one PDF by Poppler's tools: a book
	// of 265 pages takes two seconds; a minute means the file makes
	// Poppler loop.
	pdfTimeout = 60 * time.Second
	// maxLayoutBytes caps pdftotext's output: its layout runs about ten
	// bytes for each byte of a text-heavy PDF (3.5 MB for the 0.4 MB
	// maint-guide), so a PDF of MaxFileSize stays well under it.
	maxLayoutBytes = 160 << 20
	// maxStyleBytes caps pdftohtml's output, about twice the PDF's size.
	maxStyleBytes = 64 << 20
	// maxToolMessage is how much of a tool's standard error is kept: a
	// damaged file can make Poppler complain for megabytes.
	maxToolMessage = 4 << 10
	// maxInfoBytes caps pdfinfo's output: a page of metadata, unless its
	// title or its authors run long.
	maxInfoBytes = 64 << 10
	// pdfHeaderWindow is where the %PDF- header must be: readers accept
	// some bytes of junk before it, not more than 1 KiB.
	pdfHeaderWindow = 1024
)

// Thresholds of the layout analysis, measured on the maint-guide and on
// the PDFs the tests make.
const (
	// headingRatio is how much larger than the body's a line's type must
	// be to make a heading: inline code runs 1.1 times the body's height
	// there, the smallest headings 1.49 times.
	headingRatio = 1.15
	// footnoteRatio is how much smaller than the body's type a footnote's
	// is (0.80 in the maint-guide).
	footnoteRatio = 0.9
	// runningBand is the share of the page's height, at the top and at the
	// bottom, where running headers and footers sit.
	runningBand = 0.12
	// runningLines is how many lines at each edge of a page may be a
	// running header or footer (a title, a chapter, a page number).
	runningLines = 3
	// maxHeadingLines and maxPDFHeadingRunes bound a heading: longer is a
	// paragraph set large (a title page's list of authors).
	maxHeadingLines    = 3
	maxPDFHeadingRunes = 100
	// maxBoldHeadingRunes bounds a heading found by its bold type alone.
	maxBoldHeadingRunes = 80
	// paragraphGap is the gap between two blocks, in line heights, under
	// which a sentence that goes on is one paragraph (0.3 between lines,
	// 0.9 between paragraphs in the maint-guide).
	paragraphGap = 0.5
	// contentsLeaders is how many dot leaders make a page a table of
	// contents.
	contentsLeaders = 3
)

// readPDF reads a PDF's text with Poppler (pdftotext, and pdftohtml for the
// outline and the bold type when it is there). A file Poppler cannot open,
// an encrypted one and one with no text (a scan) are errors that say so.
func readPDF(name string, data []byte) (*outline, error) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return nil, fmt.Errorf("%s : lecture des PDF impossible : installez poppler-utils (pdftotext)", name)
	}
	if !bytes.Contains(data[:min(len(data), pdfHeaderWindow)], []byte("%PDF-")) {
		return nil, fmt.Errorf("%s : PDF illisible : ce n'est pas un fichier PDF", name)
	}
	dir, err := os.MkdirTemp("", "causette-pdf-")
	if err != nil {
		return nil, fmt.Errorf("%s : lecture du PDF impossible : %w", name, err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "document.pdf")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return nil, fmt.Errorf("%s : lecture du PDF impossible : %w", name, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), pdfTimeout)
	defer cancel()
	styles := make(chan *pdfStyle, 1)
	go func() { styles <- readStyle(ctx, dir, file) }()
	layout, msg, err := readLayout(ctx, dir, bin, file)
	if err != nil {
		timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded)
		cancel()
		<-styles
		switch {
		case timedOut:
			return nil, fmt.Errorf("%s : PDF illisible : pdftotext n'en est pas venu à bout en %d s", name, int(pdfTimeout.Seconds()))
		case strings.Contains(msg, "Incorrect password"):
			return nil, fmt.Errorf("%s : PDF chiffré : enregistrez-le sans mot de passe pour qu'il soit lu", name)
		case errors.Is(err, errToolOutput):
			return nil, fmt.Errorf("%s : PDF trop volumineux : plus de %d Mio de texte mis en page", name, maxLayoutBytes>>20)
		}
		return nil, fmt.Errorf("%s : PDF illisible : fichier endommagé ou tronqué (pdftotext : %s)", name, toolReason(msg, err))
	}
	o, _ := layout.outline(<-styles)
	if !hasText(o) {
		if pdfEncrypted(ctx, dir, file) {
			return nil, fmt.Errorf("%s : PDF chiffré : son texte ne peut pas être lu", name)
		}
		return nil, fmt.Errorf("%s : PDF sans texte (document numérisé ?) : il faudrait le passer à la reconnaissance de caractères", name)
	}
	return o, nil
}

// hasText reports whether o has a block of text, not only headings: a
// scan may hold nothing but a running line (« Numérisé par… »), dropped.
func hasText(o *outline) bool {
	for _, b := range o.Blocks {
		if b.Kind != blockHeading {
			return true
		}
	}
	return false
}

// errToolOutput is a Poppler tool's output past its cap.
var errToolOutput = errors.New("sortie trop longue")

// runTool runs a Poppler tool in dir and hands its standard output to parse
// as it comes, up to limit bytes; it returns the start of what the tool
// wrote on its standard error.
func runTool(ctx context.Context, dir, bin string, args []string, limit int64, parse func(io.Reader) error) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	msg := &toolMessage{}
	cmd.Stderr = msg
	cmd.WaitDelay = time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	capped := &cappedReader{r: out, left: limit}
	perr := parse(capped)
	if perr == nil {
		// What parse left unread, lest the tool block writing it.
		_, perr = io.Copy(io.Discard, capped)
	}
	if perr != nil {
		cmd.Process.Kill()
	}
	werr := cmd.Wait()
	if perr != nil {
		return string(msg.b), perr
	}
	return string(msg.b), werr
}

// toolMessage keeps the first maxToolMessage bytes written to it.
type toolMessage struct{ b []byte }

func (m *toolMessage) Write(p []byte) (int, error) {
	if room := maxToolMessage - len(m.b); room > 0 {
		m.b = append(m.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// cappedReader reads r until left bytes are read, then fails with
// errToolOutput.
type cappedReader struct {
	r    io.Reader
	left int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errToolOutput
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// toolReason is the first error a Poppler tool gave, or err.
func toolReason(msg string, err error) string {
	first := ""
	for _, line := range strings.Split(msg, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if first == "" {
			first = line
		}
		if strings.Contains(line, "Error") {
			first = line
			break
		}
	}
	if first == "" {
		return err.Error()
	}
	return strings.TrimPrefix(first, "Syntax Error: ")
}

// pdfEncrypted reports whether pdfinfo says file is encrypted.
func pdfEncrypted(ctx context.Context, dir, file string) bool {
	bin, err := exec.LookPath("pdfinfo")
	if err != nil {
		return false
	}
	var info []byte
	runTool(ctx, dir, bin, []string{file}, maxInfoBytes, func(r io.Reader) error {
		var err error
		info, err = io.ReadAll(r)
		return err
	})
	for _, line := range strings.Split(string(info), "\n") {
		if v, ok := strings.CutPrefix(line, "Encrypted:"); ok {
			return strings.HasPrefix(strings.TrimSpace(v), "yes")
		}
	}
	return false
}
