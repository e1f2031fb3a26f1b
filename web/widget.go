package web

import (
	"net/http"
	"time"
)

// Routes of the site widget: the script sites embed, the chat page it frames
// (embed.go) and a demo host page.

// widgetMaxAge is how long browsers may keep widget.js without asking again:
// its URL carries no version, so a new release reaches every site within
// these few minutes.
const widgetMaxAge = 5 * time.Minute

// widgetJS is the script sites embed with one tag, compressed once. Its
// address stays /widget.js: site owners paste it into their pages.
var widgetJS = staticAssets.get("widget.js")

// widgetCache lets browsers keep widget.js widgetMaxAge, then ask again
// with its ETag.
var widgetCache = "public, max-age=" + seconds(widgetMaxAge)

// demoPage is the sample host page, parsed once.
var demoPage = mustParse("demo.html")

// widgetRoutes adds the widget's routes; Server.routes calls it.
func (s *Server) widgetRoutes() {
	s.mux.HandleFunc("GET /widget.js", s.handleWidgetJS)
	s.mux.HandleFunc("GET /embed", s.handleEmbed)
	s.mux.HandleFunc("GET /demo", s.handleDemo)
}

// handleWidgetJS serves widget.js to any site: a script tag needs no CORS,
// and Cross-Origin-Resource-Policy lets sites that set COEP load it too.
func (s *Server) handleWidgetJS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
	widgetJS.serve(w, r, widgetCache)
}

// demoCSP is the demo page's policy: the server's own plus frame-src 'self'
// for the panel.
var demoCSP = withDirective(contentSecurityPolicy, "frame-src 'self'")

// handleDemo serves a host page that shows the snippet and the widget at
// work. Its policy is the server's own plus frame-src 'self' for the panel.
func (s *Server) handleDemo(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", demoCSP)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	// The API's example asks the corpus's own first starter.
	question := "Bonjour"
	if snap := s.current.Load(); snap != nil {
		if st := snap.Engine.Starters(); len(st) > 0 {
			question = st[0]
		}
	}
	err := demoPage.Execute(w, struct{ Origin, Question string }{scheme + "://" + r.Host, question})
	if err != nil {
		s.log.Warn("demo page", "err", err)
	}
}
