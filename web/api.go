package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/index"
)

// Search API bounds.
const (
	// defaultSearchTop is how many passages GET /api/search returns.
	defaultSearchTop = 10
	// maxSearchTop bounds ?top=: a page of results, not the whole corpus.
	maxSearchTop = 50
)

// API headers.
const (
	// preflightMaxAge is how long a browser may reuse a CORS preflight: ten
	// minutes spare a preflight per call, and a change of --allow-origin still
	// reaches pages soon.
	preflightMaxAge = 10 * time.Minute
	// apiRetryAfter is what a rate-limited caller is told to wait: at the
	// default rate (DefaultAPIRatePerSecond) a token is back well within it.
	apiRetryAfter = time.Second
	// bodyWait bounds the reading of a request body: the largest taken is
	// a few KiB, which a phone on a poor network sends in well under a second.
	bodyWait = 5 * time.Second
)

// askRequest is the body of POST /api/ask.
type askRequest struct {
	Q       string `json:"q"`
	Context string `json:"context"`
}

// apiError is the body of an API error.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// rankedPassage is one passage of a search, GET /api/search's or the staff
// lookup's.
type rankedPassage struct {
	index.Passage
	Highlights [][2]int `json:"highlights"`
	Score      float64  `json:"score"`
}

// handleAPIAsk answers {"q","context"} with the shared answer shape.
func (s *Server) handleAPIAsk(w http.ResponseWriter, r *http.Request) {
	if !s.apiGate(w, r) {
		return
	}
	body, err := readBody(w, r, s.limits.MaxBody)
	if err != nil {
		s.writeError(w, bodyErrorStatus(err), err)
		return
	}
	req, err := parseAskRequest(body)
	if err != nil {
		s.writeError(w, http.StatusBadRequest, err)
		return
	}
	rec, a, err := s.answer(req.Q, req.Context, "api")
	if err != nil {
		status := http.StatusBadRequest
		var ce *chat.Error
		switch {
		case err == errNotReady:
			status = http.StatusServiceUnavailable
		case !errors.As(err, &ce):
			status = http.StatusInternalServerError
		}
		s.writeError(w, status, err)
		return
	}
	s.logTurn(rec, 0) // before the answer leaves: feedback on it may come at once
	w.Header().Set("X-Causette-Turn", rec.ID)
	writeJSON(w, http.StatusOK, a)
}

// parseAskRequest reads a POST /api/ask body; the error is a *chat.Error
// safe to show.
func parseAskRequest(body []byte) (askRequest, error) {
	var req askRequest
	if !utf8.Valid(body) {
		return req, errInvalidText
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return askRequest{}, errBadJSON
	}
	return req, nil
}

// readBody reads a request's body: at most max bytes, and within bodyWait
// (set by Server.secure), so a client that sends a byte a second is cut.
// The error is a *chat.Error safe to show (see bodyErrorStatus).
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return body, nil
	case errors.As(err, &tooBig):
		return nil, errTooLarge
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, errSlowBody
	default:
		return nil, errBadJSON
	}
}

// setBodyDeadline gives the request's body bodyWait to arrive, on servers
// that allow it (not on test recorders).
func setBodyDeadline(w http.ResponseWriter) {
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyWait))
}

// bodyErrorStatus is the HTTP status of a readBody error.
func bodyErrorStatus(err error) int {
	switch err {
	case errTooLarge:
		return http.StatusRequestEntityTooLarge
	case errSlowBody:
		return http.StatusRequestTimeout
	}
	return http.StatusBadRequest
}

// handleAPISearch returns the passages ranked for ?q=, with the matched
// words' offsets (code points) in highlights.
func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) {
	if !s.apiGate(w, r) {
		return
	}
	q := r.URL.Query().Get("q")
	if !utf8.ValidString(q) {
		s.writeError(w, http.StatusBadRequest, errInvalidText)
		return
	}
	if utf8.RuneCountInString(q) > chat.MaxQuestionRunes {
		s.writeError(w, http.StatusBadRequest, chat.ErrTooLong)
		return
	}
	top := defaultSearchTop
	if v := r.URL.Query().Get("top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.writeError(w, http.StatusBadRequest, &chat.Error{Code: "bad_top", Message: "« top » doit être un entier positif."})
			return
		}
		top = min(n, maxSearchTop)
	}
	start := time.Now()
	snap := s.current.Load()
	if snap == nil {
		s.writeError(w, http.StatusServiceUnavailable, errNotReady)
		return
	}
	found, err := snap.Index.Find(q, top)
	if err != nil {
		s.log.Error("search failed", "err", err)
		s.writeError(w, http.StatusInternalServerError, errInternal)
		return
	}
	out := struct {
		Query    string          `json:"query"`
		Passages []rankedPassage `json:"passages"`
	}{Query: q, Passages: rankedPassages(found)}
	writeJSON(w, http.StatusOK, out)
	s.log.Info("search", "results", len(found.Matches), "latency", time.Since(start))
}

// rankedPassages turns a search's matches into their JSON form.
func rankedPassages(f index.Found) []rankedPassage {
	out := make([]rankedPassage, 0, len(f.Matches))
	for _, m := range f.Matches {
		out = append(out, rankedPassage{Passage: *m.Passage, Highlights: m.Highlights, Score: m.Score})
	}
	return out
}

// handleAPIPreflight answers CORS preflights of allowed origins.
func (s *Server) handleAPIPreflight(w http.ResponseWriter, r *http.Request) {
	if !s.cors(w, r) {
		return
	}
	w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
	w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
	w.Header().Set("Access-Control-Max-Age", seconds(preflightMaxAge))
	w.WriteHeader(http.StatusNoContent)
}

// apiGate checks the origin and the client's rate; it answers and returns
// false when the request may not go on.
func (s *Server) apiGate(w http.ResponseWriter, r *http.Request) bool {
	if !s.cors(w, r) {
		return false
	}
	if !s.api.allow(s.visitorIP(r)) {
		s.metrics.limit(limitAPI)
		w.Header().Set("Retry-After", seconds(apiRetryAfter))
		s.writeError(w, http.StatusTooManyRequests, errRateLimited)
		return false
	}
	return true
}

// cors refuses (403) a page whose origin is not allowed, and lets an allowed
// foreign page read the response; it reports whether the request may go on.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	if !s.AllowedOrigin(r) {
		s.writeError(w, http.StatusForbidden, errForbiddenOrigin)
		return false
	}
	if o := r.Header.Get("Origin"); o != "" {
		w.Header().Set("Access-Control-Allow-Origin", o)
		w.Header().Add("Vary", "Origin")
	}
	return true
}

// writeError writes an API error; internal errors are not shown.
func (s *Server) writeError(w http.ResponseWriter, status int, err error) {
	m := s.refuse("", err)
	writeJSON(w, status, apiError{Code: m.Code, Message: m.Message})
}

// seconds formats d in whole seconds, for Retry-After and Max-Age headers.
func seconds(d time.Duration) string { return strconv.Itoa(int(d.Seconds())) }

// writeJSON writes v as the JSON body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}
