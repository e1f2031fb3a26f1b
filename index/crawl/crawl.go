package crawl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/causette/causette/index"
)

// Pacing and limits of a crawl; the defaults are those of Options' zero
// values where a zero would make no sense.
const (
	// DefaultMaxPages bounds a crawl: a FAQ or a manual holds hundreds of
	// pages; thousands is a whole site, better crawled in parts.
	DefaultMaxPages = 2000
	// DefaultDelay is the pause between two requests: one request every half
	// second is nothing to a site's server, and 2,000 pages take 17 minutes.
	DefaultDelay = 500 * time.Millisecond
	// DefaultTimeout bounds one request, body included: a page that takes
	// longer comes from a server in trouble, and the next crawl retries it.
	DefaultTimeout = 30 * time.Second
	// maxQueued bounds the addresses known, fetched or waiting (about 100
	// bytes each): far more than MaxPages ever needs.
	maxQueued = 100_000
)

// Options says what to crawl, where to keep it and how fast.
type Options struct {
	// Out is the corpus folder, created (0755) if needed.
	Out string
	// Start holds the start addresses: absolute http or https URLs of a
	// page or a sitemap. Each one's folder bounds what is followed.
	Start []string
	// MaxPages bounds the pages requested, robots.txt and sitemaps aside;
	// 0 or less means DefaultMaxPages. A crawl it cuts short removes
	// nothing.
	MaxPages int
	// Delay is the pause between two requests, longer if robots.txt asks
	// it (Crawl-delay); 0 means none.
	Delay time.Duration
	// Timeout bounds one request, body included; 0 or less means
	// DefaultTimeout.
	Timeout time.Duration
	// Progress, when set, is called after each page requested, and once
	// more, with Last set, when the fetching is over.
	Progress func(Progress)
	// Log, when set, receives the crawl's notes (pages in error, limits
	// reached, robots.txt's demands): French lines starting "crawl : ",
	// one Write each.
	Log io.Writer
}

// Progress reports a crawl's fetching: pages requested out of those known
// (at most MaxPages), and the time since it began.
type Progress struct {
	Done, Total int
	Elapsed     time.Duration
	// Last is set on the last report: the fetching is over; the pages
	// gone are then removed and the manifest written.
	Last bool
}

// Report is what a crawl did.
type Report struct {
	// Added, Changed and Removed hold file names under Options.Out, sorted.
	Added, Changed, Removed []string
	// Unchanged counts the pages found as they were, Failed those that
	// could not be fetched or written (a copy kept before is kept).
	Unchanged, Failed int
	// Elapsed is the crawl's duration, the manifest's writing aside.
	Elapsed time.Duration
}

// Run crawls o.Start into the folder o.Out, and writes its manifest. The
// report is nil when the crawl did not begin: a start address that is not
// an http or https URL (nothing is then written), a folder or a manifest
// that cannot be opened. Otherwise it comes with any error: an
// interruption (ctx), no start that could be read, a manifest that could
// not be written.
func Run(ctx context.Context, o Options) (*Report, error) {
	if len(o.Start) == 0 {
		return nil, errors.New("crawl : donnez au moins une adresse de départ, par exemple https://www.exemple.fr/aide/")
	}
	var starts []*url.URL
	for _, a := range o.Start {
		u, err := parseStart(a)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(starts, func(s *url.URL) bool { return *s == *u }) {
			starts = append(starts, u)
		}
	}
	c, err := newCrawler(o)
	if err != nil {
		return nil, err
	}
	defer c.root.Close()
	c.hostNames = severalSites(starts)
	err = c.crawl(ctx, starts)
	for _, files := range [][]string{c.rep.Added, c.rep.Changed, c.rep.Removed} {
		slices.Sort(files)
	}
	return &c.rep, err
}

// parseStart checks a start address: an absolute http or https URL.
func parseStart(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err == nil {
		u = canonical(u)
	}
	if u == nil {
		return nil, fmt.Errorf("crawl : %q n'est pas une adresse de départ : donnez une adresse web complète en http:// ou https://, par exemple https://www.exemple.fr/aide/", s)
	}
	return u, nil
}

