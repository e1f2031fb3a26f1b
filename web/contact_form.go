package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/causette/causette/web/store"
)

// The built-in contact form (serve --contact-form): POST /api/contact takes
// a visitor's message and, only when they want a reply, their address,
// with the ids of their conversation's turns. The turns are looked up in
// the question log, never taken from the visitor; nothing is stored unless
// the form is sent. The requests land in the console's « Demandes » view
// (staff_requests.go) and, when configured, go to a webhook (webhook.go).

// Bounds of a request sent with the form.
const (
	// maxContactMessageRunes bounds the message: a few paragraphs, as a
	// support form takes; the page's textarea says the same (maxlength).
	maxContactMessageRunes = 2000
	// maxContactEmailBytes is the longest address SMTP carries (RFC 5321).
	maxContactEmailBytes = 254
	// maxContactTurns bounds the turns attached: the end of a long
	// conversation is what the team needs to read.
	maxContactTurns = 20
	// maxTurnIDBytes bounds a turn id sent back: ours are 33 bytes.
	maxTurnIDBytes = 64
	// maxContactBody bounds the body: the message at 4 bytes a character,
	// the address and the turn ids, with room for JSON's escapes.
	maxContactBody = 16 << 10
	// contactBurst messages may be sent at once from one address, then one
	// every contactEvery: a visitor writes once or twice, a spammer cannot
	// fill the inbox.
	contactBurst = 5
	contactEvery = 2 * time.Minute
)

// Answers of POST /api/contact, in French: visitors read them in place of
// the form. Their words are the page's labels (formError.<code>), which the
// English panel shows in its language instead.
var (
	errContactNotJSON  = apiError{Code: "not_json", Message: "Envoyez le message en JSON (Content-Type: application/json)."}
	errContactBadJSON  = apiError{Code: "bad_json", Message: "Message illisible : envoyez un objet JSON."}
	errContactTooLarge = apiError{Code: "too_long", Message: labels["fr"]["formError.too_long"]}
	errContactEmpty    = apiError{Code: "empty", Message: labels["fr"]["formError.empty"]}
	errContactTooLong  = apiError{Code: "too_long",
		Message: fmt.Sprintf("Votre message dépasse %d caractères : raccourcissez-le.", maxContactMessageRunes)}
	errContactEmail = apiError{Code: "bad_email", Message: labels["fr"]["formError.bad_email"]}
	errContactRate  = apiError{Code: "rate_limited", Message: labels["fr"]["formError.rate_limited"]}
	errContactStore = apiError{Code: "unavailable", Message: labels["fr"]["formError.unavailable"]}
)

// Confirmations of POST /api/contact: the page's own, which it shows in
// its language.
var (
	msgContactSent      = labels["fr"]["formSent"]
	msgContactSentReply = labels["fr"]["formSentReply"]
)

// contactInput is what the form sends.
type contactInput struct {
	Message string `json:"message"`
	// Email is where to reply, "" when the visitor wants no reply.
	Email string `json:"email"`
	// Website is the honeypot: a field people never see, that bots fill.
	Website string `json:"website"`
	// Turns are the ids of the conversation's turns (answerMsg.Turn).
	Turns []string `json:"turns"`
}

// contactReply is the answer to a request accepted.
type contactReply struct {
	Status  string `json:"status"` // "sent"
	Message string `json:"message"`
}

// handleContact takes a request sent with the form: 201 once stored; a
// request whose honeypot is filled gets the same answer and is dropped.
func (st *Staff) handleContact(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, errContactNotJSON)
		return
	}
	body, err := readBody(w, r, maxContactBody)
	if err != nil {
		if err == errTooLarge {
			writeJSON(w, http.StatusRequestEntityTooLarge, errContactTooLarge)
			return
		}
		st.writeChatError(w, bodyErrorStatus(err), err)
		return
	}
	var in contactInput
	if err := json.Unmarshal(body, &in); err != nil {
		writeJSON(w, http.StatusBadRequest, errContactBadJSON)
		return
	}
	message, email, bad := checkContactInput(in)
	if bad != nil {
		writeJSON(w, http.StatusBadRequest, *bad)
		return
	}
	ip := visitorAddr(r) // honours Config.TrustedProxies
	if !st.contactLimit.allow(ip) {
		w.Header().Set("Retry-After", seconds(contactEvery))
		st.logger.Warn("contact form: too many requests", "ip", ip)
		st.metrics.limit(limitContact)
		writeJSON(w, http.StatusTooManyRequests, errContactRate)
		return
	}
	reply := contactReply{Status: "sent", Message: msgContactSent}
	if email != "" {
		reply.Message = msgContactSentReply
	}
	if in.Website != "" {
		st.logger.Info("contact form: honeypot filled, request dropped", "ip", ip)
		writeJSON(w, http.StatusCreated, reply)
		return
	}
	turns, err := st.contactTurns(r.Context(), in.Turns)
	if err != nil {
		st.logger.Warn("contact form: turns not attached", "err", err)
	}
	req, err := st.requests().AddRequest(r.Context(), store.Request{Time: st.now(), Message: message, Email: email, Turns: turns},
		st.outbox != nil)
	if err != nil {
		st.logger.Error("contact form: request not stored", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, errContactStore)
		return
	}
	st.outbox.poke()
	st.logger.Info("contact request", "request", req.ID, "turns", len(turns), "reply_wanted", email != "")
	writeJSON(w, http.StatusCreated, reply)
}

// writeChatError answers a readBody error with its French message.
func (st *Staff) writeChatError(w http.ResponseWriter, status int, err error) {
	m := errorMsg("", err)
	writeJSON(w, status, apiError{Code: m.Code, Message: m.Message})
}

// checkContactInput returns the message and address of in, trimmed, or
// what is wrong with them.
func checkContactInput(in contactInput) (message, email string, bad *apiError) {
	message = strings.TrimSpace(in.Message)
	email = strings.TrimSpace(in.Email)
	switch {
	case message == "":
		return "", "", &errContactEmpty
	case utf8.RuneCountInString(message) > maxContactMessageRunes:
		return "", "", &errContactTooLong
	case email != "" && !validReplyAddress(email):
		return "", "", &errContactEmail
	}
	return message, email, nil
}

// validReplyAddress reports whether s is one address alone: no name, no
// list, nothing a header or a mailto: link could take as more (CR, LF,
// ?, &, #, %).
func validReplyAddress(s string) bool {
	if len(s) > maxContactEmailBytes || strings.ContainsAny(s, "\r\n?&#%<>,;\" ") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && strings.Contains(s, "@")
}

// contactTurns looks the turns of ids up in the question log: the last
// maxContactTurns ids, once each; ids of no turn attach nothing.
func (st *Staff) contactTurns(ctx context.Context, ids []string) ([]store.RequestTurn, error) {
	seen := map[string]bool{}
	var keys []string
	for i := len(ids) - 1; i >= 0 && len(keys) < maxContactTurns; i-- {
		id := ids[i]
		if id == "" || len(id) > maxTurnIDBytes || seen[id] {
			continue
		}
		seen[id] = true
		keys = append(keys, id)
	}
	for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
		keys[i], keys[j] = keys[j], keys[i] // back in the conversation's order
	}
	found, err := st.requests().TurnsByKey(ctx, keys)
	if err != nil && !errors.Is(err, store.ErrUnavailable) {
		return nil, err
	}
	out := make([]store.RequestTurn, 0, len(found))
	for _, t := range found {
		out = append(out, store.RequestTurn{Question: t.Question, Answer: t.Answer, Passage: t.Passage})
	}
	return out, err
}
