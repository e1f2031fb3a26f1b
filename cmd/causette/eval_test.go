package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/causette/causette/chat"
)

// evalDir holds the shared eval sets; CI checks out ../shared beside the repo.
func evalDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CAUSETTE_EVAL_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "eval")
	}
	if _, err := os.Stat(filepath.Join(dir, "dev.jsonl")); err != nil {
		t.Skipf("eval sets not found in %s (set CAUSETTE_EVAL_DIR): %v", dir, err)
	}
	return dir
}

func scoreSet(t *testing.T, file, corpus string) evalReport {
	t.Helper()
	items, err := readEval(file)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := openIndex(&corpusSource{Dir: corpus}, "")
	if err != nil {
		t.Fatal(err)
	}
	return evaluate(context.Background(), chat.New(ix, chat.Options{Top: evalTop, CiteRatio: 1e-9}), items)
}

// TestEvalFloors guards the quality measured on the shared sets: the floors
// sit a little under what the engine reaches, so a regression fails CI.
func TestEvalFloors(t *testing.T) {
	dir := evalDir(t)
	rep := scoreSet(t, filepath.Join(dir, "dev.jsonl"), "")
	var graded, top1 int
	for kind, ks := range rep.ByKind {
		if kind != "followup" {
			graded += ks.Graded
			top1 += ks.Top1
		}
	}
	checks := []struct {
		name      string
		got, want float64
	}{
		{"dev answerable top-1", float64(top1) / float64(graded), 0.90},
		{"dev small talk", float64(rep.ByKind["smalltalk"].OK), float64(rep.ByKind["smalltalk"].N)},
		{"dev out-of-scope refused", float64(rep.ByKind["oos"].OK), 3},
		{"dev follow-up turns", float64(rep.ByKind["followup"].OK), 5},
	}
	piaf := filepath.Join(dir, "piaf-dev")
	if _, err := os.Stat(filepath.Join(piaf, "questions.jsonl")); err == nil && !testing.Short() {
		pr := scoreSet(t, filepath.Join(piaf, "questions.jsonl"), filepath.Join(piaf, "corpus"))
		g := pr.ByKind["gold"]
		checks = append(checks, struct {
			name      string
			got, want float64
		}{"PIAF R@1", float64(g.Top1) / float64(g.Graded), 0.775}, struct {
			name      string
			got, want float64
		}{"PIAF short-answer F1", g.ShortF1 / float64(g.Shorts), 0.14})
	}
	spf := filepath.Join(dir, "spf")
	if _, err := os.Stat(filepath.Join(spf, "questions.jsonl")); err == nil && !testing.Short() {
		sr := scoreSet(t, filepath.Join(spf, "questions.jsonl"), filepath.Join(spf, "corpus"))
		g := sr.ByKind["spf"]
		checks = append(checks, struct {
			name      string
			got, want float64
		}{"spf right fiche first", float64(g.Top1) / float64(g.Graded), 0.80})
	}
	if trust := filepath.Join(dir, "trust.jsonl"); fileExists(trust) {
		tr := scoreSet(t, trust, "")
		ok := 0
		for _, ks := range tr.ByKind {
			ok += ks.OK
		}
		checks = append(checks, struct {
			name      string
			got, want float64
		}{"trust correct", float64(ok), 30})
	}
	for _, c := range checks {
		t.Logf("%s = %.3f (floor %.3f)", c.name, c.got, c.want)
		if c.got < c.want {
			t.Errorf("%s = %.3f; want at least %.3f", c.name, c.got, c.want)
		}
	}
	if t.Failed() {
		for _, m := range rep.Misses {
			t.Log(m)
		}
	}
}

