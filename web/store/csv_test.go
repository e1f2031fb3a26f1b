package store

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"
)

func TestWriteGroupsCSV(t *testing.T) {
	last := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	gs := []Group{
		{Question: "Quel temps fait-il à Brest ?", Count: 3, NoAnswer: 3, Last: last,
			Wordings: []Wording{{"Quel temps fait-il à Brest ?", 2}, {"quel temps a brest", 1}},
			Nearest:  []Near{{ID: "mistral-ai#p4"}, {ID: "mistral-ai#p9"}}},
		{Question: "=HYPERLINK(\"http://example.com\")", Count: 1, NoAnswer: 1, Last: last},
	}
	var b bytes.Buffer
	if err := WriteGroupsCSV(&b, gs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse back: %v\n%s", err, b.String())
	}
	want := [][]string{
		{"question", "nombre", "sans_reponse", "pouce_haut", "pouce_bas", "derniere_fois", "formulations", "passage_cite", "passages_proches"},
		{"Quel temps fait-il à Brest ?", "3", "3", "0", "0", "2026-11-25T09:30:00Z", "Quel temps fait-il à Brest ? (2) | quel temps a brest (1)", "", "mistral-ai#p4 mistral-ai#p9"},
		{"'=HYPERLINK(\"http://example.com\")", "1", "1", "0", "0", "2026-11-25T09:30:00Z", "", "", ""},
	}
	compareRows(t, "WriteGroupsCSV", rows, want)
}

func TestWriteTurnsCSV(t *testing.T) {
	ts := []Turn{{Time: time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC), Question: "Qui dirige Mistral ?", Kind: "answer",
		Confidence: 0.861, Passage: "mistral-ai#p3", Latency: 1250 * time.Microsecond, Feedback: "down",
		Answer: "=Le PDG Arthur Mensch.", Previous: "Et chez OpenAI ?"}}
	var b bytes.Buffer
	if err := WriteTurnsCSV(&b, ts); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse back: %v\n%s", err, b.String())
	}
	want := [][]string{
		{"date", "question", "type", "confiance", "passage_cite", "latence_ms", "avis", "reponse", "question_precedente"},
		{"2026-11-25T09:30:00Z", "Qui dirige Mistral ?", "answer", "0.86", "mistral-ai#p3", "1.2", "down", "'=Le PDG Arthur Mensch.", "Et chez OpenAI ?"},
	}
	compareRows(t, "WriteTurnsCSV", rows, want)
}

func compareRows(t *testing.T, name string, got, want [][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows %q; want %d", name, len(got), got, len(want))
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Errorf("%s row %d = %q; want %q", name, i, got[i], want[i])
			continue
		}
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("%s row %d column %q = %q; want %q", name, i, want[0][j], got[i][j], want[i][j])
			}
		}
	}
}
