package crawl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// userAgent is what requests say, with where to learn about the crawler.
const userAgent = "Causette/1 (+https://github.com/causette/causette)"

const (
	// maxBodyBytes bounds one page or document: a manual in PDF weighs a few
	// Mio; more is a video or an archive, and would be held in memory.
	maxBodyBytes = 20 << 20
	// drainBytes is how much of an unwanted body is read so that the
	// connection serves again; a longer one is dropped.
	drainBytes = 64 << 10
	// maxRedirects is as many hops as Go's own client follows.
	maxRedirects = 10
)

// documentTypes are the media types kept, with the extension the index
// reads them by.
var documentTypes = map[string]string{
	"text/html":             ".html",
	"application/xhtml+xml": ".html",
	"application/pdf":       ".pdf",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
	"application/vnd.oasis.opendocument.text":                                 ".odt",
	"text/csv": ".csv",
}

// binaryExts are the documents kept when a server gives no precise type
// (application/octet-stream), by their extension.
var binaryExts = map[string]bool{".pdf": true, ".docx": true, ".odt": true, ".csv": true}

// response is one HTTP response, read.
type response struct {
	url      *url.URL
	status   int
	header   http.Header
	location string
	// kind is what a 200's body is: a document's extension (".html",
	// ".pdf"…), sitemapKind, or "" (not kept, body not read).
	kind string
	body []byte
}

// errFetched is fetch's answer for a redirect to a page this crawl already
// has.
var errFetched = errors.New("page déjà recopiée")

// outsideError is fetch's answer for a redirect out of scope.
type outsideError struct{ to string }

func (e *outsideError) Error() string { return "redirigée hors du périmètre vers " + e.to }

// fetch requests u, following the redirects to addresses allow accepts and
// robots.txt allows. mayBeSitemap lets an XML body be read as a sitemap.
func (c *crawler) fetch(ctx context.Context, u *url.URL, allow func(*url.URL) bool, mayBeSitemap bool) (*response, error) {
	want := "page"
	if mayBeSitemap {
		want = sitemapKind
	}
	for hop := 0; ; hop++ {
		r, err := c.request(ctx, u, want)
		if err != nil || !isRedirect(r.status) {
			return r, err
		}
		if hop == maxRedirects {
			return nil, fmt.Errorf("plus de %d redirections", maxRedirects)
		}
		next, err := u.Parse(r.location)
		if next = canonical(next); err != nil || next == nil || !allow(next) || !c.rulesFor(ctx, next).permits(next) {
			return nil, &outsideError{to: r.location}
		}
		if _, done := c.pages[next.String()]; done {
			return nil, errFetched
		}
		c.seen[next.String()] = true
		u = next
	}
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// request makes one request, after the pause the site asks for. want is
// "page", sitemapKind (a page or a sitemap) or "robots"; a page the
// previous crawl kept is asked for only if it changed.
func (c *crawler) request(ctx context.Context, u *url.URL, want string) (*response, error) {
	if err := c.wait(ctx, u); err != nil {
		return nil, err
	}
	defer func() { c.last = time.Now() }()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	if p, ok := c.old[u.String()]; ok && want != "robots" && c.exists(p.File) {
		if p.ETag != "" {
			req.Header.Set("If-None-Match", p.ETag)
		}
		if p.LastModified != "" {
			req.Header.Set("If-Modified-Since", p.LastModified)
		}
	}
	res, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	r := &response{url: u, status: res.StatusCode, header: res.Header, location: res.Header.Get("Location")}
	limit := int64(maxBodyBytes)
	switch {
	case want == "robots" && res.StatusCode == http.StatusOK:
		r.kind, limit = "robots", maxRobotsBytes
	case res.StatusCode == http.StatusOK:
		r.kind = kindOf(res.Header.Get("Content-Type"), u, want == sitemapKind)
	}
	if r.kind == "" {
		io.Copy(io.Discard, io.LimitReader(res.Body, drainBytes))
		return r, nil
	}
	r.body, err = io.ReadAll(io.LimitReader(res.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("lecture interrompue : %w", err)
	}
	if int64(len(r.body)) > limit {
		if r.kind == "robots" {
			r.body = r.body[:limit]
			return r, nil
		}
		return nil, fmt.Errorf("plus de %d Mio : trop grand pour le corpus", maxBodyBytes>>20)
	}
	return r, nil
}

// wait pauses until the delay since the last response has passed: the
// larger of Options.Delay and the site's Crawl-delay.
func (c *crawler) wait(ctx context.Context, u *url.URL) error {
	d := c.delay
	if r := c.robots[origin(u)]; r != nil {
		d = max(d, r.delay)
	}
	if c.last.IsZero() || d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(time.Until(c.last.Add(d)))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// exists reports whether the corpus folder holds the file name.
func (c *crawler) exists(name string) bool {
	_, err := c.root.Stat(name)
	return err == nil
}

// kindOf is what a body of this Content-Type, at u, is kept as: a
// document's extension, sitemapKind (when mayBeSitemap), or "".
func kindOf(contentType string, u *url.URL, mayBeSitemap bool) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	p := strings.ToLower(u.Path)
	if mayBeSitemap && (mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".xml.gz")) {
		return sitemapKind
	}
	if ext, ok := documentTypes[mt]; ok {
		return ext
	}
	if ext := path.Ext(p); (mt == "" || mt == "application/octet-stream") && binaryExts[ext] {
		return ext
	}
	return ""
}

// describe says in French what went wrong with a request.
func describe(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "pas de réponse à temps"
	case errors.Is(err, context.Canceled):
		return "interrompu"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}
