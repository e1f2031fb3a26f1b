package index

import (
	"fmt"
	"net/url"
	"path"
	"strings"
)

// A reader reads the bytes of one file format into an outline. name is the
// file's path in the corpus folder; errors start with it and say, in
// French, what is wrong with the file.
type reader func(name string, data []byte) (*outline, error)

// readers are the structured formats, by extension (lower case). .txt and
// .md are read by Parse.
var readers = map[string]reader{
	".html": readHTML, ".htm": readHTML,
	".csv": readSheet, ".tsv": readSheet,
	".docx": readDOCX, ".odt": readODT,
	".pdf": readPDF,
}

// lexiconFiles keep their meaning as lexicons, not Q&A sheets.
var lexiconFiles = map[string]bool{SynonymsFile: true, GlossaryFile: true}

// IsCorpusFile reports whether a file name is read as a document: a .txt,
// .md, or a structured format's file (see readers), not hidden, and not one
// of the lexicons.
func IsCorpusFile(name string) bool {
	base := path.Base(name)
	if strings.HasPrefix(base, ".") || lexiconFiles[strings.ToLower(base)] {
		return false
	}
	ext := strings.ToLower(path.Ext(base))
	_, structured := readers[ext]
	return ext == ".txt" || ext == ".md" || structured
}

// parseDocument reads one corpus file's bytes as the document at, by its
// extension. A URL the document gives itself (a page's canonical link, a
// front matter's url:) wins over the one the folder gives it; a relative
// one is read against it.
func parseDocument(name string, at location, data []byte) (*Document, error) {
	read, ok := readers[strings.ToLower(path.Ext(name))]
	if !ok {
		doc, err := parseText(name, at.id, data)
		if err != nil {
			return nil, fmt.Errorf("corpus : %w", err)
		}
		doc.Located = at.url
		if doc.URL == "" {
			doc.URL = at.url
		}
		for i := range doc.Passages {
			doc.Passages[i].URL = doc.URL
		}
		return doc, nil
	}
	var o *outline
	var err error
	if ext := strings.ToLower(path.Ext(name)); (ext == ".html" || ext == ".htm") && at.contentType != "" {
		o, err = readHTMLAs(name, data, at.contentType) // the charset the server sent
	} else {
		o, err = read(name, data)
	}
	if err != nil {
		return nil, fmt.Errorf("corpus : %w", err)
	}
	o.URL = resolveURL(at.url, o.URL)
	doc, err := o.document(name, at.id)
	if err != nil {
		return nil, fmt.Errorf("corpus : %w", err)
	}
	doc.Located, doc.Served = at.url, at.contentType
	return doc, nil
}

// resolveURL is the document's own URL read against the folder's, the
// folder's when the document gives none; "" unless it is http(s).
func resolveURL(folder, own string) string {
	if own == "" {
		return folder
	}
	if isWebURL(own) {
		return own
	}
	base, err := url.Parse(folder)
	if folder == "" || err != nil {
		return folder
	}
	ref, err := url.Parse(own)
	if err != nil {
		return folder
	}
	if u := base.ResolveReference(ref).String(); isWebURL(u) {
		return u
	}
	return folder
}

// isWebURL reports whether s is an absolute http or https URL with a host:
// the only addresses a citation ever links to.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}
