package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/causette/causette/web/store"
)

// While the database cannot be opened (missing or read-only directory),
// no account can be checked nor any session stored: the bootstrap token
// then opens a read-only session kept in this server's memory, so that the
// staff can read in the console why the database fails (/staff/api/health).
// Such sessions end as soon as the database is back: the accounts apply
// again.

// maxFallbackSessions bounds the sessions kept in memory while the
// database is down: a few staff looking at what broke, not thousands.
const maxFallbackSessions = 100

// msgDatabaseDown tells the staff the token opens the console read only
// while the database is down.
const msgDatabaseDown = "La base de données est indisponible : le jeton d’amorçage ouvre la console en lecture, le temps de voir pourquoi."

// fallbackSession returns the in-memory session under idHash, if the
// database is still down and the session live.
func (st *Staff) fallbackSession(idHash string) (store.StaffSession, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	exp, ok := st.fallback[idHash]
	if !ok || !st.now().Before(exp) {
		delete(st.fallback, idHash)
		return store.StaffSession{}, store.ErrNoStaffSession
	}
	return store.StaffSession{IDHash: idHash, Account: bootstrapAccount, Role: store.RoleRead, Expires: exp}, nil
}

// dropFallback ends the in-memory sessions: the database is back.
func (st *Staff) dropFallback() {
	st.mu.Lock()
	clear(st.fallback)
	st.mu.Unlock()
}

// openFallbackSession keeps a read-only token session in memory and sets
// its cookie, past maxFallbackSessions forgetting the one closest to expiry.
func (st *Staff) openFallbackSession(w http.ResponseWriter, r *http.Request) {
	id := randomHex(staffTokenBytes)
	now := st.now()
	st.mu.Lock()
	if len(st.fallback) >= maxFallbackSessions {
		var oldest string
		for k, exp := range st.fallback {
			if oldest == "" || exp.Before(st.fallback[oldest]) {
				oldest = k
			}
		}
		delete(st.fallback, oldest)
	}
	st.fallback[sessionHash(id)] = now.Add(staffSessionTTL)
	st.mu.Unlock()
	setSessionCookie(w, r, id)
}

// signInDatabaseDown checks the token while the database is down and
// opens a read-only session in memory.
func (st *Staff) signInDatabaseDown(w http.ResponseWriter, r *http.Request, d signInData, ip string, now time.Time) {
	d.Accounts = false
	if !st.rightToken(r) {
		st.wrongToken(w, d, ip, now)
		return
	}
	st.openFallbackSession(w, r)
	st.logger.Warn("staff signed in with the token while the database is unavailable: read only, in memory", "ip", ip)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// databaseDown reports whether err says the database is not open.
func databaseDown(err error) bool { return errors.Is(err, store.ErrUnavailable) }
