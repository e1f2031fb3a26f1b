package index

import (
	"container/heap"
	"context"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// topDocs runs q on Bleve's searcher and keeps the ids of the limit best
// scored passages, best first, and of those tied with the last of them. Bleve's own SearchInContext does more than
// stage one needs, at a cost per question: it allocates a pool of matches
// as large as the request, loads every hit's stored fields and sorts by
// generic criteria; this keeps a heap of limit (score, number) pairs and
// looks up the ids of those it keeps only.
func (ix *Index) topDocs(q query.Query, limit int) ([]string, error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, err
	}
	reader, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer reader.Close()
	ctx := context.WithValue(context.Background(), search.GetScoringModelCallbackKey,
		search.GetScoringModelCallbackFn(func() string { return bleveindex.BM25Scoring }))
	searcher, err := q.Searcher(ctx, reader, ix.bleve.Mapping(), search.SearcherOptions{})
	if err != nil {
		return nil, err
	}
	defer searcher.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(searcher.DocumentMatchPoolSize(), 0)}
	// The heap holds twice as many as asked: those tied with the last one
	// asked for come along, whatever Bleve's order among them (it follows
	// its internal numbering, which a parallel build does not fix, and the
	// last candidates would change from one build to the next).
	keep := limit
	if limit < Exhaustive/2 {
		keep = 2 * limit
	}
	best := &topHeap{}
	seq := 0
	for {
		dm, err := searcher.Next(sctx)
		if err != nil {
			return nil, err
		}
		if dm == nil {
			break
		}
		seq++
		score := roundScore(dm.Score)
		switch {
		case best.Len() < keep:
			heap.Push(best, scoredDoc{score: score, seq: seq, id: append(bleveindex.IndexInternalID(nil), dm.IndexInternalID...)})
		case better(score, seq, (*best)[0]):
			worst := &(*best)[0]
			worst.score, worst.seq, worst.id = score, seq, append(worst.id[:0], dm.IndexInternalID...)
			heap.Fix(best, 0)
		}
		sctx.DocumentMatchPool.Put(dm)
	}
	ranked := make([]scoredDoc, best.Len())
	for i := len(ranked) - 1; i >= 0; i-- {
		ranked[i] = heap.Pop(best).(scoredDoc)
	}
	if len(ranked) > limit {
		cut := limit
		for cut < len(ranked) && ranked[cut].score == ranked[limit-1].score {
			cut++
		}
		ranked = ranked[:cut]
	}
	out := make([]string, len(ranked))
	for i, d := range ranked {
		id, err := reader.ExternalID(d.id)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

// scoredDoc is a match kept by topDocs: its score, its rank in Bleve's
// order (earlier wins a tie, as in Bleve's own collector) and its id.
type scoredDoc struct {
	score float64
	seq   int
	id    bleveindex.IndexInternalID
}

func better(score float64, seq int, than scoredDoc) bool {
	return score > than.score || score == than.score && seq < than.seq
}

// topHeap holds the best matches with the worst on top.
type topHeap []scoredDoc

func (h topHeap) Len() int           { return len(h) }
func (h topHeap) Less(i, j int) bool { return better(h[j].score, h[j].seq, h[i]) }
func (h topHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *topHeap) Push(x any)        { *h = append(*h, x.(scoredDoc)) }
func (h *topHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
