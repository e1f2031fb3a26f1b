package web

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/causette/causette/web/store"
)

// teamStore is what the console needs of the team's answers; the store
// (SQLite or PostgreSQL) holds them.
type teamStore interface {
	Entries(ctx context.Context) ([]store.Entry, error)
	SaveEntry(ctx context.Context, e store.Entry, by string) (store.Entry, error)
	DeleteEntry(ctx context.Context, id int64, by string) error
}

var _ teamStore = (*store.Log)(nil)

// maxEntryBody bounds an entry sent to the console's API.
const maxEntryBody = 64 << 10

// entryInput is an entry as the console sends it.
type entryInput struct {
	Question   string   `json:"question"`
	Alternates []string `json:"alternates"`
	Answer     string   `json:"answer"`
	Link       string   `json:"link"`
	Enabled    bool     `json:"enabled"`
	// Version is the version the change was made on (0: no check).
	Version int `json:"version"`
}

// handleEntries lists the team's answers.
func (st *Staff) handleEntries(w http.ResponseWriter, r *http.Request) {
	entries, err := st.team().Entries(r.Context())
	if err != nil {
		st.storeError(w, err)
		return
	}
	for i := range entries {
		entries[i] = listed(entries[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": nonNil(entries)})
}

// handleSaveEntry adds an entry (POST) or replaces entry {id} (PUT).
func (st *Staff) handleSaveEntry(w http.ResponseWriter, r *http.Request) {
	in, ok := readEntry(w, r)
	if !ok {
		return
	}
	e := store.Entry{Question: strings.TrimSpace(in.Question), Answer: strings.TrimSpace(in.Answer),
		Link: strings.TrimSpace(in.Link), Enabled: in.Enabled, Version: in.Version}
	for _, a := range in.Alternates {
		if a = strings.TrimSpace(a); a != "" {
			e.Alternates = append(e.Alternates, a)
		}
	}
	if e.Link != "" {
		if u, err := url.Parse(e.Link); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			writeJSON(w, http.StatusBadRequest, apiError{Code: "invalid_link", Message: "Le lien doit être une adresse http(s) complète."})
			return
		}
	}
	if id := r.PathValue("id"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			writeJSON(w, http.StatusNotFound, apiError{Code: "unknown_entry", Message: "Cette réponse de l'équipe n'existe pas."})
			return
		}
		e.ID = n
	}
	saved, err := st.team().SaveEntry(r.Context(), e, st.who(r))
	if err != nil {
		st.storeError(w, err)
		return
	}
	st.logger.Info("team answer saved", "entry", saved.ID, "version", saved.Version)
	status := http.StatusOK
	if e.ID == 0 {
		status = http.StatusCreated
	}
	writeJSON(w, status, listed(saved))
}

// listed gives e's lists as [] rather than null when empty: the console
// reads their length.
func listed(e store.Entry) store.Entry {
	e.Alternates, e.Passages = nonNil(e.Alternates), nonNil(e.Passages)
	return e
}

// handleDeleteEntry deletes entry {id}.
func (st *Staff) handleDeleteEntry(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n <= 0 {
		err = store.ErrNoEntry
	} else {
		err = st.team().DeleteEntry(r.Context(), n, st.who(r))
	}
	if err != nil {
		st.storeError(w, err)
		return
	}
	st.logger.Info("team answer deleted", "entry", n)
	w.WriteHeader(http.StatusNoContent)
}

func (st *Staff) team() teamStore { return st.log }

// readEntry reads an entry sent as JSON: only as JSON (a form of another
// site cannot send it), of at most maxEntryBody.
func readEntry(w http.ResponseWriter, r *http.Request) (entryInput, bool) {
	var in entryInput
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, apiError{Code: "not_json", Message: "Envoyez la réponse en JSON."})
		return in, false
	}
	body, err := readBody(w, r, maxEntryBody)
	if err != nil {
		writeJSON(w, bodyErrorStatus(err), apiError{Code: "bad_body", Message: "Réponse trop longue ou incomplète."})
		return in, false
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Code: "invalid_json", Message: "Réponse illisible (JSON attendu)."})
		return in, false
	}
	return in, true
}

// storeError answers a failed change of the team's answers.
func (st *Staff) storeError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrEntryChanged):
		writeJSON(w, http.StatusConflict, apiError{Code: "entry_changed", Message: "Cette réponse a été modifiée entre-temps : rechargez la liste et refaites votre changement."})
	case errors.Is(err, store.ErrNoEntry):
		writeJSON(w, http.StatusNotFound, apiError{Code: "unknown_entry", Message: "Cette réponse de l'équipe n'existe pas."})
	case errors.Is(err, store.ErrUnavailable):
		writeJSON(w, http.StatusServiceUnavailable, apiError{Code: "unavailable", Message: "La base de données est indisponible : réessayez dans un instant."})
	default:
		var invalid *store.InvalidEntry
		if errors.As(err, &invalid) {
			writeJSON(w, http.StatusBadRequest, apiError{Code: "invalid_entry", Message: invalid.Error()})
			return
		}
		st.logger.Error("team answers", "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Code: "store_error", Message: "L'enregistrement a échoué."})
	}
}
