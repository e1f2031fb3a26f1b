package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/web/store"
)

// Staff API bounds.
const (
	// staffSearchTop is how many passages the lookup lists: a screenful or
	// two, ranked; further down is noise.
	staffSearchTop = 20
	// staffNearest is how many passages an unanswered question suggests.
	staffNearest = 3
	// staffDefaultSince is the log views' default period: a week of questions.
	staffDefaultSince = "7d"
	// staffViewLimit bounds a log view's rows on screen (CSV has them all).
	staffViewLimit = 200
	// staffFlushWait is how long a log view waits for queued turns to be
	// written, so that a question asked a moment ago shows.
	staffFlushWait = 500 * time.Millisecond
)

// staffSearch is the lookup's answer to a query.
type staffSearch struct {
	Query string `json:"query"`
	// Searched is the query with its last word completed, as searched.
	Searched string          `json:"searched"`
	Answer   *chat.Answer    `json:"answer,omitempty"`
	Passages []rankedPassage `json:"passages"`
	TookMS   float64         `json:"took_ms"`
}

// handleSearch answers GET /staff/api/search?q=...: the answer Causette would
// give, then the ranked passages with their highlights.
func (st *Staff) handleSearch(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	q := r.URL.Query().Get("q")
	if utf8.RuneCountInString(q) > chat.MaxQuestionRunes {
		writeJSON(w, http.StatusBadRequest, apiError{Code: "too_long", Message: chat.ErrTooLong.Message})
		return
	}
	snap := st.current.Load()
	if snap == nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Code: "not_ready", Message: errNotReady.Message})
		return
	}
	res := staffSearch{Query: q, Searched: snap.Index.Complete(q), Passages: []rankedPassage{}}
	if strings.TrimSpace(res.Searched) != "" {
		if a, err := snap.Engine.Ask(res.Searched, ""); err == nil {
			res.Answer = &a
		}
		found, err := snap.Index.Find(res.Searched, staffSearchTop)
		if err != nil {
			st.logger.Error("staff search failed", "err", err)
			writeJSON(w, http.StatusInternalServerError, apiError{Code: "internal", Message: "La recherche a échoué ; réessayez."})
			return
		}
		res.Passages = rankedPassages(found)
	}
	res.TookMS = float64(time.Since(start).Microseconds()) / 1000
	writeJSON(w, http.StatusOK, res)
}

// handleLogView answers GET /staff/api/log/{view}[.csv]?since=7d: view is
// unanswered, disliked, top or recent; with .csv, the whole view as CSV.
func (st *Staff) handleLogView(w http.ResponseWriter, r *http.Request) {
	view, asCSV := strings.CutSuffix(r.PathValue("view"), ".csv")
	sinceText := r.URL.Query().Get("since")
	if sinceText == "" {
		sinceText = staffDefaultSince
	}
	since, err := store.ParseSince(sinceText)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Code: "bad_since", Message: "Période illisible : écrivez par exemple 7d ou 12h."})
		return
	}
	limit := staffViewLimit
	if asCSV {
		limit = 0
	}
	ctx := r.Context()
	fctx, cancel := context.WithTimeout(ctx, staffFlushWait)
	st.log.Flush(fctx) // best effort: show what was asked a moment ago
	cancel()
	from := st.now().Add(-since)
	var groups []store.Group
	var turns []store.Turn
	answered := 0 // unanswered groups the team has answered since
	switch view {
	case "unanswered":
		groups, err = st.log.Unanswered(ctx, from, 0) // all: the answered leave before the limit
		if err == nil {
			groups, answered = st.withoutAnswered(ctx, groups)
			if limit > 0 && len(groups) > limit {
				groups = groups[:limit]
			}
			st.addNearest(groups)
		}
	case "top":
		groups, err = st.log.Top(ctx, from, limit)
	case "disliked":
		turns, err = st.log.Disliked(ctx, from, limit)
	case "recent":
		turns, err = st.log.Recent(ctx, from, limit)
	default:
		writeJSON(w, http.StatusNotFound, apiError{Code: "not_found", Message: "Cette vue n’existe pas."})
		return
	}
	if err != nil {
		st.logger.Error("staff log view failed", "view", view, "err", err)
		msg := "Le journal des questions n’a pas pu être lu ; réessayez."
		if errors.Is(err, store.ErrUnavailable) {
			msg = "Le journal des questions est indisponible : voyez /healthz/log et le journal du serveur."
		}
		writeJSON(w, http.StatusServiceUnavailable, apiError{Code: "log_unavailable", Message: msg})
		return
	}
	if asCSV {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="causette-`+view+`.csv"`)
		if view == "unanswered" || view == "top" {
			store.WriteGroupsCSV(w, groups)
		} else {
			store.WriteTurnsCSV(w, turns)
		}
		return
	}
	body := map[string]any{"view": view, "since": sinceText, "days": st.log.Days()}
	if view == "unanswered" {
		body["answered"] = answered
	}
	if view == "unanswered" || view == "top" {
		body["groups"] = nonNil(groups)
	} else {
		body["turns"] = nonNil(turns)
	}
	writeJSON(w, http.StatusOK, body)
}

// withoutAnswered leaves out the groups whose question the team has
// answered since (an enabled entry asks it, in its question or another phrasing,
// as GroupKey reads it) or attached to a passage, and counts them.
func (st *Staff) withoutAnswered(ctx context.Context, groups []store.Group) ([]store.Group, int) {
	asked := st.attachedKeys(ctx)
	entries, err := st.team().Entries(ctx)
	if err != nil {
		entries = nil
	}
	if len(entries) == 0 && len(asked) == 0 {
		return groups, 0
	}
	for _, e := range entries {
		if !e.Enabled {
			continue // a draft or a withdrawn answer answers nobody
		}
		for _, q := range append([]string{e.Question}, e.Alternates...) {
			asked[store.GroupKey(q)] = true
		}
	}
	kept := groups[:0]
	answered := 0
	for _, g := range groups {
		hit := asked[g.Key]
		for _, w := range g.Wordings {
			hit = hit || asked[store.GroupKey(w.Text)]
		}
		if hit {
			answered++
			continue
		}
		kept = append(kept, g)
	}
	return kept, answered
}

// addNearest adds to each group the passages closest to its question.
func (st *Staff) addNearest(groups []store.Group) {
	snap := st.current.Load()
	if snap == nil {
		return
	}
	for i := range groups {
		found, err := snap.Index.Find(groups[i].Question, staffNearest)
		if err != nil {
			continue
		}
		groups[i].Nearest = store.NearOf(found.Matches)
	}
}

// nonNil returns s, or an empty slice for nil, so that JSON says [] and not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
