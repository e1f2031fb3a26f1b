package chat

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/causette/causette/index"
)

// A short answer is the few words of the answer that say what was asked:
// « Arthur Mensch », « 60 millions € », « 19 avril 2018 ». In the answer's
// sentence, the words of the question frame the answer; the answer is the
// run of other words next to them, of the kind the question asks for (a
// number for « combien », a date for « quand », a name for « qui »).

// Short-answer limits and weights.
const (
	// maxShortWords bounds a short answer: past it, the run is cut on the
	// side away from the question's words.
	maxShortWords = 8
	// lengthPenalty slightly prefers short runs among equals.
	lengthPenalty = 0.05
	// leadPenalty counts a run before the question's words as this many
	// words further from them than one after.
	leadPenalty = 1.0
)

// maxElisionRunes is the longest elided word before an apostrophe
// (« lorsqu' », « puisqu' »).
const maxElisionRunes = 7

// shortBreakWords end a run: they start a clause of their own.
var shortBreakWords = map[string]bool{"qui": true, "que": true, "qu": true, "dont": true, "lorsque": true,
	"car": true, "mais": true, "puis": true, "afin": true, "parce": true, "si": true}

// shortWord is a word of the answer's sentence.
type shortWord struct {
	start, end int // byte offsets in the passage's text
	stem       string
	question   bool // a word of the question, or its stand-in
	capital    bool
	number     bool
	// symbol is a unit written as a sign: %, €, $, £.
	symbol bool
	// after says punctuation separates this word from the one before.
	after bool
}

// shortAnswer finds the short answer in the passage's text within at (the
// byte range extract answered from): the text and its [start, end)
// offsets in code points; "" and nil when nothing stands out.
func (e *Engine) shortAnswer(t *turn, p *index.Passage, at [2]int, want map[string]bool) (string, []int) {
	if at[0] < 0 || at[1] > len(p.Text) || at[0] >= at[1] {
		return "", nil
	}
	if p.Row != nil {
		if at[0] == 0 && at[1] == len(p.Text) {
			return "", nil // the whole row: no cell was asked for
		}
		return spanOf(p.Text, at[0], at[1])
	}
	words := e.shortWords(p, at)
	markQuestion(words, want)
	kind := t.cue
	if kind == cueNone {
		kind = headCue(t.question)
	}
	if kind == cueNone && asksMeasure(t) {
		kind = cueNumber
	}
	if kind == cueNone && asksExplanation(t.question) {
		return "", nil // the answer is the sentence itself
	}
	if kind == cueNone && asksKind(t.question) {
		kind = cueName
	}
	bestFrom, bestTo, bestScore := 0, 0, 0.0
	for from := 0; from < len(words); {
		if words[from].question {
			from++
			continue
		}
		to := from + 1
		for to < len(words) && !words[to].question && !words[to].after && !shortBreakWords[index.Fold(p.Text[words[to].start:words[to].end])] {
			to++
		}
		if s, f, tt := scoreRun(kind, p, words, from, to); s > bestScore {
			bestFrom, bestTo, bestScore = f, tt, s
		}
		from = to
	}
	if bestScore == 0 {
		return "", nil
	}

	return spanOf(p.Text, words[bestFrom].start, words[bestTo-1].end)
}

// measureWords name a quantity: a question on one (« quelle est la taille
// de… ») wants a number even without « combien ».
var measureWords = map[string]bool{"taille": true, "nombre": true, "population": true, "superficie": true,
	"surface": true, "montant": true, "prix": true, "cout": true, "duree": true, "age": true, "hauteur": true,
	"longueur": true, "largeur": true, "distance": true, "frequence": true, "poids": true, "vitesse": true,
	"altitude": true, "temperature": true, "budget": true, "effectif": true, "effectifs": true,
	"pourcentage": true, "taux": true, "profondeur": true, "capacite": true, "puissance": true}

// cueName is, for the short answer only, a question that asks which thing
// of a kind (« Quel client… ? »): a name answers it.
const cueName cue = -1

// asksKind reports whether a question asks which thing of a kind it
// names: « Quel client », « Quelle entreprise », not « Quel est ».
func asksKind(q string) bool {
	ws := words(index.Fold(q))
	if len(ws) < 2 {
		return false
	}
	switch ws[0] {
	case "quel", "quelle", "quels", "quelles":
		switch ws[1] {
		case "est", "sont", "etait", "etaient", "sera", "seront", "a", "ont":
			return false
		}
		return true
	}
	return false
}

