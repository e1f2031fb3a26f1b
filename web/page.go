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

// staticAssets are the files /static/ serves: the pages' scripts, styles
// and icons, every .css, .js and .svg of static/. The HTML files beside them
// are templates, rendered by their own routes, and no directory is ever
// listed.
var staticAssets = mustAssets("/static/", staticFS, staticFiles()...)

// staticFiles lists the files of static/ that are served as they are.
func staticFiles() []string {
	entries, err := fs.ReadDir(staticFS, ".")
	if err != nil {
		panic(err)
	}
	var names []string
	for _, e := range entries {
		switch path.Ext(e.Name()) {
		case ".css", ".js", ".svg":
			names = append(names, e.Name())
		}
	}
	return names
}

// pageFuncs give the visitors' templates the hashed addresses of their
// files: {{static "app.js"}}.
var pageFuncs = template.FuncMap{"static": staticAssets.url}

// mustParse parses the template name of static/ at start.
func mustParse(name string) *template.Template {
	return template.Must(template.New(name).Funcs(pageFuncs).ParseFS(staticFS, name))
}

// chatPage is the chat page, parsed once: the visitors' page at / and, in
// embed mode, the widget's panel at /embed (embed.go).
var chatPage = mustParse("index.html")

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

// indexPage is the visitors' chat page, rendered once, and indexAsset the
// same compressed.
var (
	indexPage  = mustRender(pageData{Lang: "fr", L: labels["fr"], Title: "Causette"})
	indexAsset = newAsset("index.html", indexPage)
)

// mustRender renders the chat page for d at start.
func mustRender(d pageData) []byte { return mustExecute(chatPage, d) }

// mustExecute renders t with data at start.
func mustExecute(t *template.Template, data any) []byte {
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// handlePage serves the chat page.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	indexAsset.serve(w, r, "no-cache")
}

// handleStatic serves the embedded assets under /static/{file}: under their
// hashed names for a year, under their plain names with no-cache. Anything
// else there is the French 404 page.
func (s *Server) handleStatic() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		staticAssets.serve(w, r, r.PathValue("file"), "no-cache", immutableCache, s.handleNotFound)
	})
}
