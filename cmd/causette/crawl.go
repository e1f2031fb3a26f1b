package main

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/temoto/robotstxt"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/causette/causette/index"
)

// Pacing and limits of a crawl.
const (
	// defaultMaxPages bounds a crawl: a FAQ or a manual holds hundreds of
	// pages; thousands is a whole site, better crawled in parts.
	defaultMaxPages = 2000
	// defaultDelay is the pause between two requests: one request every half
	// second is nothing to a site's server, and 2,000 pages take 17 minutes.
	defaultDelay = 500 * time.Millisecond
	// maxCrawlDelay is the longest Crawl-delay honoured; a site asking more
	// is not crawled (2,000 pages a minute apart take a day and a half).
	maxCrawlDelay = time.Minute
	// requestTimeout bounds one request, body included: a page that takes
	// longer comes from a server in trouble, and the next crawl retries it.
	requestTimeout = 30 * time.Second
	// maxBodyBytes bounds one page or document: a manual in PDF weighs a few
	// Mio; more is a video or an archive, and would be held in memory.
	maxBodyBytes = 20 << 20
	// maxRobotsBytes is how much of robots.txt is read, as Google does.
	maxRobotsBytes = 500 << 10
	// drainBytes is how much of an unwanted body is read so that the
	// connection serves again; a longer one is dropped.
	drainBytes = 64 << 10
	// maxRedirects is as many hops as Go's own client follows.
	maxRedirects = 10
	// maxLinksPerPage bounds the links taken from one page: a site map page
	// holds a few thousand.
	maxLinksPerPage = 10_000
	// maxQueued bounds the addresses known, fetched or waiting (about 100
	// bytes each): far more than --max-pages ever needs.
	maxQueued = 100_000
	// maxSitemaps bounds the sitemaps read, index files included.
	maxSitemaps = 100
	// maxSitemapURLs is the sitemap protocol's own limit for one file.
	maxSitemapURLs = 50_000
	// maxLocBytes bounds one <loc>: the protocol allows 2,048 characters.
	maxLocBytes = 4096
	// maxSegmentBytes bounds one folder or file name written: file systems
	// allow 255 bytes; room is left for a hash and a temporary suffix.
	maxSegmentBytes = 120
	// maxNameBytes bounds a file's whole path under the corpus folder, well
	// under PATH_MAX once the folder's own path is added.
	maxNameBytes = 1024
	// maxCrawlManifestBytes bounds the manifest read, as the index does.
	maxCrawlManifestBytes = 16 << 20
	// hashChars is the length of the hashes put in names: 32 bits tell apart
	// the few variants of one page.
	hashChars = 8
)

// robotsAgent is the name robots.txt groups are matched against;
// userAgent is what requests say, with where to learn about the crawler.
const (
	robotsAgent = "Causette"
	userAgent   = "Causette/1 (+https://github.com/causette/causette)"
)

// sitemapKind marks a response read as a sitemap, not kept as a page.
const sitemapKind = "sitemap"

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

// assetExts are never requested: they are never a document the index reads.
var assetExts = map[string]bool{
	".css": true, ".js": true, ".mjs": true, ".json": true, ".png": true, ".jpg": true, ".jpeg": true,
	".gif": true, ".svg": true, ".webp": true, ".avif": true, ".ico": true, ".bmp": true, ".tif": true,
	".mp3": true, ".ogg": true, ".wav": true, ".mp4": true, ".webm": true, ".avi": true, ".mov": true,
	".woff": true, ".woff2": true, ".ttf": true, ".otf": true, ".eot": true,
	".zip": true, ".gz": true, ".tgz": true, ".bz2": true, ".xz": true, ".zst": true, ".7z": true,
	".tar": true, ".rar": true, ".deb": true, ".rpm": true, ".iso": true, ".exe": true, ".dmg": true,
	".msi": true, ".apk": true,
}

