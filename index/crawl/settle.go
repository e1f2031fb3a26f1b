package crawl

import (
	"cmp"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/causette/causette/index"
)

// settle records what fetching the page key found.
func (c *crawler) settle(key string, r *response, err error) {
	var outside *outsideError
	switch {
	case errors.Is(err, errFetched):
	case errors.As(err, &outside):
		c.notef("%s : redirigée hors du périmètre (%s), ignorée", key, outside.to)
		c.gone[key] = true
	case err != nil:
		c.failed(key, err)
	case r.status == http.StatusNotModified:
		c.unchanged(r)
	case r.status == http.StatusNotFound || r.status == http.StatusGone:
		c.gone[key], c.gone[r.url.String()] = true, true
	case r.status != http.StatusOK:
		c.failed(key, fmt.Errorf("réponse %d %s", r.status, http.StatusText(r.status)))
	case r.kind == "" || r.kind == sitemapKind:
		c.gone[key] = true
	default:
		c.keep(key, r)
	}
}

// keep saves a page fetched anew and follows its links.
func (c *crawler) keep(key string, r *response) {
	final := r.url.String()
	if _, done := c.pages[final]; done {
		return
	}
	if r.kind == ".html" {
		if noindex := c.follow(r.url, r.body); noindex {
			c.gone[key], c.gone[final] = true, true
			return
		}
	}
	name := c.fileName(r.url, r.kind)
	p := index.Page{File: name, URL: final, ETag: r.header.Get("ETag"), LastModified: r.header.Get("Last-Modified"), Fetched: now()}
	if r.kind == ".html" {
		p.ContentType = contentTypeOf(r.header.Get("Content-Type")) // its charset reads the page
	}
	old, had := c.old[final]
	if had && old.File == name && old.ETag == p.ETag && old.LastModified == p.LastModified && c.holds(name, r.body) {
		c.pages[final], c.files[name] = p, final
		c.rep.Unchanged++
		return
	}
	if err := writeAtomic(c.root, name, r.body); err != nil {
		c.failed(final, fmt.Errorf("écriture de %s : %w", name, err))
		return
	}
	c.pages[final], c.files[name] = p, final
	if had && old.File != name && c.files[old.File] == "" {
		c.remove(old.File)
	}
	if had {
		c.rep.Changed = append(c.rep.Changed, name)
	} else {
		c.rep.Added = append(c.rep.Added, name)
	}
}

// unchanged keeps a page the server says is unchanged (304), and follows
// the links of the copy kept.
func (c *crawler) unchanged(r *response) {
	key := r.url.String()
	if _, done := c.pages[key]; done {
		return
	}
	p, had := c.old[key]
	if !had {
		c.failed(key, errors.New("réponse 304 à une requête qui n'était pas conditionnelle"))
		return
	}
	p.ETag = cmp.Or(r.header.Get("ETag"), p.ETag)
	p.LastModified = cmp.Or(r.header.Get("Last-Modified"), p.LastModified)
	p.Fetched = now()
	if ct := contentTypeOf(r.header.Get("Content-Type")); ct != "" && strings.HasSuffix(p.File, ".html") {
		p.ContentType = ct
	}
	c.pages[key], c.files[p.File] = p, key
	c.rep.Unchanged++
	c.followSaved(p)
}

// failed reports a page that could not be fetched. A page the previous
// crawl kept is kept as it was, and its links still followed.
func (c *crawler) failed(key string, err error) {
	c.rep.Failed++
	old, had := c.old[key]
	if !had {
		c.notef("%s : %s ; page ignorée", key, describe(err))
		return
	}
	c.notef("%s : %s ; la copie de %s est gardée", key, describe(err), old.File)
	c.pages[key], c.files[old.File] = old, key
	c.followSaved(old)
}

// followSaved follows the links of a page's saved copy.
func (c *crawler) followSaved(p index.Page) {
	if ext := strings.ToLower(path.Ext(p.File)); ext != ".html" && ext != ".htm" {
		return
	}
	u, err := url.Parse(p.URL)
	if err != nil {
		return
	}
	data, err := readBounded(c.root, p.File)
	if err != nil {
		c.notef("%s : copie illisible (%v) : ses liens ne sont pas suivis", p.File, err)
		c.incomplete = true
		return
	}
	c.follow(u, data)
}

// follow queues the links of an HTML page, unless its robots meta says
// nofollow, and reports whether it says noindex.
func (c *crawler) follow(page *url.URL, body []byte) (noindex bool) {
	links, noindex, nofollow := pageLinks(page, body)
	if !nofollow {
		for _, l := range links {
			c.enqueue(l)
		}
	}
	return noindex
}

// now is the time a page is fetched, as the manifest keeps it.
func now() string { return time.Now().UTC().Format(time.RFC3339) }

// maxContentTypeBytes bounds the Content-Type kept in the manifest.
const maxContentTypeBytes = 200

// contentTypeOf is a Content-Type header as the manifest keeps it: "" when
// it is not one (or too long to be one).
func contentTypeOf(h string) string {
	if _, _, err := mime.ParseMediaType(h); err != nil || len(h) > maxContentTypeBytes {
		return ""
	}
	return h
}
