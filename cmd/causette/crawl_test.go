package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/causette/causette/index"
)

// debianReferenceDocs is where package debian-reference-fr puts its manual
// (a link to the folder shared by all languages).
const debianReferenceDocs = "/usr/share/doc/debian-reference-fr/docs"

// mustDebianReference copies the French Debian Reference, a real manual of
// 15 HTML pages and a PDF, into a folder of its own under a site root, and
// returns the root. Without the package the test is skipped, except on CI.
func mustDebianReference(t testing.TB) string {
	t.Helper()
	src, err := filepath.EvalSymlinks(debianReferenceDocs)
	if err == nil {
		_, err = os.Stat(filepath.Join(src, "index.fr.html"))
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("debian-reference-fr absent (%v) : apt-get install debian-reference-fr", err)
		}
		t.Skip("debian-reference-fr absent : apt-get install debian-reference-fr")
	}
	root := t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "docs"), os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	// Outside the start folder: never to be fetched.
	mustWrite(t, filepath.Join(root, "dehors.html"), `<a href="docs/index.fr.html">manuel</a>`)
	return root
}

// testSite serves a folder over 127.0.0.1 as a web server does: robots.txt,
// ETag and Last-Modified, and it counts the requests and the bodies sent.
type testSite struct {
	*httptest.Server
	dir    string
	robots string // served as /robots.txt; "" for a 404
	// route, when set, answers some requests itself (redirects, errors).
	route func(w http.ResponseWriter, r *http.Request) bool

	mu       sync.Mutex
	requests []string       // paths, in order
	bodies   map[string]int // 200 responses, by path
}

func newTestSite(t testing.TB, dir, robots string, route func(http.ResponseWriter, *http.Request) bool) *testSite {
	t.Helper()
	s := &testSite{dir: dir, robots: robots, route: route, bodies: map[string]int{}}
	s.Server = httptest.NewServer(s)
	t.Cleanup(s.Close)
	return s
}

func (s *testSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.URL.Path)
	s.mu.Unlock()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	switch {
	case s.route != nil && s.route(rec, r):
	case r.URL.Path == "/robots.txt" && s.robots != "":
		fmt.Fprint(rec, s.robots)
	default:
		file := filepath.Join(s.dir, filepath.FromSlash(path.Clean(r.URL.Path)))
		if st, err := os.Stat(file); err == nil && st.IsDir() {
			file = filepath.Join(file, "index.html")
		}
		if st, err := os.Stat(file); err == nil {
			rec.Header().Set("ETag", fmt.Sprintf(`"%x-%x"`, st.ModTime().UnixNano(), st.Size()))
		}
		switch path.Ext(r.URL.Path) {
		case ".csv":
			rec.Header().Set("Content-Type", "text/csv; charset=utf-8")
		case ".bin":
			rec.Header().Set("Content-Type", "application/octet-stream")
		}
		http.FileServer(http.Dir(s.dir)).ServeHTTP(rec, r)
	}
	if rec.status == http.StatusOK {
		s.mu.Lock()
		s.bodies[r.URL.Path]++
		s.mu.Unlock()
	}
}

// reset forgets the requests counted so far.
func (s *testSite) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.bodies = nil, map[string]int{}
}

// requested returns the paths requested, and the bodies sent by path,
// robots.txt aside.
func (s *testSite) requested() ([]string, map[string]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var paths []string
	bodies := map[string]int{}
	for _, p := range s.requests {
		if p != "/robots.txt" {
			paths = append(paths, p)
		}
	}
	for p, n := range s.bodies {
		if p != "/robots.txt" {
			bodies[p] = n
		}
	}
	return paths, bodies
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// crawlResult is what one `causette crawl` printed.
type crawlResult struct {
	stdout, stderr string
	err            error
	// added, changed, removed, unchanged are the summary's counts.
	added, changed, removed, unchanged int
}

var summaryLine = regexp.MustCompile(`(\d+) pages? ajoutées?, (\d+) modifiées?, (\d+) supprimées?, (\d+) inchangées?`)

// crawlOnce runs `causette crawl` with args, and reads its summary.
func crawlOnce(t testing.TB, args ...string) crawlResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := runCrawl(context.Background(), args, nil, &stdout, &stderr)
	r := crawlResult{stdout: stdout.String(), stderr: stderr.String(), err: err}
	m := summaryLine.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("crawl %q printed no summary:\n%s\nstderr:\n%s\nerr: %v", args, r.stdout, r.stderr, err)
	}
	n := make([]int, 4)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	r.added, r.changed, r.removed, r.unchanged = n[0], n[1], n[2], n[3]
	return r
}

