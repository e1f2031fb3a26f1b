package web

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/causette/causette/web/store"
)

// The console's « Demandes » inbox: the requests visitors sent with the
// contact form (contact_form.go), newest first; staff move them along
// (new, in progress, done) and delete them, the visitor's address with
// them.

// requestStore is what the contact form, the inbox and the webhook's outbox
// need of the requests; the store (SQLite or PostgreSQL) holds them.
type requestStore interface {
	AddRequest(ctx context.Context, r store.Request, webhook bool) (store.Request, error)
	Requests(ctx context.Context) ([]store.Request, error)
	SetRequestStatus(ctx context.Context, id int64, status, by string) (store.Request, error)
	DeleteRequest(ctx context.Context, id int64) error
	TurnsByKey(ctx context.Context, keys []string) ([]store.Turn, error)
	DueDeliveries(ctx context.Context, now time.Time, max int) ([]store.Request, error)
	NextDelivery(ctx context.Context) (time.Time, bool, error)
	ClaimDelivery(ctx context.Context, id int64, attempts int, now time.Time, lease time.Duration) (bool, error)
	SetDelivery(ctx context.Context, id int64, d store.Delivery) error
}

var _ requestStore = (*store.Log)(nil)

// maxStatusBody bounds a status change: {"status":"in_progress"}.
const maxStatusBody = 1 << 10

func (st *Staff) requests() requestStore { return st.log }

// handleRequests lists the requests, with how many are new (for the tab).
func (st *Staff) handleRequests(w http.ResponseWriter, r *http.Request) {
	list, err := st.requests().Requests(r.Context())
	if err != nil {
		st.requestError(w, err)
		return
	}
	if list == nil {
		list = []store.Request{}
	}
	fresh := 0
	for _, q := range list {
		if q.Status == store.StatusNew {
			fresh++
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": list, "new": fresh, "days": st.log.Days()})
}

// handleRequestStatus sets request {id}'s status from {"status": ...}.
func (st *Staff) handleRequestStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := requestID(w, r)
	if !ok {
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, apiError{Code: "not_json", Message: "Envoyez le statut en JSON."})
		return
	}
	body, err := readBody(w, r, maxStatusBody)
	var in struct {
		Status string `json:"status"`
	}
	if err != nil || json.Unmarshal(body, &in) != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Code: "invalid_json", Message: "Statut illisible (JSON attendu)."})
		return
	}
	switch in.Status {
	case store.StatusNew, store.StatusInProgress, store.StatusDone:
	default:
		writeJSON(w, http.StatusBadRequest, apiError{Code: "invalid_status",
			Message: "Statut inconnu : « new », « in_progress » ou « done »."})
		return
	}
	req, err := st.requests().SetRequestStatus(r.Context(), id, in.Status, st.who(r))
	if err != nil {
		st.requestError(w, err)
		return
	}
	st.logger.Info("request status", "request", id, "status", in.Status, "by", st.who(r))
	writeJSON(w, http.StatusOK, req)
}

// handleDeleteRequest deletes request {id}: its message, address and turns
// go with it.
func (st *Staff) handleDeleteRequest(w http.ResponseWriter, r *http.Request) {
	id, ok := requestID(w, r)
	if !ok {
		return
	}
	if err := st.requests().DeleteRequest(r.Context(), id); err != nil {
		st.requestError(w, err)
		return
	}
	st.logger.Info("request deleted", "request", id, "by", st.who(r))
	w.WriteHeader(http.StatusNoContent)
}

// requestID reads {id}; it answers 404 and returns false when it is not one.
func requestID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n <= 0 {
		writeJSON(w, http.StatusNotFound, apiError{Code: "unknown_request", Message: "Cette demande n’existe pas (ou plus)."})
		return 0, false
	}
	return n, true
}

// requestError answers a failed read or change of the inbox.
func (st *Staff) requestError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrNoRequest):
		writeJSON(w, http.StatusNotFound, apiError{Code: "unknown_request", Message: "Cette demande n’existe pas (ou plus)."})
	case errors.Is(err, store.ErrUnavailable):
		writeJSON(w, http.StatusServiceUnavailable, apiError{Code: "unavailable", Message: "La base de données est indisponible : réessayez dans un instant."})
	default:
		st.logger.Error("requests", "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Code: "store_error", Message: "La demande n’a pas pu être lue ou modifiée."})
	}
}
