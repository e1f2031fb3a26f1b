package web

import (
	"embed"
	"html/template"
	"net/http"
	"net/url"
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

// staffPublicAssets may be loaded without a session: the sign-in page needs
// them, and they hold nothing of the console (a colour theme, the script
// that reads the token from the sign-in link, and the tab's icon, the
// visitors' own kept apart).
var staffPublicAssets = mustAssets("/staff/public/", staffFS, "theme.css", "signin.js", "favicon.svg")

// staffConsoleAssets need a staff session: the console's and the permalink
// pages' script and style.
var staffConsoleAssets = mustAssets("/staff/assets/", staffFS, "staff.css", "common.js", "staff.js", "passage.js", "accounts.js")

// staffFuncs give the staff templates the hashed addresses of their files,
// {{public "theme.css"}} and {{console "staff.js"}}, and pathEscape for the
// permalinks.
var staffFuncs = template.FuncMap{
	"public":     staffPublicAssets.url,
	"console":    staffConsoleAssets.url,
	"pathEscape": url.PathEscape,
}

// mustParseStaff parses the template name of staffui/ at start.
func mustParseStaff(name string) *template.Template {
	return template.Must(template.New(name).Funcs(staffFuncs).ParseFS(staffFS, name))
}

// handlePublicAsset serves a file of staffPublicAssets.
func (st *Staff) handlePublicAsset(w http.ResponseWriter, r *http.Request) {
	staffPublicAssets.serve(w, r, r.PathValue("file"), "no-cache", immutableCache, writeNotFound)
}

// handleAsset serves a file of staffConsoleAssets (asset checks the
// session). Under its plain name it stays out of caches, as the console's
// pages do; under its hashed name the staff's browser may keep it.
func (st *Staff) handleAsset(w http.ResponseWriter, r *http.Request) {
	staffConsoleAssets.serve(w, r, r.PathValue("file"), "no-store", privateImmutableCache, writeNotFound)
}

// asset wraps a console file: without a valid session, 401 (a script or a
// style sheet cannot follow a redirect to the sign-in page).
func (st *Staff) asset(h http.HandlerFunc) http.HandlerFunc {
	return st.guard(h, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Connectez-vous à la console pour charger ce fichier.", http.StatusUnauthorized)
	})
}