// runCrawl copies a site into a corpus folder: `causette crawl --out DIR
// URL...`. From each start page (or sitemap.xml) it follows the links that
// stay on the same site under the start's folder, as robots.txt allows, one
// request at a time; each page is kept as fetched, and DIR/.causette-crawl.json
// (index.ManifestFile) holds its URL and validators. Run again, it asks
// only for what changed (If-None-Match, If-Modified-Since), removes the
// pages gone, and says what it added, changed and removed.
//
// With `causette serve --corpus DIR` reloading the folder as it changes, a
// crawl on a schedule keeps the chatbot in step with the site. A cron line
// (every night at 3:17):
//
//	17 3 * * * causette crawl --out /srv/causette/corpus https://www.exemple.fr/aide/ >>/var/log/causette-crawl.log 2>&1
//
// or a systemd timer: causette-crawl.service holding
//
//	[Service]
//	Type=oneshot
//	ExecStart=/usr/local/bin/causette crawl --out /srv/causette/corpus https://www.exemple.fr/aide/
//
// and causette-crawl.timer holding
//
//	[Timer]
//	OnCalendar=*-*-* 03:17
//	RandomizedDelaySec=30m
//	Persistent=true
//	[Install]
//	WantedBy=timers.target
//
// enabled with `systemctl enable --now causette-crawl.timer`.
func runCrawl(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("crawl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "dossier du corpus à remplir (créé au besoin)")
	maxPages := fs.Int("max-pages", defaultMaxPages, "nombre maximal de pages demandées")
	delay := fs.Duration("delay", defaultDelay, "pause entre deux requêtes (plus longue si robots.txt le demande)")
	timeout := fs.Duration("timeout", requestTimeout, "durée maximale d'une requête")
	if err := fs.Parse(reorder(args)); err != nil {
		return err
	}
	switch {
	case *out == "":
		return errors.New("crawl : donnez le dossier à remplir : --out DIR")
	case fs.NArg() == 0:
		return errors.New("crawl : donnez au moins une adresse de départ, par exemple https://www.exemple.fr/aide/")
	case *maxPages < 1:
		return fmt.Errorf("crawl : --max-pages %d : il faut au moins une page", *maxPages)
	case *delay < 0 || *timeout <= 0:
		return errors.New("crawl : --delay et --timeout sont des durées positives (500ms, 30s)")
	}
	var starts []*url.URL
	for _, a := range fs.Args() {
		u, err := parseStart(a)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(starts, func(s *url.URL) bool { return *s == *u }) {
			starts = append(starts, u)
		}
	}
	c, err := newCrawler(*out, stderr)
	if err != nil {
		return err
	}
	defer c.root.Close()
	c.maxPages, c.delay, c.timeout = *maxPages, *delay, *timeout
	c.hostNames = severalSites(starts)
	err = c.crawl(ctx, starts)
	c.rep.print(stdout)
	return err
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

// severalSites reports whether the starts lie in different folders: the
// files are then named after the host and the whole path, so that two
// sites never write the same file.
func severalSites(starts []*url.URL) bool {
	for _, u := range starts[1:] {
		if scopeOf(u) != scopeOf(starts[0]) {
			return true
		}
	}
	return false
}

// crawler holds one crawl's state. It makes one request at a time.
type crawler struct {
	root     *os.Root // the corpus folder: nothing is written outside it
	client   *http.Client
	stderr   io.Writer
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
	// (--max-pages, a start or a sitemap that failed, an interruption):
	// the pages not reached are then kept, not removed.
	incomplete bool
	overflowed bool // maxQueued was reached (and said)
	bar        crawlBar
	rep        crawlReport
}

// newCrawler opens (creating it 0755 if needed) the corpus folder dir and
// reads the previous crawl's manifest there.
func newCrawler(dir string, stderr io.Writer) (*crawler, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("crawl : %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("crawl : %w", err)
	}
	c := &crawler{
		root:   root,
		stderr: stderr,
		// Redirects are followed by fetch, which checks each hop's scope.
		client:   &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		robots:   map[string]*siteRules{},
		old:      map[string]index.Page{},
		oldFiles: map[string]string{},
		pages:    map[string]index.Page{},
		files:    map[string]string{},
		gone:     map[string]bool{},
		seen:     map[string]bool{},
		bar:      crawlBar{out: stderr, tty: isTerminal(stderr)},
	}
	m, err := readCrawlManifest(root)
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("crawl : %s : %w", filepath.Join(dir, index.ManifestFile), err)
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

// readCrawlManifest reads the manifest in root; an empty one when there is
// none.
func readCrawlManifest(root *os.Root) (index.Manifest, error) {
	var m index.Manifest
	f, err := root.Open(index.ManifestFile)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCrawlManifestBytes+1))
	if err != nil {
		return m, err
	}
	if len(data) > maxCrawlManifestBytes {
		return m, fmt.Errorf("plus de %d Mio : supprimez-le pour tout recopier", maxCrawlManifestBytes>>20)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("manifeste illisible (%w) : supprimez-le pour tout recopier", err)
	}
	return m, nil
}

// crawl fetches the site from the starts, then removes the pages gone and
// writes the manifest.
func (c *crawler) crawl(ctx context.Context, starts []*url.URL) error {
	began := time.Now()
	c.bar.began = began
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
		c.bar.show(c.requests, min(c.maxPages, c.requests+len(c.queue)))
	}
	c.bar.done()
	if ctx.Err() != nil {
		c.incomplete = true
	}
	c.removeGone()
	c.rep.elapsed = time.Since(began)
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
			c.rep.failed++
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
	return true
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
	old, had := c.old[final]
	if had && old.File == name && old.ETag == p.ETag && old.LastModified == p.LastModified && c.holds(name, r.body) {
		c.pages[final], c.files[name] = p, final
		c.rep.unchanged++
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
		c.rep.changed = append(c.rep.changed, name)
	} else {
		c.rep.added = append(c.rep.added, name)
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
	c.pages[key], c.files[p.File] = p, key
	c.rep.unchanged++
	c.followSaved(p)
}

// failed reports a page that could not be fetched. A page the previous
// crawl kept is kept as it was, and its links still followed.
func (c *crawler) failed(key string, err error) {
	c.rep.failed++
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

// removeGone removes the previous crawl's pages that are gone: found gone,
// or not reached by a crawl that reached everything.
func (c *crawler) removeGone() {
	urls := make([]string, 0, len(c.old))
	for u := range c.old {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	for _, u := range urls {
		p := c.old[u]
		if _, kept := c.pages[u]; kept {
			continue
		}
		if c.incomplete && !c.gone[u] && c.files[p.File] == "" {
			c.pages[u], c.files[p.File] = p, u
			continue
		}
		if c.files[p.File] == "" {
			c.remove(p.File)
		}
		c.rep.removed = append(c.rep.removed, p.File)
	}
}

// writeManifest writes the pages kept, sorted by file.
func (c *crawler) writeManifest(starts []*url.URL) error {
	m := index.Manifest{Version: 1, Pages: make([]index.Page, 0, len(c.pages))}
	for _, u := range starts {
		m.Start = append(m.Start, u.String())
	}
	for _, p := range c.pages {
		m.Pages = append(m.Pages, p)
	}
	slices.SortFunc(m.Pages, func(a, b index.Page) int { return strings.Compare(a.File, b.File) })
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("crawl : %s : %w", index.ManifestFile, err)
	}
	if err := writeAtomic(c.root, index.ManifestFile, append(data, '\n')); err != nil {
		return fmt.Errorf("crawl : %s : %w", index.ManifestFile, err)
	}
	return nil
}

// holds reports whether the file name already holds data.
func (c *crawler) holds(name string, data []byte) bool {
	old, err := readBounded(c.root, name)
	return err == nil && bytes.Equal(old, data)
}

// remove deletes a file, and the folders it leaves empty.
func (c *crawler) remove(name string) {
	if err := c.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		c.notef("%s : %v", name, err)
		return
	}
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		if c.root.Remove(dir) != nil {
			break
		}
	}
}

