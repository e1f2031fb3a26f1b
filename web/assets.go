package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// The files the pages load (scripts, styles, icons), widget.js and the
// pages rendered once at start are assets: built once, each sent in the
// encoding the client prefers, with an ETag, and, for files, under a second
// name holding a hash of their content, which browsers may keep for a year.

const (
	// immutableCache is the Cache-Control of a file under its hashed name:
	// a new content has a new name, so a copy never needs asking again.
	immutableCache = "public, max-age=31536000, immutable"
	// privateImmutableCache is the same for the staff console's files,
	// served only with a session: browsers may keep them, shared caches not.
	privateImmutableCache = "private, max-age=31536000, immutable"
	// nameHashLen is how many hex digits of the content's SHA-256 a hashed
	// name holds: 32 bits tell one release's file from the next.
	nameHashLen = 8
	// etagHashLen is how many hex digits an ETag holds: 64 bits, so that
	// two versions a cache ever compares never share one.
	etagHashLen = 16
)

// contentTypes are the types of the files served, by extension: fixed here
// rather than read from the machine's MIME tables, which differ between
// systems.
var contentTypes = map[string]string{
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
	".html": "text/html; charset=utf-8",
}

// asset is one file or page served as it is: its bytes raw, gzip and
// brotli, compressed once, when Serve starts (warmAssets) or on first use,
// and never per request. Not at init: brotli at its best quality costs
// some 50 ms a file, which commands and tests that never serve them need
// not pay.
type asset struct {
	name   string // the plain name: "app.js"
	hashed string // the name with the content's hash: "app.3f9a1c2b.js"
	ctype  string
	raw    []byte
	tag    string // the ETag's hash part

	once     sync.Once
	encoded  []encoding // those that shrink the file, brotli first; set by once
	identity encoding
}

// encoding is one content coding of an asset and its body.
type encoding struct {
	coding string // "br", "gzip", "" for identity
	body   []byte
	etag   string // strong: each coding is its own representation
}

// newAsset returns the asset of body, named name (its extension gives its
// type).
func newAsset(name string, body []byte) *asset {
	ctype, ok := contentTypes[path.Ext(name)]
	if !ok {
		panic(fmt.Sprintf("web: asset %s: no content type for its extension", name))
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	ext := path.Ext(name)
	a := &asset{
		name:   name,
		hashed: strings.TrimSuffix(name, ext) + "." + hash[:nameHashLen] + ext,
		ctype:  ctype,
		raw:    body,
		tag:    hash[:etagHashLen],
	}
	a.identity = encoding{body: body, etag: `"` + a.tag + `"`}
	return a
}

// encodings returns the compressed codings of a that are smaller than it,
// brotli first, compressing them on the first call.
func (a *asset) encodings() []encoding {
	a.once.Do(func() {
		for _, coding := range []string{"br", "gzip"} {
			body := compress(coding, a.raw)
			if len(body) < len(a.raw) {
				a.encoded = append(a.encoded, encoding{coding, body, `"` + a.tag + "-" + coding + `"`})
			}
		}
	})
	return a.encoded
}

// compress returns b in coding ("br" or "gzip"), at the best compression.
func compress(coding string, b []byte) []byte {
	var out bytes.Buffer
	var zw interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch coding {
	case "br":
		zw = brotli.NewWriterLevel(&out, brotli.BestCompression)
	case "gzip":
		zw, _ = gzip.NewWriterLevel(&out, gzip.BestCompression) // the level is valid
	default:
		panic("web: no compressor for " + coding)
	}
	// Writes to a bytes.Buffer do not fail.
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

// pick returns the encoding of a to send for accept, a request's
// Accept-Encoding: of those a has, the one accepted with the highest q
// (brotli on a tie, it is smaller), else identity. Identity is sent even
// when the client refuses it: a readable body beats a 406.
func (a *asset) pick(accept string) encoding {
	best, bestQ := a.identity, 0.0
	for _, e := range a.encodings() {
		if q := acceptQ(accept, e.coding); q > bestQ {
			best, bestQ = e, q
		}
	}
	return best
}

// acceptQ returns the q-value accept (an Accept-Encoding value) gives
// coding, or the one it gives "*" when it does not name it: 0 when neither
// is named, or when the q-value does not parse.
func acceptQ(accept, coding string) float64 {
	star := 0.0
	for item := range strings.SplitSeq(accept, ",") {
		name, params, _ := strings.Cut(item, ";")
		name = strings.TrimSpace(name)
		named := strings.EqualFold(name, coding) || coding == "gzip" && strings.EqualFold(name, "x-gzip")
		if !named && name != "*" {
			continue
		}
		v := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, val, _ := strings.Cut(p, "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				v = f
			}
		}
		if named {
			return v
		}
		star = v
	}
	return star
}

// headers sets the headers of e as a's body: type, coding and Vary.
func (a *asset) headers(h http.Header, e encoding) {
	h.Set("Content-Type", a.ctype)
	if len(a.encodings()) > 0 {
		h.Set("Vary", "Accept-Encoding")
	}
	if e.coding != "" {
		h.Set("Content-Encoding", e.coding)
	}
}

// serve answers r with a, cache as its Cache-Control: in the coding r
// accepts, with its ETag; http.ServeContent answers If-None-Match (304),
// HEAD and ranges.
func (a *asset) serve(w http.ResponseWriter, r *http.Request, cache string) {
	e := a.pick(r.Header.Get("Accept-Encoding"))
	h := w.Header()
	a.headers(h, e)
	h.Set("Cache-Control", cache)
	h.Set("Etag", e.etag)
	// ServeContent leaves Content-Length to a handler that set
	// Content-Encoding (it sets its own for a range, drops it for a 304).
	h.Set("Content-Length", strconv.Itoa(len(e.body)))
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(e.body))
}

