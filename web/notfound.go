package web

import "net/http"

// notFoundPage is the French page of an address the server does not know:
// visitors mistype links, and Go's own "404 page not found" is English.
// Rendered and compressed once.
var notFoundPage = newAsset("notfound.html", mustExecute(mustParse("notfound.html"), nil))

// Messages of the refusals the mux would otherwise write in English.
const (
	msgMethodNotAllowed = "Méthode non autorisée pour cette adresse."
	msgCrossOrigin      = "Requête refusée : elle vient d’un autre site."
)

// dispatch hands r to the mux's handler for it; an address no route takes
// gets the French 404 page, and a known address asked with another method a
// French 405 with the mux's Allow header.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		s.mux.ServeHTTP(w, r) // sets the path's wildcards, which Handler does not
		return
	}
	// No pattern: the mux's answer is a 404, a 405 or a redirect; learn
	// which (and its Allow or Location) without letting it write.
	probe := &statusProbe{header: http.Header{}}
	h.ServeHTTP(probe, r)
	switch probe.status {
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", probe.header.Get("Allow"))
		http.Error(w, msgMethodNotAllowed, http.StatusMethodNotAllowed)
	case http.StatusNotFound, 0:
		s.handleNotFound(w, r)
	default:
		for k, v := range probe.header {
			w.Header()[k] = v
		}
		w.WriteHeader(probe.status)
	}
}

// handleNotFound writes the French 404 page.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	writeNotFound(w, r)
}

// writeNotFound writes the French 404 page, for the server and the staff
// console alike.
func writeNotFound(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	notFoundPage.write(w, r, http.StatusNotFound)
}

// statusProbe records the status and headers a handler writes, and drops
// its body.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header { return p.header }
func (p *statusProbe) WriteHeader(status int) {
	if p.status == 0 {
		p.status = status
	}
}
func (p *statusProbe) Write(b []byte) (int, error) {
	p.WriteHeader(http.StatusOK)
	return len(b), nil
}

// crossOriginProtection refuses (403, in French) a state-changing request
// that a browser sends from another site: every POST, PUT, PATCH or DELETE
// route, the staff console's and those added later, gets it without asking.
// The public API (POST /api/ask) is the one exception: it is made for other
// sites' pages and checks their origin against Config.AllowOrigins itself.
func (s *Server) crossOriginProtection() (*http.CrossOriginProtection, error) {
	cop := http.NewCrossOriginProtection()
	cop.AddInsecureBypassPattern("POST /api/ask")
	if s.public != nil {
		// Behind a proxy that rewrites Host, the public origin is our own.
		if err := cop.AddTrustedOrigin(s.public.Scheme + "://" + s.public.Host); err != nil {
			return nil, err
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("cross-site request refused", "method", r.Method, "path", r.URL.Path,
			"origin", r.Header.Get("Origin"), "ip", visitorAddr(r))
		http.Error(w, msgCrossOrigin, http.StatusForbidden)
	}))
	return cop, nil
}
