package chat

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/causette/causette/index"
)

// knownSynonymShare weighs, in sentence choice, a synonym that no searched
// stem carries a weight for.
const knownSynonymShare = 0.5

// entityShare weighs, in sentence choice, a name the question is about.
const entityShare = 0.5

// shortSentenceRunes: under this length a sentence may need the next one.
const shortSentenceRunes = 80

// rareIDF: a word held by fewer than about a third of the passages.
const rareIDF = 1.0

// answerCueBoost favours, among a passage's sentences, one holding what the
// question wants (a number for "combien"): within one passage that is the
// best sign of the answer.
const answerCueBoost = 0.6

// scoreDigits is the precision a sentence's score keeps (see extract).
const scoreDigits = 1e9

// extract picks what answers the question in the passage: a table cell named
// by the question, or the sentences that hold most of the question's words.
//
// It also returns where the answer stands in the passage's text: the byte
// range of its sentences, or of the table cell it reads (see shortAnswer).
func (e *Engine) extract(t *turn, p *index.Passage, want map[string]bool) (string, [2]int) {
	if p.Row != nil {
		if fact, cell := tableFact(p.Row, want, e.ownWords(t), t.order()); fact != "" {
			return fact, cellRange(p, cell)
		}
		return withStop(p.Text), [2]int{0, len(p.Text)} // the whole row, read with its header
	}
	if text, ok := readList(p.Text); ok {
		return text, [2]int{0, len(p.Text)} // a list is read with its lead-in, never an item alone
	}
	facts := e.factsOf(p).sentences // measured already: the passage was a candidate
	if len(facts) <= 1 || p.Kind == index.KindFAQ && utf8.RuneCountInString(p.Text) <= maxAnswerRunes {
		// An FAQ answer was written to be read whole.
		if strings.HasSuffix(strings.TrimSpace(p.Text), ":") {
			return e.withList(p), [2]int{0, len(p.Text)}
		}
		return e.underLeadIn(p, clip(dropConnector(p.Text))), [2]int{0, len(p.Text)}
	}
	// A word of this turn counts more than one inherited from the previous
	// turn: "Qu'a-t-il refusé ?" wants the sentence on the refusal.
	weight := map[string]float64{}
	entity := map[string]bool{}
	for _, s := range t.entities {
		entity[s] = true
	}
	for _, s := range t.stems {
		w := s.Weight
		if s.Of >= len(t.terms) {
			w *= inheritedWeight // inherited words count less here
		}
		if entity[s.Stem] {
			// The passage is already about the entity; the other words say
			// which of its sentences answers ("Qu'a refusé Arthur Mensch ?").
			w *= entityShare
		}
		weight[s.Stem] = max(weight[s.Stem], w)
	}
	for w := range want {
		if weight[w] == 0 {
			weight[w] = knownSynonymShare
		}
	}
	if asksDefinition(t) {
		if i := e.definingSentence(t, p); i >= 0 {
			return e.underLeadIn(p, clip(dropConnector(facts[i].cues.text))), [2]int{facts[i].from, facts[i].to}
		}
	}
	bestI, bestScore := 0, -1.0
	for i := range facts {
		var score float64
		for stem := range facts[i].stems {
			if want[stem] {
				score += weight[stem] * e.ix.IDF(stem)
			}
		}
		// The stems come from a map, in any order: rounded, sums of the same
		// words are equal, and the first such sentence wins every time.
		score = math.Round(score*scoreDigits) / scoreDigits
		if facts[i].cues.has(t.cue) {
			score *= 1 + answerCueBoost
		}
		if score > bestScore {
			bestI, bestScore = i, score
		}
	}
	out := facts[bestI].cues.text
	at := [2]int{facts[bestI].from, facts[bestI].to}
	// A short sentence that ends on a colon, or that the next one carries on
	// with words of the question, is completed by it.
	if bestI+1 < len(facts) && utf8.RuneCountInString(out) < shortSentenceRunes &&
		(strings.HasSuffix(out, ":") || e.holdsRare(facts[bestI+1].cues.text, want)) {
		out += " " + facts[bestI+1].cues.text
		at[1] = facts[bestI+1].to
	} else if bestI+1 == len(facts) && strings.HasSuffix(out, ":") {
		// A lead-in that ends the passage announces the list that follows.
		out = strings.TrimSpace(p.Text[facts[0].from:at[0]]) + " " + e.withList(p)
		return strings.TrimSpace(out), at
	}
	return e.underLeadIn(p, clip(dropConnector(out))), at
}

// withStop is text ending as a sentence: a full stop added unless it ends
// with one, a « ? », « ! » or « … » (a row's last cell often does).
func withStop(text string) string {
	if t := strings.TrimSpace(text); strings.HasSuffix(t, ".") || strings.HasSuffix(t, "?") ||
		strings.HasSuffix(t, "!") || strings.HasSuffix(t, "…") {
		return t
	}
	return text + "."
}