// notef writes a line on stderr, below the progress bar.
func (c *crawler) notef(format string, args ...any) {
	c.bar.clear()
	fmt.Fprintf(c.stderr, "crawl : "+format+"\n", args...)
}

// scope is the part of a site a start covers: one origin, one folder.
type scope struct {
	origin string // scheme://host[:port]
	dir    string // a path ending in /
}

// scopeOf is the scope u starts: its origin and its folder.
func scopeOf(u *url.URL) scope {
	return scope{origin: origin(u), dir: u.Path[:strings.LastIndex(u.Path, "/")+1]}
}

func (s scope) contains(u *url.URL) bool {
	return origin(u) == s.origin && strings.HasPrefix(u.Path, s.dir)
}

// inScope reports whether u lies under one of the starts, with no dot
// segment left (an encoded "%2e%2e" could lead a server out of the folder).
func (c *crawler) inScope(u *url.URL) bool {
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	for _, s := range c.scopes {
		if s.contains(u) {
			return true
		}
	}
	return false
}

// origin is u's scheme and host.
func origin(u *url.URL) string {
	return u.Scheme + "://" + u.Host
}

// canonical returns u as the crawler keys it, or nil when it is not an
// absolute http(s) URL: no fragment, no dot segments, lower-case host,
// no default port, "/" for an empty path.
func canonical(u *url.URL) *url.URL {
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return nil
	}
	v := u.ResolveReference(u) // a copy, with the dot segments resolved
	v.Fragment, v.RawFragment, v.ForceQuery = "", "", false
	v.Host = strings.ToLower(v.Host)
	if p := v.Port(); (v.Scheme == "http" && p == "80") || (v.Scheme == "https" && p == "443") {
		v.Host = strings.TrimSuffix(v.Host, ":"+p)
	}
	if v.Hostname() == "" {
		return nil
	}
	if v.Path == "" {
		v.Path, v.RawPath = "/", ""
	}
	return v
}

