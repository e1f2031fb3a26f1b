package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/causette/causette/index"
	"github.com/causette/causette/web/store"
)

// Suggestions, as active learning does (see store/suggestions.go).
const (
	// suggestBelow is the confidence under which an answer is unsure: past
	// the chat's threshold (0.2), but not by much (a guess, to tune on a
	// real log: the confidence is calibrated, so half is a coin toss).
	suggestBelow = 0.5
	// suggestMinAsked is how many times a passage's unsure wordings were
	// asked at the least to be proposed: one visitor's odd wording is no
	// pattern.
	suggestMinAsked = 2
	// suggestDefaultSince is how far back suggestions look by default: a
	// month gathers enough wordings on a small site.
	suggestDefaultSince = "30d"
	// suggestTextRunes bounds the passage's text a suggestion shows.
	suggestTextRunes = 400
)

// suggestionStore is what the suggestions need of the question log, beside
// the attachments (attachmentStore).
type suggestionStore interface {
	Uncertain(ctx context.Context, since time.Time, below float64) ([]store.Group, error)
	Reject(ctx context.Context, fingerprint string, phrasings []string, by string) error
	Rejected(ctx context.Context) (map[string]bool, error)
}

var _ suggestionStore = (*store.Log)(nil)

func (st *Staff) suggestionStore() suggestionStore { return st.log }

// suggestion proposes wordings as phrasings of one passage.
type suggestion struct {
	Passage   string          `json:"passage"`
	Title     string          `json:"title"`
	Paragraph int             `json:"paragraph"`
	Text      string          `json:"text"`
	Wordings  []store.Wording `json:"wordings"`
	// Count is how many times the wordings were asked; Down how many
	// answers to them were rated down.
	Count int `json:"count"`
	Down  int `json:"down"`
	// at finds a wording in Wordings by RejectedKey.
	at map[string]int
}

// handleSuggestions answers GET /staff/api/suggestions?since=30d: the
// passages whose unsure answers' wordings may be its phrasings, most asked
// first, without those attached already or rejected.
func (st *Staff) handleSuggestions(w http.ResponseWriter, r *http.Request) {
	sinceText := cmp.Or(r.URL.Query().Get("since"), suggestDefaultSince)
	since, err := store.ParseSince(sinceText)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Code: "bad_since", Message: "Période illisible : écrivez par exemple 30d ou 12h."})
		return
	}
	snap := st.current.Load()
	if snap == nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Code: "not_ready", Message: errNotReady.Message})
		return
	}
	ctx := r.Context()
	fctx, cancel := context.WithTimeout(ctx, staffFlushWait)
	st.log.Flush(fctx) // best effort: show what was asked a moment ago
	cancel()
	groups, err := st.suggestionStore().Uncertain(ctx, st.now().Add(-since), suggestBelow)
	var rejected map[string]bool
	if err == nil {
		rejected, err = st.suggestionStore().Rejected(ctx)
	}
	var attached []store.Attachment
	if err == nil {
		attached, err = st.attachments().Attachments(ctx)
	}
	if err != nil {
		st.attachError(w, err)
		return
	}
	known := rejected
	for _, a := range attached {
		known[store.RejectedKey(a.Fingerprint, a.Phrasing)] = true
	}
	writeJSON(w, http.StatusOK, map[string]any{"since": sinceText,
		"suggestions": nonNil(suggest(snap.Index, groups, known))})
}

// suggest gathers the groups by the passage they cited most, leaving out
// the wordings known for it (attached or rejected: see RejectedKey), the
// team's answers and the passages the corpus no longer has.
func suggest(ix *index.Index, groups []store.Group, known map[string]bool) []suggestion {
	byPassage := map[string]*suggestion{}
	var out []*suggestion
	for _, g := range groups {
		p, ok := ix.Passage(g.Passage)
		if !ok || p.Doc == TeamDoc {
			continue
		}
		fp := index.Fingerprint(p.Text)
		s := byPassage[p.ID]
		if s == nil {
			text := p.Text
			if r := []rune(text); len(r) > suggestTextRunes {
				text = string(r[:suggestTextRunes]) + "…"
			}
			s = &suggestion{Passage: p.ID, Title: p.Title, Paragraph: p.Paragraph, Text: text, at: map[string]int{}}
			byPassage[p.ID] = s
			out = append(out, s)
		}
		for _, w := range g.Wordings {
			k := store.RejectedKey(fp, w.Text)
			if known[k] || (p.Question != "" && store.GroupKey(p.Question) == store.GroupKey(w.Text)) {
				continue
			}
			s.Count += w.Count
			if i, dup := s.at[k]; dup { // worded alike: one phrasing
				s.Wordings[i].Count += w.Count
				continue
			}
			s.at[k] = len(s.Wordings)
			s.Wordings = append(s.Wordings, w)
		}
		s.Down += g.Down
	}
	var kept []suggestion
	for _, s := range out {
		if len(s.Wordings) > 0 && s.Count >= suggestMinAsked {
			kept = append(kept, *s)
		}
	}
	slices.SortStableFunc(kept, func(x, y suggestion) int { return cmp.Compare(y.Count, x.Count) })
	return kept
}

// handleReject keeps phrasings as rejected for a passage of the index in
// service: they are not proposed for it again.
func (st *Staff) handleReject(w http.ResponseWriter, r *http.Request) {
	in, p, ok := st.readAttachPassage(w, r)
	if !ok {
		return
	}
	if err := st.suggestionStore().Reject(r.Context(), index.Fingerprint(p.Text), in.Phrasings, st.who(r)); err != nil {
		st.attachError(w, err)
		return
	}
	st.logger.Info("suggestion rejected", "passage", p.ID, "phrasings", len(in.Phrasings), "by", st.who(r))
	w.WriteHeader(http.StatusNoContent)
}
