package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"path"

	"github.com/causette/causette/chat"
)

// static holds the chat page, its script and style, and the widget's files:
// what visitors may load. The staff console's files are apart (staffui).
//
//go:embed static
var static embed.FS

// staticFS is static with the "static/" prefix removed.
var staticFS = mustSub(static, "static")

// mustSub is fs.Sub for the embedded trees, which always hold dir.
func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// mustRead reads an embedded file at start; a missing one is a build bug.
func mustRead(fsys fs.FS, name string) []byte {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		panic(err)
	}
	return b
}

// chatPage is the chat page, parsed once: the visitors' page at / and, in
// embed mode, the widget's panel at /embed (embed.go).
var chatPage = template.Must(template.ParseFS(staticFS, "index.html"))

// pageData fills index.html.
type pageData struct {
	Lang  string
	L     map[string]string // labels in Lang
	Title string            // the page's h1
	// Embed is the widget's panel: a compact header with a close button, the
	// conversation kept across the host site's pages, a postMessage bridge
	// to Origin, the host page (see app.js).
	Embed  bool
	Origin string
	// Denied replaces the chat with a refusal: the host site is not allowed.
	Denied                 bool
	DeniedText, DeniedHelp string
}

// MaxQuestion is the longest question the page lets a visitor type, in
// characters: the longest the engine answers.
func (pageData) MaxQuestion() int { return chat.MaxQuestionRunes }

// indexPage is the visitors' chat page, rendered once.
var indexPage = mustRender(pageData{Lang: "fr", L: labels["fr"], Title: "Causette"})

// mustRender renders the chat page for d at start.
func mustRender(d pageData) []byte {
	var b bytes.Buffer
	if err := chatPage.Execute(&b, d); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// handlePage serves the chat page.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(indexPage)
}

// staticAssets are the files /static/ serves: the pages' scripts, styles
// and icons. The HTML files beside them are templates, rendered by their
// own routes, and no directory is ever listed.
var staticAssets = map[string]bool{}

func init() {
	entries, err := fs.ReadDir(staticFS, ".")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		switch path.Ext(e.Name()) {
		case ".css", ".js", ".svg":
			staticAssets[e.Name()] = true
		}
	}
}

// handleStatic serves the embedded assets under /static/{file}; anything
// else there is the French 404 page.
func (s *Server) handleStatic() http.Handler {
	files := http.StripPrefix("/static/", http.FileServerFS(staticFS))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !staticAssets[r.PathValue("file")] {
			s.handleNotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
