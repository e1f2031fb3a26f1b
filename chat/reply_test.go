package chat

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/causette/causette/index"
)

// TestDropConnector checks that an answer read alone loses the connector
// that tied it to the sentence before, and starts with a capital.
func TestDropConnector(t *testing.T) {
	for in, want := range map[string]string{
		"Néanmoins, son produit phare reste modeste.": "Son produit phare reste modeste.",
		"En parallèle, la construction avance.":       "La construction avance.",
		"Par ailleurs, l’équipe grandit.":             "L’équipe grandit.",
		"Ainsi que prévu, tout va bien.":              "Ainsi que prévu, tout va bien.",
		"Enfin, Mistral publie ses modèles.":          "Mistral publie ses modèles.",
		"Néanmoins, 2024 fut une année faste.":        "Néanmoins, 2024 fut une année faste.", // never a digit first
		"Le PDG Arthur Mensch incarne la dynamique.":  "Le PDG Arthur Mensch incarne la dynamique.",
	} {
		if got := dropConnector(in); got != want {
			t.Errorf("dropConnector(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLeadInReadsItsList checks that a paragraph ending in « : » is
// answered with the lines of its section that it announces.
func TestLeadInReadsItsList(t *testing.T) {
	fiche := strings.Join([]string{
		// Lines as Service-Public's fiches have them: too long to be a
		// paragraph wrapped by an editor.
		"Fiche F1",
		"Procédure",
		"La médiation familiale se déroule en 3 étapes, que le médiateur familial présente à chacun des deux parents :",
		"L'entretien d'information présente les objectifs, le contenu et les thèmes que vous pouvez aborder. Il est sans engagement.",
		"Les entretiens de médiation durent de 1h30 à 2 heures environ et se déroulent sur une période allant de 3 à 6 mois.",
		"Un accord peut être homologué par le juge aux affaires familiales ; il a alors la même force qu'un jugement.",
		"Coût",
		"L'entretien d'information est gratuit, et une participation vous est ensuite demandée selon vos revenus.",
	}, "\n")
	ix := corpusIndex(t, map[string]string{"f1.txt": fiche + "\n"})
	a, err := New(ix, Options{}).Ask("Comment se déroule la médiation familiale ?", "")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(a.Answer, "\n")
	want := []string{"La médiation familiale se déroule en 3 étapes, que le médiateur familial présente à chacun des deux parents :",
		"• L'entretien d'information présente les objectifs, le contenu et les thèmes que vous pouvez aborder.",
		"• Les entretiens de médiation durent de 1h30 à 2 heures environ et se déroulent sur une période allant de 3 à 6 mois.",
		"• Un accord peut être homologué par le juge aux affaires familiales ; il a alors la même force qu'un jugement."}
	if len(lines) != len(want) {
		t.Fatalf("answer %q; want the lead-in and its 3 items, each on its line", a.Answer)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d reads %q, want %q", i, lines[i], want[i])
		}
	}
	// An item is answered under the sentence that introduces it.
	a, err = New(ix, Options{}).Ask("Combien de temps durent les entretiens de médiation ?", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Split(strings.TrimPrefix(a.Answer, uncertainLead), "\n"); len(got) != 2 || got[0] != want[0] || got[1] != want[2] {
		t.Errorf("answer %q; want the item %q under its lead-in %q", a.Answer, want[2], want[0])
	}
}

// TestSmalltalkAsTyped checks small talk with the words people add to it,
// and that one word of a real question makes it a question.
func TestSmalltalkAsTyped(t *testing.T) {
	e := mustEngine(t)
	for q, want := range map[string]string{
		"Merci, c'est parfait":         "Avec plaisir",
		"Merci beaucoup pour ton aide": "Avec plaisir",
		"Bonne journée à vous !":       "Au revoir",
		"C'est parfait":                "Entendu",
		"Super, merci beaucoup !":      "Avec plaisir",
	} {
		a, err := e.Ask(q, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind != KindSmalltalk || !strings.HasPrefix(a.Answer, want) {
			t.Errorf("%q: %s %q; want small talk starting %q", q, a.Kind, a.Answer, want)
		}
	}
	for _, q := range []string{"merci pour l'aide au logement", "Bonjour, qui dirige Mistral ?", "parfait pour quel usage ?"} {
		a, err := e.Ask(q, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind == KindSmalltalk {
			t.Errorf("%q: small talk %q; want it read as a question", q, a.Answer)
		}
	}
}

// TestUncertainAnswersSaySo checks that an answer under uncertainBelow is
// marked and says so, and one above it neither.
func TestUncertainAnswersSaySo(t *testing.T) {
	e := mustEngine(t)
	uncertain, sure := 0, 0
	for _, q := range append(e.Starters(), "Qui est le PDG de Mistral ?", "Quel est le salaire moyen chez Mistral ?",
		"Mistral travaille-t-elle avec des banques ?", "Combien coûte un abonnement ?", "Quels pays européens ?",
		"Quelle est la stratégie de Mistral en Asie ?", "Qu'est-ce que Le Chat ?") {
		a, err := e.Ask(q, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind != KindAnswer {
			continue
		}
		says := strings.HasPrefix(a.Answer, uncertainLead)
		if a.Uncertain != (a.Confidence < uncertainBelow) || says != a.Uncertain {
			t.Errorf("%q: confidence %.2f, uncertain %v, text %q", q, a.Confidence, a.Uncertain, a.Answer)
		}
		if a.Uncertain {
			uncertain++
		} else {
			sure++
		}
	}
	if uncertain == 0 || sure == 0 {
		t.Errorf("%d uncertain and %d sure answers; the questions should give both", uncertain, sure)
	}
}

// TestFollowUpCarriesTheAnsweredName checks that a short follow-up asks
// its question of the name the previous answer gave.
func TestFollowUpCarriesTheAnsweredName(t *testing.T) {
	e := mustEngine(t)
	a, err := e.Ask("Quel client Mistral a-t-elle dans l'énergie ?", "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Short != "TotalEnergies" {
		t.Fatalf("first turn: short %q (answer %q); want TotalEnergies", a.Short, a.Answer)
	}
	for _, q := range []string{"Pour quel montant ?", "Et la durée de son contrat ?"} {
		b, err := e.Ask(q, a.Context)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Citations) == 0 || !strings.Contains(b.Citations[0].Text, "TotalEnergies") {
			t.Errorf("%q after TotalEnergies: %q; want TotalEnergies' row", q, b.Answer)
		}
	}
}

// TestChoicesBetweenDocuments checks that an uncertain answer whose two
// best passages come from two documents asks which one was meant, each
// choice leading to its document.
func TestChoicesBetweenDocuments(t *testing.T) {
	ix := corpusIndex(t, map[string]string{
		"labyrinthe.txt": "Le Labyrinthe\nLa sortie est prévue au printemps, après une longue préparation de toute l'équipe du projet.\n",
		"minotaure.txt":  "Le Minotaure\nLa sortie est prévue à l'automne, après une longue préparation de toute l'équipe du projet.\n",
		"budget.txt":     "Le Budget\nLe budget de la ville est voté chaque année par le conseil municipal, en séance publique.\n",
	})
	e := New(ix, Options{})
	a, err := e.Ask("La sortie de l'équipe du projet passe-t-elle par le conseil ?", "")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Uncertain || len(a.Choices) != 2 {
		t.Fatalf("answer %q (%.2f, uncertain %v) with choices %v; want the two documents offered", a.Answer, a.Confidence, a.Uncertain, a.Choices)
	}
	for _, c := range a.Choices {
		b, err := e.Ask(c.Q, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Citations) == 0 || b.Citations[0].Title != c.Label {
			t.Errorf("choice %q asks %q, answered from %v; want %q first", c.Label, c.Q, b.Citations, c.Label)
		}
	}
	sure, err := e.Ask("Quand la sortie est-elle prévue pour Le Labyrinthe ?", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(sure.Choices) != 0 {
		t.Errorf("a question naming its document offers choices %v", sure.Choices)
	}
}

// TestDefinitionQuestion checks that « Qu'est-ce que X ? » is answered by
// the passage that says what X is, not by one that names X in passing.
func TestDefinitionQuestion(t *testing.T) {
	text := strings.Join([]string{
		"Guide des démarches",
		"Le récépissé vous sera remis au guichet de la préfecture, avec les autres pièces de votre dossier de demande.",
		"Le récépissé est un document provisoire qui prouve que votre demande de titre de séjour est en cours d'instruction auprès de la préfecture.",
		"Gardez une copie de chaque pièce envoyée, pour la présenter si la préfecture vous la demande plus tard.",
	}, "\n")
	ix := corpusIndex(t, map[string]string{"guide.txt": text + "\n"})
	a, err := New(ix, Options{}).Ask("Qu'est-ce qu'un récépissé ?", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(strings.TrimPrefix(a.Answer, uncertainLead), "Le récépissé est un document provisoire") {
		t.Errorf("« Qu'est-ce qu'un récépissé ? » answered %q; want the passage that defines it", a.Answer)
	}
	// A passage that says what a thing is for defines it too.
	text = strings.Join([]string{
		"Guide des démarches",
		"En cas de médiation scolaire, la famille reçoit un courrier de l'académie dans le mois.",
		"La médiation scolaire permet de régler un désaccord entre une famille et l'école sans aller devant le juge.",
	}, "\n")
	ix = corpusIndex(t, map[string]string{"guide.txt": text + "\n"})
	a, err = New(ix, Options{}).Ask("Qu'est-ce que la médiation scolaire ?", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Answer, "permet de régler") {
		t.Errorf("« Qu'est-ce que la médiation scolaire ? » answered %q; want the passage that says what it is for", a.Answer)
	}
}

// TestSuggestionsFromWhatWasAnswered checks that after an answer the
// suggestions come from its document, once each, none out of context and
// not the question just asked.
func TestSuggestionsFromWhatWasAnswered(t *testing.T) {
	files := map[string]string{}
	for name, lines := range map[string][]string{
		"mediation.txt": {"Fiche médiation",
			"Comment se déroule la médiation familiale ?",
			"La médiation familiale se déroule en plusieurs entretiens avec un médiateur diplômé, sur quelques mois.",
			"Quel est le coût de la médiation familiale ?",
			"Le premier entretien est gratuit ; les suivants dépendent de vos revenus, selon un barème national.",
			"Qui est concerné ?",
			"Les parents séparés, les grands-parents et toute personne en conflit familial peuvent y recourir.",
			"Comment se déroule la médiation familiale ?",
			"Chaque entretien dure de une heure et demie à deux heures, dans un lieu neutre et confidentiel.",
		},
		"passeport.txt": {"Fiche passeport",
			"Comment obtenir un passeport biométrique ?",
			"Le passeport biométrique se demande en mairie, sur rendez-vous, avec une photo et un justificatif de domicile.",
			"Quel est le délai de fabrication du passeport ?",
			"Le délai de fabrication du passeport dépend de la période de l'année et de la mairie choisie.",
		},
	} {
		files[name] = strings.Join(lines, "\n") + "\n"
	}
	ix := corpusIndex(t, files)
	a, err := New(ix, Options{}).Ask("Combien coûte la médiation familiale ?", "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != KindAnswer || len(a.Citations) == 0 || a.Citations[0].Doc != "mediation" {
		t.Fatalf("answer %s %q; want the mediation fiche", a.Kind, a.Answer)
	}
	if want := []string{"Comment se déroule la médiation familiale ?"}; !slices.Equal(a.Suggestions, want) {
		t.Errorf("suggestions %q; want %q: its document's, once, without « Qui est concerné ? » nor the passport's", a.Suggestions, want)
	}
}

// TestStandaloneQuestionAfterAnswer checks that a question that names its
// subject is not pulled back to the previous answer's name: after « Qui
// est le PDG de Mistral ? » (Arthur Mensch), « Combien Mistral a-t-elle
// levé ? » asks about the money raised.
func TestStandaloneQuestionAfterAnswer(t *testing.T) {
	e := mustEngine(t)
	a, err := e.Ask("Qui est le PDG de Mistral ?", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ q, short string }{
		{"Combien Mistral a-t-elle levé ?", "1,7"},
		{"Quand Mistral AI a-t-elle été fondée ?", "2023"},
	} {
		b, err := e.Ask(c.q, a.Context)
		if err != nil {
			t.Fatal(err)
		}
		if b.Short != c.short {
			t.Errorf("%q after the PDG: %q (short %q); want %q", c.q, b.Answer, b.Short, c.short)
		}
	}
}

// TestVagueQuestionIsUncertain checks that a question naming one common
// thing, and no name, is never answered as if sure.
func TestVagueQuestionIsUncertain(t *testing.T) {
	e := mustEngine(t)
	for _, q := range []string{"Combien ça coûte ?", "Quelle durée ?", "Quels avantages ?"} {
		a, err := e.Ask(q, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind == KindAnswer && (!a.Uncertain || a.Confidence >= uncertainBelow) {
			t.Errorf("%q answered as sure (%.2f): %q", q, a.Confidence, a.Answer)
		}
	}
	a, err := e.Ask("Quel est le montant du contrat avec la SNCF ?", "")
	if err != nil || a.Uncertain {
		t.Errorf("a precise question is uncertain (%v): %q", err, a.Answer)
	}
}

// corpusIndex indexes, in memory, a corpus folder holding files (name ->
// content); the index is closed when the test ends.
func corpusIndex(t *testing.T, files map[string]string) *index.Index {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ix, err := index.Open(index.Options{Corpus: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// TestSheetEntryAnswersItsQuestion checks that a Q&A sheet's entry answers
// the question it asks, even beside long documents that use its words
// everywhere: a sheet is a small document, yet each entry stands alone.
func TestSheetEntryAnswersItsQuestion(t *testing.T) {
	var guide strings.Builder
	guide.WriteString("Le guide des paquets\n")
	for i := range 12 {
		fmt.Fprintf(&guide, "On peut trouver les paquets de la distribution dans l'archive numéro %d, où trouver les paquets de la distribution est simple.\n", i)
	}
	ix := corpusIndex(t, map[string]string{
		"guide.txt": guide.String(),
		"manuel.txt": "Le manuel\nChaque paquet de la distribution a un responsable, dont le nom figure dans la liste des paquets.\n" +
			"Un paquet de la distribution se construit avec les outils de l'archive.\n",
		"faq.csv": "question;réponse\nOù trouver les paquets de la distribution ?;Sur le site des paquets, qui liste tous les paquets de chaque version.\n",
	})
	a, err := New(ix, Options{}).Ask("Où trouver les paquets de la distribution ?", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Citations) == 0 || a.Citations[0].Doc != "faq" {
		t.Errorf("answered %q from %v; want the sheet's entry", a.Answer, a.Citations)
	}
}

// TestListPassageReadWhole checks that a passage that is a list with its
// lead-in (as the readers of web pages and Word give it) is answered
// whole, its items marked •, never with one item torn out; and that a long
// list says it goes on.
func TestListPassageReadWhole(t *testing.T) {
	page := `<html><body><main><h1>Le jardin partagé</h1>
<p>Pour obtenir une parcelle du jardin partagé, apportez les documents suivants :</p>
<ul><li>une attestation de domicile de moins de trois mois ;</li><li>une pièce d'identité ;</li>
<li>le règlement du jardin signé, qui fixe les heures d'arrosage.</li></ul></main></body></html>`
	ix := corpusIndex(t, map[string]string{"jardin.html": page})
	a, err := New(ix, Options{}).Ask("Quels documents apporter pour une parcelle du jardin ?", "")
	if err != nil {
		t.Fatal(err)
	}
	want := "Pour obtenir une parcelle du jardin partagé, apportez les documents suivants :\n• une attestation de domicile de moins de trois mois ;\n• une pièce d'identité ;\n• le règlement du jardin signé, qui fixe les heures d'arrosage."
	if strings.TrimPrefix(a.Answer, uncertainLead) != want {
		t.Errorf("answered %q; want the list whole with its lead-in", a.Answer)
	}
	var long strings.Builder
	long.WriteString("Les étapes :\n")
	for i := range 40 {
		fmt.Fprintf(&long, "- étape numéro %d du dossier de demande, à remplir avec soin\n", i+1)
	}
	got, ok := readList(long.String())
	if !ok || !strings.HasSuffix(got, "\n…") || utf8.RuneCountInString(got) > maxListRunes+2 || !strings.HasPrefix(got, "Les étapes :\n• étape numéro 1 ") {
		t.Errorf("a long list read as %q (%v); want its first items and an ellipsis", got, ok)
	}
	if _, ok := readList("Une phrase.\nUne autre phrase."); ok {
		t.Errorf("two sentences read as a list")
	}
	if got := withStop("Adulte — Prix : 15 €."); got != "Adulte — Prix : 15 €." {
		t.Errorf("withStop added a second full stop: %q", got)
	}
}
