package index

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestTopDocsAsBleve checks that stage one's own collector keeps the
// passages Bleve's search returns, in its order.
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
			var want []string
			for _, h := range res.Hits {
				want = append(want, h.ID)
			}
			if len(want) == 0 || !slices.Equal(got, want) {
				t.Errorf("%q, top %d: got %q, Bleve %q", q, limit, got, want)
			}
		}
	}
}
