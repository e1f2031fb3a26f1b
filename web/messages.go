package web

import (
	"errors"

	"github.com/causette/causette/chat"
)

// clientMsg is any message a client sends (see docs/protocol.md).
type clientMsg struct {
	Type    string `json:"type"`              // "ask" or "feedback"
	ID      string `json:"id"`                // the client's id, echoed back
	Text    string `json:"text,omitempty"`    // ask: the question
	Context string `json:"context,omitempty"` // ask: the previous answer's token
	Value   string `json:"value,omitempty"`   // feedback: "up" or "down"
	Turn    string `json:"turn,omitempty"`    // feedback: the answer's turn id
}

// helloMsg greets a client on connect.
type helloMsg struct {
	Type        string   `json:"type"` // "hello"
	Greeting    string   `json:"greeting"`
	Suggestions []string `json:"suggestions"`
	// Contact is how to reach the team, offered under an answer the
	// visitor rates down (absent when none is configured).
	Contact *chat.Contact `json:"contact,omitempty"`
}

// answerMsg carries one whole answer in the shared shape, plus the ids.
type answerMsg struct {
	Type string `json:"type"` // "answer"
	ID   string `json:"id"`
	// Turn identifies the turn server-side; feedback may quote it.
	Turn string `json:"turn"`
	chat.Answer
}

// errMsg reports a problem with a client message.
type errMsg struct {
	Type    string `json:"type"` // "error"
	ID      string `json:"id"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Errors of the protocol, besides the chat.Error ones (empty, too_long,
// invalid_text). Messages are French and safe to show.
var (
	errBadJSON     = &chat.Error{Code: "bad_json", Message: "Message illisible : envoyez un objet JSON."}
	errBadID       = &chat.Error{Code: "bad_json", Message: "Identifiant de message trop long : 64 octets au plus."}
	errUnknownType = &chat.Error{Code: "unknown_type", Message: "Type de message inconnu : envoyez « ask » ou « feedback »."}
	errBinary      = &chat.Error{Code: "binary_frame", Message: "Message binaire refusé : envoyez du texte JSON."}
	errInvalidText = &chat.Error{Code: "invalid_text", Message: "Le message contient des caractères illisibles : envoyez du texte UTF-8."}
	errRateLimited = &chat.Error{Code: "rate_limited", Message: "Vous allez un peu vite : attendez un instant avant la question suivante."}
	errBadFeedback = &chat.Error{Code: "bad_feedback", Message: "Avis inconnu : « up » ou « down »."}
	errUnknownID   = &chat.Error{Code: "unknown_id", Message: "Cette réponse n'est plus connue : l'avis n'a pas été enregistré."}
	errTooLarge    = &chat.Error{Code: "too_long", Message: chat.ErrTooLong.Message} // a body this big holds a too-long question
	errUnknownTurn = &chat.Error{Code: "unknown_turn", Message: "Cette réponse est inconnue : l'avis n'a pas été enregistré."}
	errSlowBody    = &chat.Error{Code: "request_timeout", Message: "La requête est arrivée trop lentement : réessayez."}
	errNotReady    = &chat.Error{Code: "not_ready", Message: "Causette démarre : réessayez dans un instant."}
	errInternal    = &chat.Error{Code: "internal", Message: "Une erreur est survenue de notre côté : réessayez dans un instant."}
	// errForbiddenOrigin answers an API call from a page of a site not allowed.
	errForbiddenOrigin = &chat.Error{Code: "forbidden_origin", Message: "Origine non autorisée."}
)

// errorMsg builds the error message for err; errors that are not a
// *chat.Error are internal and not shown.
func errorMsg(id string, err error) errMsg {
	var ce *chat.Error
	if !errors.As(err, &ce) {
		ce = errInternal
	}
	return errMsg{Type: "error", ID: id, Code: ce.Code, Message: ce.Message}
}
