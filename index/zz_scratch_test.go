package index

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

func normz(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "’", "'"))
	return strings.Join(strings.Fields(s), " ")
}

func TestScratchPiaf(t *testing.T) {
	c, err := Load(os.DirFS("../../shared/eval/piaf-dev"), "corpus")
	if err != nil {
		t.Fatal(err)
	}
	st := time.Now()
	syn, _ := ParseSynonyms("s", must(os.ReadFile("../seeds/synonymes.tsv")))
	ix, err := Build(c, syn)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("build %v stats %+v", time.Since(st), ix.Stats())
	f, _ := os.Open("../../shared/eval/piaf-dev/questions.jsonl")
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n, r1, mrr := 0, 0, 0.0
	st = time.Now()
	for sc.Scan() {
		var q struct{ Q, Gold string }
		json.Unmarshal(sc.Bytes(), &q)
		hits, _ := ix.SearchText(q.Q, 10)
		n++
		g := normz(q.Gold)
		for i, h := range hits {
			tx := normz(h.Passage.Text)
			if strings.Contains(tx, g) || strings.Contains(g, tx) {
				if i == 0 {
					r1++
				}
				mrr += 1 / float64(i+1)
				break
			}
		}
	}
	t.Logf("n=%d R@1=%.3f MRR=%.3f in %v", n, float64(r1)/float64(n), mrr/float64(n), time.Since(st))
}

func must(b []byte, err error) []byte { return b }
