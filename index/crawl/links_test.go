package crawl

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/causette/causette/index/crawl/crawltest"
)

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
		crawltest.WriteFile(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	site := crawltest.NewSite(t, dir, "", func(w http.ResponseWriter, r *http.Request) bool {
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
	crawltest.WriteFile(t, home, strings.ReplaceAll(string(data), "HOST", strings.ToUpper(strings.TrimPrefix(site.URL, "http://"))))
	out := t.TempDir()
	start := site.URL + "/guide/"
	r := crawlOnce(t, Options{Out: out, Start: []string{start}})
	if r.err != nil {
		t.Fatalf("crawl %s: %v\n%s", start, r.err, r.log)
	}
	pages := crawltest.Manifest(t, out)
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
	if files := crawltest.Files(t, out); len(files) != 9 || len(pages) != 9 {
		t.Errorf("crawl kept %q (manifest: %d); want 9 files", files, len(pages))
	}
	paths, _ := site.Requested()
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
	if !strings.Contains(r.log, "vers-dehors : redirigée hors du périmètre") {
		t.Errorf("crawl said nothing of the redirect out of scope:\n%s", r.log)
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
