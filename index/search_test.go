package index

import (
	"math"
	"math/bits"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/causette/causette/seeds"
)

func mustIndex(tb testing.TB) *Index {
	tb.Helper()
	c, err := Load(seeds.FS, ".")
	if err != nil {
		tb.Fatal(err)
	}
	data, err := seeds.FS.ReadFile("synonymes.tsv")
	if err != nil {
		tb.Fatal(err)
	}
	syn, err := ParseSynonyms("synonymes.tsv", data)
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := Build(c, syn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

func stems(s string) []string {
	var out []string
	for _, t := range Analyze(s) {
		out = append(out, string(t.Term))
	}
	return out
}

func TestAnalyzerFrench(t *testing.T) {
	tests := []struct{ a, b string }{
		{"l’intelligence", "l'intelligence"},
		{"lʼintelligence", "intelligence"},
		{"jusqu'aux clients", "clients"},
		{"les entreprises", "entreprise"},
		{"Économie", "économie"},
		{"créées", "créée"},
	}
	for _, tt := range tests {
		if a, b := strings.Join(stems(tt.a), " "), strings.Join(stems(tt.b), " "); a != b || a == "" {
			t.Errorf("Analyze(%q) = %q, Analyze(%q) = %q; want equal and not empty", tt.a, a, tt.b, b)
		}
	}
	if got := stems("Quel est le prix de la"); len(got) != 1 {
		t.Errorf("Analyze keeps stop words: %q", got)
	}
}

func TestSearchFinds(t *testing.T) {
	ix := mustIndex(t)
	tests := []struct{ q, want string }{
		{"Arthur Mensch", "Arthur Mensch"},
		{"mistarl fondée", "2023"},                  // typo
		{"Arthur Mench", "Arthur Mensch"},           // typo in a name
		{"doctolibe", "Doctolib"},                   // typo
		{"patron de Mistral", "PDG"},                // synonym
		{"raisonement automatique", "Raisonnement"}, // typo
		{"data center Essonne", "18 000 puces"},
		{"strategie souverainete numerique", "souveraineté"}, // typed without accents
	}
	for _, tt := range tests {
		hits, err := ix.SearchText(tt.q, 3)
		if err != nil || len(hits) == 0 {
			t.Errorf("SearchText(%q) = %v, %v", tt.q, hits, err)
			continue
		}
		if !strings.Contains(hits[0].Passage.Text, tt.want) {
			t.Errorf("SearchText(%q) first = %s %.80q; want a passage holding %q", tt.q, hits[0].Passage.ID, hits[0].Passage.Text, tt.want)
		}
	}
}

func TestHighlightsCountCodePoints(t *testing.T) {
	text := "À l’échelle européenne, l’équipe commerciale."
	spans := Highlights(text, map[string]bool{stems("équipe")[0]: true, stems("européenne")[0]: true})
	r := []rune(text)
	var got []string
	for _, s := range spans {
		if s[0] < 0 || s[1] > len(r) || s[0] >= s[1] {
			t.Fatalf("span %v out of %d runes", s, len(r))
		}
		got = append(got, string(r[s[0]:s[1]]))
	}
	if strings.Join(got, "|") != "européenne|l’équipe" && strings.Join(got, "|") != "européenne|équipe" {
		t.Errorf("Highlights = %q; want européenne and équipe", got)
	}
	if utf8.RuneCountInString(text) == len(text) {
		t.Fatal("test text must have multi-byte runes")
	}
}

func TestCorrectOnlyUnknownWords(t *testing.T) {
	ix := mustIndex(t)
	for _, term := range ix.Terms("Mistral mistarl zzzzzzzzqx") {
		switch term.Surface {
		case "Mistral":
			if !term.Known || len(term.Corrections) > 0 {
				t.Errorf("Terms(Mistral) = %+v; want known, uncorrected", term)
			}
		case "mistarl":
			if term.Known || len(term.Corrections) == 0 || term.Corrections[0] != "mistral" {
				t.Errorf("Terms(mistarl) = %+v; want corrected to mistral", term)
			}
		case "zzzzzzzzqx":
			if term.Known || len(term.Corrections) > 0 {
				t.Errorf("Terms(zzzzzzzzqx) = %+v; want unknown, no correction", term)
			}
		}
	}
}

func BenchmarkBuildSeed(b *testing.B) {
	c, err := Load(seeds.FS, ".")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ix, err := Build(c, nil)
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

func BenchmarkSearchSeed(b *testing.B) {
	ix := mustIndex(b)
	for b.Loop() {
		if _, err := ix.SearchText("Combien de temps dure le contrat avec la SNCF ?", 30); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSeedSynonymsDoNotCollide: two groups sharing a stem would merge them
// ("employé" and "emploi" both stem to emploi), so each stem is in one group.
func TestSeedSynonymsDoNotCollide(t *testing.T) {
	data, err := seeds.FS.ReadFile("synonymes.tsv")
	if err != nil {
		t.Fatal(err)
	}
	groups, err := ParseSynonyms("synonymes.tsv", data)
	if err != nil {
		t.Fatal(err)
	}
	// A word may be listed in two groups on purpose (pdg); two different
	// words may not share a stem by accident.
	type seen struct {
		word  string
		group int
	}
	first := map[string]seen{}
	for i, g := range groups {
		for _, w := range singleWords(g) {
			stem := stems(w)[0]
			if o, ok := first[stem]; ok && o.group != i && o.word != w {
				t.Errorf("%q and %q have the same stem %q: their groups merge", o.word, w, stem)
			}
			if _, ok := first[stem]; !ok {
				first[stem] = seen{w, i}
			}
		}
	}
}

// TestLetterSetBound checks the test correct runs before the edit distance:
// words within d edits never differ in more than 2d letters of letterSet.
func TestLetterSetBound(t *testing.T) {
	words := []string{"valorisation", "valorisaton", "vlaorisation", "valorizations", "mistral", "mistrl", "misrtal",
		"cœur", "coeur", "2023", "2032", "élève", "eleve", "zzz", "aaaa", "abcd", "bacd", "xbcd"}
	for _, a := range words {
		for _, b := range words {
			for d := 1; d <= 2; d++ {
				if osaDistance(a, b, d) <= d && bits.OnesCount64(letterSet(a)^letterSet(b)) > 2*d {
					t.Errorf("%q and %q are within %d edits but their letter sets differ in %d bits", a, b, d,
						bits.OnesCount64(letterSet(a)^letterSet(b)))
				}
			}
		}
	}
}

// TestFieldPruningKeepsTheRanking checks that asking a word only of the
// fields that hold it ranks exactly as asking it of every field, the scores
// all multiplied by one factor.
func TestFieldPruningKeepsTheRanking(t *testing.T) {
	ix, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	pruning := ix.fields
	for _, q := range []string{"Qui est le PDG de Mistral ?", "contrat SNCF montant", "valorisaton de Mistral",
		"Quelle est la stratégie technologique ?", "année de création d'OpenAI", "zzz inconnu"} {
		stems := Weighted(ix.Terms(q))
		ix.fields = pruning
		pruned, err1 := ix.Search(stems, 10)
		ix.fields = nil // every clause, as before the pruning
		full, err2 := ix.Search(stems, 10)
		if err1 != nil || err2 != nil || len(pruned) != len(full) {
			t.Fatalf("%q: %d hits (%v) pruned, %d (%v) with every field", q, len(pruned), err1, len(full), err2)
		}
		for i := range full {
			ratio := pruned[i].Score / full[i].Score
			first := pruned[0].Score / full[0].Score
			if pruned[i].Passage.ID != full[i].Passage.ID || math.Abs(ratio-first) > 1e-6*first {
				t.Errorf("%q: hit %d is %s (%.6g) pruned, %s (%.6g) with every field; want the same passage, scores in one ratio",
					q, i, pruned[i].Passage.ID, pruned[i].Score, full[i].Passage.ID, full[i].Score)
			}
		}
	}
}
