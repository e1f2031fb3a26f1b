package crawl

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/causette/causette/index/crawl/crawltest"
)

// TestCrawlDelay checks that a Crawl-delay longer than Options.Delay
// spaces the requests.
func TestCrawlDelay(t *testing.T) {
	dir := t.TempDir()
	crawltest.WriteFile(t, filepath.Join(dir, "index.html"), `<a href="un.html">1</a> <a href="deux.html">2</a>`)
	crawltest.WriteFile(t, filepath.Join(dir, "un.html"), `<p>1</p>`)
	crawltest.WriteFile(t, filepath.Join(dir, "deux.html"), `<p>2</p>`)
	const delay = 100 * time.Millisecond
	site := crawltest.NewSite(t, dir, "User-agent: causette\nCrawl-delay: 0.1\n", nil)
	began := time.Now()
	r := crawlOnce(t, Options{Out: t.TempDir(), Start: []string{site.URL + "/"}})
	// robots.txt, then three pages: three pauses.
	if elapsed := time.Since(began); len(r.Added) != 3 || elapsed < 3*delay {
		t.Errorf("crawl with Crawl-delay %v added %d pages in %v; want 3 in %v or more", delay, len(r.Added), elapsed, 3*delay)
	}
	if !strings.Contains(r.log, "demande 100ms entre deux requêtes") {
		t.Errorf("crawl said nothing of the Crawl-delay:\n%s", r.log)
	}
}
