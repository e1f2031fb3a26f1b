package chat

import "testing"

// TestFocus checks which word a question asks about.
func TestFocus(t *testing.T) {
	e := mustEngine(t)
	for q, want := range map[string]string{
		"Quelle est la capitale de la France ?":      "capitale",
		"Quel est le nom du patron de Mistral ?":     "patron",
		"Combien d'employés compte Mistral ?":        "employes",
		"Qui est le PDG d'OpenAI ?":                  "pdg",
		"Quel était le dernier souhait du roi ?":     "souhait",
		"Quel fleuve a creusé le plateau ?":          "",
		"Pourquoi Mistral séduit-elle les banques ?": "",
	} {
		tr := e.understand(q, convContext{})
		got := ""
		if i := focus(tr); i >= 0 {
			got = tr.terms[i].Exact
		}
		if got != want {
			t.Errorf("focus of %q = %q, want %q", q, got, want)
		}
	}
}

// TestFocusInAnotherForm checks that a passage holding the focus's stem in
// another word only does not answer: « capitale » is not « Capital levé ».
func TestFocusInAnotherForm(t *testing.T) {
	e := mustEngine(t)
	a, err := e.Ask("Quelle est la capitale de la France ?", "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != KindNoAnswer {
		t.Errorf("« la capitale de la France » answered %q (%.2f); want no_answer", a.Answer, a.Confidence)
	}
	for _, q := range []string{"Quel est le capital levé par Mistral ?", "Quelle est la durée du contrat avec la SNCF ?"} {
		a, err := e.Ask(q, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind != KindAnswer {
			t.Errorf("%q: %s; want an answer, its focus is in the passage", q, a.Kind)
		}
	}
}