// readList reads a passage that is a list (the shape the readers of web
// pages, Word, OpenDocument and PDF give it: its lead-in on the first line,
// then one « - item » a line) whole, each item marked « • », as many items
// as maxListRunes holds, an ellipsis saying the list goes on; false for
// another passage.
func readList(text string) (string, bool) {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	first := 0
	if len(lines) > 0 && !strings.HasPrefix(lines[0], "- ") {
		first = 1 // the lead-in
	}
	if len(lines)-first < 1 || len(lines) < 2 {
		return "", false
	}
	for _, l := range lines[first:] {
		if !strings.HasPrefix(l, "- ") {
			return "", false
		}
	}
	var b strings.Builder
	size := 0
	if first == 1 {
		b.WriteString(lines[0])
		size = utf8.RuneCountInString(lines[0])
	}
	for i, l := range lines[first:] {
		item := "• " + strings.TrimSpace(l[2:])
		n := utf8.RuneCountInString(item) + 1
		if i > 0 && size+n > maxListRunes {
			b.WriteString("\n…")
			break
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(item)
		size += n
	}
	return b.String(), true
}

// tableFact reads the cell whose column the question names, as a sentence:
// "Pour SNCF, durée du contrat : 5 ans." The column named first in the
// question wins: in "le montant du contrat", montant is the head. When
// the column is named by an entity of the question ("Google AI" in a table
// whose columns are companies), the row says what is asked: "Pour Google AI,
// modèles phares : Bard." It returns "" when the question names no column.
func tableFact(r *index.TableRow, want, own map[string]bool, order map[string]int) (string, int) {
	col, byEntity := tableCell(r, want, own, order)
	if col == 0 {
		return "", 0
	}
	subject, attribute := r.Label(), r.Header[col]
	if byEntity {
		subject, attribute = r.Header[col], r.Label()
	}
	return "Pour " + subject + ", " + lowerFirst(attribute) + " : " + r.Cells[col] + ".", col
}

// cellRange finds cell col of a row passage in its text (index.RowText
// writes it after its header and " : ").
func cellRange(p *index.Passage, col int) [2]int {
	r := p.Row
	want := r.Header[col] + " : " + r.Cells[col]
	if r.Header[col] == "" {
		want = r.Cells[col]
	}
	if i := strings.Index(p.Text, want); i >= 0 {
		start := i + len(want) - len(r.Cells[col])
		return [2]int{start, start + len(r.Cells[col])}
	}
	return [2]int{0, len(p.Text)}
}

// tableCell finds the column the question names (0: none) and whether an
// entity of the question named it.
func tableCell(r *index.TableRow, want, own map[string]bool, order map[string]int) (col int, byEntity bool) {
	// The header's first word is its head ("durée" in "Durée du contrat"): a
	// question naming only "contrat" asks about the whole row, not this cell.
	// A head named by this turn beats one inherited from the previous turn:
	// "Et son montant ?" after the duration asks for the amount.
	bestOwn, bestN, bestAt := false, 0, 0
	for i := 1; i < len(r.Header) && i < len(r.Cells); i++ {
		n, at, head, ownHead := 0, 1<<30, false, false
		for j, tok := range index.Analyze(r.Header[i]) {
			term := string(tok.Term)
			if want[term] {
				n++
				head = head || j == 0
				ownHead = ownHead || j == 0 && own[term]
				if o, ok := order[term]; ok && o < at {
					at = o
				}
			}
		}
		if r.Cells[i] == "" || !head {
			continue
		}
		better := ownHead && !bestOwn ||
			ownHead == bestOwn && (at < bestAt || at == bestAt && n > bestN)
		if col == 0 || better {
			col, bestOwn, bestN, bestAt = i, ownHead, n, at
		}
	}
	return col, col != 0 && entityColumns(r)
}

// entityColumns reports whether a table's columns name entities and its rows
// attributes ("Caractéristique | Mistral AI | OpenAI | Google AI"): every
// header after the first is written as a name.
func entityColumns(r *index.TableRow) bool {
	for _, h := range r.Header[1:] {
		if !nameLike(h) {
			return false
		}
	}
	return len(r.Header) > 1
}

// nameLike reports whether every word of s starts with a capital or a digit
// ("Google AI", "OpenAI"), as names are written and attributes are not
// ("Durée du contrat").
func nameLike(s string) bool {
	ws := strings.Fields(s)
	if len(ws) == 0 {
		return false
	}
	for _, w := range ws {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// tableFollowUps proposes the next questions a table answer invites: the
// same fact for another entity ("Et pour OpenAI ?") and another fact of the
// same entity ("Et côté durée du contrat ?").
func tableFollowUps(r *index.TableRow, col int, byEntity bool) []string {
	var out []string
	if col == 0 {
		return nil
	}
	if byEntity {
		// Columns are entities: ask the same row of the next column.
		next := col%(len(r.Header)-1) + 1
		if next != col {
			out = append(out, "Et pour "+r.Header[next]+" ?")
		}
		return out
	}
	next := col%(len(r.Header)-1) + 1
	if next != col && r.Cells[next] != "" {
		out = append(out, "Et côté "+lowerFirst(r.Header[next])+" ?")
	}
	return out
}

// lowerFirst lower-cases the first letter of a common word ("Durée" ->
// "durée") but leaves acronyms and names in capitals alone ("IA", "SNCF").
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	next, _ := utf8.DecodeRuneInString(s[size:])
	if !unicode.IsUpper(r) || unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}

// splitSentences cuts a paragraph into sentences.
func splitSentences(text string) []string {
	marked := sentenceEnd.ReplaceAllString(text, "$1\x00$2")
	parts := strings.Split(marked, "\x00")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// clip shortens text to maxAnswerRunes at a word boundary.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= maxAnswerRunes {
		return s
	}
	r := []rune(s)[:maxAnswerRunes]
	cut := len(r)
	for cut > 0 && !unicode.IsSpace(r[cut-1]) {
		cut--
	}
	if cut == 0 {
		cut = len(r)
	}
	return strings.TrimSpace(string(r[:cut])) + " …"
}

// holdsRare reports whether text holds one of the stems that is not common
// in the corpus (a word most passages share says nothing of the answer).
func (e *Engine) holdsRare(text string, stems map[string]bool) bool {
	for _, tok := range index.Analyze(text) {
		if stems[string(tok.Term)] && e.ix.IDF(string(tok.Term)) >= rareIDF {
			return true
		}
	}
	return false
}

// ownWords are the stems this turn typed, with their synonyms, without those
// inherited from the previous turn.
func (e *Engine) ownWords(t *turn) map[string]bool {
	var own []index.WeightedStem
	for _, s := range t.stems {
		if s.Of < len(t.terms) {
			own = append(own, s)
		}
	}
	return e.ix.Expand(own)
}

// Lists: a paragraph that ends in « : » announces the lines after it in its
// section (« La médiation familiale se déroule en 3 étapes : »); the answer
// reads them too, each by its first sentence, as a list.
const (
	maxListItems = 6
	maxListRunes = 2 * maxAnswerRunes
)

// withList is the passage's text followed by the items of its section that
// come after it.
func (e *Engine) withList(p *index.Passage) string {
	out := dropConnector(strings.TrimSpace(p.Text))
	next := e.ix.Neighbours(p.ID, maxListItems)
	after := false
	items := 0
	for _, n := range next {
		if n.ID == p.ID {
			after = true
			continue
		}
		if !after || n.Section != p.Section || items == maxListItems {
			continue
		}
		item := strings.TrimSpace(n.Text)
		if s := splitSentences(item); len(s) > 0 {
			item = s[0]
		}
		if utf8.RuneCountInString(out)+utf8.RuneCountInString(item) > maxListRunes {
			break
		}
		out += "\n• " + item
		items++
		if strings.HasSuffix(item, ":") {
			break // a list of its own begins
		}
	}
	return out
}

// underLeadIn puts the lead-in of the list a passage belongs to before
// its answer: an item is never read alone (« d'un congé de solidarité
// familiale , »). The lead-in is the closest passage before it, in its
// section and at most maxListItems before, that ends in « : ».
func (e *Engine) underLeadIn(p *index.Passage, answer string) string {
	if p.Kind != index.KindParagraph {
		return answer
	}
	around := e.ix.Neighbours(p.ID, maxListItems)
	at := -1
	for i, n := range around {
		if n.ID == p.ID {
			at = i
		}
	}
	for i := at - 1; i >= 0; i-- {
		n := around[i]
		if n.Section != p.Section || n.Kind != index.KindParagraph {
			break
		}
		if lead := strings.TrimSpace(n.Text); strings.HasSuffix(lead, ":") {
			if utf8.RuneCountInString(lead) > maxAnswerRunes {
				break
			}
			return lead + "\n• " + answer
		}
	}
	return answer
}

// connectors link a sentence to the one before it; an answer read alone
// starts without them: « Néanmoins, son produit phare… » reads « Son
// produit phare… ».
var connectors = []string{"néanmoins", "en parallèle", "par ailleurs", "de plus", "en outre", "cependant",
	"toutefois", "de fait", "d'ailleurs", "d’ailleurs", "pourtant", "en effet", "par conséquent", "en revanche",
	"ainsi", "enfin", "dans ce contexte", "de son côté", "en conséquence", "de même", "aussi"}

// dropConnector removes a leading connector and its comma, and capitalises
// what follows.
func dropConnector(s string) string {
	lower := strings.ToLower(s)
	for _, c := range connectors {
		rest, ok := strings.CutPrefix(lower, c+",")
		if !ok {
			continue
		}
		out := strings.TrimSpace(s[len(s)-len(rest):])
		r, n := utf8.DecodeRuneInString(out)
		if n == 0 || !unicode.IsLetter(r) {
			return s // a sentence never starts with a digit
		}
		return string(unicode.ToUpper(r)) + out[n:]
	}
	return s
}
