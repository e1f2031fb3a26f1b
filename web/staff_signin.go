package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/causette/causette/web/store"
)

// signInPage is the French sign-in form, parsed once.
var signInPage = mustParseStaff("signin.html")

// signInData fills signInPage.
type signInData struct {
	Next  string
	Error string
	// Accounts is true once a named account exists: the form asks for a
	// name and a password, and says the token no longer signs in.
	Accounts bool
	Name     string // the name typed, kept after a failure
}

// Messages of the sign-in page.
const (
	msgWrongToken    = "Ce jeton n’est pas le bon. Vérifiez-le et réessayez."
	msgWrongPassword = "Nom ou mot de passe incorrect. Vérifiez-les et réessayez."
	msgTokenRetired  = "Le jeton d’amorçage ne permet plus d’entrer : des comptes nommés existent. Connectez-vous avec votre nom et votre mot de passe."
	msgTooManyTries  = "Trop d’essais manqués : patientez une minute avant de réessayer."
	msgUnavailable   = "La base de données de la console est indisponible : réessayez dans un instant."
)

// handleSignInPage serves the sign-in form: the token's while no account
// exists, the name and password's after.
func (st *Staff) handleSignInPage(w http.ResponseWriter, r *http.Request) {
	staffHeaders(w)
	has, err := st.accounts().HasStaffAccounts(r.Context())
	if databaseDown(err) {
		st.renderSignIn(w, http.StatusOK, signInData{Next: safeNext(r.URL.Query().Get("next")), Error: msgDatabaseDown})
		return
	}
	if err != nil {
		st.logger.Error("staff sign-in page", "err", err)
		st.renderSignIn(w, http.StatusServiceUnavailable, signInData{Next: safeNext(r.URL.Query().Get("next")), Error: msgUnavailable})
		return
	}
	st.renderSignIn(w, http.StatusOK, signInData{Next: safeNext(r.URL.Query().Get("next")), Accounts: has})
}

// renderSignIn writes the sign-in form with status.
func (st *Staff) renderSignIn(w http.ResponseWriter, status int, d signInData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	signInPage.Execute(w, d)
}

// handleSignIn checks a name and password, or the bootstrap token while no
// account exists (rate limited per address and per name), and opens a
// session.
func (st *Staff) handleSignIn(w http.ResponseWriter, r *http.Request) {
	staffHeaders(w)
	r.Body = http.MaxBytesReader(w, r.Body, staffSignInMaxBody)
	d := signInData{Next: safeNext(r.PostFormValue("next")), Accounts: true}
	ip := visitorAddr(r) // honours Config.TrustedProxies, as the chat's limits do
	now := st.now()
	if !st.mayTry(addressKey(ip), staffSignInAttempts, now) {
		st.tooMany(w, d, "ip", ip)
		return
	}
	has, err := st.accounts().HasStaffAccounts(r.Context())
	if databaseDown(err) {
		st.signInDatabaseDown(w, r, d, ip, now)
		return
	}
	if err != nil {
		st.logger.Error("staff sign-in", "err", err)
		d.Error = msgUnavailable
		st.renderSignIn(w, http.StatusServiceUnavailable, d)
		return
	}
	if !has {
		d.Accounts = false
		st.signInWithToken(w, r, d, ip, now)
		return
	}
	name, _ := NormalizeStaffName(r.PostFormValue("name"))
	if name == "" && r.PostFormValue("token") != "" {
		st.failed(addressKey(ip), now)
		st.logger.Warn("staff sign-in: bootstrap token once accounts exist", "ip", ip)
		d.Error = msgTokenRetired
		st.renderSignIn(w, http.StatusUnauthorized, d)
		return
	}
	d.Name = strings.TrimSpace(r.PostFormValue("name"))
	if !st.mayTry(nameKey(name), staffNameAttempts, now) {
		st.tooMany(w, d, "ip", ip, "name", name)
		return
	}
	a, ok, err := st.checkPassword(r, name, r.PostFormValue("password"))
	if err != nil {
		st.logger.Error("staff sign-in", "err", err)
		d.Error = msgUnavailable
		st.renderSignIn(w, http.StatusServiceUnavailable, d)
		return
	}
	if !ok {
		st.failed(addressKey(ip), now)
		st.failed(nameKey(name), now)
		st.logger.Warn("staff sign-in: wrong name or password", "ip", ip)
		d.Error = msgWrongPassword
		st.renderSignIn(w, http.StatusUnauthorized, d)
		return
	}
	st.signedIn(w, r, d, a.Name, a.Role, ip)
}

