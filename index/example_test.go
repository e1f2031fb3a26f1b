package index_test

import (
	"fmt"
	"testing/fstest"

	"github.com/causette/causette/index"
)

func ExampleParse() {
	doc, _ := index.Parse("contrats.txt", []byte("Nos contrats\n| Client | Durée |\n|---|---|\n| SNCF | 5 ans |\n"))
	p := doc.Passages[0]
	fmt.Println(p.ID, p.Kind)
	fmt.Println(p.Text)
	// Output:
	// contrats#p4 table_row
	// SNCF — Durée : 5 ans
}

func ExampleIndex_SearchText() {
	corpus, _ := index.Load(fstest.MapFS{
		"velo.txt": {Data: []byte("Le vélo\nLa bicyclette a été inventée au XIXe siècle.\nLe Tour de France est créé en 1903.\n")},
	}, ".")
	ix, _ := index.Build(corpus, [][]string{{"vélo", "bicyclette"}})
	hits, _ := ix.SearchText("Quand le vélo a-t-il été inventé ?", 1)
	fmt.Println(hits[0].Passage.ID, hits[0].Passage.Text)
	// Output:
	// velo#p2 La bicyclette a été inventée au XIXe siècle.
}