// corpusFiles lists the files under dir, '/' separated, the manifest aside.
func corpusFiles(t testing.TB, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel != index.ManifestFile {
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}

// mustManifest reads dir's manifest: each file's URL.
func mustManifest(t testing.TB, dir string) map[string]index.Page {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, index.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m index.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", index.ManifestFile, err)
	}
	pages := map[string]index.Page{}
	for _, p := range m.Pages {
		if _, dup := pages[p.File]; dup {
			t.Errorf("manifest lists %s twice", p.File)
		}
		pages[p.File] = p
	}
	return pages
}

func mustWrite(t testing.TB, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCrawlManual crawls a real manual three times: all of it, then with
// one page touched, then with one page deleted.
func TestCrawlManual(t *testing.T) {
	root := mustDebianReference(t)
	site := newTestSite(t, root, "User-agent: *\nDisallow: /docs/ch12\n", nil)
	out := filepath.Join(t.TempDir(), "corpus")
	start := site.URL + "/docs/"

	var want []string // the HTML pages on disk, robots.txt aside
	entries, err := os.ReadDir(filepath.Join(root, "docs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".html") && !strings.HasPrefix(e.Name(), "ch12") {
			want = append(want, e.Name())
		}
	}

	began := time.Now()
	r := crawlOnce(t, start, "--out", out, "--delay", "0") // flags after the URL, as for ask
	if r.err != nil {
		t.Fatalf("crawl %s: %v\n%s", start, r.err, r.stderr)
	}
	files := corpusFiles(t, out)
	t.Logf("first crawl: %d files in %v (%s)", len(files), time.Since(began).Round(time.Millisecond), strings.TrimSpace(summaryLine.FindString(r.stdout)))
	var html []string
	for _, f := range files {
		if strings.HasSuffix(f, ".html") {
			html = append(html, f)
		}
	}
	if !slices.Equal(html, want) {
		t.Errorf("crawl %s kept the pages\n%q\nwant those on disk\n%q", start, html, want)
	}
	if !slices.Contains(files, "debian-reference.fr.pdf") {
		t.Errorf("crawl %s kept %q; want the manual's PDF too", start, files)
	}
	paths, _ := site.requested()
	for _, p := range paths {
		if !strings.HasPrefix(p, "/docs/") {
			t.Errorf("crawl %s requested %s, outside the start folder", start, p)
		}
		if strings.HasPrefix(p, "/docs/ch12") {
			t.Errorf("crawl %s requested %s, which robots.txt disallows", start, p)
		}
		if strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".png") {
			t.Errorf("crawl %s requested %s, never a document", start, p)
		}
	}
	if r.added != len(files) || r.changed+r.removed+r.unchanged != 0 {
		t.Errorf("first crawl said %q; want %d pages added, nothing else", summaryLine.FindString(r.stdout), len(files))
	}
	pages := mustManifest(t, out)
	for _, f := range files {
		p, ok := pages[f]
		wantURL := start + strings.TrimSuffix(f, "index.html")
		switch {
		case !ok:
			t.Errorf("manifest misses %s", f)
		case p.URL != wantURL:
			t.Errorf("manifest gives %s the URL %q; want %q", f, p.URL, wantURL)
		case p.ETag == "" || p.LastModified == "" || p.Fetched == "":
			t.Errorf("manifest entry %+v lacks a validator or the fetch time", p)
		}
	}
	if len(pages) != len(files) {
		t.Errorf("manifest lists %d files; want the %d in %s", len(pages), len(files), out)
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o755 {
		t.Errorf("corpus folder %s: %v, mode %v; want 0755", out, err, st.Mode().Perm())
	}
	if st, err := os.Stat(filepath.Join(out, "index.fr.html")); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("index.fr.html: %v, mode %v; want 0644", err, st.Mode().Perm())
	}

	// One page touched: only its body is sent again.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(root, "docs", "ch05.fr.html"), later, later); err != nil {
		t.Fatal(err)
	}
	site.reset()
	r = crawlOnce(t, "--out", out, "--delay", "0", start)
	if r.err != nil {
		t.Fatalf("second crawl: %v\n%s", r.err, r.stderr)
	}
	if _, bodies := site.requested(); len(bodies) != 1 || bodies["/docs/ch05.fr.html"] != 1 {
		t.Errorf("second crawl was sent the bodies %v; want only /docs/ch05.fr.html's (the others 304)", bodies)
	}
	if r.added != 0 || r.changed != 1 || r.removed != 0 || r.unchanged != len(files)-1 || !strings.Contains(r.stdout, "~ ch05.fr.html") {
		t.Errorf("second crawl said %q; want ch05.fr.html changed, %d unchanged", r.stdout, len(files)-1)
	}

	// One page deleted: it is removed from the corpus and the manifest.
	if err := os.Remove(filepath.Join(root, "docs", "ch11.fr.html")); err != nil {
		t.Fatal(err)
	}
	r = crawlOnce(t, start, "--out", out, "--delay", "0")
	if r.err != nil {
		t.Fatalf("third crawl: %v\n%s", r.err, r.stderr)
	}
	if r.removed != 1 || r.added+r.changed != 0 || !strings.Contains(r.stdout, "- ch11.fr.html") {
		t.Errorf("third crawl said %q; want ch11.fr.html removed", r.stdout)
	}
	if slices.Contains(corpusFiles(t, out), "ch11.fr.html") {
		t.Errorf("ch11.fr.html still in %s after it was deleted from the site", out)
	}
	if _, ok := mustManifest(t, out)["ch11.fr.html"]; ok {
		t.Errorf("manifest still lists ch11.fr.html after it was deleted from the site")
	}
}

