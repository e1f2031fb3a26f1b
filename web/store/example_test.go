package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/causette/causette/web/store"
	"github.com/causette/causette/web/store/sqlite"
)

func ExampleLog_Unanswered() {
	dir, _ := os.MkdirTemp("", "questionlog")
	defer os.RemoveAll(dir)
	l := sqlite.Open(filepath.Join(dir, "causette.db"), store.Options{Days: 30})
	defer l.Close()

	// The server records each visitor turn; Record never waits for the disk.
	asked := time.Now().Add(-time.Hour)
	for i, q := range []string{"Quel temps fait-il à Brest ?", "quel temps fait il a Brest", "Qui dirige Mistral ?"} {
		kind := "no_answer"
		if q == "Qui dirige Mistral ?" {
			kind = "answer"
		}
		l.Record(store.Turn{Time: asked.Add(time.Duration(i) * time.Minute), Question: q, Kind: kind})
	}
	l.Flush(context.Background()) // staff views see what was asked a moment ago

	groups, _ := l.Unanswered(context.Background(), time.Now().Add(-7*24*time.Hour), 10)
	for _, g := range groups {
		fmt.Printf("%d× %q (%d wordings)\n", g.Count, g.Question, len(g.Wordings))
	}
	// Output:
	// 2× "quel temps fait il a Brest" (2 wordings)
}

func ExampleTerminalText() {
	// A visitor's question as stored: colour codes, a bell and a right-to-left
	// override that would show "fdp.exe" as "exe.pdf".
	q := "Ma facture \x1b[31murgente\x1b[0m\a : facture\u202efdp.exe, à régler ?"
	fmt.Println(store.TerminalText(q))
	// Output:
	// Ma facture \x1b[31murgente\x1b[0m\x07 : facture\u202efdp.exe, à régler ?
}
