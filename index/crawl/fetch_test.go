package crawl

import (
	"bytes"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/causette/causette/index/crawl/crawltest"
)

// TestCrawlPageErrors checks that a page in error (500, timeout, too big)
// is reported and its copy kept, links included.
func TestCrawlPageErrors(t *testing.T) {
	dir := t.TempDir()
	crawltest.WriteFile(t, filepath.Join(dir, "s", "index.html"), `<a href="a.html">a</a> <a href="b.html">b</a> <a href="lent.html">lent</a> <a href="gros.html">gros</a>`)
	crawltest.WriteFile(t, filepath.Join(dir, "s", "a.html"), `<p>a</p>`)
	crawltest.WriteFile(t, filepath.Join(dir, "s", "b.html"), `<a href="b2.html">b2</a>`)
	crawltest.WriteFile(t, filepath.Join(dir, "s", "b2.html"), `<p>b2, liée par b seulement</p>`)
	crawltest.WriteFile(t, filepath.Join(dir, "s", "lent.html"), `<p>lent</p>`)
	var failing atomic.Bool
	site := crawltest.NewSite(t, dir, "", func(w http.ResponseWriter, r *http.Request) bool {
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
	r := crawlOnce(t, Options{Out: out, Start: []string{start}})
	want := []string{"a.html", "b.html", "b2.html", "index.html", "lent.html"}
	if got := crawltest.Files(t, out); !slices.Equal(got, want) || !strings.Contains(r.log, "gros.html : plus de 20 Mio") {
		t.Errorf("crawl kept %q, said on the log:\n%s\nwant %q and gros.html reported too big", got, r.log, want)
	}

	failing.Store(true)
	r = crawlOnce(t, Options{Out: out, Start: []string{start}, Timeout: 300 * time.Millisecond})
	if got := crawltest.Files(t, out); !slices.Equal(got, want) || len(r.Removed) != 0 {
		t.Errorf("crawl with b.html in error and lent.html too slow kept %q, reported %+v; want %q kept", got, *r.Report, want)
	}
	for _, msg := range []string{"b.html : réponse 500", "lent.html : pas de réponse à temps", "copie de b.html est gardée"} {
		if !strings.Contains(r.log, msg) {
			t.Errorf("crawl log lacks %q:\n%s", msg, r.log)
		}
	}
	if r.Failed != 3 {
		t.Errorf("crawl report %+v: %d failed; want 3 (en erreur)", *r.Report, r.Failed)
	}
	if _, ok := crawltest.Manifest(t, out)["b2.html"]; !ok {
		t.Errorf("manifest lost b2.html, linked from b.html's kept copy")
	}
}
