package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
)

func runSearch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	top := fs.Int("top", 10, "nombre de passages")
	asJSON := fs.Bool("json", false, "sortie JSON")
	dir := corpusFlag(fs)
	indexDir := indexFlag(fs, "", indexUsage)
	if err := fs.Parse(reorder(args)); err != nil {
		return err
	}
	q := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(q) == "" {
		return fmt.Errorf("search : donnez des termes à chercher")
	}
	ix, err := openIndex(dir, *indexDir)
	if err != nil {
		return err
	}
	found, err := ix.Find(q, *top)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for _, m := range found.Matches {
			if err := enc.Encode(map[string]any{"passage": m.Passage, "score": m.Score, "highlights": m.Highlights}); err != nil {
				return err
			}
		}
		return nil
	}
	for _, t := range found.Terms {
		if !t.Known && len(t.Corrections) > 0 {
			fmt.Fprintf(stdout, "(« %s » inconnu, cherché comme : %s)\n", t.Surface, strings.Join(t.Corrections, ", "))
		}
	}
	if len(found.Matches) == 0 {
		fmt.Fprintln(stdout, "Aucun passage trouvé.")
	}
	for i, m := range found.Matches {
		p := m.Passage
		fmt.Fprintf(stdout, "%2d. %6.2f  %s  [%s] %s — %s\n    %s\n\n", i+1, m.Score, p.ID, p.Kind, p.Title,
			sectionOr(p.Section), mark(p.Text, m.Highlights))
	}
	return nil
}

// mark surrounds highlighted spans with [[ ]] for a terminal.
func mark(text string, spans [][2]int) string {
	r := []rune(text)
	var b strings.Builder
	next := 0
	for _, s := range spans {
		if s[0] < next || s[1] > len(r) {
			continue
		}
		b.WriteString(string(r[next:s[0]]))
		b.WriteString("[[")
		b.WriteString(string(r[s[0]:s[1]]))
		b.WriteString("]]")
		next = s[1]
	}
	b.WriteString(string(r[next:]))
	return b.String()
}
