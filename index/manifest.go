package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
)

// ManifestFile is where `causette crawl` keeps, in the corpus folder it
// fills, the address of every page it fetched and what a second crawl asks
// the site again with. A hidden file: it is never read as a document. The
// index reads it for the pages' URLs (Page.URL), which citations link to.
const ManifestFile = ".causette-crawl.json"

// Manifest is the content of ManifestFile.
type Manifest struct {
	// Version is 1.
	Version int `json:"version"`
	// Start holds the URLs the crawl started from.
	Start []string `json:"start"`
	Pages []Page   `json:"pages"`
}

// Page is one fetched page.
type Page struct {
	// File is the page's path in the corpus folder, with / separators.
	File string `json:"file"`
	// URL is the address the page was fetched from (after redirects).
	URL string `json:"url"`
	// ETag and LastModified are the validators the server sent, for a
	// conditional request next time.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Fetched is when the page was last fetched or found unchanged
	// (RFC 3339).
	Fetched string `json:"fetched,omitempty"`
	// ContentType is the type the server sent with a web page: its
	// charset says how to read it, before the one the page declares, as a
	// browser reads it.
	ContentType string `json:"content_type,omitempty"`
}

// maxManifestBytes bounds the manifest read: 2,000 pages take well under
// a megabyte.
const maxManifestBytes = 16 << 20

// readManifest reads the corpus folder's manifest: the page of each file
// it lists (its URL only when http(s)); none when there is no manifest. A
// manifest that cannot be read is an error that names it.
func readManifest(fsys fs.FS) (map[string]Page, error) {
	f, err := fsys.Open(ManifestFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("corpus %s : %w", ManifestFile, err)
	}
	defer f.Close()
	var m Manifest
	dec := json.NewDecoder(&limitedReader{r: f, n: maxManifestBytes})
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("corpus %s : manifeste illisible : %w", ManifestFile, err)
	}
	pages := make(map[string]Page, len(m.Pages))
	for _, p := range m.Pages {
		if p.File == "" {
			continue
		}
		if !isWebURL(p.URL) {
			p.URL = ""
		}
		pages[p.File] = p
	}
	return pages, nil
}

// limitedReader fails past n bytes, where io.LimitReader would stop short
// and leave a truncated document to decode.
type limitedReader struct {
	r interface{ Read([]byte) (int, error) }
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, fmt.Errorf("plus de %d Mio", maxManifestBytes>>20)
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}
