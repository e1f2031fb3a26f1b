package chat

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/causette/causette/index"
)

// Tables can be compared: « Quel est le contrat le plus important ? »,
// « Quel contrat dure le plus longtemps ? », « Quelle entreprise a levé le
// plus d'argent ? ». The engine reads the cells of the table the question
// is about as quantities (« 1,7 », « 60 millions € », « plus de 10 », « 5
// ans »; never « En cours » or « Non communiqué »), picks the column the
// question names or whose kind the adjective implies, and answers with the
// row that holds the largest or smallest value.

// superlative is what a question compares: the direction and the kind of
// quantity its adjective implies (« long » a duration, « important » an
// amount), "" when it names none.
type superlative struct {
	most bool // the largest value; else the smallest
	kind quantityKind
}

// quantityKind is what a column's values measure.
type quantityKind int

const (
	anyQuantity quantityKind = iota
	duration
	amount
	year
)

// comparatives map the word after « le plus » (or « le moins ») to what it
// compares: the direction for « plus » and the kind of value it reads.
var comparatives = map[string]superlative{
	"important": {true, amount}, "importante": {true, amount}, "gros": {true, amount}, "grosse": {true, amount},
	"cher": {true, amount}, "chere": {true, amount}, "eleve": {true, anyQuantity}, "elevee": {true, anyQuantity},
	"grand": {true, anyQuantity}, "grande": {true, anyQuantity}, "haut": {true, anyQuantity},
	"petit": {false, anyQuantity}, "petite": {false, anyQuantity}, "faible": {false, anyQuantity},
	"bas": {false, anyQuantity}, "basse": {false, anyQuantity},
	"long": {true, duration}, "longue": {true, duration}, "longtemps": {true, duration},
	"court": {false, duration}, "courte": {false, duration},
	"recent": {true, year}, "recente": {true, year}, "ancien": {false, year}, "ancienne": {false, year},
	"vieux": {false, year}, "vieille": {false, year}, "jeune": {true, year},
	"argent": {true, amount}, "fonds": {true, amount}, "capital": {true, amount},
}

// superlativeRe finds « le plus X », « la moins X », « le plus d'X ».
var superlativeRe = regexp.MustCompile(`\b(?:le|la|les)\s+(plus|moins)\s+(?:d'|de\s+|d’)?([\p{L}]+)`)

// superlativeOf reads a question's superlative; ok is false without one.
func superlativeOf(q string) (superlative, bool) {
	m := superlativeRe.FindStringSubmatch(strings.ToLower(q))
	if m == nil {
		return superlative{}, false
	}
	s, ok := comparatives[index.Fold(m[2])]
	if !ok {
		return superlative{}, false
	}
	if m[1] == "moins" {
		s.most = !s.most
	}
	return s, true
}

// quantity is a cell read as a number: its value and kind.
type quantity struct {
	value float64
	kind  quantityKind
}

var (
	numberRe = regexp.MustCompile(`(\d[\d\s\x{00a0}\x{202f}]*(?:[,.]\d+)?)`)
	yearRe4  = regexp.MustCompile(`^(1[0-9]{3}|20[0-9]{2})$`)
)

// scales are the words that multiply a number.
var scales = map[string]float64{"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9,
	"k": 1e3, "m": 1e6, "md": 1e9, "mds": 1e9}

// durationUnits convert a duration to days.
var durationUnits = map[string]float64{"an": 365, "ans": 365, "annee": 365, "annees": 365, "mois": 30,
	"semaine": 7, "semaines": 7, "jour": 1, "jours": 1}

// readQuantity reads a cell as a quantity (header gives the column's unit
// when the cells have none: « Capital levé (en milliards €) »); ok is false
// for a cell that is not a number (« En cours », « Non communiqué »).
func readQuantity(cell, header string) (quantity, bool) {
	c := strings.TrimSpace(cell)
	loc := numberRe.FindStringIndex(c)
	if loc == nil {
		return quantity{}, false
	}
	digits := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		if r == ',' {
			return '.'
		}
		return r
	}, c[loc[0]:loc[1]])
	v, err := strconv.ParseFloat(digits, 64)
	if err != nil {
		return quantity{}, false
	}
	rest := words(index.Fold(c[loc[1]:]))
	q := quantity{value: v, kind: anyQuantity}
	if yearRe4.MatchString(digits) && len(rest) == 0 {
		q.kind = year
	}
	if len(rest) > 0 {
		if f, ok := scales[rest[0]]; ok {
			q.value *= f
			q.kind = amount
			rest = rest[1:]
		}
	}
	if len(rest) > 0 {
		if d, ok := durationUnits[rest[0]]; ok {
			q.value *= d
			q.kind = duration
		}
	}
	if strings.ContainsAny(c, "€$£") || strings.Contains(index.Fold(c), "euro") {
		q.kind = amount
	}
	if q.kind == anyQuantity {
		h := index.Fold(header)
		for w, f := range scales {
			if len(w) > 2 && strings.Contains(h, w) {
				q.value *= f
				q.kind = amount
				break
			}
		}
		if strings.ContainsAny(header, "€$£") {
			q.kind = amount
		}
	}
	// Text around the number: « plus de 10 » is a bound, read as 10.
	return q, true
}

