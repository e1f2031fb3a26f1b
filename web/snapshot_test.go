package web

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/index"
)

func TestNotReadyUntilASnapshotIsStored(t *testing.T) {
	current := NewCurrent(nil)
	s, err := NewServer(Config{Current: current, Logger: quietLogger()})
	if err != nil {
		t.Fatalf("NewServer with an empty Current: %v", err)
	}
	base := startHTTP(t, s)
	if resp, body := get(t, base+"/healthz", nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, `"ready":false`) {
		t.Errorf("/healthz before any snapshot: %d %s; want 200 (alive), not ready", resp.StatusCode, body)
	}
	if resp, _ := get(t, base+"/readyz", nil); resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("/readyz before any snapshot: %d; want 503 with Retry-After", resp.StatusCode)
	}
	if resp, body := postAsk(t, base, "", `{"q":"Qui est le PDG de Mistral ?"}`); resp.StatusCode != http.StatusServiceUnavailable ||
		!strings.Contains(body, "not_ready") {
		t.Errorf("POST /api/ask before any snapshot: %d %s; want 503 not_ready", resp.StatusCode, body)
	}
	if got := dialStatus(t, wsURL(base), ""); got != http.StatusServiceUnavailable {
		t.Errorf("socket before any snapshot: status %d; want 503 (the page retries)", got)
	}
	ix, eng := mustEngine(t)
	current.Store(&Snapshot{Index: ix, Engine: eng, Version: "v1"})
	if resp, _ := get(t, base+"/readyz", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz once a snapshot is stored: %d; want 200", resp.StatusCode)
	}
	c, hello := dial(t, base)
	if hello["greeting"] == "" || len(hello["suggestions"].([]any)) == 0 {
		t.Errorf("hello once a snapshot is stored: %v; want the corpus's greeting and starters", hello)
	}
	if a := c.ask("b", "Qui est le PDG de Mistral ?", ""); a.Type != "answer" {
		t.Errorf("a socket once a snapshot is stored: %+v; want an answer", a)
	}
	if _, body := get(t, base+"/healthz", nil); !strings.Contains(body, `"version":"v1"`) {
		t.Errorf("/healthz does not name the version in service: %s", body)
	}
}

// otherCorpus is a corpus that shares nothing with the seed.
func otherCorpus(tb testing.TB) (*index.Index, *chat.Engine) {
	tb.Helper()
	c, err := index.Load(fstest.MapFS{"velo.txt": {Data: []byte("Le vélo\n\nLe vélo de ville coûte 300 euros chez le marchand du quartier.\n")}}, ".")
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := index.Build(c, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return ix, chat.New(ix, chat.Options{})
}

func TestSwapWhileAnswering(t *testing.T) {
	seedIx, seedEng := mustEngine(t)
	veloIx, veloEng := otherCorpus(t)
	current := NewCurrent(&Snapshot{Index: seedIx, Engine: seedEng, Version: "seed"})
	base := startHTTP(t, newTestServer(t, Config{Current: current,
		Limits: Limits{APIRatePerSecond: 1e6, APIRateBurst: 1 << 20}}))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() { // swap again and again while visitors ask
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				current.Store(&Snapshot{Index: veloIx, Engine: veloEng, Version: "velo"})
			} else {
				current.Store(&Snapshot{Index: seedIx, Engine: seedEng, Version: "seed"})
			}
		}
	}()
	for i := range 200 {
		if resp, body := postAsk(t, base, "", `{"q":"Combien coûte le vélo ?"}`); resp.StatusCode != http.StatusOK {
			t.Fatalf("ask %d during swaps: %d %s; want 200", i, resp.StatusCode, body)
		}
	}
	close(stop)
	wg.Wait()
	current.Store(&Snapshot{Index: veloIx, Engine: veloEng, Version: "velo"})
	if _, body := postAsk(t, base, "", `{"q":"Combien coûte le vélo ?"}`); !strings.Contains(body, "300 euros") {
		t.Errorf("after the swap to the other corpus: %s; want its answer", body)
	}
}

func TestFailedReloadIsDegraded(t *testing.T) {
	ix, eng := mustEngine(t)
	current := NewCurrent(&Snapshot{Index: ix, Engine: eng, Version: "v1"})
	base := startHTTP(t, newTestServer(t, Config{Current: current}))
	current.Reloaded(ReloadOutcome{OK: false, Error: "/srv/corpus: corpus : vide.txt : document vide"})
	resp, body := get(t, base+"/healthz", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"status":"degraded"`) || !strings.Contains(body, `"reload"`) ||
		strings.Contains(body, "vide.txt") {
		t.Errorf("/healthz after a failed reload: %d %s; want 200, degraded, reload failing, no file named", resp.StatusCode, body)
	}
	current.Reloaded(ReloadOutcome{OK: true})
	if _, body := get(t, base+"/healthz", nil); !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("/healthz after a good reload: %s; want ok", body)
	}
}
