package web

import "net/http"

// notFoundPage is the French page of a GET for an address the server does
// not know: visitors mistype links, and Go's own "404 page not found" is
// English.
var notFoundPage = mustRead(staticFS, "notfound.html")

// handleNotFound answers a GET that no other route takes: the French page,
// or 405 when the address exists for POST (as the mux itself would).
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	probe := r.Clone(r.Context())
	probe.Method = http.MethodPost
	if _, pattern := s.mux.Handler(probe); pattern != "" {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusNotFound)
	w.Write(notFoundPage)
}