// signInWithToken checks the bootstrap token, compared in constant time.
func (st *Staff) signInWithToken(w http.ResponseWriter, r *http.Request, d signInData, ip string, now time.Time) {
	if !st.rightToken(r) {
		st.wrongToken(w, d, ip, now)
		return
	}
	st.signedIn(w, r, d, bootstrapAccount, store.RoleEdit, ip)
}

// wrongToken refuses a wrong bootstrap token from ip, counting the failure
// against the address's limit.
func (st *Staff) wrongToken(w http.ResponseWriter, d signInData, ip string, now time.Time) {
	st.failed(addressKey(ip), now)
	st.logger.Warn("staff sign-in: wrong token", "ip", ip)
	d.Error = msgWrongToken
	st.renderSignIn(w, http.StatusUnauthorized, d)
}

// rightToken reports whether r's form holds the bootstrap token, compared
// in constant time.
func (st *Staff) rightToken(r *http.Request) bool {
	sum := sha256.Sum256([]byte(strings.TrimSpace(r.PostFormValue("token"))))
	return subtle.ConstantTimeCompare(sum[:], st.tokenSum[:]) == 1
}

// checkPassword returns account name when password is its own. An unknown
// name is checked against a dummy hash: it costs the time a wrong password
// does, and gets the same answer.
func (st *Staff) checkPassword(r *http.Request, name, password string) (store.StaffAccount, bool, error) {
	var a store.StaffAccount
	var err error
	if name != "" {
		a, err = st.accounts().StaffAccount(r.Context(), name)
	}
	if name == "" || errors.Is(err, store.ErrNoStaffAccount) {
		checkStaffPassword(r.Context(), password, dummyHash())
		return a, false, nil
	}
	if err != nil {
		return a, false, err
	}
	ok, err := checkStaffPassword(r.Context(), password, a.Hash)
	return a, ok, err
}

// signedIn opens the session of account and sends the browser back where
// it was going.
func (st *Staff) signedIn(w http.ResponseWriter, r *http.Request, d signInData, account, role, ip string) {
	if err := st.openSession(w, r, account, role); err != nil {
		st.logger.Error("staff sign-in", "err", err)
		d.Error = msgUnavailable
		st.renderSignIn(w, http.StatusServiceUnavailable, d)
		return
	}
	st.logger.Info("staff signed in", "ip", ip, "account", account, "role", role)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// tooMany refuses a sign-in past a rate limit, logging fields.
func (st *Staff) tooMany(w http.ResponseWriter, d signInData, fields ...any) {
	w.Header().Set("Retry-After", seconds(staffSignInWindow))
	st.metrics.limit(limitStaffSignIn)
	st.logger.Warn("staff sign-in refused: too many failures", fields...)
	d.Error = msgTooManyTries
	st.renderSignIn(w, http.StatusTooManyRequests, d)
}

// nameKey is an account name's key among the failures, apart from the
// addresses'.
func nameKey(name string) string { return "compte:" + name }

// mayTry reports whether key (an addressKey or a nameKey) has failures
// left under limit in the current window. Only key's own failures count:
// the right password from an address with none is never refused, whatever
// other addresses tried.
func (st *Staff) mayTry(key string, limit int, now time.Time) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.recentFailures(key, now)) < limit
}

// failed counts a failed sign-in for key. The table of failures is an LRU
// of maxTrackedIPs keys: memory and time per sign-in stay bounded however
// many addresses and names fail.
func (st *Staff) failed(key string, now time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.failures.Add(key, append(st.recentFailures(key, now), now))
}

// recentFailures returns key's failures within the window, dropping the
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
		if u.Fragment != "" {
			return u.RequestURI() + "#" + u.EscapedFragment() // the console's view
		}
		return u.RequestURI()
	}
	return "/staff"
}