// siteRules are one origin's robots.txt rules.
type siteRules struct {
	robots *robotstxt.RobotsData // nil: the site is not crawled
	delay  time.Duration         // its Crawl-delay
}

// permits reports whether robots.txt lets the crawler fetch u.
func (r *siteRules) permits(u *url.URL) bool {
	return r != nil && r.robots != nil && r.robots.TestAgent(u.RequestURI(), robotsAgent)
}

// rulesFor returns the robots.txt rules of u's origin, fetching them the
// first time. A robots.txt that cannot be read keeps the crawler off the
// site; a missing one (4xx) allows everything.
func (c *crawler) rulesFor(ctx context.Context, u *url.URL) *siteRules {
	o := origin(u)
	if r, ok := c.robots[o]; ok {
		return r
	}
	rules := &siteRules{}
	c.robots[o] = rules
	robotsURL := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	var r *response
	var err error
	for hop := 0; hop <= maxRedirects; hop++ {
		r, err = c.request(ctx, robotsURL, "robots")
		if err != nil || !isRedirect(r.status) {
			break
		}
		next, perr := robotsURL.Parse(r.location)
		if next = canonical(next); perr != nil || next == nil || next.Hostname() != u.Hostname() {
			err = fmt.Errorf("redirigé vers %q", r.location)
			break
		}
		robotsURL = next
	}
	if err == nil {
		rules.robots, err = robotstxt.FromStatusAndBytes(r.status, r.body)
	}
	if err != nil {
		if ctx.Err() == nil {
			c.notef("%s/robots.txt injoignable ou illisible (%s) : site laissé", o, describe(err))
		}
		rules.robots = nil
		return rules
	}
	rules.delay = rules.robots.FindGroup(robotsAgent).CrawlDelay
	switch {
	case rules.delay > maxCrawlDelay || rules.delay < 0: // < 0: too many seconds for a Duration
		c.notef("%s/robots.txt demande plus de %v entre deux requêtes : site laissé", o, maxCrawlDelay)
		rules.robots = nil
	case rules.delay > c.delay:
		c.notef("%s/robots.txt demande %v entre deux requêtes : accordé", o, rules.delay)
	}
	return rules
}

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
// larger of --delay and the site's Crawl-delay.
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