func TestCommandLine(t *testing.T) {
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "bin.txt"), []byte("x\x00y"), 0o644)
	tests := []struct {
		args    []string
		stdin   string
		wantOut string
		wantErr string
	}{
		{[]string{"ask", "--json", "Qui dirige Mistral AI ?"}, "", `"kind":"answer"`, ""},
		{[]string{"ask", "--json"}, "Bonjour\n\nQuel est le prix du pain ?\n", `"kind":"no_answer"`, ""},
		{[]string{"ask", "--json"}, "\n", `"code":"empty"`, ""},
		{[]string{"chat", "--json"}, "En quelle année OpenAI a-t-elle été créée ?\nEt Google AI ?\n", "2006", ""},
		{[]string{"search", "contrat", "SNCF"}, "", "[[SNCF]]", ""},
		{[]string{"index", "--stats"}, "", "Passages : ", ""},
		{[]string{"ask", "--corpus", bad, "x"}, "", "", "bin.txt : fichier binaire"},
		{[]string{"ask", "--corpus", filepath.Join(bad, "nope"), "x"}, "", "", "dossier introuvable"},
		{[]string{"frobnicate"}, "", "", "commande inconnue"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tt.args, strings.NewReader(tt.stdin), &out, &errOut)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("causette %q error = %v; want %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !strings.Contains(out.String(), tt.wantOut) {
			t.Errorf("causette %q = %.300q, %v; want output holding %q", tt.args, out.String(), err, tt.wantOut)
		}
	}
}

func TestAskJSONOneLineEach(t *testing.T) {
	var out bytes.Buffer
	in := "Qui dirige Mistral AI ?\nMerci\nQuels sont les défis de Mistral ?\n"
	if err := run(context.Background(), []string{"ask", "--json"}, strings.NewReader(in), &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("ask --json wrote %d lines for 3 questions", len(lines))
	}
	for i, l := range lines {
		var a chat.Answer
		if err := json.Unmarshal([]byte(l), &a); err != nil || a.Kind == "" || a.Citations == nil || a.Suggestions == nil {
			t.Errorf("line %d = %.100q (%v); want a full answer", i+1, l, err)
		}
	}
}

func TestEvalScoresDocItems(t *testing.T) {
	it := evalItem{Q: "q", Doc: "F18960"}
	a := chat.Answer{Kind: chat.KindAnswer, Citations: []chat.Citation{
		{Doc: "f100", Text: "f18960 cité dans le texte ne compte pas"}, {Doc: "f18960"}}}
	var ks kindScore
	if scoreTurn(&ks, it, a) || ks.Top5 != 1 || ks.MRR != 0.5 {
		t.Errorf("doc item with its document cited second: top-1 %v, top-5 %d, MRR %.2f; want false, 1, 0.50",
			ks.Top1 == 1, ks.Top5, ks.MRR)
	}
}

func TestEvalScoresURLItems(t *testing.T) {
	it := evalItem{Q: "q", URL: "faq/install.html"}
	a := chat.Answer{Kind: chat.KindAnswer, Citations: []chat.Citation{
		{Doc: "faq/install", Text: "faq/install.html dans le texte ne compte pas"},
		{Doc: "faq/install", URL: "https://site.example/faq/install.html#apt"}}}
	var ks kindScore
	if scoreTurn(&ks, it, a) || ks.Top5 != 1 || ks.MRR != 0.5 {
		t.Errorf("url item with its page cited second: top-1 %v, top-5 %d, MRR %.2f; want false, 1, 0.50",
			ks.Top1 == 1, ks.Top5, ks.MRR)
	}
}

func TestIndexCommandKeepsItOnDisk(t *testing.T) {
	corpus, idx := t.TempDir(), filepath.Join(t.TempDir(), "index")
	os.WriteFile(filepath.Join(corpus, "velo.txt"), []byte("Le vélo\n\nLe vélo de ville coûte 300 euros.\n"), 0o600)
	build := func() string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(context.Background(), []string{"index", "--corpus", corpus, "--index", idx}, nil, &out, &errOut); err != nil {
			t.Fatalf("causette index: %v (%s)", err, errOut.String())
		}
		return out.String()
	}
	if got := build(); !strings.Contains(got, "1 documents (1 indexés à nouveau)") {
		t.Errorf("first causette index: %q; want the document indexed", got)
	}
	if got := build(); !strings.Contains(got, "(0 indexés à nouveau)") {
		t.Errorf("second causette index on the same corpus: %q; want nothing indexed again", got)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"ask", "--corpus", corpus, "--index", idx, "Combien coûte le vélo ?"}, nil, &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "300 euros") {
		t.Errorf("causette ask --index: %q, %v; want the answer from the index on disk", out.String(), err)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
