package crawl

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html/charset"
)

// sitemapKind marks a response read as a sitemap, not kept as a page.
const sitemapKind = "sitemap"

const (
	// maxSitemaps bounds the sitemaps read, index files included.
	maxSitemaps = 100
	// maxSitemapURLs is the sitemap protocol's own limit for one file.
	maxSitemapURLs = 50_000
	// maxLocBytes bounds one <loc>: the protocol allows 2,048 characters.
	maxLocBytes = 4096
)

// readSitemap queues a sitemap's pages, and reads the sitemaps a sitemap
// index lists (on the same site).
func (c *crawler) readSitemap(ctx context.Context, r *response) {
	c.sitemaps++
	locs, isIndex, err := sitemapLocs(r.body)
	if err != nil {
		c.notef("%s : sitemap illisible (%v) ; %d adresses lues avant l'erreur", r.url, err, len(locs))
		c.incomplete = true
	}
	for _, loc := range locs {
		u, err := r.url.Parse(loc)
		if u = canonical(u); err != nil || u == nil {
			continue
		}
		if !isIndex {
			c.enqueue(u)
			continue
		}
		key := u.String()
		if origin(u) != origin(r.url) || c.seen[key] || !c.rulesFor(ctx, u).permits(u) {
			continue
		}
		if c.sitemaps >= maxSitemaps {
			c.notef("plus de %d sitemaps : %s et les suivants sont laissés", maxSitemaps, key)
			c.incomplete = true
			return
		}
		c.seen[key] = true
		sameSite := func(v *url.URL) bool { return origin(v) == origin(r.url) }
		sub, err := c.fetch(ctx, u, sameSite, true)
		if err == nil && (sub.status != http.StatusOK || sub.kind != sitemapKind) {
			err = fmt.Errorf("réponse %d %s, pas un sitemap", sub.status, http.StatusText(sub.status))
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			c.notef("%s : sitemap illisible : %s", key, describe(err))
			c.incomplete = true
			continue
		}
		c.readSitemap(ctx, sub)
	}
}

// sitemapLocs returns the <loc> of a sitemap (<urlset>) or of a sitemap
// index (<sitemapindex>), gzipped or not, and which of the two it is. On an
// error, the addresses read before it come with it.
func sitemapLocs(body []byte) (locs []string, isIndex bool, err error) {
	if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		if body, err = gunzip(body); err != nil {
			return nil, false, err
		}
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.CharsetReader = charset.NewReaderLabel
	var stack []string
	var loc strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return locs, isIndex, nil
		}
		if err != nil {
			return locs, isIndex, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				if t.Name.Local != "urlset" && t.Name.Local != "sitemapindex" {
					return nil, false, fmt.Errorf("<%s> au lieu de <urlset> ou <sitemapindex>", t.Name.Local)
				}
				isIndex = t.Name.Local == "sitemapindex"
			}
			stack = append(stack, t.Name.Local)
			loc.Reset()
		case xml.CharData:
			if loc.Len() < maxLocBytes {
				loc.Write(t)
			}
		case xml.EndElement:
			// A <loc> right under <url> or <sitemap>: not an image's <image:loc>.
			if n := len(stack); n == 3 && t.Name.Local == "loc" && (stack[1] == "url" || stack[1] == "sitemap") {
				locs = append(locs, strings.TrimSpace(loc.String()))
				if len(locs) == maxSitemapURLs {
					return locs, isIndex, nil
				}
			}
			stack = stack[:max(len(stack)-1, 0)]
		}
	}
}

// gunzip inflates a gzipped sitemap, up to maxBodyBytes.
func gunzip(data []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxBodyBytes+1))
	if err != nil {
		return nil, err
	}
	if len(out) > maxBodyBytes {
		return nil, fmt.Errorf("plus de %d Mio une fois décompressé", maxBodyBytes>>20)
	}
	return out, nil
}
