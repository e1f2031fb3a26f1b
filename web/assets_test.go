package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// rawClient sends the Accept-Encoding it is given, or none, and leaves the
// body as sent: Go's transport otherwise asks for gzip and decodes it.
var rawClient = &http.Client{
	Transport:     &http.Transport{DisableCompression: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// fetch sends method url with the given Accept-Encoding ("" for none), the
// cookie c when not nil, and header's fields.
func fetch(tb testing.TB, method, url, accept string, c *http.Cookie, header ...string) (*http.Response, []byte) {
	tb.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	if c != nil {
		req.AddCookie(c)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := rawClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: reading body: %v", method, url, err)
	}
	return resp, body
}

// decode returns body decoded from coding ("" for identity).
func decode(coding string, body []byte) ([]byte, error) {
	switch coding {
	case "":
		return body, nil
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		return io.ReadAll(zr)
	case "br":
		return io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
	}
	return nil, fmt.Errorf("unknown coding %q", coding)
}

// servedAsset is an address that serves an asset, and the bytes it holds.
type servedAsset struct {
	path    string
	raw     []byte
	status  int  // 200, or 404 for the 404 page
	session bool // the staff console's: needs a session
}

// servedAssets lists every asset the fixture's server serves: each file
// under its plain and its hashed name, widget.js, and the pages rendered
// once (the console's page is rendered for each session: not an asset).
func servedAssets(tb testing.TB) []servedAsset {
	tb.Helper()
	var list []servedAsset
	sets := []struct {
		set     *assetSet
		session bool
	}{{staticAssets, false}, {staffPublicAssets, false}, {staffConsoleAssets, true}}
	for _, s := range sets {
		for name, a := range s.set.byName {
			if name == a.name { // each once, under both names
				list = append(list,
					servedAsset{s.set.prefix + a.name, a.raw, 200, s.session},
					servedAsset{s.set.prefix + a.hashed, a.raw, 200, s.session})
			}
		}
	}
	return append(list,
		servedAsset{"/widget.js", mustRead(staticFS, "widget.js"), 200, false},
		servedAsset{"/", indexPage, 200, false},
		servedAsset{"/nulle-part", notFoundPage.raw, 404, false},
		servedAsset{"/static/app.00000000.js", notFoundPage.raw, 404, false},
	)
}

// TestAssetEncodings checks that every asset comes in brotli or gzip when
// asked, decoding to exactly its bytes, and as it is otherwise.
func TestAssetEncodings(t *testing.T) {
	f := newStaffFixture(t, "")
	good := f.session(t)
	tests := []struct {
		accept, want string // want: the Content-Encoding
	}{
		{"", ""},
		{"gzip;q=0, br;q=0", ""},
		{"identity", ""},
		{"gzip", "gzip"},
		{"br", "br"},
		{"gzip, deflate, br, zstd", "br"}, // Chromium's
		{"br;q=0, gzip", "gzip"},
	}
	for _, a := range servedAssets(t) {
		var c *http.Cookie
		if a.session {
			c = good
		}
		for _, tt := range tests {
			resp, body := fetch(t, "GET", f.URL+a.path, tt.accept, c)
			if resp.StatusCode != a.status {
				t.Errorf("GET %s (Accept-Encoding %q): status %d; want %d", a.path, tt.accept, resp.StatusCode, a.status)
				continue
			}
			got := resp.Header.Get("Content-Encoding")
			if got != tt.want {
				t.Errorf("GET %s (Accept-Encoding %q): Content-Encoding %q; want %q", a.path, tt.accept, got, tt.want)
			}
			if v := resp.Header.Get("Vary"); v != "Accept-Encoding" {
				t.Errorf("GET %s (Accept-Encoding %q): Vary %q; want Accept-Encoding", a.path, tt.accept, v)
			}
			if n := resp.Header.Get("Content-Length"); n != strconv.Itoa(len(body)) {
				t.Errorf("GET %s (Accept-Encoding %q): Content-Length %s; want %d", a.path, tt.accept, n, len(body))
			}
			decoded, err := decode(got, body)
			if err != nil {
				t.Errorf("GET %s (Accept-Encoding %q): decoding %s: %v", a.path, tt.accept, got, err)
				continue
			}
			if !bytes.Equal(decoded, a.raw) {
				t.Errorf("GET %s (Accept-Encoding %q): %d bytes decode to %d; want the file's %d",
					a.path, tt.accept, len(body), len(decoded), len(a.raw))
			}
			if tt.want != "" && len(body) >= len(a.raw) {
				t.Errorf("GET %s (Accept-Encoding %q): %s body of %d bytes for %d raw; want it smaller",
					a.path, tt.accept, got, len(body), len(a.raw))
			}
		}
	}
}

// TestAssetETag checks that every asset has a strong ETag, one per coding,
// that If-None-Match with it gives 304 and no body, and that HEAD gives the
// headers alone.
func TestAssetETag(t *testing.T) {
	f := newStaffFixture(t, "")
	good := f.session(t)
	for _, a := range servedAssets(t) {
		if a.status != 200 {
			continue
		}
		var c *http.Cookie
		if a.session {
			c = good
		}
		tags := map[string]string{}
		for _, accept := range []string{"", "gzip", "br"} {
			resp, body := fetch(t, "GET", f.URL+a.path, accept, c)
			tag := resp.Header.Get("Etag")
			if !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) || len(tag) < 10 {
				t.Errorf("GET %s (Accept-Encoding %q): ETag %q; want a strong one", a.path, accept, tag)
				continue
			}
			if other, ok := tags[tag]; ok {
				t.Errorf("GET %s: ETag %s for Accept-Encoding %q and %q; want one per coding", a.path, tag, other, accept)
			}
			tags[tag] = accept
			resp, got := fetch(t, "GET", f.URL+a.path, accept, c, "If-None-Match", tag)
			if resp.StatusCode != http.StatusNotModified || len(got) != 0 {
				t.Errorf("GET %s (Accept-Encoding %q) If-None-Match %s: %d with %d bytes; want 304 and none",
					a.path, accept, tag, resp.StatusCode, len(got))
			}
			resp, got = fetch(t, "GET", f.URL+a.path, accept, c, "If-None-Match", `"autre"`)
			if resp.StatusCode != http.StatusOK || !bytes.Equal(got, body) {
				t.Errorf("GET %s (Accept-Encoding %q) If-None-Match of another version: %d; want 200 and the body",
					a.path, accept, resp.StatusCode)
			}
			resp, got = fetch(t, "HEAD", f.URL+a.path, accept, c)
			if resp.StatusCode != http.StatusOK || len(got) != 0 || resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
				t.Errorf("HEAD %s (Accept-Encoding %q): %d, %d bytes, Content-Length %s; want 200, none, %d",
					a.path, accept, resp.StatusCode, len(got), resp.Header.Get("Content-Length"), len(body))
			}
		}
	}
}