// crawler holds one crawl's state. It makes one request at a time.
type crawler struct {
	root     *os.Root // the corpus folder: nothing is written outside it
	client   *http.Client
	log      io.Writer
	progress func(Progress)
	maxPages int
	delay    time.Duration
	timeout  time.Duration

	scopes    []scope
	hostNames bool                  // file names start with the host (see severalSites)
	robots    map[string]*siteRules // by origin
	old       map[string]index.Page // the previous crawl's pages, by URL
	oldFiles  map[string]string     // the previous crawl's files: the URL each held
	pages     map[string]index.Page // this crawl's pages, by URL
	files     map[string]string     // this crawl's files: the URL each holds
	gone      map[string]bool       // URLs reached and found gone: 404, 410, not a document
	seen      map[string]bool       // URLs queued or fetched
	queue     []*url.URL
	requests  int       // pages requested, robots.txt and sitemaps aside
	sitemaps  int       // sitemaps read
	last      time.Time // when the last response ended
	// incomplete is set when part of the site may not have been reached
	// (MaxPages, a start or a sitemap that failed, an interruption):
	// the pages not reached are then kept, not removed.
	incomplete bool
	overflowed bool // maxQueued was reached (and said)
	rep        Report
}

// newCrawler opens (creating it 0755 if needed) the corpus folder o.Out
// and reads the previous crawl's manifest there.
func newCrawler(o Options) (*crawler, error) {
	if o.Out == "" {
		return nil, errors.New("crawl : Options.Out vide : donnez le dossier à remplir")
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, fmt.Errorf("crawl : %w", err)
	}
	root, err := os.OpenRoot(o.Out)
	if err != nil {
		return nil, fmt.Errorf("crawl : %w", err)
	}
	c := &crawler{
		root:     root,
		log:      o.Log,
		progress: o.Progress,
		maxPages: o.MaxPages,
		delay:    o.Delay,
		timeout:  o.Timeout,
		// Redirects are followed by fetch, which checks each hop's scope.
		client:   &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		robots:   map[string]*siteRules{},
		old:      map[string]index.Page{},
		oldFiles: map[string]string{},
		pages:    map[string]index.Page{},
		files:    map[string]string{},
		gone:     map[string]bool{},
		seen:     map[string]bool{},
	}
	if c.log == nil {
		c.log = io.Discard
	}
	if c.progress == nil {
		c.progress = func(Progress) {}
	}
	if c.maxPages <= 0 {
		c.maxPages = DefaultMaxPages
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	m, err := readManifest(root)
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("crawl : %s : %w", filepath.Join(o.Out, index.ManifestFile), err)
	}
	for _, p := range m.Pages {
		u, err := url.Parse(p.URL)
		if err != nil || canonical(u) == nil || !fs.ValidPath(p.File) || hidden(p.File) || c.oldFiles[p.File] != "" {
			c.notef("%s : entrée %q (%s) ignorée : ni fichier ni adresse valables", index.ManifestFile, p.File, p.URL)
			continue
		}
		c.old[p.URL], c.oldFiles[p.File] = p, p.URL
	}
	return c, nil
}

// crawl fetches the site from the starts, then removes the pages gone and
// writes the manifest.
func (c *crawler) crawl(ctx context.Context, starts []*url.URL) error {
	began := time.Now()
	started := 0
	for _, u := range starts {
		if c.start(ctx, u) {
			started++
		}
	}
	for len(c.queue) > 0 && ctx.Err() == nil {
		if c.requests >= c.maxPages {
			c.notef("--max-pages %d atteint : %d adresses non visitées, les pages déjà recopiées sont gardées", c.maxPages, len(c.queue))
			c.incomplete = true
			break
		}
		u := c.queue[0]
		c.queue = c.queue[1:]
		c.visit(ctx, u)
		c.progress(Progress{Done: c.requests, Total: min(c.maxPages, c.requests+len(c.queue)), Elapsed: time.Since(began)})
	}
	c.progress(Progress{Done: c.requests, Total: min(c.maxPages, c.requests+len(c.queue)), Elapsed: time.Since(began), Last: true})
	if ctx.Err() != nil {
		c.incomplete = true
	}
	c.removeGone()
	c.rep.Elapsed = time.Since(began)
	if err := c.writeManifest(starts); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return fmt.Errorf("crawl interrompu : %w", ctx.Err())
	}
	if started == 0 {
		return errors.New("crawl : aucune adresse de départ n'a pu être lue (voir ci-dessus)")
	}
	return nil
}

