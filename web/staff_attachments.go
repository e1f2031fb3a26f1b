package web

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/causette/causette/index"
	"github.com/causette/causette/web/store"
)

// attachmentStore is what the console needs of the phrasings attached to
// passages; the store (SQLite or PostgreSQL) holds them.
type attachmentStore interface {
	Attachments(ctx context.Context) ([]store.Attachment, error)
	Attach(ctx context.Context, as []store.Attachment, by string) ([]store.Attachment, error)
	DeleteAttachment(ctx context.Context, id int64) error
}

var _ attachmentStore = (*store.Log)(nil)

// maxAttachBody bounds the phrasings sent to attach at once.
const maxAttachBody = 64 << 10

// The states of an attachment in the index in service.
const (
	attachedFound   = "attached" // its passage has it (at At)
	attachedOrphan  = "orphan"   // no passage has its fingerprint any more
	attachedPending = "pending"  // not yet applied: the index reloads
)

// attachmentView is an attachment as the console lists it: with its state
// in the index in service and, when found, its passage's id there now.
type attachmentView struct {
	store.Attachment
	State string `json:"state"`
	At    string `json:"at,omitempty"`
}

// attachInput is what the console sends to attach phrasings to a passage.
type attachInput struct {
	Passage   string   `json:"passage"`
	Phrasings []string `json:"phrasings"`
}

func (st *Staff) attachments() attachmentStore { return st.log }

// handleAttachments lists the attached phrasings with their state, and how
// many are orphaned (« Rattachements sans passage »).
func (st *Staff) handleAttachments(w http.ResponseWriter, r *http.Request) {
	list, err := st.attachments().Attachments(r.Context())
	if err != nil {
		st.attachError(w, err)
		return
	}
	views, orphans := st.attachmentViews(list)
	writeJSON(w, http.StatusOK, map[string]any{"attachments": nonNil(views), "orphans": orphans})
}

// attachmentViews gives each attachment its state in the index in service.
func (st *Staff) attachmentViews(list []store.Attachment) ([]attachmentView, int) {
	at, orphaned := map[string]string{}, map[string]bool{}
	if snap := st.current.Load(); snap != nil {
		for _, p := range snap.Index.Passages() {
			if len(p.Attached) > 0 {
				at[index.Fingerprint(p.Text)] = p.ID
			}
		}
		for _, fp := range snap.Index.Stats().Orphans {
			orphaned[fp] = true
		}
	}
	var out []attachmentView
	orphans := 0
	for _, a := range list {
		v := attachmentView{Attachment: a, State: attachedPending}
		switch {
		case at[a.Fingerprint] != "":
			v.State, v.At = attachedFound, at[a.Fingerprint]
		case orphaned[a.Fingerprint]:
			v.State = attachedOrphan
			orphans++
		}
		out = append(out, v)
	}
	return out, orphans
}

// handleAttach attaches phrasings to a passage of the index in service,
// named by its text's fingerprint: they apply at the next reload, at once.
func (st *Staff) handleAttach(w http.ResponseWriter, r *http.Request) {
	in, p, ok := st.readAttachPassage(w, r)
	if !ok {
		return
	}
	if p.Doc == TeamDoc {
		writeJSON(w, http.StatusBadRequest, apiError{Code: "team_passage",
			Message: "Une réponse de l’équipe prend ses formulations dans sa fiche : modifiez-la plutôt."})
		return
	}
	fp := index.Fingerprint(p.Text)
	var as []store.Attachment
	for _, q := range in.Phrasings {
		as = append(as, store.Attachment{Phrasing: q, Passage: p.ID, Doc: p.Doc, Fingerprint: fp, Excerpt: p.Text})
	}
	added, err := st.attachments().Attach(r.Context(), as, st.who(r))
	if err != nil {
		st.attachError(w, err)
		return
	}
	st.logger.Info("phrasings attached", "passage", p.ID, "added", len(added), "by", st.who(r))
	writeJSON(w, http.StatusCreated, map[string]any{"attached": nonNil(added)})
}

// readAttachPassage reads phrasings sent for a passage and finds that
// passage in the index in service; it answers the error itself when it
// cannot (ok false).
func (st *Staff) readAttachPassage(w http.ResponseWriter, r *http.Request) (in attachInput, p index.Passage, ok bool) {
	if in, ok = readAttach(w, r); !ok {
		return in, p, false
	}
	snap := st.current.Load()
	if snap == nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Code: "not_ready", Message: errNotReady.Message})
		return in, p, false
	}
	if p, ok = snap.Index.Passage(in.Passage); !ok {
		writeJSON(w, http.StatusNotFound, apiError{Code: "unknown_passage", Message: "Ce passage n’existe pas dans le corpus servi : rechargez la page."})
	}
	return in, p, ok
}

// handleDeleteAttachment deletes attachment {id}.
func (st *Staff) handleDeleteAttachment(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n <= 0 {
		err = store.ErrNoAttachment
	} else {
		err = st.attachments().DeleteAttachment(r.Context(), n)
	}
	if err != nil {
		st.attachError(w, err)
		return
	}
	st.logger.Info("attachment deleted", "attachment", n, "by", st.who(r))
	w.WriteHeader(http.StatusNoContent)
}

// readAttach reads the phrasings sent as JSON: only as JSON (a form of
// another site cannot send it), of at most maxAttachBody.
func readAttach(w http.ResponseWriter, r *http.Request) (attachInput, bool) {
	var in attachInput
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, apiError{Code: "not_json", Message: "Envoyez les formulations en JSON."})
		return in, false
	}
	body, err := readBody(w, r, maxAttachBody)
	if err != nil {
		writeJSON(w, bodyErrorStatus(err), apiError{Code: "bad_body", Message: "Formulations trop longues ou incomplètes."})
		return in, false
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Code: "invalid_json", Message: "Formulations illisibles (JSON attendu)."})
		return in, false
	}
	in.Passage = strings.TrimSpace(in.Passage)
	return in, true
}

// attachError answers a failed change of the attachments.
func (st *Staff) attachError(w http.ResponseWriter, err error) {
	var invalid *store.InvalidAttachment
	switch {
	case errors.Is(err, store.ErrNoAttachment):
		writeJSON(w, http.StatusNotFound, apiError{Code: "unknown_attachment", Message: "Ce rattachement n’existe pas."})
	case errors.Is(err, store.ErrUnavailable):
		writeJSON(w, http.StatusServiceUnavailable, apiError{Code: "unavailable", Message: "La base de données est indisponible : réessayez dans un instant."})
	case errors.As(err, &invalid):
		writeJSON(w, http.StatusBadRequest, apiError{Code: "invalid_attachment", Message: invalid.Error()})
	default:
		st.logger.Error("attachments", "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Code: "store_error", Message: "L’enregistrement a échoué."})
	}
}

// attachedKeys are the wordings attached to passages, as GroupKey reads
// them: a group of the unanswered view that asks one has been acted on.
func (st *Staff) attachedKeys(ctx context.Context) map[string]bool {
	keys := map[string]bool{}
	list, err := st.attachments().Attachments(ctx)
	if err != nil {
		return keys
	}
	for _, a := range list {
		keys[store.GroupKey(a.Phrasing)] = true
	}
	return keys
}