// TestAssetCaching checks each address's Cache-Control: a year under a
// hashed name, revalidation under a plain one, a few minutes for
// widget.js, and the French 404 page for the hash of another version.
func TestAssetCaching(t *testing.T) {
	f := newStaffFixture(t, "")
	good := f.session(t)
	app := assetURL(t, staticAssets, "app.js")
	tests := []struct {
		path   string
		cookie *http.Cookie
		status int
		cache  string
	}{
		{app, nil, 200, immutableCache},
		{assetURL(t, staticAssets, "app.css"), nil, 200, immutableCache},
		{assetURL(t, staticAssets, "favicon.svg"), nil, 200, immutableCache},
		{"/static/app.js", nil, 200, "no-cache"},
		{"/static/app.css", nil, 200, "no-cache"},
		{"/widget.js", nil, 200, "public, max-age=300"},
		{"/", nil, 200, "no-cache"},
		{assetURL(t, staffPublicAssets, "theme.css"), nil, 200, immutableCache},
		{"/staff/public/theme.css", nil, 200, "no-cache"},
		{assetURL(t, staffConsoleAssets, "staff.js"), good, 200, privateImmutableCache},
		{"/staff/assets/staff.js", good, 200, "no-store"},
		{"/staff", good, 200, "no-store"},
		// The hash of another version, or a name that is none.
		{"/static/app.0123abcd.js", nil, 404, "no-cache"},
		{strings.Replace(app, ".js", ".css", 1), nil, 404, "no-cache"},
		{strings.TrimSuffix(app, ".js"), nil, 404, "no-cache"},
		{"/staff/public/theme.0123abcd.css", nil, 404, "no-cache"},
		{"/staff/assets/staff.0123abcd.js", good, 404, "no-cache"},
	}
	for _, tt := range tests {
		resp, body := fetch(t, "GET", f.URL+tt.path, "gzip", tt.cookie)
		if resp.StatusCode != tt.status {
			t.Errorf("GET %s: status %d; want %d", tt.path, resp.StatusCode, tt.status)
			continue
		}
		if cc := resp.Header.Get("Cache-Control"); cc != tt.cache {
			t.Errorf("GET %s: Cache-Control %q; want %q", tt.path, cc, tt.cache)
		}
		if tt.status == 404 {
			page, err := decode(resp.Header.Get("Content-Encoding"), body)
			if err != nil || !bytes.Contains(page, []byte("Cette page n'existe pas.")) {
				t.Errorf("GET %s: 404 without the French page (%v)", tt.path, err)
			}
		}
	}
}