// dateHeads are the nouns that make « Quelle est l'année… », « Quel
// siècle… » ask for a date.
var dateHeads = map[string]bool{"annee": true, "annees": true, "date": true, "dates": true, "siecle": true,
	"jour": true, "mois": true, "decennie": true, "epoque": true, "periode": true}

// nameHeads make « Quel est le nom… » ask for a name.
var nameHeads = map[string]bool{"nom": true, "noms": true, "prenom": true, "surnom": true, "titre": true,
	"appellation": true, "pseudonyme": true}

// headCue reads what a « quel » question asks for from the noun it asks
// about: « Quelle est l'année… », « Quel est le nom… », « À quel âge… »;
// cueNone when the noun says nothing of the kind.
func headCue(q string) cue {
	ws := words(strings.ReplaceAll(index.Fold(q), "’", "'"))
	i := 0
	for i < len(ws) && questionPrepositions[ws[i]] {
		i++
	}
	if i >= len(ws) || !quelWords[ws[i]] {
		return cueNone
	}
	i++
	for i < len(ws) && (quelVerbs[ws[i]] || shortArticles[ws[i]]) {
		i++
	}
	if i >= len(ws) {
		return cueNone
	}
	switch head := ws[i]; {
	case dateHeads[head]:
		return cueDate
	case measureWords[head]:
		return cueNumber
	case nameHeads[head]:
		return cueName
	}
	return cueNone
}

var (
	questionPrepositions = map[string]bool{"a": true, "en": true, "de": true, "dans": true, "pour": true,
		"par": true, "sur": true, "depuis": true, "vers": true, "avec": true, "durant": true, "pendant": true}
	quelWords = map[string]bool{"quel": true, "quelle": true, "quels": true, "quelles": true}
	quelVerbs = map[string]bool{"est": true, "sont": true, "etait": true, "etaient": true, "fut": true,
		"furent": true, "sera": true, "seront": true, "a": true, "ont": true}
	shortArticles = map[string]bool{"le": true, "la": true, "les": true, "l": true, "un": true, "une": true}
)

// explanationStarts begin questions whose answer is an explanation, not a
// few words: « pourquoi », « comment » (but « comment s'appelle » asks a
// name), « en quoi », « que fait », « qu'est-ce que ».
var explanationStarts = []string{"pourquoi", "comment", "en quoi", "que fait", "que font", "qu'est-ce que",
	"qu'est ce que", "why", "how"}

// nameStarts are the « comment » questions that ask for a name.
var nameStarts = []string{"comment s'appel", "comment appel", "comment se nomm", "comment nomm"}

// asksExplanation reports whether a question wants an explanation.
func asksExplanation(q string) bool {
	return !opensWith(q, nameStarts) && opensWith(q, explanationStarts)
}

// asksMeasure reports whether the question names a quantity.
func asksMeasure(t *turn) bool {
	for _, term := range t.terms {
		if measureWords[index.Fold(term.Surface)] {
			return true
		}
	}
	return false
}

// nameLinks may stand inside a name: « Stars de Dallas », « Maximilian
// Joseph von Tarnóczy ».
var nameLinks = map[string]bool{"de": true, "d": true, "du": true, "des": true, "la": true, "le": true,
	"von": true, "van": true, "der": true, "del": true, "di": true, "da": true}

// refine keeps, of the run words[from:to], the part the cue asks for: the
// name in it for « qui » and « où » (and for a question that asks for
// nothing in particular, when the run holds one), the date for « quand »,
// the number with the word after it (its unit) for « combien ».
func refine(c cue, text string, words []shortWord, from, to int) (int, int) {
	word := func(i int) string { return index.Fold(text[words[i].start:words[i].end]) }
	isName := func(i int) bool { return words[i].capital && (i > 0 || i+1 < to && words[i+1].capital) }
	switch c {
	case cueNumber:
		for i := from; i < to; i++ {
			if words[i].number || numberWords[word(i)] {
				end := i + 1
				// The unit: « 60 millions € » keeps « millions » and « € »,
				// « 73 000 fournisseurs référencés » its noun and adjective.
				for end < to && end-i <= 2 && words[end].stem != "" && !words[end].capital {
					end++
				}
				return spanRange(text, words, i, end, to)
			}
		}
	case cueDate:
		for i := from; i < to; i++ {
			if century(text, words, i, to) {
				return i, i + 2 // « XIe siècle »
			}
			if words[i].number || monthName(text[words[i].start:words[i].end]) {
				start, end := i, i+1
				for end < to && (words[end].number || monthName(text[words[end].start:words[end].end])) {
					end++
				}
				return spanRange(text, words, start, end, to)
			}
		}
	default:
		for i := from; i < to; i++ {
			if !isName(i) {
				continue
			}
			end := i + 1
			for end < to && (isName(end) || nameLinks[word(end)] && end+1 < to && isName(end+1)) {
				end++
			}
			return i, end
		}
		if c == cueNone {
			return refine(cueNumber, text, words, from, to)
		}
	}
	return from, to
}

