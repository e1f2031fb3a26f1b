package index

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Q&A sheet (.csv, .tsv) holds one question a row with its answer. Its
// header row names the columns, in French or English: question, réponse
// (reponse, answer), and optionally formulations (alternates: other
// phrasings, separated by |), lien (link, url) and catégorie (category,
// section). A .csv is cut on commas or, as French spreadsheets save it, on
// semicolons.

// sheetColumns maps a header's names (folded) to the column they name.
var sheetColumns = map[string]string{
	"question": "question", "questions": "question", "q": "question",
	"reponse": "answer", "reponses": "answer", "answer": "answer", "answers": "answer", "response": "answer",
	"formulations": "alternates", "autres formulations": "alternates", "alternates": "alternates",
	"alternatives": "alternates", "variantes": "alternates", "reformulations": "alternates",
	"lien": "link", "link": "link", "url": "link", "source": "link",
	"categorie": "section", "category": "section", "section": "section", "rubrique": "section", "theme": "section",
	"active": "active", "actif": "active", "enabled": "active",
}

// maxSheetErrors is how many bad rows an error names.
const maxSheetErrors = 5

// QA is one row of a Q&A sheet.
type QA struct {
	Line       int // in the file, 1-based
	Question   string
	Answer     string
	Alternates []string
	Link       string // "" unless an http(s) URL
	Section    string
	// Active is the « active » column's oui or non (yes, no, 1, 0); nil
	// when the sheet has none or the cell is empty.
	Active *bool
}

// Sheet is a Q&A sheet read: its good rows, and what was wrong with the
// others, one line each (« ligne 3 : … »).
type Sheet struct {
	Rows []QA
	Bad  []string
}

// ReadSheet reads a Q&A sheet (.csv, .tsv; see above). A row with a
// question and no answer (or the reverse) goes in Bad with its line
// number. An empty, binary or unreadable file, or a header without the
// question and answer columns, is an error that starts with name.
func ReadSheet(name string, data []byte) (*Sheet, error) {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, fmt.Errorf("%s : fichier binaire, pas une feuille de questions (octet nul à la position %d)", name, i)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%s : pas du texte UTF-8 (réenregistrez la feuille en « CSV UTF-8 »)", name)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sheetSeparator(name, data)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s : feuille vide", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s : feuille illisible : %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		if c, ok := sheetColumns[strings.Join(strings.Fields(Fold(h)), " ")]; ok {
			if _, dup := col[c]; !dup {
				col[c] = i
			}
		}
	}
	if _, ok := col["question"]; !ok {
		return nil, fmt.Errorf("%s : la première ligne doit nommer les colonnes « question » et « réponse » (ou « answer »)", name)
	}
	if _, ok := col["answer"]; !ok {
		return nil, fmt.Errorf("%s : pas de colonne « réponse » (ou « answer ») dans la première ligne", name)
	}
	cell := func(row []string, c string) string {
		if i, ok := col[c]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	sh := &Sheet{}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%s : ligne %d illisible : %w", name, line, err)
		}
		q, a := cell(row, "question"), cell(row, "answer")
		switch {
		case q == "" && a == "":
			continue // a blank row
		case a == "":
			sh.Bad = append(sh.Bad, fmt.Sprintf("ligne %d : la question « %s » n'a pas de réponse", line, clip(q)))
			continue
		case q == "":
			sh.Bad = append(sh.Bad, fmt.Sprintf("ligne %d : une réponse sans question", line))
			continue
		}
		qa := QA{Line: line, Question: q, Answer: a, Section: cell(row, "section")}
		switch Fold(cell(row, "active")) {
		case "oui", "yes", "1", "vrai", "true":
			qa.Active = new(bool)
			*qa.Active = true
		case "non", "no", "0", "faux", "false":
			qa.Active = new(bool)
		}
		for _, alt := range strings.Split(cell(row, "alternates"), "|") {
			if alt = strings.TrimSpace(alt); alt != "" {
				qa.Alternates = append(qa.Alternates, alt)
			}
		}
		if link := cell(row, "link"); isWebURL(link) {
			qa.Link = link
		}
		sh.Rows = append(sh.Rows, qa)
	}
	return sh, nil
}

// readSheet reads a Q&A sheet into an outline of FAQ entries, each
// category's rows under its heading. A row with a question and no answer
// (or the reverse) is left out, and the outline's Problem gives its line
// number; a sheet with no good row is an error.
func readSheet(name string, data []byte) (*outline, error) {
	sh, err := ReadSheet(name, data)
	if err != nil {
		return nil, err
	}
	o := &outline{Title: sheetTitle(name)}
	section := ""
	for _, qa := range sh.Rows {
		if qa.Section != section && qa.Section != "" {
			section = qa.Section
			o.Blocks = append(o.Blocks, outBlock{Kind: blockHeading, Level: 2, Text: qa.Section})
		}
		o.Blocks = append(o.Blocks, outBlock{Kind: blockFAQ, Question: qa.Question, Text: qa.Answer,
			Alternates: qa.Alternates, URL: qa.Link})
	}
	if bad := sh.Bad; len(bad) > 0 {
		more := ""
		if len(bad) > maxSheetErrors {
			more = fmt.Sprintf(" (et %d autres)", len(bad)-maxSheetErrors)
			bad = bad[:maxSheetErrors]
		}
		o.Problem = fmt.Sprintf("%s : lignes écartées : %s%s", name, strings.Join(bad, " ; "), more)
	}
	if len(o.Blocks) == 0 {
		if o.Problem != "" {
			return nil, errors.New(o.Problem)
		}
		return nil, fmt.Errorf("%s : aucune question sous l'en-tête", name)
	}
	return o, nil
}

// sheetSeparator is a tab for a .tsv; for a .csv, the semicolon when the
// header line holds more of them than commas.
func sheetSeparator(name string, data []byte) rune {
	if strings.EqualFold(path.Ext(name), ".tsv") {
		return '\t'
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		return ';'
	}
	return ','
}

// sheetTitle names a sheet after its file: « faq_impots.csv » -> « Faq
// impots ».
func sheetTitle(name string) string {
	base := strings.TrimSuffix(path.Base(name), path.Ext(name))
	base = strings.Join(strings.FieldsFunc(base, func(r rune) bool { return r == '_' || r == '-' || unicode.IsSpace(r) }), " ")
	r, n := utf8.DecodeRuneInString(base)
	if n == 0 {
		return ""
	}
	return string(unicode.ToUpper(r)) + base[n:]
}

// clip shortens a question quoted in an error.
func clip(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}
