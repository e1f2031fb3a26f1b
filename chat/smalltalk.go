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
	// outOfScope marks questions a visitor asks any chatbot (the time, the
	// weather) that the documents cannot answer: the turn is a no_answer,
	// with a reply that says why.
	outOfScope bool
}{
	{[]string{"bonjour", "salut", "bonsoir", "coucou", "hello", "hi", "hey", "yo", "bonjour causette", "salut causette", "hello causette"},
		"Bonjour ! Que voulez-vous savoir ? Voici quelques idées pour commencer.", false},
	{[]string{"merci", "merci beaucoup", "merci bien", "super merci", "parfait merci", "thanks", "thank you", "merci causette", "top merci", "genial merci"},
		"Avec plaisir ! N'hésitez pas si vous avez une autre question.", false},
	{[]string{"au revoir", "bye", "a bientot", "a plus", "bonne journee", "bonne soiree", "ciao", "goodbye", "adieu", "a la prochaine"},
		"Au revoir, et à bientôt !", false},
	{[]string{"qui es tu", "qui etes vous", "tu es qui", "t es qui", "vous etes qui", "c est quoi causette", "qu est ce que causette", "who are you", "what are you", "tu es un robot", "es tu un robot", "tu es une ia", "es tu une ia", "presente toi",
		"quel est ton nom", "c est quoi ton nom", "comment t appelles tu", "comment tu t appelles", "ton nom", "what is your name"},
		"Je suis Causette, un assistant qui répond à partir des documents de ce site. Je ne génère rien : chaque réponse vient d'un passage que je vous cite.", false},
	{[]string{"aide", "help", "a l aide", "comment ca marche", "que sais tu faire", "tu sais faire quoi", "que peux tu faire", "qu est ce que tu sais faire", "mode d emploi", "comment t utiliser"},
		"Posez une question en français, en quelques mots ou en une phrase. Je cherche la réponse dans les documents et je cite le passage d'où elle vient. Vous pouvez enchaîner : « Et pour… ? ».", false},
	{[]string{"ca va", "comment ca va", "comment vas tu", "comment allez vous", "tu vas bien", "how are you"},
		"Très bien, merci ! Et prêt à répondre à vos questions.", false},
	{[]string{"ok", "d accord", "oui", "non", "ok merci", "cool", "tres bien", "bien", "top", "super", "parfait", "genial"},
		"Entendu. Une autre question ?", false},
	{[]string{"tu peux m aider", "peux tu m aider", "pouvez vous m aider", "vous pouvez m aider", "aide moi", "aidez moi", "j ai besoin d aide", "j ai une question", "une question"},
		"Bien sûr : posez votre question en quelques mots, je cherche la réponse dans les documents.", false},
	{[]string{"je veux parler a un humain", "je voudrais parler a un humain", "parler a un humain", "un humain", "un conseiller", "parler a un conseiller", "contacter le support", "je veux un conseiller", "talk to a human"},
		"Je suis un assistant automatique. Pour joindre une personne, utilisez les contacts indiqués sur ce site.", false},
	{[]string{"raconte moi une blague", "une blague", "dis moi une blague", "tell me a joke"},
		"Je m'en tiens aux documents, mais je réponds volontiers à vos questions sur eux !", false},
	{[]string{"quelle heure est il", "il est quelle heure", "quel jour sommes nous", "quel jour on est", "on est quel jour", "quelle est la date", "quelle est la date d aujourd hui", "quelle date sommes nous", "what time is it", "what day is it"},
		"Je ne connais ni l'heure ni la date : je réponds seulement à partir des documents de ce site.", true},
	{[]string{"quel temps fait il", "quel temps fera t il demain", "quel temps fait il aujourd hui", "quelle est la meteo", "la meteo", "meteo", "il fait beau", "what is the weather", "what s the weather"},
		"Je ne connais pas la météo : je réponds seulement à partir des documents de ce site.", true},
}

// smalltalk answers greetings, thanks, goodbyes and questions about Causette
// itself, alone or strung together ("merci, au revoir"). A greeting followed
// by a real question is not small talk: see stripCourtesy.
func (e *Engine) smalltalk(q string) (Answer, bool) {
	reply, outOfScope := "", false
	for _, clause := range clauses(q) {
		r, oos, ok := smalltalkReply(clause)
		if !ok {
			return Answer{}, false
		}
		// An acknowledgement after thanks or a goodbye (« Merci, c'est
		// parfait ») is answered as the thanks.
		if reply == "" || r != smalltalkReplies[ackReply].reply {
			reply, outOfScope = r, oos
		}
	}
	if reply == "" {
		return Answer{}, false
	}
	kind := KindSmalltalk
	if outOfScope {
		kind = KindNoAnswer
	}
	return Answer{Kind: kind, Answer: reply, Citations: []Citation{}, Suggestions: e.Starters()}, true
}

// smalltalkReply finds the reply to one clause of small talk: a phrase of
// smalltalkReplies, or a clause made of one kind's social words and of
// words that only dress them (« Merci beaucoup pour ton aide », « C'est
// parfait », « Bonne journée à vous »).
func smalltalkReply(clause string) (reply string, outOfScope, ok bool) {
	ws := words(index.Fold(clause))
	key := strings.Join(ws, " ")
	for _, s := range smalltalkReplies {
		for _, p := range s.phrases {
			if key == p {
				return s.reply, s.outOfScope, true
			}
		}
	}
	kind := -1
	for _, w := range ws {
		k, social := socialWords[w]
		switch {
		case social && kind < 0:
			kind = k
		case social || dressingWords[w]:
		default:
			return "", false, false // a word of a real question
		}
	}
	if kind < 0 {
		return "", false, false
	}
	return smalltalkReplies[kind].reply, false, true
}

// socialWords name a kind of small talk, by its place in smalltalkReplies;
// dressingWords only dress it. A clause of these words alone is small talk,
// and one other word makes it a question (« merci pour l'aide au logement »
// asks about housing).
var socialWords = map[string]int{}

// ackReply is the place in smalltalkReplies of the acknowledgements.
const ackReply = 6

var dressingWords = map[string]bool{}

func init() {
	for kind, ws := range map[int]string{
		0:        "bonjour salut bonsoir coucou hello hey",
		1:        "merci thanks remercie remercions",
		2:        "revoir bye bientot ciao goodbye adieu journee soiree weekend prochaine",
		ackReply: "ok okay accord parfait super genial top cool excellent nickel impeccable",
	} {
		for _, w := range strings.Fields(ws) {
			socialWords[w] = kind
		}
	}
	for _, w := range strings.Fields("c est ca vraiment beaucoup bien tres pour ton ta tes votre vos aide tout toi vous " +
		"causette encore infiniment mille fois bonne bon a et je te t le la les de du ma mon mes reponse reponses " +
		"explication explications etait sympa gentil gentille plus week end") {
		dressingWords[w] = true
	}
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
		if _, oos, ok := smalltalkReply(cs[0]); !ok || oos {
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
