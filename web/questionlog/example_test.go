package questionlog_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/causette/causette/web/questionlog"
)

func ExampleLog_Unanswered() {
	dir, _ := os.MkdirTemp("", "questionlog")
	defer os.RemoveAll(dir)
	l := questionlog.Open(filepath.Join(dir, "causette.db"), questionlog.Options{Days: 30})
	defer l.Close()

	// The server records each visitor turn; Record never waits for the disk.
	asked := time.Now().Add(-time.Hour)
	for i, q := range []string{"Quel temps fait-il à Brest ?", "quel temps fait il a Brest", "Qui dirige Mistral ?"} {
		kind := "no_answer"
		if q == "Qui dirige Mistral ?" {
			kind = "answer"
		}
		l.Record(questionlog.Turn{Time: asked.Add(time.Duration(i) * time.Minute), Question: q, Kind: kind})
	}
	l.Flush(context.Background()) // staff views see what was asked a moment ago

	groups, _ := l.Unanswered(context.Background(), time.Now().Add(-7*24*time.Hour), 10)
	for _, g := range groups {
		fmt.Printf("%d× %q (%d wordings)\n", g.Count, g.Question, len(g.Wordings))
	}
	// Output:
	// 2× "quel temps fait il a Brest" (2 wordings)
}
