// Package crawltest serves folders as web sites and reads the corpus
// folders crawls fill, for the tests of package crawl and of the
// `causette crawl` command.
package crawltest

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/causette/causette/index"
)

// Site serves a folder over 127.0.0.1 as a web server does: robots.txt,
// ETag and Last-Modified, and it counts the requests and the bodies sent.
type Site struct {
	*httptest.Server
	dir    string
	robots string // served as /robots.txt; "" for a 404
	// route, when set, answers some requests itself (redirects, errors).
	route func(w http.ResponseWriter, r *http.Request) bool

	mu       sync.Mutex
	requests []string       // paths, in order
	bodies   map[string]int // 200 responses, by path
}

// NewSite serves dir until the test ends, with robots as /robots.txt (none
// when ""). route, when not nil, answers first: it reports whether it
// answered the request.
func NewSite(tb testing.TB, dir, robots string, route func(http.ResponseWriter, *http.Request) bool) *Site {
	tb.Helper()
	s := &Site{dir: dir, robots: robots, route: route, bodies: map[string]int{}}
	s.Server = httptest.NewServer(s)
	tb.Cleanup(s.Close)
	return s
}

// ServeHTTP answers a request as a static web server, and counts it.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.URL.Path)
	s.mu.Unlock()
	// A body is counted when its status is written, before any byte reaches
	// the client: counted once the handler returns, the last page of a
	// crawl could be counted after the crawl ended, and a Reset.
	rec := &statusRecorder{ResponseWriter: w, onStatus: func(status int) {
		if status == http.StatusOK {
			s.mu.Lock()
			s.bodies[r.URL.Path]++
			s.mu.Unlock()
		}
	}}
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
	rec.status(http.StatusOK) // a handler that wrote nothing sent a 200
}

// Reset forgets the requests counted so far.
func (s *Site) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.bodies = nil, map[string]int{}
}

// Requested returns the paths requested, and the bodies sent by path,
// robots.txt aside.
func (s *Site) Requested() ([]string, map[string]int) {
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

// statusRecorder tells onStatus the status of a response, once, when it is
// written.
type statusRecorder struct {
	http.ResponseWriter
	onStatus func(status int)
	written  bool
}

func (r *statusRecorder) status(code int) {
	if !r.written {
		r.written = true
		r.onStatus(code)
	}
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status(code)
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	r.status(http.StatusOK)
	return r.ResponseWriter.Write(p)
}

// Files lists the files under dir, '/' separated and sorted, the manifest
// aside.
func Files(tb testing.TB, dir string) []string {
	tb.Helper()
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
		tb.Fatal(err)
	}
	slices.Sort(files)
	return files
}

// Manifest reads dir's manifest: each file's page, by file. A file listed
// twice is an error of the test.
func Manifest(tb testing.TB, dir string) map[string]index.Page {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(dir, index.ManifestFile))
	if err != nil {
		tb.Fatal(err)
	}
	var m index.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		tb.Fatalf("%s: %v", index.ManifestFile, err)
	}
	pages := map[string]index.Page{}
	for _, p := range m.Pages {
		if _, dup := pages[p.File]; dup {
			tb.Errorf("manifest lists %s twice", p.File)
		}
		pages[p.File] = p
	}
	return pages
}

// WriteFile writes content to the file name, creating its folders.
func WriteFile(tb testing.TB, name, content string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
}
