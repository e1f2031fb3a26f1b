package index

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"

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
		if p := hits[0].Passage; !strings.Contains(p.Question+"\n"+p.Text, tt.want) {
			t.Errorf("SearchText(%q) first = %s %.80q; want a passage holding %q (in its text or FAQ question)", tt.q, p.ID, p.Text, tt.want)
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

// referenceFields names the fields of referenceIndex, in field order.
var referenceFields = [fieldCount]string{"text", "question", "label", "section", "title", "exact"}

// referenceIndex indexes ix's passages in Bleve one field per stage-two
// field, analysed by Bleve itself: what a one-stage search queried.
func referenceIndex(t *testing.T, ix *Index) bleve.Index {
	t.Helper()
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25"
	dm := bleve.NewDocumentStaticMapping()
	for f, name := range referenceFields {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = AnalyzerName
		if f == fExact {
			fm.Analyzer = ExactAnalyzerName
		}
		fm.Store, fm.IncludeInAll, fm.IncludeTermVectors = false, false, false
		dm.AddFieldMappingsAt(name, fm)
	}
	m.DefaultMapping = dm
	bi, err := bleve.NewUsing("", m, scorch.Name, bleve.Config.DefaultMemKVStore, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bi.Close() })
	batch := bi.NewBatch()
	for _, p := range ix.Passages() {
		texts := fieldTexts(&p)
		doc := map[string]string{}
		for f, text := range texts {
			if text != "" {
				doc[referenceFields[f]] = text
			}
		}
		doc[referenceFields[fExact]] = p.Question + "\n" + p.Text
		if err := batch.Index(p.ID, doc); err != nil {
			t.Fatal(err)
		}
	}
	if err := bi.Batch(batch); err != nil {
		t.Fatal(err)
	}
	return bi
}