// maxTableRows bounds a table read for a comparison.
const maxTableRows = 60

// compareTable answers a superlative over the table of the best-ranked
// table row: by its rows when a column holds the values (clients and their
// contract amounts), by its columns when a row does (companies side by
// side, one attribute a row). ok is false when no column or row of the
// kind asked holds at least two values.
func (e *Engine) compareTable(t *turn, ranked []scored, want map[string]bool) (Answer, bool) {
	sup, ok := superlativeOf(t.question)
	if !ok {
		return Answer{}, false
	}
	var row *index.Passage
	coverage := 0.0
	for _, s := range ranked {
		if s.hit.Passage.Row != nil {
			row, coverage = s.hit.Passage, s.coverage
			break
		}
	}
	if row == nil || coverage < e.opts.Threshold {
		return Answer{}, false
	}
	rows := e.tableRows(row)
	header := row.Row.Header
	named := func(h string) bool {
		for _, tok := range index.Analyze(h) {
			if want[string(tok.Term)] {
				return true
			}
		}
		return false
	}
	// By rows: the column the question names, else one of the kind asked.
	bestCol, bestNamed := 0, false
	for col := 1; col < len(header); col++ {
		n, kind := 0, anyQuantity
		for _, r := range rows {
			if col < len(r.Row.Cells) {
				if q, ok := readQuantity(r.Row.Cells[col], header[col]); ok {
					n++
					kind = q.kind
				}
			}
		}
		if n < 2 || sup.kind != anyQuantity && kind != sup.kind {
			continue
		}
		if isNamed := named(header[col]); bestCol == 0 || isNamed && !bestNamed {
			bestCol, bestNamed = col, isNamed
		}
	}
	if bestCol > 0 {
		if r, ok := extreme(rows, sup, func(p index.Passage) (string, string) {
			if bestCol < len(p.Row.Cells) {
				return p.Row.Cells[bestCol], header[bestCol]
			}
			return "", ""
		}); ok {
			cell := r.Row.Cells[bestCol]
			return e.comparison(t, r, r.Row.Label(), header[bestCol], cell, bestCol, sup, coverage), true
		}
	}
	// By columns: the row the question names, its cells side by side.
	for _, r := range rows {
		if !named(r.Row.Label()) {
			continue
		}
		vals, col := 0, 0
		best := math.NaN()
		for c := 1; c < len(r.Row.Cells) && c < len(header); c++ {
			q, ok := readQuantity(r.Row.Cells[c], r.Row.Label())
			if !ok || sup.kind != anyQuantity && q.kind != sup.kind && q.kind != anyQuantity {
				continue
			}
			vals++
			if math.IsNaN(best) || sup.most && q.value > best || !sup.most && q.value < best {
				best, col = q.value, c
			}
		}
		if vals >= 2 {
			p := r
			return e.comparison(t, &p, header[col], r.Row.Label(), r.Row.Cells[col], col, sup, coverage), true
		}
	}
	return Answer{}, false
}

// tableRows lists the rows of row's table, in order, as far as
// maxTableRows on each side.
func (e *Engine) tableRows(row *index.Passage) []index.Passage {
	var rows []index.Passage
	for _, n := range e.ix.Neighbours(row.ID, maxTableRows) {
		if n.Row != nil && n.Doc == row.Doc && n.Row.Table == row.Row.Table {
			rows = append(rows, n)
		}
	}
	return rows
}