// assetLink finds the addresses of the files a page loads.
var assetLink = regexp.MustCompile(`(?:src|href)="(/(?:static|staff/public|staff/assets)/[^"]*)"`)

// hashedName is a file name that holds its content's hash; replaced by
// "$1", it gives the plain name.
var hashedName = regexp.MustCompile(`\.[0-9a-f]{` + strconv.Itoa(nameHashLen) + `}(\.[a-z]+)$`)

// TestPagesNameHashedAssets checks that every page loads its scripts,
// styles and icons under hashed names, that those names are served for a
// year, and that the chat page names its script and style.
func TestPagesNameHashedAssets(t *testing.T) {
	f := newStaffFixture(t, "")
	good := f.session(t)
	pages := []struct {
		path string
		want []string // files it must load, among others
	}{
		{"/", []string{"app.js", "app.css", "favicon.svg"}},
		{"/embed?origin=" + f.URL, []string{"app.js", "app.css"}},
		{"/embed?origin=https://inconnu.example", []string{"app.css"}},
		{"/demo", []string{"demo.js", "demo.css"}},
		{"/nulle-part", []string{"app.css", "favicon.svg"}},
		{"/staff/signin", []string{"theme.css", "signin.js", "favicon.svg"}},
		{"/staff", []string{"theme.css", "staff.css", "staff.js"}},
		{"/p/mistral-ai%23p3", []string{"theme.css", "staff.css", "passage.js"}},
	}
	for _, p := range pages {
		_, body := fetch(t, "GET", f.URL+p.path, "", good)
		links := assetLink.FindAllStringSubmatch(string(body), -1)
		seen := map[string]bool{}
		for _, m := range links {
			link := m[1]
			if !hashedName.MatchString(link) {
				t.Errorf("GET %s: loads %s; want a hashed name", p.path, link)
				continue
			}
			resp, _ := fetch(t, "GET", f.URL+link, "", good)
			if resp.StatusCode != 200 || !strings.HasSuffix(resp.Header.Get("Cache-Control"), "max-age=31536000, immutable") {
				t.Errorf("GET %s: %s gives %d, Cache-Control %q; want 200, kept a year",
					p.path, link, resp.StatusCode, resp.Header.Get("Cache-Control"))
			}
			seen[hashedName.ReplaceAllString(link[strings.LastIndex(link, "/")+1:], "$1")] = true
		}
		for _, w := range p.want {
			if !seen[w] {
				t.Errorf("GET %s: does not load %s; loads %v", p.path, w, links)
			}
		}
	}
}

