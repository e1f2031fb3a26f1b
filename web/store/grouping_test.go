package store

import (
	"context"
	"testing"
	"time"
)

// unansweredLog is a log built from the dev and trust sets' out-of-scope
// questions, each with two paraphrases a visitor could type: 12 things
// asked, 36 wordings.
var unansweredLog = [][]string{
	{"Quel est le prix du pain en 1990 ?", "combien coûtait le pain en 1990", "prix de la baguette de pain en 1990 ?"},
	{"Comment réparer une fuite d'eau ?", "réparer fuite d'eau", "Que faire pour une fuite d'eau sous l'évier ?"},
	{"Qui est le président du Brésil ?", "président actuel du Brésil", "qui dirige le Brésil en ce moment"},
	{"How do I bake bread?", "how to bake bread", "bake bread at home"},
	{"Quelle est la capitale de la France ?", "capitale France", "c'est quoi la capitale de la France"},
	{"Quel est le salaire d'Arthur Mensch ?", "combien gagne Arthur Mensch", "salaire Arthur Mensch"},
	{"Combien coûte un abonnement à Le Chat ?", "prix de l'abonnement Le Chat", "combien coûte le chat pro"},
	{"Qui est le PDG d'OpenAI ?", "pdg openai", "qui dirige OpenAI ?"},
	{"Quand Mistral AI entrera-t-elle en bourse ?", "mistral en bourse quand ?", "introduction en bourse de Mistral AI"},
	{"Quel est le chiffre d'affaires annuel de Mistral ?", "chiffre d'affaires Mistral", "CA annuel de Mistral AI"},
	{"Combien d'employés compte Mistral ?", "nombre d'employés de Mistral", "combien de salariés chez Mistral"},
	{"Quelle est l'adresse du siège de Mistral ?", "adresse siège Mistral", "où se trouve le siège de Mistral AI ?"},
}

// TestGroupingUnanswered measures how many groups the unanswered view
// shows for the log above: 12 things were asked; fewer groups than 36
// wordings, and no two of the 12 merged.
func TestGroupingUnanswered(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		l := mustOpen(t, database, Options{})
		at := time.Now().Add(-time.Hour)
		for _, wordings := range unansweredLog {
			for _, q := range wordings {
				l.Record(Turn{Time: at, Question: q, Kind: "no_answer", Confidence: 0.05})
			}
		}
		mustFlush(t, l)
		groups, err := l.Unanswered(context.Background(), at.Add(-time.Minute), 0)
		if err != nil {
			t.Fatal(err)
		}
		thing := map[string]int{}
		for i, wordings := range unansweredLog {
			for _, q := range wordings {
				thing[q] = i
			}
		}
		together := 0 // paraphrases found in their question's group
		for _, g := range groups {
			seen := map[int]bool{}
			for _, w := range g.Wordings {
				seen[thing[w.Text]] = true
			}
			if len(seen) > 1 {
				t.Errorf("group %q mixes different questions: %v", g.Question, g.Wordings)
			}
			together += len(g.Wordings) - 1
		}
		t.Logf("%d groups for %d questions asked in %d wordings (%d wordings joined a group)", len(groups), len(unansweredLog), 36, together)
		if len(groups) > 24 {
			t.Errorf("%d groups; want the paraphrases gathered (at most 24)", len(groups))
		}
	})
}

// TestMergeSimilarIsCareful checks what gathering must never do: join two
// questions on a weak synonym alone, or on everything but their year; and
// that it gives the same groups every time, and reads a word of two
// synonym groups alike with both.
func TestMergeSimilarIsCareful(t *testing.T) {
	keys := []string{
		GroupKey("Quel est le chiffre d'affaires de Mistral en 2023 ?"),
		GroupKey("Quel est le chiffre d'affaires de Mistral en 2024 ?"),
		GroupKey("Quelle est la capitale de la France ?"),
		GroupKey("Quel est le financement de la France ?"),
		GroupKey("Combien coûte l'abonnement au chat pro ?"),
		GroupKey("Quel est le prix de l'abonnement chat pro ?"),
	}
	into := mergeSimilar(keys)
	if into[keys[1]] == into[keys[0]] {
		t.Errorf("2023 and 2024 gathered")
	}
	if into[keys[3]] == into[keys[2]] {
		t.Errorf("« capitale » and « financement » gathered on a synonym alone")
	}
	if into[keys[5]] != into[keys[4]] {
		t.Errorf("« coûte l'abonnement » and « prix de l'abonnement » not gathered: %q, %q", into[keys[4]], into[keys[5]])
	}
	for range 20 {
		again := mergeSimilar(keys)
		for k, v := range into {
			if again[k] != v {
				t.Fatalf("%q went to %q, then to %q", k, v, again[k])
			}
		}
	}
	c := canonicalStems()
	if c["pdg"] == "" || c["pdg"] != c["patron"] || c["pdg"] != c["dirig"] {
		t.Errorf("pdg %q, patron %q, dirig %q; want one stem for the groups that share pdg", c["pdg"], c["patron"], c["dirig"])
	}
}

// TestGroupAnswer checks that a group of « Les plus posées » carries the
// latest answer given to its questions.
func TestGroupAnswer(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		l := mustOpen(t, database, Options{})
		at := time.Now().Add(-time.Hour)
		l.Record(Turn{Time: at, Question: "Où est la mairie ?", Kind: "answer", Confidence: 0.9, Answer: "Place du marché."})
		l.Record(Turn{Time: at.Add(time.Minute), Question: "où est la mairie", Kind: "answer", Confidence: 0.9, Answer: "Place de la République."})
		mustFlush(t, l)
		groups, err := l.Top(context.Background(), at.Add(-time.Minute), 0)
		if err != nil || len(groups) != 1 || groups[0].Answer != "Place de la République." {
			t.Errorf("groups %+v, %v; want one, with the latest answer", groups, err)
		}
	})
}
