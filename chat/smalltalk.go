package chat

import (
	"strings"

	"github.com/causette/causette/index"
)

const greeting = "Bonjour ! Je suis Causette. Posez-moi une question sur les documents : je réponds avec la source."

// smalltalkReplies answer the social turns of a chat. Each key is a phrase as
// folded by index.Fold, without punctuation.
var smalltalkReplies = []struct {
	phrases []string
	reply   string
}{
	{[]string{"bonjour", "salut", "bonsoir", "coucou", "hello", "hi", "hey", "yo", "bonjour causette", "salut causette", "hello causette"},
		"Bonjour ! Que voulez-vous savoir ? Voici quelques idées pour commencer."},
	{[]string{"merci", "merci beaucoup", "merci bien", "super merci", "parfait merci", "thanks", "thank you", "merci causette", "top merci", "genial merci"},
		"Avec plaisir ! N'hésitez pas si vous avez une autre question."},
	{[]string{"au revoir", "bye", "a bientot", "a plus", "bonne journee", "bonne soiree", "ciao", "goodbye", "adieu", "a la prochaine"},
		"Au revoir, et à bientôt !"},
	{[]string{"qui es tu", "qui etes vous", "tu es qui", "t es qui", "vous etes qui", "c est quoi causette", "qu est ce que causette", "who are you", "what are you", "tu es un robot", "es tu un robot", "tu es une ia", "es tu une ia", "presente toi",
		"quel est ton nom", "c est quoi ton nom", "comment t appelles tu", "comment tu t appelles", "ton nom", "what is your name"},
		"Je suis Causette, un assistant qui répond à partir des documents de ce site. Je ne génère rien : chaque réponse vient d'un passage que je vous cite."},
	{[]string{"aide", "help", "a l aide", "comment ca marche", "que sais tu faire", "tu sais faire quoi", "que peux tu faire", "qu est ce que tu sais faire", "mode d emploi", "comment t utiliser"},
		"Posez une question en français, en quelques mots ou en une phrase. Je cherche la réponse dans les documents et je cite le passage d'où elle vient. Vous pouvez enchaîner : « Et pour… ? »."},
	{[]string{"ca va", "comment ca va", "comment vas tu", "comment allez vous", "tu vas bien", "how are you"},
		"Très bien, merci ! Et prêt à répondre à vos questions."},
	{[]string{"ok", "d accord", "oui", "non", "ok merci", "cool", "tres bien", "bien", "top", "super", "parfait", "genial"},
		"Entendu. Une autre question ?"},
}

// smalltalk answers greetings, thanks, goodbyes and questions about Causette
// itself, alone or strung together ("merci, au revoir"). A greeting followed
// by a real question is not small talk: see stripCourtesy.
func (e *Engine) smalltalk(q string) (Answer, bool) {
	reply := ""
	for _, clause := range clauses(q) {
		r, ok := smalltalkReply(clause)
		if !ok {
			return Answer{}, false
		}
		reply = r
	}
	if reply == "" {
		return Answer{}, false
	}
	return Answer{Kind: KindSmalltalk, Answer: reply, Citations: []Citation{}, Suggestions: e.Starters()}, true
}

func smalltalkReply(clause string) (string, bool) {
	key := strings.Join(words(index.Fold(clause)), " ")
	for _, s := range smalltalkReplies {
		for _, p := range s.phrases {
			if key == p {
				return s.reply, true
			}
		}
	}
	return "", false
}

// clauses cuts a message at its punctuation: "Merci, au revoir !" holds two.
func clauses(q string) []string {
	var out []string
	for _, c := range strings.FieldsFunc(q, func(r rune) bool { return strings.ContainsRune(",.;!?…", r) }) {
		if strings.TrimSpace(c) != "" {
			out = append(out, c)
		}
	}
	return out
}

// stripCourtesy removes greetings and thanks before a real question:
// "Bonjour, qui dirige Mistral ?" asks "qui dirige Mistral ?".
func stripCourtesy(q string) string {
	for {
		cs := clauses(q)
		if len(cs) < 2 {
			return q
		}
		if _, ok := smalltalkReply(cs[0]); !ok {
			return q
		}
		i := strings.Index(q, cs[0]) + len(cs[0])
		rest := strings.TrimLeft(q[i:], " ,.;!…")
		if rest == "" {
			return q
		}
		q = rest
	}
}
