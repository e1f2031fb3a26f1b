package store

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// The CSV exports are reports read by people in a spreadsheet: French
// headers, times in UTC (RFC 3339), and cells that a spreadsheet would run as
// a formula defused (see safeCell). That guard is for these reports only: it
// changes the text (an apostrophe before it), so a format meant to be read
// back by a program (a Q&A sheet exported for re-import, JSON) must not use
// it and carries the text as typed. Control characters are left as typed
// too: a spreadsheet shows them, it does not obey them as a terminal would
// (see TerminalText).

// WriteGroupsCSV writes a view of groups (unanswered, most asked) as CSV.
func WriteGroupsCSV(w io.Writer, gs []Group) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"question", "nombre", "sans_reponse", "pouce_haut", "pouce_bas", "derniere_fois", "formulations", "passage_cite", "passages_proches"})
	for _, g := range gs {
		ws := make([]string, len(g.Wordings))
		for i, x := range g.Wordings {
			ws[i] = fmt.Sprintf("%s (%d)", x.Text, x.Count)
		}
		near := make([]string, len(g.Nearest))
		for i, n := range g.Nearest {
			near[i] = n.ID
		}
		cw.Write(safeRow(g.Question, strconv.Itoa(g.Count), strconv.Itoa(g.NoAnswer), strconv.Itoa(g.Up), strconv.Itoa(g.Down),
			g.Last.UTC().Format(time.RFC3339), strings.Join(ws, " | "), g.Passage, strings.Join(near, " ")))
	}
	cw.Flush()
	return cw.Error()
}

// WriteTurnsCSV writes a view of turns (disliked, recent) as CSV.
func WriteTurnsCSV(w io.Writer, ts []Turn) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"date", "question", "type", "confiance", "passage_cite", "latence_ms", "avis", "reponse", "question_precedente"})
	for _, t := range ts {
		cw.Write(safeRow(t.Time.UTC().Format(time.RFC3339), t.Question, t.Kind, strconv.FormatFloat(t.Confidence, 'f', 2, 64),
			t.Passage, strconv.FormatFloat(float64(t.Latency.Microseconds())/1000, 'f', 1, 64), t.Feedback, t.Answer, t.Previous))
	}
	cw.Flush()
	return cw.Error()
}

func safeRow(cells ...string) []string {
	for i, c := range cells {
		cells[i] = safeCell(c)
	}
	return cells
}

// safeCell defuses a visitor's text that a spreadsheet would read as a formula
// (CSV injection: "=HYPERLINK(...)"), by prefixing it with an apostrophe. For
// the reports above only, never for data meant to round-trip.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
