package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// /embed is the chat page (index.html, app.js) in embed mode: the widget's
// panel. The widget names the host page's origin in ?origin=; when
// --allow-origin (or the server's own host) admits it, the page is served
// with those sites as its frame-ancestors, so a page that lies about its
// origin cannot frame it. Otherwise a refusal page, in French, is served
// instead: framing it is harmless, it opens no socket.

const (
	// maxTitleRunes bounds the panel title a site sets: a header line.
	maxTitleRunes = 80
	// maxOriginRunes bounds the origin echoed in the refusal and the log:
	// real origins are far shorter; anything longer is noise.
	maxOriginRunes = 100
)

// Refusal shown when the host site is not allowed. French whatever the
// widget's language: visitors of a French FAQ read it, and so does the owner.
const (
	deniedText = "Ce site n'est pas autorisé à afficher Causette."
	deniedHelp = "Responsable du site : ajoutez %s à l'option --allow-origin de « causette serve »."
	// deniedNoOrigin is the help when the page was opened without the
	// origin the widget adds: not from a site at all.
	deniedNoOrigin = "Responsable du site : chargez Causette par son widget (widget.js), qui indique l'adresse de votre site, et ajoutez-la à l'option --allow-origin de « causette serve »."
)

// handleEmbed serves the panel's chat page, or the refusal page.
func (s *Server) handleEmbed(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := pageData{Title: "Causette", Embed: true}
	d.Lang, d.L = labelsFor(q.Get("lang"))
	if t := strings.TrimSpace(q.Get("title")); t != "" && utf8.ValidString(t) {
		d.Title = truncate(t, maxTitleRunes)
	}
	origin, err := normaliseOrigin(q.Get("origin"))
	h := w.Header()
	h.Del("X-Frame-Options") // frame-ancestors says who may frame it
	if err == nil && s.originAllowed(origin, r) {
		d.Origin = origin
		h.Set("Content-Security-Policy", s.embedCSP)
	} else {
		claimed := truncate(strings.ToValidUTF8(q.Get("origin"), "?"), maxOriginRunes)
		s.log.Info("embed refused", "origin", claimed)
		d.Denied = true
		d.Lang, d.L = labelsFor("fr") // the refusal is French: so is its page
		d.DeniedText = deniedText
		d.DeniedHelp = fmt.Sprintf(deniedHelp, claimed)
		if strings.TrimSpace(claimed) == "" {
			d.DeniedHelp = deniedNoOrigin
		}
		h.Set("Content-Security-Policy", deniedCSP)
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if err := chatPage.Execute(w, d); err != nil {
		s.log.Warn("embed page", "err", err)
	}
}

// deniedCSP is the refusal page's policy: any site may frame it, harmlessly.
var deniedCSP = withDirective(contentSecurityPolicy, "frame-ancestors *")

// frameAncestors is the CSP source list of the sites that may frame /embed.
func (s *Server) frameAncestors() string {
	if s.origins["*"] {
		return "*"
	}
	list := []string{"'self'"}
	for o := range s.origins {
		list = append(list, o)
	}
	slices.Sort(list[1:])
	return strings.Join(list, " ")
}

// withDirective returns policy with directive replacing the directive of the
// same name, or added.
func withDirective(policy, directive string) string {
	name, _, _ := strings.Cut(directive, " ")
	var out []string
	for _, d := range strings.Split(policy, ";") {
		d = strings.TrimSpace(d)
		if d != "" && !strings.HasPrefix(d, name+" ") {
			out = append(out, d)
		}
	}
	return strings.Join(append(out, directive), "; ")
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