// TestAcceptEncoding checks the choice of a coding from Accept-Encoding.
func TestAcceptEncoding(t *testing.T) {
	a := staticAssets.get("app.js")
	tests := []struct{ accept, want string }{
		{"", ""},
		{"identity", ""},
		{"gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"GZIP", "gzip"},
		{"br", "br"},
		{"gzip, deflate, br, zstd", "br"},
		{"gzip;q=1.0, br;q=1.0", "br"}, // a tie: the smaller
		{"br;q=0.5, gzip;q=0.8", "gzip"},
		{"br;q=0.8, gzip;q=0.5", "br"},
		{"br;q=0, gzip", "gzip"},
		{"gzip;q=0, br;q=0", ""},
		{"gzip; q=0, br ; Q=0.000", ""},
		{"*", "br"},
		{"*;q=0", ""},
		{"*, br;q=0", "gzip"},
		{"br;q=abc, gzip;q=0.1", "gzip"},
		{"br;q=2", ""},
		{"deflate, zstd", ""},
		{" , ;, =", ""},
	}
	for _, tt := range tests {
		if got := a.pick(tt.accept).coding; got != tt.want {
			t.Errorf("pick(%q) = %q; want %q", tt.accept, got, tt.want)
		}
	}
}

// TestAssetSizes logs what the scripts and styles weigh on the wire, and
// checks that the README and docs/widget.md give widget.js's weight.
func TestAssetSizes(t *testing.T) {
	for _, name := range []string{"widget.js", "app.js", "app.css"} {
		sizes := wireSizes(staticAssets.get(name))
		t.Logf("%-9s raw %6d B, gzip %5d B, brotli %5d B", name, sizes[""], sizes["gzip"], sizes["br"])
		if sizes["gzip"] == 0 || sizes["br"] == 0 || sizes["br"] >= sizes["gzip"] || sizes["gzip"] > sizes[""]/2 {
			t.Errorf("%s: raw %d, gzip %d, brotli %d bytes; want gzip under half and brotli under gzip",
				name, sizes[""], sizes["gzip"], sizes["br"])
		}
	}
	sizes := wireSizes(staticAssets.get("widget.js"))
	gz, br := float64(sizes["gzip"])/1000, float64(sizes["br"])/1000
	claims := []struct {
		file string
		re   *regexp.Regexp
	}{
		{"../README.md", regexp.MustCompile(`widget\.js` + "`" + ` : ([0-9],[0-9]) Ko gzip, ([0-9],[0-9]) Ko brotli`)},
		{"../docs/widget.md", regexp.MustCompile(`widget\.js` + "`" + ` is ([0-9]\.[0-9]) KB gzipped, ([0-9]\.[0-9]) KB with brotli`)},
	}
	for _, c := range claims {
		text, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		m := c.re.FindSubmatch(text)
		if m == nil {
			t.Errorf("%s: no claim of widget.js's weight matching %s", c.file, c.re)
			continue
		}
		claimGz, _ := strconv.ParseFloat(strings.Replace(string(m[1]), ",", ".", 1), 64)
		claimBr, _ := strconv.ParseFloat(strings.Replace(string(m[2]), ",", ".", 1), 64)
		// A tenth of the weight either way: a small edit of widget.js
		// need not touch the docs, a rewrite must.
		if claimGz < gz*0.9 || claimGz > gz*1.1 || claimBr < br*0.9 || claimBr > br*1.1 {
			t.Errorf("%s says widget.js weighs %.1f KB gzip, %.1f KB brotli; it weighs %.1f and %.1f",
				c.file, claimGz, claimBr, gz, br)
		}
	}
}

// wireSizes returns the bytes of a in each coding, "" for identity.
func wireSizes(a *asset) map[string]int {
	sizes := map[string]int{"": len(a.raw)}
	for _, e := range a.encodings() {
		sizes[e.coding] = len(e.body)
	}
	return sizes
}

// discardWriter is a ResponseWriter that keeps the headers and drops the
// body: what a request costs the server, not the test. Like net/http's
// own, it copies a body from a reader with a pooled buffer.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header                 { return d.h }
func (d *discardWriter) Write(b []byte) (int, error)         { return len(b), nil }
func (d *discardWriter) WriteHeader(int)                     {}
func (d *discardWriter) ReadFrom(r io.Reader) (int64, error) { return io.Copy(io.Discard, r) }

// maxBytesPerWidgetRequest bounds what serving widget.js may allocate: a
// request's headers and context take 2 KiB; compressing it would take
// hundreds (gzip's compressor alone) to thousands (brotli's) of KiB.
const maxBytesPerWidgetRequest = 16 << 10

// TestWidgetJSCompressedOnce checks that a request for widget.js in brotli
// allocates too little to have compressed it.
func TestWidgetJSCompressedOnce(t *testing.T) {
	h := newTestServer(t, Config{}).Handler()
	req := httptest.NewRequest("GET", "/widget.js", nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
	w := &discardWriter{h: http.Header{}}
	h.ServeHTTP(w, req) // the first request may compress
	if w.h.Get("Content-Encoding") != "br" {
		t.Fatalf("GET /widget.js: Content-Encoding %q; want br", w.h.Get("Content-Encoding"))
	}
	const requests = 100
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range requests {
		w.h = http.Header{}
		h.ServeHTTP(w, req)
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / requests; per > maxBytesPerWidgetRequest {
		t.Errorf("GET /widget.js allocates %d bytes a request; want at most %d (no compression per request)",
			per, maxBytesPerWidgetRequest)
	}
}

// BenchmarkWidgetJS measures a request for widget.js in brotli through the
// whole handler: its allocations show no compression work.
func BenchmarkWidgetJS(b *testing.B) {
	h := newTestServer(b, Config{}).Handler()
	req := httptest.NewRequest("GET", "/widget.js", nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
	w := &discardWriter{h: http.Header{}}
	h.ServeHTTP(w, req)
	b.ReportAllocs()
	for b.Loop() {
		w.h = http.Header{}
		h.ServeHTTP(w, req)
	}
}
