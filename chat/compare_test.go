package chat

import (
	"strings"
	"testing"
)

// TestReadQuantity checks French cells read as quantities, and the cells
// that are not numbers left out.
func TestReadQuantity(t *testing.T) {
	for _, c := range []struct {
		cell, header string
		value        float64
		kind         quantityKind
		ok           bool
	}{
		{"1,7", "Capital levé (en milliards €)", 1.7e9, amount, true},
		{"plus de 10", "Capital levé (en milliards €)", 10e9, amount, true},
		{"60 millions €", "Montant estimé", 60e6, amount, true},
		{"5 ans", "Durée du contrat", 5 * 365, duration, true},
		{"18 mois", "Durée", 18 * 30, duration, true},
		{"2023", "Année de création", 2023, year, true},
		{"73 000", "Fournisseurs", 73000, anyQuantity, true},
		{"En cours", "Durée du contrat", 0, 0, false},
		{"Non communiqué", "Montant estimé", 0, 0, false},
		{"Entreprise & gouvernements", "Positionnement", 0, 0, false},
	} {
		q, ok := readQuantity(c.cell, c.header)
		if ok != c.ok || ok && (q.value != c.value || q.kind != c.kind) {
			t.Errorf("readQuantity(%q, %q) = %v (kind %d), %v; want %v (kind %d), %v",
				c.cell, c.header, q.value, q.kind, ok, c.value, c.kind, c.ok)
		}
	}
}

// TestSuperlativeOf checks what a question compares.
func TestSuperlativeOf(t *testing.T) {
	for q, want := range map[string]*superlative{
		"Quel est le contrat le plus important ?":     {true, amount},
		"Quel contrat dure le plus longtemps ?":       {true, duration},
		"Quel est le contrat le plus court ?":         {false, duration},
		"Quel est le contrat le moins long ?":         {false, duration},
		"Quelle entreprise a levé le plus d'argent ?": {true, amount},
		"Quelle est l'entreprise la plus récente ?":   {true, year},
		"Qui est le PDG de Mistral ?":                 nil,
		"Quel est le plus beau modèle ?":              nil,
	} {
		got, ok := superlativeOf(q)
		if (want == nil) == ok || ok && got != *want {
			t.Errorf("superlativeOf(%q) = %v, %v; want %v", q, got, ok, want)
		}
	}
}

// TestTableComparisons checks superlatives over the seed's tables, by rows
// (clients and their contracts) and by columns (companies side by side),
// answered with the row, the value and its citation.
func TestTableComparisons(t *testing.T) {
	e := mustEngine(t)
	for q, want := range map[string][2]string{
		"Quel est le contrat le plus important ?":     {"SNCF", "60 millions €"},
		"Quel contrat dure le plus longtemps ?":       {"SNCF", "5 ans"},
		"Quel est le contrat le plus court ?":         {"TotalEnergies", "3 ans"},
		"Quel est le contrat le moins important ?":    {"TotalEnergies", "45 millions €"},
		"Quelle entreprise a levé le plus d'argent ?": {"OpenAI", "plus de 10"},
	} {
		a, err := e.Ask(q, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind != KindAnswer || !strings.HasPrefix(a.Answer, want[0]+" :") || a.Short != want[1] {
			t.Errorf("%q: %s %q (short %q); want %s with %q", q, a.Kind, a.Answer, a.Short, want[0], want[1])
			continue
		}
		if len(a.Citations) == 0 || !strings.Contains(a.Citations[0].Text, want[1]) {
			t.Errorf("%q: citations %v; want the row that holds %q", q, a.Citations, want[1])
		}
	}
}

// TestTableCount checks « combien de X dans le tableau » over a table whose
// rows are X, and that a question without « tableau » that a paragraph
// answers is left to it.
func TestTableCount(t *testing.T) {
	e := mustEngine(t)
	for q, want := range map[string]string{
		"Combien de clients sont cités dans le tableau ?": "Le tableau en compte 4 : TotalEnergies, SNCF, Ministère de la Défense et Veolia.",
		"Combien de modèles dans le tableau ?":            "Le tableau en compte 3 : Magistral, Mistral Small et Le Chat.",
	} {
		a, err := e.Ask(q, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Answer != want || len(a.Citations) != 1 || a.Citations[0].Kind != "table_row" {
			t.Errorf("%q: %q citing %v; want %q citing a row of the table", q, a.Answer, a.Citations, want)
		}
	}
	a, err := e.Ask("Combien de clients a Mistral ?", "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(a.Answer, "Le tableau en compte") {
		t.Errorf("« Combien de clients a Mistral ? » counted a table (%q); the paragraph listing them answers", a.Answer)
	}
}