// extreme finds the row whose value (read by cell) is the largest or the
// smallest; rows without a value are left out.
func extreme(rows []index.Passage, sup superlative, cell func(index.Passage) (string, string)) (*index.Passage, bool) {
	var best *index.Passage
	bestV := 0.0
	for i := range rows {
		c, h := cell(rows[i])
		q, ok := readQuantity(c, h)
		if !ok {
			continue
		}
		if best == nil || sup.most && q.value > bestV || !sup.most && q.value < bestV {
			best, bestV = &rows[i], q.value
		}
	}
	return best, best != nil
}

// comparison is the answer to a superlative: the row (or column) that
// holds the extreme value, in a sentence that names it, citing its row.
// The confidence is how much of the question the table's best row covers.
func (e *Engine) comparison(t *turn, p *index.Passage, subject, attribute, cell string, col int, sup superlative,
	confidence float64) Answer {
	// Named by what the value is: « la durée la plus longue du tableau ».
	which := map[quantityKind][2]string{
		duration:    {"la durée la plus longue", "la durée la plus courte"},
		amount:      {"le montant le plus élevé", "le montant le plus faible"},
		year:        {"l'année la plus récente", "l'année la plus ancienne"},
		anyQuantity: {"la valeur la plus élevée", "la valeur la plus faible"},
	}
	kind := sup.kind
	if q, ok := readQuantity(cell, attribute); ok && kind == anyQuantity {
		kind = q.kind
	}
	pick := which[kind][1]
	if sup.most {
		pick = which[kind][0]
	}
	text := subject + " : " + lowerFirst(attribute) + " de " + cell + ", " + pick + " du tableau."
	cite := e.cite(scored{hit: index.Hit{Passage: p, Score: 1}, score: 1}, e.ix.Expand(t.stems))
	a := Answer{Kind: KindAnswer, Confidence: math.Round(confidence*1000) / 1000, Answer: text, Citations: []Citation{cite}}
	at := cellRange(p, col)
	a.Short, a.ShortAt = spanOf(p.Text, at[0], at[1])
	t.answered = true
	a.Context = e.encodeContext(t.nextContext(p.ID))
	return a
}

// countRe finds what « combien de X » counts.
var countRe = regexp.MustCompile(`\bcombien\s+(?:de\s+|d'|d’)([\p{L}]+)`)

// countTable answers « Combien de clients … dans le tableau ? » when X
// names the rows of the table of the best-ranked row (its first header
// cell: « Client »): the rows are counted and named, the first cited.
func (e *Engine) countTable(t *turn, ranked []scored) (Answer, bool) {
	m := countRe.FindStringSubmatch(strings.ToLower(t.question))
	if m == nil {
		return Answer{}, false
	}
	asked := index.Analyze(m[1])
	if len(asked) != 1 {
		return Answer{}, false
	}
	// The best-ranked row of a table whose rows are what is counted.
	var row *index.Passage
	coverage := 0.0
	for _, s := range ranked {
		r := s.hit.Passage.Row
		if r == nil || len(r.Header) == 0 {
			continue
		}
		if head := index.Analyze(r.Header[0]); len(head) > 0 && string(head[0].Term) == string(asked[0].Term) {
			row, coverage = s.hit.Passage, s.coverage
			break
		}
	}
	// A count is over a table when the question says so (« dans le
	// tableau »), or when a row of it answers the question well enough.
	q := index.Fold(t.question)
	named := strings.Contains(q, "tableau") || strings.Contains(q, "liste")
	if row == nil || !named && coverage < e.opts.Threshold {
		return Answer{}, false
	}
	if named {
		coverage = max(coverage, uncertainBelow) // the question names the table
	}
	var labels []string
	var first *index.Passage
	rows := e.tableRows(row)
	for i := range rows {
		if rows[i].Row.Label() != "" {
			if first == nil {
				first = &rows[i]
			}
			labels = append(labels, rows[i].Row.Label())
		}
	}
	if len(labels) < 2 {
		return Answer{}, false
	}
	list := strings.Join(labels[:len(labels)-1], ", ") + " et " + labels[len(labels)-1]
	text := "Le tableau en compte " + strconv.Itoa(len(labels)) + " : " + list + "."
	cite := e.cite(scored{hit: index.Hit{Passage: first, Score: 1}, score: 1}, e.ix.Expand(t.stems))
	a := Answer{Kind: KindAnswer, Confidence: math.Round(coverage*1000) / 1000, Answer: text, Citations: []Citation{cite}}
	t.answered = true
	a.Context = e.encodeContext(t.nextContext(first.ID))
	return a, true
}
