package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"

	"github.com/causette/causette/web/store"
)

// bootstrapAccount names the session the bootstrap token opens, in what
// it records: it cannot be an account's name (no space is allowed there).
const bootstrapAccount = store.BootstrapAccount

// staffSessionKey is the request context's key of the staff session.
type staffSessionKey struct{}

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
// attachments, requests) or manages the accounts: only an édition session
// passes; a lecture one gets 403.
func (st *Staff) editor(h http.HandlerFunc) http.HandlerFunc {
	return st.api(func(w http.ResponseWriter, r *http.Request) {
		if s, _ := staffSession(r); s.Role != store.RoleEdit {
			writeJSON(w, http.StatusForbidden, apiError{Code: "read_only",
				Message: "Votre compte est en lecture seule : demandez à un compte en édition de faire ce changement."})
			return
		}
		h(w, r)
	})
}

// who names the staff member behind r, for the changes they record: the
// account's name, or bootstrapAccount for the token's session.
func (st *Staff) who(r *http.Request) string {
	if s, ok := staffSession(r); ok {
		return s.Account
	}
	return "inconnu" // not behind a guard: no route does this
}

// staffSession returns the session guard found for r.
func staffSession(r *http.Request) (store.StaffSession, bool) {
	s, ok := r.Context().Value(staffSessionKey{}).(store.StaffSession)
	return s, ok
}

// guard wraps a console handler h with the staff headers; without a valid
// session, refuse answers instead of h. h finds the session in its
// request's context (staffSession).
func (st *Staff) guard(h, refuse http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		staffHeaders(w)
		s, err := st.session(r)
		if errors.Is(err, store.ErrNoStaffSession) {
			refuse(w, r)
			return
		}
		if err != nil {
			st.unavailable(w, "staff session", err)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), staffSessionKey{}, s)))
	}
}

// unavailable answers 503 when the accounts' database cannot be read; what
// failed goes to the log.
func (st *Staff) unavailable(w http.ResponseWriter, what string, err error) {
	st.logger.Error(what, "err", err)
	writeJSON(w, http.StatusServiceUnavailable, apiError{Code: "unavailable", Message: msgUnavailable})
}

// staffHeaders keeps staff pages out of caches and search engines.
func staffHeaders(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
}

// accounts is where the accounts and sessions are kept.
func (st *Staff) accounts() staffStore { return st.log }

// session returns r's live session, ErrNoStaffSession when its cookie
// names none (absent, malformed, unknown, expired or signed out).
func (st *Staff) session(r *http.Request) (store.StaffSession, error) {
	c, err := r.Cookie(staffCookie)
	if err != nil || !validSessionID(c.Value) {
		return store.StaffSession{}, store.ErrNoStaffSession
	}
	s, err := st.accounts().StaffSession(r.Context(), sessionHash(c.Value), st.now())
	if databaseDown(err) {
		return st.fallbackSession(sessionHash(c.Value))
	}
	if err == nil || errors.Is(err, store.ErrNoStaffSession) {
		st.dropFallback() // the database answers: the accounts apply
	}
	if err == nil && s.Account == bootstrapAccount {
		return st.tokenSession(r, s)
	}
	return s, err
}

// tokenSession returns s, a stored session of the bootstrap token, while
// no account exists, ErrNoStaffSession once one does. Adding the first
// account deletes these sessions already; this check holds even if one
// was left (a database restored, a row written by an older version).
func (st *Staff) tokenSession(r *http.Request, s store.StaffSession) (store.StaffSession, error) {
	has, err := st.accounts().HasStaffAccounts(r.Context())
	switch {
	case err != nil:
		return store.StaffSession{}, err
	case has:
		return store.StaffSession{}, store.ErrNoStaffSession
	}
	return s, nil
}

// validSessionID reports whether id has the shape of newSession's ids, so
// that a forged cookie of any other shape costs no query.
func validSessionID(id string) bool {
	if len(id) != 2*staffTokenBytes {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

// sessionHash is what the store keeps of a session id: its SHA-256, so
// that the database alone does not sign anyone in.
func sessionHash(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// openSession stores a new session for account with role and sets its
// cookie on w.
func (st *Staff) openSession(w http.ResponseWriter, r *http.Request, account, role string) error {
	id := randomHex(staffTokenBytes)
	now := st.now()
	s := store.StaffSession{IDHash: sessionHash(id), Account: account, Role: role, Expires: now.Add(staffSessionTTL)}
	if err := st.accounts().CreateStaffSession(r.Context(), s, now); err != nil {
		return err
	}
	setSessionCookie(w, r, id)
	return nil
}

// setSessionCookie sets the session cookie of id on w.
func setSessionCookie(w http.ResponseWriter, r *http.Request, id string) {
	http.SetCookie(w, &http.Cookie{
		Name:     staffCookie,
		Value:    id,
		Path:     "/",
		MaxAge:   int(staffSessionTTL.Seconds()),
		HttpOnly: true,
		Secure:   secureRequest(r),
		SameSite: http.SameSiteStrictMode,
	})
}

// handleSignOut ends the session: its row goes, so it ends on every
// server sharing the database.
func (st *Staff) handleSignOut(w http.ResponseWriter, r *http.Request) {
	staffHeaders(w)
	if c, err := r.Cookie(staffCookie); err == nil && validSessionID(c.Value) {
		st.mu.Lock()
		delete(st.fallback, sessionHash(c.Value))
		st.mu.Unlock()
		if err := st.accounts().DeleteStaffSession(r.Context(), sessionHash(c.Value)); err != nil && !databaseDown(err) {
			st.unavailable(w, "staff sign-out", err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: staffCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secureRequest(r), SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/staff/signin", http.StatusSeeOther)
}

// handleMe says who is signed in and with which role, for the console's
// script.
func (st *Staff) handleMe(w http.ResponseWriter, r *http.Request) {
	s, _ := staffSession(r)
	writeJSON(w, http.StatusOK, map[string]string{"name": s.Account, "role": s.Role})
}
