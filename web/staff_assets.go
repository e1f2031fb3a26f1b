package web

import (
	"embed"
	"net/http"
)

// staffUI holds the staff pages' templates, scripts and styles, apart from
// the visitors' static files: /static/ never serves them. The sign-in page's
// script and the shared look are public under /staff/public/; the console's
// script and style only with a session, under /staff/assets/; the templates
// are never served as files.
//
//go:embed staffui
var staffUI embed.FS

// staffFS is staffUI with the "staffui/" prefix removed.
var staffFS = mustSub(staffUI, "staffui")

// staffPublicFiles may be loaded without a session: the sign-in page needs
// them, and they hold nothing of the console (a colour theme, the script
// that reads the token from the sign-in link).
var staffPublicFiles = map[string]string{
	"theme.css": "text/css; charset=utf-8",
	"signin.js": "text/javascript; charset=utf-8",
	// The tab's icon, the visitors' own (static/favicon.svg) kept apart.
	"favicon.svg": "image/svg+xml",
}

// staffConsoleFiles need a staff session: the console's and the permalink
// pages' script and style.
var staffConsoleFiles = map[string]string{
	"staff.css":  "text/css; charset=utf-8",
	"staff.js":   "text/javascript; charset=utf-8",
	"passage.js": "text/javascript; charset=utf-8",
}

// handlePublicAsset serves a file of staffPublicFiles.
func (st *Staff) handlePublicAsset(w http.ResponseWriter, r *http.Request) {
	serveStaffFile(w, r, staffPublicFiles, "no-cache")
}

// handleAsset serves a file of staffConsoleFiles (asset checks the session).
func (st *Staff) handleAsset(w http.ResponseWriter, r *http.Request) {
	serveStaffFile(w, r, staffConsoleFiles, "no-store")
}

// asset wraps a console file: without a valid session, 401 (a script or a
// style sheet cannot follow a redirect to the sign-in page).
func (st *Staff) asset(h http.HandlerFunc) http.HandlerFunc {
	return st.guard(h, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Connectez-vous à la console pour charger ce fichier.", http.StatusUnauthorized)
	})
}

// serveStaffFile serves the file named in the path if files lists it, else
// 404.
func serveStaffFile(w http.ResponseWriter, r *http.Request, files map[string]string, cache string) {
	name := r.PathValue("file")
	ctype, ok := files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	body, err := staffUI.ReadFile("staffui/" + name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", cache)
	w.Write(body)
}
