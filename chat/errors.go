package chat

import "unicode/utf8"

// MaxQuestionRunes is the longest question answered: a question is a line or
// two; a few thousand characters is a pasted document, not a question.
const MaxQuestionRunes = 2000

// Error is a problem with a visitor's question: Code is stable for programs,
// Message is French and safe to show.
type Error struct {
	Code    string
	Message string
}

// Error returns the code and the French message.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errors a question can get.
var (
	ErrEmpty    = &Error{Code: "empty", Message: "La question est vide : écrivez quelques mots."}
	ErrTooLong  = &Error{Code: "too_long", Message: "La question est trop longue : 2 000 caractères au plus."}
	ErrNotText  = &Error{Code: "invalid_text", Message: "La question contient des caractères illisibles : envoyez du texte UTF-8."}
	ErrNoLetter = &Error{Code: "empty", Message: "La question ne contient aucun mot : écrivez-la en toutes lettres."}
)

// checkQuestion rejects what cannot be a question.
func checkQuestion(q string) error {
	if !utf8.ValidString(q) {
		return ErrNotText
	}
	if utf8.RuneCountInString(q) > MaxQuestionRunes {
		return ErrTooLong
	}
	for _, r := range q {
		if r == 0 {
			return ErrNotText
		}
	}
	return nil
}