// pageLinks returns the links an HTML page asks to follow — <a href>,
// <area href>, <link rel=next> — resolved against its <base href> or its
// address, and what its robots meta says. Any bytes are read without
// panic; the links are bounded by maxLinksPerPage.
func pageLinks(page *url.URL, body []byte) (links []*url.URL, noindex, nofollow bool) {
	z := html.NewTokenizer(bytes.NewReader(body))
	base, sawBase := page, false
	for len(links) < maxLinksPerPage {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tag, more := z.TagName()
		var href, rel, name, content string
		for more {
			var k, v []byte
			k, v, more = z.TagAttr()
			switch string(k) {
			case "href":
				href = strings.TrimSpace(string(v))
			case "rel":
				rel = string(v)
			case "name":
				name = string(v)
			case "content":
				content = string(v)
			}
		}
		switch string(tag) {
		case "base":
			if b, err := page.Parse(href); err == nil && !sawBase && href != "" {
				base, sawBase = b, true
			}
		case "a", "area":
			links = appendLink(links, base, href)
		case "link":
			if slices.Contains(strings.Fields(strings.ToLower(rel)), "next") {
				links = appendLink(links, base, href)
			}
		case "meta":
			if strings.EqualFold(name, "robots") || strings.EqualFold(name, robotsAgent) {
				for _, d := range strings.Split(strings.ToLower(content), ",") {
					d = strings.TrimSpace(d)
					noindex = noindex || d == "noindex" || d == "none"
					nofollow = nofollow || d == "nofollow" || d == "none"
				}
			}
		}
	}
	return links, noindex, nofollow
}

// appendLink appends href, resolved against base, if it is a web address.
func appendLink(links []*url.URL, base *url.URL, href string) []*url.URL {
	if href == "" {
		return links
	}
	u, err := base.Parse(href)
	if err != nil {
		return links
	}
	if u = canonical(u); u != nil {
		links = append(links, u)
	}
	return links
}

// fileName is where page u, a document of kind (its extension), is kept
// under the corpus folder: its path under the start's folder (the host and
// the whole path with several sites), "index" for a folder, a hash of the
// query string, the extension the index reads it by; no dot segment, no
// hidden name, each name within maxSegmentBytes, and a name no other page
// of this crawl or the previous one holds.
func (c *crawler) fileName(u *url.URL, kind string) string {
	rel := u.Host + u.Path
	if !c.hostNames {
		rel = strings.TrimPrefix(u.Path, c.scopeFor(u).dir)
	}
	segs := strings.Split(rel, "/")
	var parts []string
	for _, s := range segs[:len(segs)-1] {
		if s != "" {
			parts = append(parts, safeName(s, ""))
		}
	}
	stem := cmp.Or(segs[len(segs)-1], "index")
	ext := path.Ext(stem)
	if e := strings.ToLower(ext); e == kind || (kind == ".html" && e == ".htm") {
		stem = strings.TrimSuffix(stem, ext)
	} else {
		ext = kind
	}
	if u.RawQuery != "" {
		stem += "-" + shortHash(u.RawQuery)
	}
	name := path.Join(append(parts, safeName(stem, ext))...)
	if len(name) > maxNameBytes {
		name = "_" + shortHash(u.String()) + ext
	}
	if owner := c.owner(name); owner != "" && owner != u.String() {
		name = strings.TrimSuffix(name, ext) + "-" + shortHash(u.String()) + ext
	}
	return name
}

// scopeFor is the narrowest scope holding u.
func (c *crawler) scopeFor(u *url.URL) scope {
	var best scope
	for _, s := range c.scopes {
		if s.contains(u) && len(s.dir) >= len(best.dir) {
			best = s
		}
	}
	return best
}

// owner is the URL that holds the file name: in this crawl, or in the
// previous one unless found gone.
func (c *crawler) owner(name string) string {
	if u := c.files[name]; u != "" {
		return u
	}
	if u := c.oldFiles[name]; u != "" && !c.gone[u] {
		return u
	}
	return ""
}

