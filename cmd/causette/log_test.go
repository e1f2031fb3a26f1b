package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/causette/causette/web/store"
	"github.com/causette/causette/web/store/sqlite"
)

// writeLog fills a question log with a few visitor turns and returns its path.
func writeLog(t *testing.T) string {
	t.Helper()
	now := time.Now()
	return writeTurns(t, []store.Turn{
		{Question: "Quelle est la recette de la tarte Tatin ?", Kind: "no_answer", Confidence: 0.1},
		{Question: "recette de la tarte tatin", Kind: "no_answer", Confidence: 0.1},
		{Question: "Qui est le PDG de Mistral ?", Kind: "answer", Confidence: 0.95, Passage: "mistral-ai#p3", Key: "t1"},
		{Question: "qui est le pdg de mistral", Kind: "answer", Confidence: 0.95, Passage: "mistral-ai#p3"},
		{Question: "Combien vaut Mistral ?", Kind: "answer", Confidence: 0.8, Passage: "mistral-ai#p3"},
		{Question: "Une question d'il y a dix jours", Kind: "no_answer", Time: now.Add(-10 * 24 * time.Hour)},
	}, "t1")
}

// writeTurns writes a question log of turns, the turns keyed disliked given
// a thumbs down, and returns its path.
func writeTurns(t *testing.T, turns []store.Turn, disliked ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "causette.db")
	l := sqlite.Open(path, store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, tr := range turns {
		if !l.Record(tr) {
			t.Fatalf("Record(%q) dropped", tr.Question)
		}
	}
	for _, key := range disliked {
		if err := l.Feedback(key, "down"); err != nil {
			t.Fatalf("Feedback(%q): %v", key, err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLogCommand(t *testing.T) {
	db := writeLog(t)
	tests := []struct {
		args     []string
		want     []string // in the output
		wantNot  []string
		csvRows  int // with --csv: rows including the header
		wantFail bool
	}{
		{args: []string{"unanswered"}, want: []string{"recette de la tarte", "2", "mistral-ai#p"}, wantNot: []string{"dix jours", "PDG"}},
		{args: []string{"unanswered", "--since", "30d"}, want: []string{"dix jours"}},
		{args: []string{"unanswered", "--csv"}, csvRows: 2},
		{args: []string{"disliked"}, want: []string{"Qui est le PDG de Mistral ?", "mistral-ai#p3"}, wantNot: []string{"Combien"}},
		{args: []string{"disliked", "--csv"}, csvRows: 2},
		{args: []string{"top"}, want: []string{"PDG", "Combien vaut Mistral"}},
		{args: []string{"top", "--csv"}, csvRows: 4},
		{args: []string{"top", "--since", "une semaine"}, wantFail: true},
		{args: []string{"partout"}, wantFail: true},
		{args: []string{}, wantFail: true},
	}
	for _, tt := range tests {
		name := strings.Join(tt.args, " ")
		var out, errOut bytes.Buffer
		args := append([]string{"log", "--db", db}, tt.args...)
		err := run(context.Background(), args, nil, &out, &errOut)
		if tt.wantFail {
			if err == nil {
				t.Errorf("causette log %s: no error; want one", name)
			}
			continue
		}
		if err != nil {
			t.Errorf("causette log %s: %v\n%s", name, err, errOut.String())
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("causette log %s prints\n%s\nwant %q in it", name, out.String(), w)
			}
		}
		for _, w := range tt.wantNot {
			if strings.Contains(out.String(), w) {
				t.Errorf("causette log %s prints\n%s\nwant no %q", name, out.String(), w)
			}
		}
		if tt.csvRows > 0 {
			rows, err := csv.NewReader(&out).ReadAll()
			if err != nil || len(rows) != tt.csvRows {
				t.Errorf("causette log %s: %d CSV rows (%v); want %d", name, len(rows), err, tt.csvRows)
			}
		}
	}
	if err := run(context.Background(), []string{"log", "top", "--db", filepath.Join(t.TempDir(), "absent.db")}, nil, io.Discard, io.Discard); err == nil {
		t.Errorf("causette log on a missing database: no error; want one")
	}
}

// TestLogEscapesVisitorText: what a visitor typed reaches the staff's
// terminal with its escape sequences and bidirectional controls shown, not
// obeyed; the CSV export keeps the text as typed.
func TestLogEscapesVisitorText(t *testing.T) {
	typed := []string{"Recette \x1b[31mrouge\x1b[0m", "Alerte\a", "\x1b]0;piège\x07 titre", "facture\u202efdp.exe"}
	shown := []string{`Recette \x1b[31mrouge\x1b[0m`, `Alerte\x07`, `\x1b]0;piège\x07 titre`, `facture\u202efdp.exe`}
	var turns []store.Turn
	for i, q := range typed {
		turns = append(turns, store.Turn{Question: q, Kind: "no_answer", Key: "t" + strconv.Itoa(i)})
	}
	turns = append(turns, store.Turn{Question: "Où est le siège, à Paris ?", Kind: "answer", Passage: "mistral-ai#p3", Key: "fr"})
	db := writeTurns(t, turns, "t0", "t1", "t2", "t3", "fr")
	for _, view := range []string{"unanswered", "top", "disliked"} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), []string{"log", view, "--db", db}, nil, &out, &errOut); err != nil {
			t.Fatalf("causette log %s: %v\n%s", view, err, errOut.String())
		}
		if strings.ContainsAny(out.String(), "\x1b\a\u202e") {
			t.Errorf("causette log %s prints raw controls:\n%q", view, out.String())
		}
		for _, want := range shown {
			if !strings.Contains(out.String(), want) {
				t.Errorf("causette log %s prints\n%s\nwant %q in it", view, out.String(), want)
			}
		}
		if view != "unanswered" && !strings.Contains(out.String(), "Où est le siège, à Paris ?") {
			t.Errorf("causette log %s prints\n%s\nwant the French question unchanged", view, out.String())
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"log", "top", "--csv", "--db", db}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, q := range typed {
		if !strings.Contains(out.String(), q) {
			t.Errorf("causette log top --csv = %q; want the question %q as typed", out.String(), q)
		}
	}
}
