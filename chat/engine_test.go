package chat

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/causette/causette/index"
)

// testSecret signs the context tokens of the test engines: fixed, so that the
// fuzzing workers, each with its own engine, accept the seed tokens.
var testSecret = []byte("causette: the tests' context key")

// mustIndex opens the index of the embedded seeds, with their glossary.
func mustIndex(tb testing.TB) (*index.Index, map[string]string) {
	tb.Helper()
	ix, err := index.Open(index.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return ix, ix.Glossary()
}

// mustEngine is an engine over the embedded seeds, signing with testSecret.
func mustEngine(tb testing.TB) *Engine {
	tb.Helper()
	ix, glossary := mustIndex(tb)
	return New(ix, Options{Glossary: glossary, Secret: testSecret})
}

func TestAskAnswers(t *testing.T) {
	e := mustEngine(t)
	tests := []struct {
		q         string
		cites     string // the first citation holds it
		answerHas string // the answer text holds it
	}{
		{"Qui est le patron de Mistral AI ?", "Arthur Mensch", "Arthur Mensch"},
		{"En quelle année OpenAI a-t-elle été créée ?", "2015", "2015"},
		{"Quel est le montant estimé du contrat de la SNCF ?", "60 millions", "Pour SNCF, montant estimé : 60 millions €."},
		{"Avec quelle entreprise Mistral développe-t-elle des drones ?", "Helsing", "Helsing"},
		{"Who is the CEO of Mistral?", "Arthur Mensch", "Arthur Mensch"},
		{"What are OpenAI's flagship models?", "ChatGPT", "Pour OpenAI, modèles phares : ChatGPT."},
		{"How many Nvidia chips are in the new data center?", "18 000", "18 000"},
		{"What did Arthur Mensch refuse?", "Apple", "offre d’Apple"},
		{"Qu'a refusé Arthur Mensch ?", "Apple", "offre d’Apple"},
		{"combien de puces nvidia en essonne", "18 000", "18 000"},
		{"Qui est le PDG de Mistral ? 0", "Arthur Mensch", "Arthur Mensch"},
		{"quand a ete creee openai", "2015", "Pour OpenAI, année de création : 2015."}, // no accents, no capitals
	}
	for _, tt := range tests {
		a, err := e.Ask(tt.q, "")
		if err != nil {
			t.Errorf("Ask(%q): %v", tt.q, err)
			continue
		}
		if a.Kind != KindAnswer || len(a.Citations) == 0 {
			t.Errorf("Ask(%q) = %s with %d citations; want an answer with citations", tt.q, a.Kind, len(a.Citations))
			continue
		}
		if !strings.Contains(a.Citations[0].Text, tt.cites) {
			t.Errorf("Ask(%q) cites %.80q; want a passage holding %q", tt.q, a.Citations[0].Text, tt.cites)
		}
		if !strings.Contains(a.Answer, tt.answerHas) {
			t.Errorf("Ask(%q) answers %.80q; want it to hold %q", tt.q, a.Answer, tt.answerHas)
		}
		if utf8.RuneCountInString(a.Answer) > maxAnswerRunes+2 {
			t.Errorf("Ask(%q) answer has %d characters; want at most %d", tt.q, utf8.RuneCountInString(a.Answer), maxAnswerRunes)
		}
		for _, c := range a.Citations {
			n := utf8.RuneCountInString(c.Text)
			for _, h := range c.Highlights {
				if h[0] < 0 || h[1] > n || h[0] >= h[1] {
					t.Errorf("Ask(%q) citation %s highlight %v outside %d runes", tt.q, c.ID, h, n)
				}
			}
		}
		if a.Confidence < e.opts.Threshold || a.Confidence > 1 {
			t.Errorf("Ask(%q) confidence %v; want in [threshold, 1]", tt.q, a.Confidence)
		}
	}
}

func TestAskConversation(t *testing.T) {
	e := mustEngine(t)
	turns := []struct{ q, want string }{
		{"Quel est le montant du contrat avec la SNCF ?", "60 millions"},
		{"Et pour le ministère de la Défense ?", "50 millions"},
		{"Et Veolia ?", "Non communiqué"},
		{"Et TotalEnergies ?", "45 millions"},
	}
	token := ""
	for _, tt := range turns {
		a, err := e.Ask(tt.q, token)
		if err != nil || !strings.Contains(a.Answer, tt.want) {
			t.Fatalf("Ask(%q) in a conversation = %q, %v; want %q", tt.q, a.Answer, err, tt.want)
		}
		token = a.Context
	}
}

func TestAskFollowUps(t *testing.T) {
	e := mustEngine(t)
	tests := []struct {
		first, then, want string
	}{
		{"En quelle année a été créée OpenAI ?", "Et Google AI ?", "2006"},
		{"Qui est le PDG de Mistral ?", "Quelle offre a-t-il refusée ?", "Apple"},
		{"Combien rapporte le contrat avec la SNCF ?", "Et celui avec TotalEnergies ?", "TotalEnergies"},
		{"Quel est le secteur de la SNCF ?", "Et pour Veolia ?", "Environnement"},
		{"Combien a levé OpenAI ?", "Et Mistral ?", "1,7"},
		{"Que fait Mistral dans la défense ?", "Merci ! Et qui est le PDG ?", "Arthur Mensch"},
		{"Quel est le secteur de la SNCF ?", "Quand Mistral a-t-elle été fondée ?", "2023"},
		{"Quelle est la durée du contrat avec TotalEnergies ?", "Et son montant ?", "45 millions"},
	}
	for _, tt := range tests {
		a, err := e.Ask(tt.first, "")
		if err != nil || a.Context == "" {
			t.Fatalf("Ask(%q) = %+v, %v; want a context token", tt.first, a, err)
		}
		b, err := e.Ask(tt.then, a.Context)
		if err != nil || b.Kind != KindAnswer {
			t.Errorf("Ask(%q after %q) = %s, %v; want an answer", tt.then, tt.first, b.Kind, err)
			continue
		}
		if !strings.Contains(b.Answer+" "+b.Citations[0].Text, tt.want) {
			t.Errorf("Ask(%q after %q) = %.80q citing %.60q; want %q", tt.then, tt.first, b.Answer, b.Citations[0].Text, tt.want)
		}
	}
	// A damaged token is no error: the turn is answered on its own.
	if a, err := e.Ask("Quelle offre a-t-il refusée ?", "not-a-token!"); err != nil || a.Kind == "" {
		t.Errorf("Ask with a broken token = %+v, %v; want an answer of some kind", a, err)
	}
}

func TestAskSmalltalkAndRefusals(t *testing.T) {
	e := mustEngine(t)
	tests := []struct {
		q, kind string
	}{
		{"Bonjour", KindSmalltalk},
		{"merci beaucoup !", KindSmalltalk},
		{"Qui êtes-vous ?", KindSmalltalk},
		{"Bonjour, qui est le PDG de Mistral ?", KindAnswer},
		{"Merci, au revoir !", KindSmalltalk},
		{"Tu peux m'aider ?", KindSmalltalk},
		{"Quelle heure est-il ?", KindNoAnswer},
		{"Quel temps fait-il ?", KindNoAnswer},
		{"Comment t'appelles-tu ?", KindSmalltalk},
		{"Quelle est la capitale de l'Australie ?", KindNoAnswer},
		{"Quelle est la recette de la tarte aux pommes ?", KindNoAnswer},
		{"Quel temps fera-t-il demain à Lyon ?", KindNoAnswer},
		{"How do I cook pasta?", KindNoAnswer},
	}
	for _, tt := range tests {
		a, err := e.Ask(tt.q, "")
		if err != nil || a.Kind != tt.kind {
			t.Errorf("Ask(%q) = %s (%.2f), %v; want %s", tt.q, a.Kind, a.Confidence, err, tt.kind)
			continue
		}
		if a.Kind != KindAnswer && len(a.Citations) != 0 {
			t.Errorf("Ask(%q) is %s with %d citations; want none", tt.q, a.Kind, len(a.Citations))
		}
		if a.Kind != KindAnswer && len(a.Suggestions) == 0 {
			t.Errorf("Ask(%q) is %s with no suggestion", tt.q, a.Kind)
		}
	}
}

func TestAskRejectsBadQuestions(t *testing.T) {
	e := mustEngine(t)
	tests := []struct {
		name, q string
		want    *Error
	}{
		{"empty", "   ", ErrEmpty},
		{"punctuation", "?!?", ErrNoLetter},
		{"too long", strings.Repeat("mot ", MaxQuestionRunes), ErrTooLong},
		{"invalid UTF-8", "caf\xe9 ?", ErrNotText},
		{"NUL", "qui\x00 ?", ErrNotText},
	}
	for _, tt := range tests {
		_, err := e.Ask(tt.q, "")
		if err != tt.want {
			t.Errorf("Ask(%s) error = %v; want %v", tt.name, err, tt.want)
		}
	}
}

func ExampleEngine_Ask() {
	e := mustEngine(&testing.B{})
	a, _ := e.Ask("En quelle année OpenAI a-t-elle été créée ?", "")
	fmt.Println(a.Kind, "—", a.Answer)
	fmt.Println(a.Citations[0].ID)
	// Output:
	// answer — Pour OpenAI, année de création : 2015.
	// mistral-ai#p7
}

func BenchmarkAsk(b *testing.B) {
	e := mustEngine(b)
	qs := []string{"Qui dirige Mistral AI ?", "Combien de temps dure le contrat avec la SNCF ?", "Quels sont les défis de Mistral ?", "Quel est le prix du pain ?"}
	var took []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := e.Ask(qs[i%len(qs)], ""); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		i++
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
}

// TestTableSuggestionsFollowUp: a table answer suggests another fact of the
// same row, and asking it with the context answers from that row.
func TestTableSuggestionsFollowUp(t *testing.T) {
	e := mustEngine(t)
	a, err := e.Ask("Quel est le montant du contrat avec la SNCF ?", "")
	if err != nil || len(a.Suggestions) == 0 || !strings.HasPrefix(a.Suggestions[0], "Et côté ") {
		t.Fatalf("Ask(montant SNCF) suggestions = %q, %v; want an « Et côté … ? » first", a.Suggestions, err)
	}
	b, err := e.Ask(a.Suggestions[0], a.Context)
	if err != nil || !strings.HasPrefix(b.Answer, "Pour SNCF, ") || strings.Contains(b.Answer, "montant") {
		t.Errorf("Ask(%q) after montant SNCF = %q, %v; want another SNCF fact", a.Suggestions[0], b.Answer, err)
	}
}

// TestStartersNotRepeated checks that starters list each question once and
// leave out those that mean nothing out of their page.
func TestStartersNotRepeated(t *testing.T) {
	faq := []index.Passage{{Question: "Comment se déroule la médiation familiale ?"},
		{Question: "Comment se déroule la médiation familiale ?"}, {Question: "Qui est concerné ?"},
		{Question: "De quoi s'agit-il ?"}, {Question: "Quel est le coût de la médiation familiale ?"}}
	got := starters(faq, faq)
	want := []string{"Comment se déroule la médiation familiale ?", "Quel est le coût de la médiation familiale ?"}
	if !slices.Equal(got, want) {
		t.Errorf("starters = %q; want %q: each once, none out of context", got, want)
	}
}