// TestCrawlMaxPages checks that --max-pages bounds the requests, and that a
// crawl it cuts short removes nothing it did not reach.
func TestCrawlMaxPages(t *testing.T) {
	root := mustDebianReference(t)
	site := newTestSite(t, root, "", nil)
	out := t.TempDir()
	start := site.URL + "/docs/index.fr.html"
	r := crawlOnce(t, "--max-pages", "3", "--delay", "0", "--out", out, start)
	if r.err != nil {
		t.Fatalf("crawl --max-pages 3: %v\n%s", r.err, r.stderr)
	}
	paths, _ := site.requested()
	if files := corpusFiles(t, out); len(paths) > 3 || len(files) != 3 {
		t.Errorf("crawl --max-pages 3 requested %q and kept %q; want 3 of each", paths, files)
	}
	if !strings.Contains(r.stderr, "--max-pages 3") {
		t.Errorf("crawl --max-pages 3 said nothing of the limit on stderr:\n%s", r.stderr)
	}

	crawlOnce(t, "--delay", "0", "--out", out, start)
	all := corpusFiles(t, out)
	r = crawlOnce(t, "--max-pages", "3", "--delay", "0", "--out", out, start)
	if got := corpusFiles(t, out); r.removed != 0 || !slices.Equal(got, all) {
		t.Errorf("crawl --max-pages 3 over a full copy removed %d pages, left %d files; want the %d kept", r.removed, len(got), len(all))
	}
}

// TestCrawlBadStart checks that a start that is not a web address is a
// clear error, before anything is written.
func TestCrawlBadStart(t *testing.T) {
	for _, start := range []string{"ftp://ftp.debian.org/debian/", "pas une url", "www.exemple.fr/aide/", "http://", "mailto:aide@exemple.fr", "file:///etc/passwd"} {
		out := filepath.Join(t.TempDir(), "corpus")
		var stdout, stderr bytes.Buffer
		err := runCrawl(context.Background(), []string{"--out", out, start}, nil, &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), strconv.Quote(start)) || !strings.Contains(err.Error(), "http:// ou https://") {
			t.Errorf("crawl %q: error %v; want one naming it and asking for http:// ou https://", start, err)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("crawl %q created %s", start, out)
		}
	}
	var stdout, stderr bytes.Buffer
	if err := runCrawl(context.Background(), []string{"https://www.exemple.fr/"}, nil, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Errorf("crawl without --out: error %v; want one asking for --out", err)
	}
}

