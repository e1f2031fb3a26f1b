package index

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestTopDocsAsBleve checks that stage one's own collector keeps the
// passages Bleve's search returns, in its order, and those tied with the
// last of them only.
func TestTopDocsAsBleve(t *testing.T) {
	ix := mustIndex(t)
	for _, q := range []string{"Qui est le PDG de Mistral ?", "modèles open source", "contrat SNCF montant", "levée de fonds 2024"} {
		var qs []query.Query
		for _, st := range stems(q) {
			tq := bleve.NewTermQuery(st)
			tq.SetField(fieldAll)
			qs = append(qs, tq)
		}
		for _, limit := range []int{1, 5, 40, 1000} {
			got, err := ix.topDocs(bleve.NewDisjunctionQuery(qs...), limit)
			if err != nil {
				t.Fatal(err)
			}
			res, err := ix.bleve.Search(bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(qs...), limit, 0, false))
			if err != nil {
				t.Fatal(err)
			}
			// Bleve's hits, then those tied with its last, found deeper.
			var want []string
			for _, h := range res.Hits {
				want = append(want, h.ID)
			}
			if len(want) == 0 || len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
				t.Fatalf("%q, top %d: got %q, Bleve %q", q, limit, got, want)
			}
			if extra := got[len(want):]; len(extra) > 0 {
				deeper, err := ix.bleve.Search(bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(qs...), 10000, 0, false))
				if err != nil {
					t.Fatal(err)
				}
				last := roundScore(res.Hits[len(res.Hits)-1].Score)
				for _, h := range deeper.Hits {
					if slices.Contains(extra, h.ID) && roundScore(h.Score) != last {
						t.Errorf("%q, top %d: %s kept beyond the top with score %v, not tied with %v", q, limit, h.ID, h.Score, last)
					}
				}
			}
		}
	}
}
