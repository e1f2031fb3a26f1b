package crawl

import (
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/causette/causette/index/crawl/crawltest"
)

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
	site := crawltest.NewSite(t, dir, "", nil)
	host := site.URL
	write := func(extra string) {
		crawltest.WriteFile(t, filepath.Join(dir, "aide", "pages.xml"), strings.ReplaceAll(pages(extra), "HOST", host))
	}
	write(`<url><loc>HOST/aide/orpheline.html</loc></url>`)
	crawltest.WriteFile(t, filepath.Join(dir, "aide", "sitemap.xml"), strings.ReplaceAll(`<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>HOST/aide/pages.xml</loc></sitemap><sitemap><loc>http://192.0.2.1/sitemap.xml</loc></sitemap>
</sitemapindex>`, "HOST", host))
	crawltest.WriteFile(t, filepath.Join(dir, "aide", "index.html"), `<a href="lien.html">lien</a>`)
	crawltest.WriteFile(t, filepath.Join(dir, "aide", "lien.html"), `<p>lien</p>`)
	crawltest.WriteFile(t, filepath.Join(dir, "aide", "orpheline.html"), `<p>orpheline</p>`)
	crawltest.WriteFile(t, filepath.Join(dir, "aide", "photo.html"), `<p>photo</p>`)
	crawltest.WriteFile(t, filepath.Join(dir, "ailleurs.html"), `<p>ailleurs</p>`)

	out := t.TempDir()
	start := host + "/aide/sitemap.xml"
	r := crawlOnce(t, Options{Out: out, Start: []string{start}})
	if want := []string{"index.html", "lien.html", "orpheline.html"}; !slices.Equal(crawltest.Files(t, out), want) || r.err != nil {
		t.Errorf("crawl %s kept %q (err %v); want %q\n%s", start, crawltest.Files(t, out), r.err, want, r.log)
	}
	paths, _ := site.Requested()
	if slices.Contains(paths, "/ailleurs.html") || slices.Contains(paths, "/aide/photo.html") {
		t.Errorf("crawl %s requested %q; want neither /ailleurs.html nor an image's page", start, paths)
	}

	write("")
	r = crawlOnce(t, Options{Out: out, Start: []string{start}})
	if want := []string{"index.html", "lien.html"}; !slices.Equal(crawltest.Files(t, out), want) || len(r.Removed) != 1 {
		t.Errorf("crawl with orpheline.html out of the sitemap kept %q, reported %+v; want %q, 1 removed", crawltest.Files(t, out), *r.Report, want)
	}
}

// TestCrawlRobotsSitemap starts from a page: the sitemap robots.txt lists
// leads to a page no link reaches, and to none outside the start's folder.
func TestCrawlRobotsSitemap(t *testing.T) {
	dir := t.TempDir()
	var site *crawltest.Site
	site = crawltest.NewSite(t, dir, "", func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/robots.txt" {
			return false
		}
		fmt.Fprintf(w, "User-agent: *\nAllow: /\nSitemap: %s/plan.xml\n", site.URL)
		return true
	})
	crawltest.WriteFile(t, filepath.Join(dir, "aide", "index.html"), `<a href="lien.html">lien</a>`)
	crawltest.WriteFile(t, filepath.Join(dir, "aide", "lien.html"), `<p>lien</p>`)
	crawltest.WriteFile(t, filepath.Join(dir, "aide", "orpheline.html"), `<p>orpheline</p>`)
	crawltest.WriteFile(t, filepath.Join(dir, "ailleurs.html"), `<p>ailleurs</p>`)
	crawltest.WriteFile(t, filepath.Join(dir, "plan.xml"), strings.ReplaceAll(`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>HOST/aide/orpheline.html</loc></url><url><loc>HOST/ailleurs.html</loc></url>
</urlset>`, "HOST", site.URL))
	out := t.TempDir()
	r := crawlOnce(t, Options{Out: out, Start: []string{site.URL + "/aide/"}})
	if want := []string{"index.html", "lien.html", "orpheline.html"}; !slices.Equal(crawltest.Files(t, out), want) || r.err != nil {
		t.Errorf("kept %q (err %v); want %q\n%s", crawltest.Files(t, out), r.err, want, r.log)
	}
	if paths, _ := site.Requested(); slices.Contains(paths, "/ailleurs.html") {
		t.Errorf("requested %q; want nothing outside /aide/", paths)
	}
	// The manifest keeps the type each page was served with: its charset
	// reads a page that declares none.
	for file, p := range crawltest.Manifest(t, out) {
		if !strings.HasPrefix(p.ContentType, "text/html") {
			t.Errorf("%s: content type %q kept; want the server's text/html", file, p.ContentType)
		}
	}
}