// rangeLinks join the two ends of a range (« de 1967 à 1969 », « entre
// 20 et 24 % »); rangeOpeners open one.
var (
	rangeLinks   = map[string]bool{"a": true, "au": true, "et": true}
	rangeOpeners = map[string]bool{"de": true, "du": true, "entre": true}
)

// spanRange widens the number or date words[start:end] to the range it
// opens, within words[:to]: « 1967 » in « de 1967 à 1969 » gives the whole
// range, its opener and the unit after it.
func spanRange(text string, words []shortWord, start, end, to int) (int, int) {
	word := func(i int) string { return index.Fold(text[words[i].start:words[i].end]) }
	if end+1 >= to || !rangeLinks[word(end)] || !(words[end+1].number || numberWords[word(end+1)]) {
		return start, end
	}
	end += 2
	for end < to && (words[end].number || words[end].symbol || monthName(text[words[end].start:words[end].end])) {
		end++
	}
	if start > 0 && !words[start].after && !words[start-1].question && rangeOpeners[word(start-1)] {
		start-- // the opener, even where the run's stop words were trimmed
	}
	return start, end
}

// century reports whether words[i:] starts with a century: « XIe siècle ».
func century(text string, words []shortWord, i, to int) bool {
	if i+1 >= to || index.Fold(text[words[i+1].start:words[i+1].end]) != "siecle" {
		return false
	}
	w := strings.TrimSuffix(strings.TrimSuffix(text[words[i].start:words[i].end], "e"), "ème")
	return w != "" && strings.Trim(w, "IVXL") == ""
}

// scoreRun trims the run words[from:to] of its stop words at both ends,
// cuts it to maxShortWords on the side away from the question's words, and
// scores it: nearer the question's words, of the kind asked, shorter.
func scoreRun(kind cue, p *index.Passage, words []shortWord, from, to int) (float64, int, int) {
	for from < to && words[from].stem == "" {
		from++
	}
	for to > from && words[to-1].stem == "" {
		to--
	}
	if from == to {
		return 0, 0, 0
	}
	gapBefore, gapAfter := questionGaps(words, from, to)
	if to-from > maxShortWords {
		if gapBefore >= 0 && (gapAfter < 0 || gapBefore <= gapAfter) {
			to = from + maxShortWords
		} else {
			from = to - maxShortWords
		}
		for to > from && words[to-1].stem == "" {
			to--
		}
		for from < to && words[from].stem == "" {
			from++
		}
	}
	var capital, number, year bool
	for i := from; i < to; i++ {
		w := words[i]
		// The sentence's first word is written with a capital anyway.
		capital = capital || w.capital && (i > 0 || i+1 < to && words[i+1].capital)
		number = number || w.number || numberWords[index.Fold(p.Text[w.start:w.end])]
		year = year || w.number && w.end-w.start == 4 || monthName(p.Text[w.start:w.end]) || century(p.Text, words, i, to)
	}
	// Only a run of the kind asked stands out: for a question that asks
	// for nothing in particular, a name or a number. Any other run would be
	// a guess, and a wrong word in bold misleads more than none.
	// A question that asks for nothing in particular gets none: a name in
	// the sentence is as likely a neighbour of the answer as the answer
	// (« Mistral Small » for the strategy, a client for the sectors). But
	// « Quel client… ? », « Quelle entreprise… ? » ask for a name.
	fits := kind == cueName && capital
	switch kind {
	case cueNumber:
		fits = number
	case cueDate:
		fits = year
	case cuePerson, cuePlace:
		fits = capital
	}
	if !fits {
		return 0, 0, 0
	}
	// The part the cue asks for is scored by its own distance to the
	// question's words: in « une communauté sur la rivière Ohio dirigée par
	// Robert Owen », Robert Owen stands next to « dirigée », Ohio three
	// words from « communauté ».
	from, to = refine(kind, p.Text, words, from, to)
	gapBefore, gapAfter = questionGaps(words, from, to)
	gap := 4.0 // no word of the question in the sentence
	switch {
	case gapBefore >= 0 && gapAfter >= 0:
		gap = min(gapBefore, gapAfter+leadPenalty)
	case gapBefore >= 0:
		gap = gapBefore
	case gapAfter >= 0:
		gap = gapAfter + leadPenalty
	}
	return 1 / (1 + gap) / (1 + lengthPenalty*float64(to-from)), from, to
}

