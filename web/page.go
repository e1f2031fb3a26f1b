package web

import (
	"embed"
	"io/fs"
	"net/http"
)

// static holds the chat page, its script and style; the widget and the staff
// console add their files beside them.
//
//go:embed static
var static embed.FS

// staticFS is static with the "static/" prefix removed.
var staticFS = mustSub(static, "static")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// indexPage is the chat page, read once.
var indexPage = mustRead(staticFS, "index.html")

func mustRead(fsys fs.FS, name string) []byte {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		panic(err)
	}
	return b
}

// handlePage serves the chat page.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(indexPage)
}

// handleStatic serves the embedded files under /static/.
func (s *Server) handleStatic() http.Handler {
	files := http.StripPrefix("/static/", http.FileServerFS(staticFS))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
