package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/web/store"
	"github.com/causette/causette/web/store/postgres"
	"github.com/causette/causette/web/store/postgres/pgtest"
)

// recoverWait bounds how long the question log may take to write again
// once PostgreSQL is back: the pool dials at the next write.
const recoverWait = 30 * time.Second

// TestPostgresLostWhileServing is the degraded mode the store promises,
// on a real PostgreSQL cut away while serving: visitors keep being
// answered, /healthz says degraded (and stays 200), /healthz/log names the
// problem in a word; once the server is back the log writes again and
// /healthz is ok.
func TestPostgresLostWhileServing(t *testing.T) {
	proxy := pgtest.NewProxy(t, pgtest.Start(t))
	f := newStaffFixtureOn(t, postgres.Server{URL: proxy.URL}, Config{})
	ask := func(q string) chat.Answer {
		t.Helper()
		req, _ := json.Marshal(map[string]string{"q": q})
		resp, body := post(t, f.URL+"/api/ask", "", string(req))
		var a chat.Answer
		if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &a) != nil || a.Kind == "" {
			t.Fatalf("POST /api/ask %q: %d %s; want an answer", q, resp.StatusCode, body)
		}
		return a
	}
	health := func() (int, map[string]any) {
		t.Helper()
		resp, body := f.get(t, "/healthz", nil)
		var h map[string]any
		json.Unmarshal([]byte(body), &h)
		return resp.StatusCode, h
	}
	ask("Quel est le modèle phare d'OpenAI ?")
	mustFlushLog(t, f)
	if code, h := health(); code != http.StatusOK || h["status"] != "ok" {
		t.Fatalf("/healthz before the cut: %d %v; want 200 ok", code, h)
	}

	proxy.Cut()
	start := time.Now()
	ask("Qui dirige Mistral ?") // answered all the same
	t.Logf("answer while PostgreSQL is away: %v", time.Since(start))
	mustFlushLog(t, f)
	code, h := health()
	if code != http.StatusOK || h["status"] != "degraded" || !strings.Contains(jsonText(h["failing"]), "question_log") {
		t.Errorf("/healthz while PostgreSQL is away: %d %v; want 200, degraded, question_log failing", code, h)
	}
	resp, body := f.get(t, "/healthz/log", nil)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, store.ProblemWriteFailed) && !strings.Contains(body, store.ProblemUnavailable) ||
		strings.Contains(body, "127.0.0.1") {
		t.Errorf("/healthz/log while PostgreSQL is away: %d %s; want 503, the problem in a word, no address", resp.StatusCode, body)
	}
	t.Logf("/healthz while PostgreSQL is away: %v", h)

	proxy.Restore(t)
	deadline := time.Now().Add(recoverWait)
	for !f.Log.Health().OK && time.Now().Before(deadline) {
		ask("Qui dirige Mistral ?")
		mustFlushLog(t, f)
	}
	if code, h := health(); code != http.StatusOK || h["status"] != "ok" {
		t.Errorf("/healthz once PostgreSQL is back: %d %v; want 200 ok", code, h)
	}
}

// jsonText is v as JSON, for a look inside decoded values.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
