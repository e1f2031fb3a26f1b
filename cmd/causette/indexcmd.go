package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/causette/causette/index"
)

// runIndex builds the index and describes it (causette index --stats).
func runIndex(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stats := fs.Bool("stats", false, "affiche les statistiques de l'index")
	asJSON := fs.Bool("json", false, "sortie JSON")
	dir := corpusFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	ix, err := openIndex(*dir)
	if err != nil {
		return err
	}
	st := ix.Stats()
	if *asJSON {
		return json.NewEncoder(stdout).Encode(st)
	}
	if !*stats {
		fmt.Fprintln(stdout, "Index construit ; --stats pour le détail.")
		return nil
	}
	fmt.Fprintf(stdout, "Documents : %d\nPassages : %d (paragraphes %d, lignes de tableau %d, FAQ %d)\nTermes : %d\nGroupes de synonymes : %d\nConstruction : %v\n",
		st.Documents, st.Passages, st.ByKind[index.KindParagraph], st.ByKind[index.KindTableRow], st.ByKind[index.KindFAQ],
		st.Terms, st.Synonyms, st.BuildTime.Round(100_000))
	return nil
}
