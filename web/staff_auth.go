package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// signInPage is the French sign-in form, parsed once.
var signInPage = mustParseStaff("signin.html")

// signInData fills signInPage.
type signInData struct {
	Next  string
	Error string
}

// Messages of the sign-in page.
const (
	msgWrongToken   = "Ce jeton n’est pas le bon. Vérifiez-le et réessayez."
	msgTooManyTries = "Trop d’essais manqués : patientez une minute avant de réessayer."
)

// page wraps a console page: without a valid session, it redirects to the
// sign-in page, which brings the visitor back after.
func (st *Staff) page(h http.HandlerFunc) http.HandlerFunc {
	return st.guard(h, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/staff/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	})
}

// api wraps a console API: without a valid session, 401.
func (st *Staff) api(h http.HandlerFunc) http.HandlerFunc {
	return st.guard(h, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusUnauthorized, apiError{Code: "unauthorized", Message: "Connectez-vous à la console pour voir ceci."})
	})
}

// editor wraps a console API that changes something (entries,
// attachments, requests): only a session that may edit passes.
func (st *Staff) editor(h http.HandlerFunc) http.HandlerFunc {
	return st.api(h)
}

// staffAuthor names who made a change while the console has one token and
// no named accounts.
const staffAuthor = "équipe (console)"

// who names the staff member behind r, for the changes they record.
func (st *Staff) who(r *http.Request) string {
	return staffAuthor
}

// guard wraps a console handler h with the staff headers; without a valid
// session, refuse answers instead of h.
func (st *Staff) guard(h, refuse http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		staffHeaders(w)
		if !st.signedIn(r) {
			refuse(w, r)
			return
		}
		h(w, r)
	}
}

// staffHeaders keeps staff pages out of caches and search engines.
func staffHeaders(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
}

// signedIn reports whether r carries a live session cookie.
func (st *Staff) signedIn(r *http.Request) bool {
	c, err := r.Cookie(staffCookie)
	if err != nil || c.Value == "" {
		return false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	exp, ok := st.sessions[c.Value]
	if !ok {
		return false
	}
	if st.now().After(exp) {
		delete(st.sessions, c.Value)
		return false
	}
	return true
}

// handleSignInPage serves the sign-in form.
func (st *Staff) handleSignInPage(w http.ResponseWriter, r *http.Request) {
	staffHeaders(w)
	st.renderSignIn(w, http.StatusOK, safeNext(r.URL.Query().Get("next")), "")
}

// renderSignIn writes the sign-in form with status, the path to go back to
// and an error message ("" for none).
func (st *Staff) renderSignIn(w http.ResponseWriter, status int, next, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	signInPage.Execute(w, signInData{Next: next, Error: msg})
}

// handleSignIn checks the token (rate limited per address, compared in
// constant time) and opens a session.
func (st *Staff) handleSignIn(w http.ResponseWriter, r *http.Request) {
	staffHeaders(w)
	r.Body = http.MaxBytesReader(w, r.Body, staffSignInMaxBody)
	next := safeNext(r.PostFormValue("next"))
	ip := visitorAddr(r) // honours Config.TrustedProxies, as the chat's limits do
	now := st.now()
	if !st.mayTry(ip, now) {
		w.Header().Set("Retry-After", seconds(staffSignInWindow))
		st.metrics.limit(limitStaffSignIn)
		st.logger.Warn("staff sign-in refused: too many wrong tokens", "ip", ip)
		st.renderSignIn(w, http.StatusTooManyRequests, next, msgTooManyTries)
		return
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(r.PostFormValue("token"))))
	if subtle.ConstantTimeCompare(sum[:], st.tokenSum[:]) != 1 {
		st.failed(ip, now)
		st.logger.Warn("staff sign-in: wrong token", "ip", ip)
		st.renderSignIn(w, http.StatusUnauthorized, next, msgWrongToken)
		return
	}
	id := st.newSession(now)
	http.SetCookie(w, &http.Cookie{
		Name:     staffCookie,
		Value:    id,
		Path:     "/",
		MaxAge:   int(staffSessionTTL.Seconds()),
		HttpOnly: true,
		Secure:   secureRequest(r),
		SameSite: http.SameSiteStrictMode,
	})
	st.logger.Info("staff signed in", "ip", ip)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// handleSignOut ends the session.
func (st *Staff) handleSignOut(w http.ResponseWriter, r *http.Request) {
	staffHeaders(w)
	if c, err := r.Cookie(staffCookie); err == nil {
		st.mu.Lock()
		delete(st.sessions, c.Value)
		st.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: staffCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secureRequest(r), SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/staff/signin", http.StatusSeeOther)
}

// newSession stores a random session id, forgetting expired sessions and,
// past staffMaxSessions, the one closest to expiry.
func (st *Staff) newSession(now time.Time) string {
	id := randomHex(staffTokenBytes)
	st.mu.Lock()
	defer st.mu.Unlock()
	for k, exp := range st.sessions {
		if now.After(exp) {
			delete(st.sessions, k)
		}
	}
	if len(st.sessions) >= staffMaxSessions {
		var oldest string
		for k, exp := range st.sessions {
			if oldest == "" || exp.Before(st.sessions[oldest]) {
				oldest = k
			}
		}
		delete(st.sessions, oldest)
	}
	st.sessions[id] = now.Add(staffSessionTTL)
	return id
}

// mayTry reports whether ip has wrong tokens left in the current window.
// Only ip's own failures count: the right token from an address with none is
// never refused, whatever other addresses tried.
func (st *Staff) mayTry(ip string, now time.Time) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.recentFailures(addressKey(ip), now)) < staffSignInAttempts
}

// failed counts a wrong token from ip. The table of failures is an LRU of
// maxTrackedIPs addresses: memory and time per sign-in stay bounded however
// many addresses fail.
func (st *Staff) failed(ip string, now time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	key := addressKey(ip)
	st.failures.Add(key, append(st.recentFailures(key, now), now))
}

// recentFailures returns key's wrong tokens within the window, dropping the
// older ones. st.mu is held.
func (st *Staff) recentFailures(key string, now time.Time) []time.Time {
	fs, _ := st.failures.Peek(key)
	i := 0
	for i < len(fs) && now.Sub(fs[i]) >= staffSignInWindow {
		i++
	}
	if i == len(fs) {
		st.failures.Remove(key)
		return nil
	}
	return fs[i:]
}

// safeNext keeps a redirect after sign-in on the console: a path under /staff
// or /p/, never another site.
func safeNext(next string) string {
	if next == "" || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/staff"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/staff"
	}
	if u.Path == "/staff" || strings.HasPrefix(u.Path, "/staff/") || strings.HasPrefix(u.Path, "/p/") {
		return u.RequestURI()
	}
	return "/staff"
}