// TestCrawlLinks crawls a small hand-made site: links with ../, fragments,
// query strings, <base>, rel=next, redirects in and out of scope, robots
// meta, types kept and not.
func TestCrawlLinks(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"guide/index.html": `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Guide</title></head><body>
<a href="a.html#section">A</a> <a href="sub/b.html">B</a> <a href="../outside.html">dehors</a>
<a href="c.html?x=1&amp;y=2">C1</a> <a href="c.html?x=1&amp;y=2#f">C1 bis</a> <a href="c.html?x=2">C2</a>
<a href="vers-dehors">hors du périmètre</a> <a href="vers-a">vers A</a>
<a href="notice.pdf">PDF</a> <a href="logo.png">image</a> <a href="mailto:contact@exemple.fr">écrire</a>
<a href="javascript:void(0)">js</a> <a href="http://192.0.2.1/ailleurs.html">autre site</a>
<a href="sub/">sous-dossier</a> <a href="donn%C3%A9es.csv">CSV</a> <a href="fichier.bin">binaire</a>
<a href="%2e%2e/outside.html">encodé</a> <a href="/guide/./sub/../a.html">A encore</a>
<a href=" ">vide</a> <a href="#haut">haut</a> <a href="http://[::1">cassé</a> <a href="brouillon.html">brouillon</a>
<a href="HTTP://` + "HOST" + `/guide/a.html">A en capitales</a>`,
		"guide/a.html": `<html><head><link rel="stylesheet" href="theme"><link rel="next" href="suite.html"></head>
<body><h1 id="section">A</h1><a href="#section">ici</a></body></html>`,
		"guide/suite.html":     `<html><head><meta name="robots" content="nofollow"></head><body><a href="cache.html">caché</a></body></html>`,
		"guide/cache.html":     `<p>jamais demandée</p>`,
		"guide/brouillon.html": `<html><head><meta name="robots" content="noindex, follow"></head><body><a href="suite.html">suite</a></body></html>`,
		"guide/sub/b.html": `<html><head><base href="/guide/sub/"></head><body><a href="../a.html">A</a> <a href="../../outside.html">dehors</a>
<a href="/guide/sub/../c.html?x=2">C2</a> <a href="">moi</a> <a href="?">moi encore</a></body></html>`,
		"guide/sub/index.html": `<p>Sous-dossier</p>`,
		"guide/c.html":         `<p>C</p>`,
		"guide/notice.pdf":     "%PDF-1.4\n%%EOF\n",
		"guide/données.csv":    "question,réponse\nHoraires ?,9 h - 17 h\n",
		"guide/fichier.bin":    "\x00\x01",
		"guide/logo.png":       "\x89PNG",
		"guide/theme":          "body{}",
		"outside.html":         `<p>dehors</p>`,
		"ailleurs/x.html":      `<p>ailleurs</p>`,
	} {
		mustWrite(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	site := newTestSite(t, dir, "", func(w http.ResponseWriter, r *http.Request) bool {
		switch r.URL.Path {
		case "/guide/vers-dehors":
			http.Redirect(w, r, "/ailleurs/x.html", http.StatusFound)
		case "/guide/vers-a":
			http.Redirect(w, r, "a.html", http.StatusMovedPermanently)
		default:
			return false
		}
		return true
	})
	home := filepath.Join(dir, "guide", "index.html")
	data, _ := os.ReadFile(home)
	mustWrite(t, home, strings.ReplaceAll(string(data), "HOST", strings.ToUpper(strings.TrimPrefix(site.URL, "http://"))))
	out := t.TempDir()
	start := site.URL + "/guide/"
	r := crawlOnce(t, "--out", out, "--delay", "0", start)
	if r.err != nil {
		t.Fatalf("crawl %s: %v\n%s", start, r.err, r.stderr)
	}
	pages := mustManifest(t, out)
	byURL := map[string]string{}
	for f, p := range pages {
		byURL[strings.TrimPrefix(p.URL, start)] = f
	}
	for u, want := range map[string]string{
		"": "index.html", "a.html": "a.html", "suite.html": "suite.html", "sub/b.html": "sub/b.html",
		"sub/": "sub/index.html", "notice.pdf": "notice.pdf", "donn%C3%A9es.csv": "données.csv",
	} {
		if got := byURL[u]; got != want {
			t.Errorf("crawl kept %s%s as %q; want %q", start, u, got, want)
		}
	}
	c1, c2 := byURL["c.html?x=1&y=2"], byURL["c.html?x=2"]
	if query := regexp.MustCompile(`^c-[0-9a-f]{8}\.html$`); !query.MatchString(c1) || !query.MatchString(c2) || c1 == c2 {
		t.Errorf("crawl kept c.html?x=1&y=2 as %q and c.html?x=2 as %q; want two names c-HASH.html", c1, c2)
	}
	if files := corpusFiles(t, out); len(files) != 9 || len(pages) != 9 {
		t.Errorf("crawl kept %q (manifest: %d); want 9 files", files, len(pages))
	}
	paths, _ := site.requested()
	count := map[string]int{}
	for _, p := range paths {
		count[p]++
	}
	for _, p := range []string{"/outside.html", "/ailleurs/x.html", "/guide/cache.html", "/guide/theme", "/guide/logo.png"} {
		if count[p] > 0 {
			t.Errorf("crawl requested %s; want it left (out of scope, nofollow, stylesheet, image)", p)
		}
	}
	for _, p := range []string{"/guide/a.html", "/guide/c.html", "/guide/brouillon.html", "/guide/fichier.bin"} {
		if want := map[string]int{"/guide/c.html": 2}[p]; count[p] != max(want, 1) {
			t.Errorf("crawl requested %s %d times; want %d", p, count[p], max(want, 1))
		}
	}
	if !strings.Contains(r.stderr, "vers-dehors : redirigée hors du périmètre") {
		t.Errorf("crawl said nothing of the redirect out of scope:\n%s", r.stderr)
	}
}

// TestCrawlSitemap starts from a sitemap index: the pages it lists are
// fetched, linked or not, and one it no longer lists is removed.
func TestCrawlSitemap(t *testing.T) {
	dir := t.TempDir()
	pages := func(extra string) string {
		return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>HOST/aide/index.html</loc><image:image><image:loc>HOST/aide/photo.html</image:loc></image:image></url>
<url><loc> HOST/ailleurs.html </loc></url>` + extra + `
</urlset>`
	}
	site := newTestSite(t, dir, "", nil)
	host := site.URL
	write := func(extra string) {
		mustWrite(t, filepath.Join(dir, "aide", "pages.xml"), strings.ReplaceAll(pages(extra), "HOST", host))
	}
	write(`<url><loc>HOST/aide/orpheline.html</loc></url>`)
	mustWrite(t, filepath.Join(dir, "aide", "sitemap.xml"), strings.ReplaceAll(`<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>HOST/aide/pages.xml</loc></sitemap><sitemap><loc>http://192.0.2.1/sitemap.xml</loc></sitemap>
</sitemapindex>`, "HOST", host))
	mustWrite(t, filepath.Join(dir, "aide", "index.html"), `<a href="lien.html">lien</a>`)
	mustWrite(t, filepath.Join(dir, "aide", "lien.html"), `<p>lien</p>`)
	mustWrite(t, filepath.Join(dir, "aide", "orpheline.html"), `<p>orpheline</p>`)
	mustWrite(t, filepath.Join(dir, "aide", "photo.html"), `<p>photo</p>`)
	mustWrite(t, filepath.Join(dir, "ailleurs.html"), `<p>ailleurs</p>`)

	out := t.TempDir()
	start := host + "/aide/sitemap.xml"
	r := crawlOnce(t, "--out", out, "--delay", "0", start)
	if want := []string{"index.html", "lien.html", "orpheline.html"}; !slices.Equal(corpusFiles(t, out), want) || r.err != nil {
		t.Errorf("crawl %s kept %q (err %v); want %q\n%s", start, corpusFiles(t, out), r.err, want, r.stderr)
	}
	paths, _ := site.requested()
	if slices.Contains(paths, "/ailleurs.html") || slices.Contains(paths, "/aide/photo.html") {
		t.Errorf("crawl %s requested %q; want neither /ailleurs.html nor an image's page", start, paths)
	}

	write("")
	r = crawlOnce(t, "--out", out, "--delay", "0", start)
	if want := []string{"index.html", "lien.html"}; !slices.Equal(corpusFiles(t, out), want) || r.removed != 1 {
		t.Errorf("crawl with orpheline.html out of the sitemap kept %q, said %q; want %q, 1 removed", corpusFiles(t, out), r.stdout, want)
	}
}

// TestCrawlPageErrors checks that a page in error (500, timeout, too big)
// is reported and its copy kept, links included.
func TestCrawlPageErrors(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "s", "index.html"), `<a href="a.html">a</a> <a href="b.html">b</a> <a href="lent.html">lent</a> <a href="gros.html">gros</a>`)
	mustWrite(t, filepath.Join(dir, "s", "a.html"), `<p>a</p>`)
	mustWrite(t, filepath.Join(dir, "s", "b.html"), `<a href="b2.html">b2</a>`)
	mustWrite(t, filepath.Join(dir, "s", "b2.html"), `<p>b2, liée par b seulement</p>`)
	mustWrite(t, filepath.Join(dir, "s", "lent.html"), `<p>lent</p>`)
	var failing atomic.Bool
	site := newTestSite(t, dir, "", func(w http.ResponseWriter, r *http.Request) bool {
		switch {
		case r.URL.Path == "/s/gros.html":
			w.Header().Set("Content-Type", "text/html")
			chunk := bytes.Repeat([]byte("<p>trop long</p>\n"), 1<<16)
			for written := 0; written <= maxBodyBytes; written += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					break
				}
			}
		case failing.Load() && r.URL.Path == "/s/b.html":
			http.Error(w, "panne", http.StatusInternalServerError)
		case failing.Load() && r.URL.Path == "/s/lent.html":
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		default:
			return false
		}
		return true
	})
	out := t.TempDir()
	start := site.URL + "/s/"
	r := crawlOnce(t, "--out", out, "--delay", "0", start)
	want := []string{"a.html", "b.html", "b2.html", "index.html", "lent.html"}
	if got := corpusFiles(t, out); !slices.Equal(got, want) || !strings.Contains(r.stderr, "gros.html : plus de 20 Mio") {
		t.Errorf("crawl kept %q, said on stderr:\n%s\nwant %q and gros.html reported too big", got, r.stderr, want)
	}

	failing.Store(true)
	r = crawlOnce(t, "--out", out, "--delay", "0", "--timeout", "300ms", start)
	if got := corpusFiles(t, out); !slices.Equal(got, want) || r.removed != 0 {
		t.Errorf("crawl with b.html in error and lent.html too slow kept %q, said %q; want %q kept", got, r.stdout, want)
	}
	for _, msg := range []string{"b.html : réponse 500", "lent.html : pas de réponse à temps", "copie de b.html est gardée"} {
		if !strings.Contains(r.stderr, msg) {
			t.Errorf("crawl stderr lacks %q:\n%s", msg, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, "3 en erreur") {
		t.Errorf("crawl summary %q; want 3 en erreur", r.stdout)
	}
	if _, ok := mustManifest(t, out)["b2.html"]; !ok {
		t.Errorf("manifest lost b2.html, linked from b.html's kept copy")
	}
}

// TestCrawlDelay checks that a Crawl-delay longer than --delay spaces the
// requests.
func TestCrawlDelay(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "index.html"), `<a href="un.html">1</a> <a href="deux.html">2</a>`)
	mustWrite(t, filepath.Join(dir, "un.html"), `<p>1</p>`)
	mustWrite(t, filepath.Join(dir, "deux.html"), `<p>2</p>`)
	const delay = 100 * time.Millisecond
	site := newTestSite(t, dir, "User-agent: causette\nCrawl-delay: 0.1\n", nil)
	began := time.Now()
	r := crawlOnce(t, "--out", t.TempDir(), "--delay", "0", site.URL+"/")
	// robots.txt, then three pages: three pauses.
	if elapsed := time.Since(began); r.added != 3 || elapsed < 3*delay {
		t.Errorf("crawl with Crawl-delay %v added %d pages in %v; want 3 in %v or more", delay, r.added, elapsed, 3*delay)
	}
	if !strings.Contains(r.stderr, "demande 100ms entre deux requêtes") {
		t.Errorf("crawl said nothing of the Crawl-delay:\n%s", r.stderr)
	}
}

// TestCrawlFileNames checks the names pages are kept under: a mirror of
// the path, safe whatever the URL.
func TestCrawlFileNames(t *testing.T) {
	long := strings.Repeat("é", 300)
	c := &crawler{scopes: []scope{{origin: "http://h", dir: "/docs/"}}, files: map[string]string{"pris.html": "http://h/docs/autre"}, oldFiles: map[string]string{}, gone: map[string]bool{}}
	for _, tc := range []struct{ url, kind, want string }{
		{"http://h/docs/", ".html", "index.html"},
		{"http://h/docs/guide/", ".html", "guide/index.html"},
		{"http://h/docs/a.htm", ".html", "a.htm"},
		{"http://h/docs/page.php?id=3", ".html", "page.php-" + shortHash("id=3") + ".html"},
		{"http://h/docs/?page=2", ".html", "index-" + shortHash("page=2") + ".html"},
		{"http://h/docs/fiche", ".pdf", "fiche.pdf"},
		{"http://h/docs/notice.PDF", ".pdf", "notice.PDF"},
		{"http://h/docs/rapport.pdf", ".html", "rapport.pdf.html"},
		{"http://h/docs/.cache/x.html", ".html", "_.cache/x.html"},
		{"http://h/docs/a:b*c.html", ".html", "a_b_c.html"},
		{"http://h/docs/%2Fetc%2Fpasswd", ".html", "etc/passwd.html"},
		{"http://h/docs/a%00b.html", ".html", "a_b.html"},
		{"http://h/docs/pris.html", ".html", "pris-" + shortHash("http://h/docs/pris.html") + ".html"},
		{"http://h/docs/" + long + ".html", ".html", ""},
	} {
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		got := c.fileName(canonical(u), tc.kind)
		if tc.want != "" && got != tc.want {
			t.Errorf("fileName(%q, %s) = %q; want %q", tc.url, tc.kind, got, tc.want)
		}
		for _, part := range strings.Split(got, "/") {
			if len(part) > maxSegmentBytes || !utf8.ValidString(part) {
				t.Errorf("fileName(%q) = %q: part %q is %d bytes, valid UTF-8 %v", tc.url, got, part, len(part), utf8.ValidString(part))
			}
		}
		if !fs.ValidPath(got) || !filepath.IsLocal(got) || hidden(got) || !index.IsCorpusFile(got) {
			t.Errorf("fileName(%q) = %q: not a local, visible corpus file", tc.url, got)
		}
	}
	several := &crawler{hostNames: true, files: map[string]string{}, oldFiles: map[string]string{}, gone: map[string]bool{}}
	u, _ := url.Parse("http://exemple.fr:8080/aide/faq.html")
	if got, want := several.fileName(u, ".html"), "exemple.fr_8080/aide/faq.html"; got != want {
		t.Errorf("fileName(%s) with several sites = %q; want %q", u, got, want)
	}
}

// FuzzCrawlPageLinks checks that any page, however broken, yields bounded
// web links and no panic.
func FuzzCrawlPageLinks(f *testing.F) {
	f.Add([]byte(`<base href="/x/"><a href="a.html#f">a</a><link rel="next prev" href="../b"><meta name=robots content=none>`))
	f.Add([]byte(`<a href="http://[::1">`))
	f.Add([]byte("<a href=\"\x00\xff\">"))
	page, _ := url.Parse("http://h/docs/page.html")
	f.Fuzz(func(t *testing.T, body []byte) {
		links, _, _ := pageLinks(page, body)
		if len(links) > maxLinksPerPage {
			t.Fatalf("%d links; want at most %d", len(links), maxLinksPerPage)
		}
		for _, l := range links {
			if canonical(l) == nil || l.Fragment != "" {
				t.Fatalf("link %q is not a canonical web address", l)
			}
		}
	})
}