// safeName makes stem+ext a safe file or folder name: no separator, no
// control or reserved character, not hidden, not "." or "..", at most
// maxSegmentBytes (a long stem is cut and hashed).
func safeName(stem, ext string) string {
	clean := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, stem)
	if strings.HasPrefix(clean, ".") || clean == "" {
		clean = "_" + clean
	}
	if room := maxSegmentBytes - len(ext); len(clean) > room {
		cut := room - hashChars - 1
		for cut > 0 && !utf8.RuneStart(clean[cut]) {
			cut--
		}
		clean = clean[:cut] + "-" + shortHash(stem)
	}
	return clean + ext
}

// shortHash is a short hex digest of s, for names.
func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:hashChars]
}

// hidden reports whether a path has a hidden part, which the index skips.
func hidden(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

// writeAtomic writes data to name under root, 0644, through a temporary
// file renamed over it: a reader never sees half a page.
func writeAtomic(root *os.Root, name string, data []byte) error {
	dir := path.Dir(name)
	if dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp := path.Join(dir, ".causette-"+rand.Text()+".tmp")
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	err = errors.Join(err, f.Chmod(0o644), f.Close())
	if err == nil {
		err = root.Rename(tmp, name)
	}
	if err != nil {
		root.Remove(tmp)
	}
	return err
}

// readBounded reads a file under root, up to maxBodyBytes.
func readBounded(root *os.Root, name string) ([]byte, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxBodyBytes+1))
	if err == nil && len(data) > maxBodyBytes {
		err = fmt.Errorf("plus de %d Mio", maxBodyBytes>>20)
	}
	return data, err
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

func now() string { return time.Now().UTC().Format(time.RFC3339) }

// crawlReport is what a crawl did.
type crawlReport struct {
	added, changed, removed []string // files
	unchanged, failed       int
	elapsed                 time.Duration
}

// print lists the files added (+), changed (~) and removed (-), then
// sums them up in one line.
func (r *crawlReport) print(w io.Writer) {
	for _, l := range []struct {
		mark  string
		files []string
	}{{"+", r.added}, {"~", r.changed}, {"-", r.removed}} {
		slices.Sort(l.files)
		for _, f := range l.files {
			fmt.Fprintln(w, l.mark, f)
		}
	}
	fmt.Fprintf(w, "%d %s %s, %d %s, %d %s, %d %s",
		len(r.added), plural(len(r.added), "page"), plural(len(r.added), "ajoutée"),
		len(r.changed), plural(len(r.changed), "modifiée"),
		len(r.removed), plural(len(r.removed), "supprimée"),
		r.unchanged, plural(r.unchanged, "inchangée"))
	if r.failed > 0 {
		fmt.Fprintf(w, ", %d en erreur", r.failed)
	}
	fmt.Fprintf(w, " (%v).\n", r.elapsed.Round(time.Millisecond))
}

// plural is word, with an s from 2 on (French counts 0 and 1 singular).
func plural(n int, word string) string {
	if n >= 2 {
		return word + "s"
	}
	return word
}

// crawlBar draws a crawl's progress on one terminal line: pages requested
// out of those known, and the rate. Off a terminal it draws nothing.
type crawlBar struct {
	out         io.Writer
	tty         bool
	began, last time.Time
	drawn       bool
}

func (b *crawlBar) show(done, total int) {
	if !b.tty || (time.Since(b.last) < progressEvery && done < total) {
		return
	}
	b.last = time.Now()
	filled := min(progressWidth*done/max(total, 1), progressWidth)
	rate := float64(done) / max(time.Since(b.began).Seconds(), 1e-3)
	fmt.Fprintf(b.out, "\r%s%s %d/%d pages, %.1f pages/s   ",
		strings.Repeat("█", filled), strings.Repeat("·", progressWidth-filled), done, total, rate)
	b.drawn = true
}

// clear wipes the bar's line, for a message to take it.
func (b *crawlBar) clear() {
	if b.drawn {
		fmt.Fprint(b.out, "\r\x1b[K")
	}
}

// done ends the bar's line.
func (b *crawlBar) done() {
	if b.drawn {
		fmt.Fprintln(b.out)
		b.drawn = false
	}
}