// questionGaps counts the words between words[from:to] and the nearest
// word of the question before it and after it, -1 where there is none.
func questionGaps(words []shortWord, from, to int) (before, after float64) {
	before, after = -1, -1
	gap := 0.0
	for i := from - 1; i >= 0; i-- {
		if words[i].question {
			before = gap
			break
		}
		gap++
	}
	gap = 0
	for i := to; i < len(words); i++ {
		if words[i].question {
			after = gap
			break
		}
		gap++
	}
	return before, after
}

// shortWords lists the words of p.Text within at, with their stems (from
// the passage's measured tokens: a word without one is a stop word).
func (e *Engine) shortWords(p *index.Passage, at [2]int) []shortWord {
	stems := map[int]string{} // code-point start -> stem
	for _, sp := range e.factsOf(p).spans {
		stems[sp.start] = sp.stem
	}
	text := p.Text
	var out []shortWord
	cp := utf8.RuneCountInString(text[:at[0]])
	punct := false
	for i := at[0]; i < at[1]; {
		r, n := utf8.DecodeRuneInString(text[i:])
		if unitSign(r) {
			// A sign is a word of its own: the unit of the number before it.
			out = append(out, shortWord{start: i, end: i + n, stem: string(r), symbol: true, after: punct && len(out) > 0})
			punct = false
			i += n
			cp++
			continue
		}
		if !isWordRune(r) {
			if !unicode.IsSpace(r) {
				punct = true
			}
			i += n
			cp++
			continue
		}
		start, startCP := i, cp
		number := unicode.IsDigit(r)
		elided := -1 // where the word starts after an elided article
	scan:
		for i < at[1] {
			r, n := utf8.DecodeRuneInString(text[i:])
			next, _ := utf8.DecodeRuneInString(text[min(i+n, len(text)):])
			switch {
			case isWordRune(r):
			case r == '-' && isWordRune(next) && i > start:
			case (r == '\'' || r == '’') && isWordRune(next) && elided < 0 && cp-startCP <= maxElisionRunes:
				elided = i + n
			case number && (r == ',' || r == '.' || r == ' ' || r == '\u00a0' || r == '\u202f') && unicode.IsDigit(next):
			default:
				break scan
			}
			i += n
			cp++
		}
		// The analyzer reads « l'homme » as one token, at the article.
		stem := stems[startCP]
		if elided > 0 {
			start = elided
		}
		first, _ := utf8.DecodeRuneInString(text[start:])
		out = append(out, shortWord{start: start, end: i, stem: stem, capital: unicode.IsUpper(first),
			number: number, after: punct && len(out) > 0})
		punct = false
	}
	return out
}

// markQuestion marks the words whose stem the question asks for.
func markQuestion(words []shortWord, want map[string]bool) {
	for i := range words {
		words[i].question = words[i].stem != "" && want[words[i].stem]
	}
}

func unitSign(r rune) bool { return r == '%' || r == '€' || r == '$' || r == '£' }

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// monthName reports whether a word names a month.
func monthName(w string) bool {
	w = strings.ToLower(w)
	for _, m := range monthNames {
		if w == m {
			return true
		}
	}
	return false
}

// spanOf is text[from:to] trimmed, with its offsets in code points.
func spanOf(text string, from, to int) (string, []int) {
	s := text[from:to]
	trimmed := strings.TrimSpace(s)
	from += strings.Index(s, trimmed)
	to = from + len(trimmed)
	start := utf8.RuneCountInString(text[:from])
	return trimmed, []int{start, start + utf8.RuneCountInString(trimmed)}
}
