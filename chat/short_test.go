package chat

import (
	"testing"
	"unicode/utf8"
)

// TestShortAnswers checks the words that answer: a name for « qui », the
// cell for a table question, a number for « combien », the year for
// « quand ».
func TestShortAnswers(t *testing.T) {
	e := mustEngine(t)
	for _, c := range []struct{ q, want string }{
		{"Qui est le PDG de Mistral ?", "Arthur Mensch"},
		{"Quelle est la durée du contrat avec la SNCF ?", "5 ans"},
		{"Combien Mistral a-t-elle levé ?", "1,7"},
		{"Quand Mistral AI a-t-elle été fondée ?", "2023"},
	} {
		a, err := e.Ask(c.q, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Short != c.want {
			t.Errorf("%q: short %q, want %q (answer %q)", c.q, a.Short, c.want, a.Answer)
		}
	}
}

// TestShortAnswerOffsets checks that short_at locates the short answer in
// the first citation's text, in code points, on every question of a
// varied list; and that an answer without one has an empty list.
func TestShortAnswerOffsets(t *testing.T) {
	e := mustEngine(t)
	questions := append(e.Starters(), "Qui est le PDG de Mistral ?", "Où est basée Mistral AI ?",
		"Quel est le montant du contrat avec la SNCF ?", "Quels modèles Mistral a-t-elle publiés ?",
		"Qu'est-ce que Le Chat ?", "Combien d'employés compte Mistral ?", "bonjour", "zzz inconnu")
	shorts := 0
	for _, q := range questions {
		a, err := e.Ask(q, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.ShortAt == nil {
			t.Errorf("%q: short_at is null; want [] or [start, end]", q)
			continue
		}
		if a.Short == "" {
			if len(a.ShortAt) != 0 {
				t.Errorf("%q: short_at %v without a short answer", q, a.ShortAt)
			}
			continue
		}
		shorts++
		if len(a.ShortAt) != 2 || len(a.Citations) == 0 {
			t.Errorf("%q: short %q at %v with %d citations", q, a.Short, a.ShortAt, len(a.Citations))
			continue
		}
		r := []rune(a.Citations[0].Text)
		if s, e := a.ShortAt[0], a.ShortAt[1]; s < 0 || e > len(r) || s >= e || string(r[s:e]) != a.Short {
			t.Errorf("%q: short %q at %v, but the citation holds %q there", q, a.Short, a.ShortAt, string(r[max(0, min(s, len(r))):max(0, min(e, len(r)))]))
		}
		if utf8.RuneCountInString(a.Short) > utf8.RuneCountInString(a.Answer) && a.Citations[0].Kind != "table_row" {
			t.Errorf("%q: short %q longer than the answer %q", q, a.Short, a.Answer)
		}
	}
	if shorts < 2 {
		t.Errorf("%d short answers for %d questions; want some", shorts, len(questions))
	}
}

// TestHeadCue checks that a « quel » question asks for the kind its noun
// names: a date for « l'année », a name for « le nom », a number for « la
// population », nothing for a noun that says no kind.
func TestHeadCue(t *testing.T) {
	for _, c := range []struct {
		q    string
		want cue
	}{
		{"Quelle est l'année de la première récolte ?", cueDate},
		{"En quel siècle le moulin fut-il bâti ?", cueDate},
		{"Quel était le nom du premier meunier ?", cueName},
		{"Quelle est la population du hameau ?", cueNumber},
		{"Quel est le rôle du meunier ?", cueNone},
		{"Le moulin a-t-il un nom ?", cueNone},
	} {
		if got := headCue(c.q); got != c.want {
			t.Errorf("%q: cue %v, want %v", c.q, got, c.want)
		}
	}
}

// TestShortAnswerNearestName checks that among the names of a sentence the
// short answer is the one next to the question's words, measured from the
// name itself, not from the run of words around it.
func TestShortAnswerNearestName(t *testing.T) {
	ix := corpusIndex(t, map[string]string{"moulin.txt": "Le moulin de Vaux\n" +
		"En 1850, la famille s'installe à Vaux, une commune rurale de la vallée du Rhône, de tradition agricole, dirigée par Jeanne Berthier.\n" +
		"La roue du moulin fut changée en 1902, après une crue du fleuve qui emporta le barrage.\n"})
	a, err := New(ix, Options{}).Ask("Qui dirige la commune de Vaux ?", "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Short != "Jeanne Berthier" {
		t.Errorf("short %q in %q; want Jeanne Berthier", a.Short, a.Answer)
	}
	a, err = New(ix, Options{}).Ask("Quelle est l'année du changement de la roue ?", "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Short != "1902" {
		t.Errorf("short %q in %q; want 1902", a.Short, a.Answer)
	}
}

// TestShortAnswerRanges checks that a number or a date keeps the range it
// opens and its unit sign, and that a century is a date.
func TestShortAnswerRanges(t *testing.T) {
	ix := corpusIndex(t, map[string]string{"verger.txt": "Le verger communal\n" +
		"La récolte des pommes a lieu de 1978 à 1985 dans le verger du bourg, chaque automne.\n" +
		"La part des arbres greffés atteint entre 20 et 24 % des plants du verger.\n" +
		"Le premier pressoir du verger date du XIIe siècle, selon les archives du bourg.\n"})
	e := New(ix, Options{})
	for _, c := range []struct{ q, want string }{
		{"Quand a lieu la récolte des pommes ?", "de 1978 à 1985"},
		{"Quel pourcentage des arbres sont greffés ?", "entre 20 et 24 %"},
		{"De quelle époque date le premier pressoir ?", "XIIe siècle"},
	} {
		a, err := e.Ask(c.q, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Short != c.want {
			t.Errorf("%q: short %q in %q; want %q", c.q, a.Short, a.Answer, c.want)
		}
	}
}