// write answers r with a and status, in the coding r accepts, with no
// condition checked: for pages that are not a 200, such as the 404 page.
func (a *asset) write(w http.ResponseWriter, r *http.Request, status int) {
	e := a.pick(r.Header.Get("Accept-Encoding"))
	h := w.Header()
	a.headers(h, e)
	h.Set("Content-Length", strconv.Itoa(len(e.body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(e.body)
	}
}

// warmAssets compresses every asset, one after another: Serve runs it
// aside when it starts, so that the first visitors find them ready (a
// request that comes sooner compresses its own asset, once).
func warmAssets() {
	for _, set := range []*assetSet{staticAssets, staffPublicAssets, staffConsoleAssets} {
		for _, a := range set.byName {
			a.encodings()
		}
	}
	for _, a := range []*asset{indexAsset, notFoundPage} {
		a.encodings()
	}
}

// assetSet is the files served under one path prefix, by plain name and by
// hashed name.
type assetSet struct {
	prefix string            // "/static/"
	byName map[string]*asset // plain names and hashed names
}

// mustAssets reads names from fsys at start into the set served under
// prefix; a missing file is a build bug.
func mustAssets(prefix string, fsys fs.FS, names ...string) *assetSet {
	s := &assetSet{prefix: prefix, byName: map[string]*asset{}}
	for _, name := range names {
		a := newAsset(name, mustRead(fsys, name))
		s.byName[a.name] = a
		s.byName[a.hashed] = a
	}
	return s
}

// get returns the asset of plain name name; an unknown name is a build bug.
func (s *assetSet) get(name string) *asset {
	a, ok := s.byName[name]
	if !ok || a.name != name {
		panic("web: no asset " + s.prefix + name)
	}
	return a
}

// url returns the address of the file name under its hashed name, for the
// pages' templates: {{static "app.js"}} is "/static/app.3f9a1c2b.js". An
// unknown name fails the template: a page would name a file never served.
func (s *assetSet) url(name string) (string, error) {
	a, ok := s.byName[name]
	if !ok || a.name != name {
		return "", fmt.Errorf("no asset %s%s", s.prefix, name)
	}
	return s.prefix + a.hashed, nil
}

// serve answers r with the file named file: under its hashed name with
// hashedCache, under its plain name with plainCache (pages cached before
// a release name it so). Any other name, a hash of another version
// included, gets notFound.
func (s *assetSet) serve(w http.ResponseWriter, r *http.Request, file, plainCache, hashedCache string, notFound http.HandlerFunc) {
	a, ok := s.byName[file]
	switch {
	case !ok:
		notFound(w, r)
	case file == a.hashed:
		a.serve(w, r, hashedCache)
	default:
		a.serve(w, r, plainCache)
	}
}
