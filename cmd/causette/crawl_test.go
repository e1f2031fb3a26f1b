package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/causette/causette/index/crawl"
	"github.com/causette/causette/index/crawl/crawltest"
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
	crawltest.WriteFile(t, filepath.Join(root, "dehors.html"), `<a href="docs/index.fr.html">manuel</a>`)
	return root
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

// TestCrawlManual crawls a real manual three times: all of it, then with
// one page touched, then with one page deleted.
func TestCrawlManual(t *testing.T) {
	root := mustDebianReference(t)
	site := crawltest.NewSite(t, root, "User-agent: *\nDisallow: /docs/ch12\n", nil)
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
	files := crawltest.Files(t, out)
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
	paths, _ := site.Requested()
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
	pages := crawltest.Manifest(t, out)
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
	site.Reset()
	r = crawlOnce(t, "--out", out, "--delay", "0", start)
	if r.err != nil {
		t.Fatalf("second crawl: %v\n%s", r.err, r.stderr)
	}
	if _, bodies := site.Requested(); len(bodies) != 1 || bodies["/docs/ch05.fr.html"] != 1 {
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
	if slices.Contains(crawltest.Files(t, out), "ch11.fr.html") {
		t.Errorf("ch11.fr.html still in %s after it was deleted from the site", out)
	}
	if _, ok := crawltest.Manifest(t, out)["ch11.fr.html"]; ok {
		t.Errorf("manifest still lists ch11.fr.html after it was deleted from the site")
	}
}

// TestCrawlMaxPages checks that --max-pages bounds the requests, and that a
// crawl it cuts short removes nothing it did not reach.
func TestCrawlMaxPages(t *testing.T) {
	root := mustDebianReference(t)
	site := crawltest.NewSite(t, root, "", nil)
	out := t.TempDir()
	start := site.URL + "/docs/index.fr.html"
	r := crawlOnce(t, "--max-pages", "3", "--delay", "0", "--out", out, start)
	if r.err != nil {
		t.Fatalf("crawl --max-pages 3: %v\n%s", r.err, r.stderr)
	}
	paths, _ := site.Requested()
	if files := crawltest.Files(t, out); len(paths) > 3 || len(files) != 3 {
		t.Errorf("crawl --max-pages 3 requested %q and kept %q; want 3 of each", paths, files)
	}
	if !strings.Contains(r.stderr, "--max-pages 3") {
		t.Errorf("crawl --max-pages 3 said nothing of the limit on stderr:\n%s", r.stderr)
	}

	crawlOnce(t, "--delay", "0", "--out", out, start)
	all := crawltest.Files(t, out)
	r = crawlOnce(t, "--max-pages", "3", "--delay", "0", "--out", out, start)
	if got := crawltest.Files(t, out); r.removed != 0 || !slices.Equal(got, all) {
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

// TestCrawlReport checks the report printed: the files added (+), changed
// (~) and removed (-), then a summary in French that summaryLine reads.
func TestCrawlReport(t *testing.T) {
	for _, tc := range []struct {
		rep  crawl.Report
		want string
	}{
		{crawl.Report{}, "0 page ajoutée, 0 modifiée, 0 supprimée, 0 inchangée (0s).\n"},
		{crawl.Report{Added: []string{"a.html", "b/c.pdf"}, Changed: []string{"d.html"}, Removed: []string{"e.html"}, Unchanged: 2, Failed: 3, Elapsed: 1500 * time.Microsecond},
			"+ a.html\n+ b/c.pdf\n~ d.html\n- e.html\n2 pages ajoutées, 1 modifiée, 1 supprimée, 2 inchangées, 3 en erreur (2ms).\n"},
	} {
		var out bytes.Buffer
		printCrawlReport(&out, &tc.rep)
		if got := out.String(); got != tc.want || !summaryLine.MatchString(got) {
			t.Errorf("printCrawlReport(%+v) printed\n%q\nwant\n%q, which summaryLine reads", tc.rep, got, tc.want)
		}
	}
}