// TestStageTwoScoresAsBleve checks that stage two, given Bleve's average
// field lengths, gives each passage the score one Bleve query of every word
// in every field gives it, and that two stages rank the top passages as
// that one query does.
func TestStageTwoScoresAsBleve(t *testing.T) {
	ix := mustIndex(t)
	ref := referenceIndex(t, ix)
	// Bleve's average length: a field's distinct terms over the passages,
	// rounded up (one segment, as the reference index is built).
	for f := range ix.fwd.avgLength {
		distinct := 0
		for _, n := range ix.fwd.df[f] {
			if n > 0 {
				distinct++
			}
		}
		ix.fwd.avgLength[f] = math.Ceil(float64(distinct) / float64(ix.fwd.n))
	}
	for _, q := range []string{"Qui est le PDG de Mistral ?", "contrat SNCF montant", "valorisaton de Mistral",
		"Quelle est la stratégie technologique ?", "année de création d'OpenAI", "modèles open source Mistral 7B",
		"Combien d'employés compte Mistral AI en 2024 ?", "zzz inconnu"} {
		stems := Weighted(ix.Terms(q))
		var qs []query.Query
		for _, s := range stems {
			for f := fText; f < fExact; f++ {
				if ix.fwd.holds(s.Stem, f) {
					tq := bleve.NewTermQuery(s.Stem)
					tq.SetField(referenceFields[f])
					tq.SetBoost(fieldBoosts[f] * s.Weight)
					qs = append(qs, tq)
				}
			}
			if s.Exact != "" && ix.fwd.holds(s.Exact, fExact) {
				tq := bleve.NewTermQuery(s.Exact)
				tq.SetField(referenceFields[fExact])
				tq.SetBoost(fieldBoosts[fExact] * s.Weight)
				qs = append(qs, tq)
			}
		}
		got, err := ix.Search(stems, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(qs) == 0 {
			if len(got) != 0 {
				t.Errorf("%q: %d hits for words the corpus lacks", q, len(got))
			}
			continue
		}
		res, err := ref.Search(bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(qs...), ix.Stats().Passages, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]float64{}
		for _, h := range res.Hits {
			want[h.ID] = h.Score
		}
		if len(got) == 0 {
			t.Fatalf("%q: no hit", q)
		}
		for i, h := range got {
			w, ok := want[h.Passage.ID]
			if !ok || math.Abs(h.Score-w) > 1e-6*w {
				t.Errorf("%q: %s scores %.9g in stage two, %.9g (found %v) in Bleve", q, h.Passage.ID, h.Score, w, ok)
			}
			if i < len(res.Hits) && math.Abs(h.Score-res.Hits[i].Score) > 1e-6*h.Score {
				t.Errorf("%q: hit %d scores %.9g in two stages, %.9g in one", q, i, h.Score, res.Hits[i].Score)
			}
		}
	}
}

// TestStageOneLeavesOutCommonWords checks that stage one asks Bleve the
// rarest stems of a question and leaves out, past them, those that more
// than stageOneMaxShare of the passages hold; the full query keeps all.
func TestStageOneLeavesOutCommonWords(t *testing.T) {
	// 1,000 passages: "commun" in all, "courant" in half, "frequent" in a
	// fifth, and a rare word in each of the first ten.
	rare := []string{"aubergine", "baobab", "cormoran", "dromadaire", "ecureuil", "flamant", "gazelle", "hibou", "iguane", "jaguar"}
	doc := &Document{Slug: "d", Title: "Document"}
	for i := range 1000 {
		text := "commun"
		if i%2 == 0 {
			text += " courant"
		}
		if i%5 == 0 {
			text += " frequent"
		}
		if i < len(rare) {
			text += " " + rare[i]
		}
		doc.Passages = append(doc.Passages, Passage{ID: fmt.Sprintf("d#p%d", i+1), Doc: "d", Title: "Document",
			Paragraph: i + 1, Kind: KindParagraph, Text: text})
	}
	ix, err := Build(&Corpus{Docs: []*Document{doc}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	stemsOf := func(words ...string) []string {
		var out []string
		for _, w := range words {
			out = append(out, stems(w)...)
		}
		return out
	}
	few := stemsOf("commun", "courant", "aubergine")
	if got := ix.rarest(few); !slices.Equal(got, few) {
		t.Errorf("rarest(%q) = %q: %d stems or fewer all go to stage one", few, got, stageOneKeep)
	}
	many := stemsOf("commun", "baobab", "courant", "cormoran", "frequent", "dromadaire", "ecureuil", "flamant")
	if got, want := ix.rarest(many), stemsOf("baobab", "cormoran", "dromadaire", "ecureuil", "flamant"); !slices.Equal(got, want) {
		t.Errorf("rarest(%q) = %q, want the rare ones %q in their order", many, got, want)
	}
	common := stemsOf("commun", "courant", "frequent", "gazelle", "hibou")
	if got, want := ix.rarest(common), stemsOf("frequent", "gazelle", "hibou", "courant"); !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
		t.Errorf("rarest(%q) = %q, want the %d rarest %q", common, got, stageOneKeep, want)
	}
	// The full query (a depth past the corpus) asks every stem: a passage
	// that holds only the common words is found.
	hits, err := ix.SearchDepth(Weighted(ix.Terms("commun courant frequent gazelle hibou iguane jaguar")), 1000, Exhaustive)
	if err != nil || len(hits) != 1000 {
		t.Errorf("the full query finds %d passages (%v), want all 1000", len(hits), err)
	}
}

// TestPhraseSynonyms checks that an expression of the lexicon stands for
// its group's words when the question writes it whole, and only then:
// « à la tête de » means « directeur », « tête » alone does not.
func TestPhraseSynonyms(t *testing.T) {
	c := &Corpus{Docs: []*Document{{Slug: "mairie", Title: "La mairie", Passages: []Passage{
		{ID: "mairie#p1", Doc: "mairie", Text: "Le directeur des services de la mairie est nommé par le maire.", Kind: KindParagraph},
		{ID: "mairie#p2", Doc: "mairie", Text: "Le médecin scolaire soigne les maux de tête des élèves.", Kind: KindParagraph},
	}}}}
	ix, err := Build(c, [][]string{{"directeur", "chef", "à la tête de"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	synonymsOf := func(q, word string) []string {
		for _, term := range ix.Terms(q) {
			if Fold(term.Surface) == word {
				return term.Synonyms
			}
		}
		t.Fatalf("%q: no term %q", q, word)
		return nil
	}
	if got := synonymsOf("Qui est à la tête des services ?", "tete"); !slices.Contains(got, "directeur") {
		t.Errorf("« à la tête des services »: tête stands for %v; want directeur among them", got)
	}
	if got := synonymsOf("Qui est à la tête de la mairie ?", "tete"); !slices.Contains(got, "directeur") {
		t.Errorf("« à la tête de la mairie »: tête stands for %v; want directeur among them", got)
	}
	if got := synonymsOf("Qui soigne les maux de tête ?", "tete"); len(got) != 0 {
		t.Errorf("« maux de tête »: tête stands for %v; want nothing", got)
	}
	hits, err := ix.SearchText("Qui est à la tête de la mairie ?", 1)
	if err != nil || len(hits) == 0 || hits[0].Passage.ID != "mairie#p1" {
		t.Errorf("hits %v (%v); want the director's passage first", hits, err)
	}
}
