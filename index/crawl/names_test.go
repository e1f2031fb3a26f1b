package crawl

import (
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/causette/causette/index"
)

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