// start fetches a start address, a page or a sitemap. The site's scope is
// the folder of where it leads (a start may redirect, on the same host).
func (c *crawler) start(ctx context.Context, u *url.URL) bool {
	key := u.String()
	c.seen[key] = true
	if !c.rulesFor(ctx, u).permits(u) {
		c.notef("%s : adresse de départ interdite par robots.txt ou site injoignable", key)
		c.incomplete = true
		return false
	}
	sameHost := func(v *url.URL) bool { return v.Hostname() == u.Hostname() }
	r, err := c.fetch(ctx, u, sameHost, true)
	if err == nil && r.status != http.StatusOK && r.status != http.StatusNotModified {
		err = fmt.Errorf("réponse %d %s", r.status, http.StatusText(r.status))
	}
	if err != nil {
		if ctx.Err() == nil {
			c.notef("%s : adresse de départ illisible : %s ; rien n'est supprimé", key, describe(err))
			c.rep.Failed++
		}
		c.incomplete = true
		return false
	}
	if sc := scopeOf(r.url); !slices.Contains(c.scopes, sc) {
		c.scopes = append(c.scopes, sc)
	}
	c.seen[r.url.String()] = true
	if r.kind == sitemapKind {
		c.readSitemap(ctx, r)
		return true
	}
	c.requests++
	c.settle(key, r, nil)
	c.robotsSitemaps(ctx, u)
	return true
}

// robotsSitemaps reads the sitemaps robots.txt lists for u's host, once a
// site: they lead to the pages no link reaches. Only their pages in scope
// are followed; one that cannot be read makes the crawl incomplete, so
// that nothing it would have listed is removed.
func (c *crawler) robotsSitemaps(ctx context.Context, u *url.URL) {
	rules := c.rulesFor(ctx, u)
	if rules == nil || rules.robots == nil {
		return
	}
	robotsURL := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	sameHost := func(v *url.URL) bool { return v.Hostname() == u.Hostname() }
	for _, loc := range rules.robots.Sitemaps {
		sm, err := robotsURL.Parse(strings.TrimSpace(loc))
		if sm = canonical(sm); err != nil || sm == nil || !sameHost(sm) || c.seen[sm.String()] {
			continue
		}
		c.seen[sm.String()] = true
		r, err := c.fetch(ctx, sm, sameHost, true)
		if err == nil && r.status == http.StatusOK && r.kind == sitemapKind {
			c.readSitemap(ctx, r)
			continue
		}
		if ctx.Err() == nil {
			c.notef("%s : plan du site listé par robots.txt illisible ; rien n'est supprimé", sm)
		}
		c.incomplete = true
	}
}

// visit fetches one page of the queue.
func (c *crawler) visit(ctx context.Context, u *url.URL) {
	key := u.String()
	if _, done := c.pages[key]; done || c.gone[key] {
		return
	}
	c.requests++
	r, err := c.fetch(ctx, u, c.inScope, false)
	if ctx.Err() == nil {
		c.settle(key, r, err)
	}
}

// enqueue queues u if it is in scope, new, not an image or an archive, and
// allowed by robots.txt.
func (c *crawler) enqueue(u *url.URL) {
	if !c.inScope(u) || assetExts[strings.ToLower(path.Ext(u.Path))] {
		return
	}
	key := u.String()
	if c.seen[key] {
		return
	}
	if len(c.seen) >= maxQueued {
		if !c.overflowed {
			c.notef("plus de %d adresses : les suivantes sont laissées", maxQueued)
		}
		c.incomplete, c.overflowed = true, true
		return
	}
	c.seen[key] = true
	if c.robots[origin(u)].permits(u) {
		c.queue = append(c.queue, u)
	}
}

// notef writes a note on the log, one line.
func (c *crawler) notef(format string, args ...any) {
	fmt.Fprintf(c.log, "crawl : "+format+"\n", args...)
}
